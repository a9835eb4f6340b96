"""Data only: the built-in RACI scenarios (``raci/``) and discussion setups (``discussion/``)."""
