"""Gremium's domain: RACI optimisation and lint, governance recommendations, discussion simulation.

Pure Python, numpy, networkx and PuLP: no web framework, no file or network I/O. Everything
here runs in a notebook without a server. The packages are layers; a module imports only its
own package and those below it (``tests/test_layers.py`` checks every import):

    governance/                 which governance model to adopt: types, recommend, render
    raci/        discussion/    RACI matrices and the variants; stakeholder discussions
    core  errors  solver        shared primitives, the error tree, the MILP engine adapter
"""
