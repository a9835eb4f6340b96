"""The shared primitives (models.core): what the letters mean, and JSON pointers."""

from __future__ import annotations

import doctest

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models import core
from models.core import (
    ACCOUNTABLE,
    AT_LEAST,
    CONSENT,
    HEARD,
    LETTERS,
    MEANING,
    RESPONSIBLE,
    WORKING,
    is_accountable,
    is_responsible,
    pointer,
    problem_of,
)
from models.errors import Problem


def test_docstring_examples_hold() -> None:
    result = doctest.testmod(core, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
    assert result.attempted > 0


def test_every_letter_has_a_meaning() -> None:
    assert set(MEANING) == set(LETTERS)
    assert len(set(LETTERS)) == len(LETTERS)


def test_a_r_counts_as_accountable_and_as_responsible() -> None:
    assert {"A", "A/R"} == ACCOUNTABLE
    assert {"R", "A/R"} == RESPONSIBLE
    assert {"R", "A", "C", "A/R", "S"} == WORKING
    assert [x for x in (*LETTERS, None) if is_accountable(x)] == ["A", "A/R"]
    assert [x for x in (*LETTERS, None) if is_responsible(x)] == ["R", "A/R"]


def test_consent_is_heard_but_neither_accountable_nor_responsible() -> None:
    assert CONSENT == "S"
    assert CONSENT in HEARD
    assert "I" not in HEARD  # informing is not consulting
    assert not is_accountable(CONSENT)
    assert not is_responsible(CONSENT)
    assert AT_LEAST["C"] == {"C", "S", "R", "A", "A/R"}
    assert AT_LEAST["R"] == {"R", "A/R"}


@given(st.lists(st.one_of(st.text(max_size=8), st.integers(0, 99)), max_size=5))
@settings(max_examples=100, deadline=None)
def test_pointers_escape_and_split_back(parts: list[str | int]) -> None:
    text = pointer(parts)
    tokens = text.split("/")[1:] if text else []
    assert [t.replace("~1", "/").replace("~0", "~") for t in tokens] == [str(p) for p in parts]


def test_msgspec_paths_become_pointers() -> None:
    at = problem_of(
        msgspec.ValidationError("Expected `int`, got `float` - at `$.roles[2].capacity`")
    )
    assert at == Problem("/roles/2/capacity", "Expected `int`, got `float`")
    assert problem_of(msgspec.ValidationError("Expected `object`, got `array`")).pointer == ""


class Strict(msgspec.Struct, forbid_unknown_fields=True):
    levels: dict[str, int] = {}
    ids: dict[int, int] = {}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({"levels": {"a/b": "high"}}, "/levels"),  # a mapping's value: msgspec names no key
        ({"ids": {"x": 1}}, "/ids"),  # a mapping's key that does not convert
        ({"colour": "red"}, "/colour"),  # an unknown field: at the field
        ({"levels": []}, "/levels"),
    ],
)
def test_real_msgspec_errors_point_at_the_field(raw: object, expected: str) -> None:
    with pytest.raises(msgspec.ValidationError) as error:
        msgspec.convert(raw, Strict, strict=False)
    assert problem_of(error.value).pointer == expected
