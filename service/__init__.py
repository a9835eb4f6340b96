"""Gremium's shell around the domain: the REST service, its client, and the command line."""
