"""The examples in the docstrings of models.discussion run and hold."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "network",
    "dynamics",
    "diagnostics",
    "power",
    "coalitions",
    "decision",
    "montecarlo",
    "simulation",
    "agreement",
    "intervention",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(f"models.discussion.{name}")
    failures, tried = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert failures == 0
    assert tried > 0
