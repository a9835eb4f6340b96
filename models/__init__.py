"""Gremium's domain: RACI optimisation and lint, governance variants, discussion simulation.

Pure Python, numpy, networkx and PuLP: no web framework, no file or network I/O. Everything
here runs in a notebook without a server.
"""
