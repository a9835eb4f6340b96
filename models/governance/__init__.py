"""Governance models (Altimeter/Owyang 2010): who holds social media in an organisation.

On top of :mod:`models.raci` and :mod:`models.discussion`: types (the recommendation),
recommend (rank the variants of a scenario), render (the recommendation as HTML).
"""
