"""Governance models (Altimeter/Owyang 2010): who holds social media in an organisation."""
