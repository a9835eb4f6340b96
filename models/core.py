"""The primitives every package of the domain shares: field types, RACI letters, JSON pointers.

It sits below :mod:`models.raci`, :mod:`models.discussion` and :mod:`models.governance` and
imports only msgspec, the standard library and :mod:`models.errors`.

Field types
    :data:`Id`, :data:`Name`, :data:`Fraction` and :data:`NonNegative`: annotated types whose
    ``Meta`` constraints msgspec checks on decode.
Letters
    :data:`Letter` and what each letter means (:data:`MEANING`); a RACI :data:`Matrix` maps
    activity id -> role id -> letter. ``A/R`` is both accountable and responsible; ``S`` is
    *consent* (sign-off): the role must agree before the measure is introduced, a veto like
    RAPID's "Agree" or RACI-VS's sign-off — how a works council's co-determination
    (§87(1) BetrVG) is drawn:

    ======  ===========  ===========  =======  =======  ========
    letter  accountable  responsible  working  heard    consents
    ======  ===========  ===========  =======  =======  ========
    R                    yes          yes      yes
    A       yes                       yes      yes
    C                                 yes      yes
    I
    A/R     yes          yes          yes      yes
    S                                 yes      yes      yes
    ======  ===========  ===========  =======  =======  ========

    An activity has exactly one accountable and at least one responsible role; *working*
    letters take part in the work (I is only told about it); a role is *heard* when its view
    shapes the outcome (at least consulted: informing is not consulting). A new letter is added to
    :data:`Letter` and :data:`MEANING`; the sets and predicates follow. The letter-indexed
    coefficients of the RACI objective (:mod:`models.raci.objective`) then need a value for it.
JSON pointers (RFC 6901)
    :func:`escape` escapes one reference token, :func:`pointer` joins a path of keys and
    indices, and :func:`problem_of` is the one reader of msgspec's errors: an error at msgspec's
    path ``$.roles[0].capacity`` becomes a :class:`~models.errors.Problem` at
    ``/roles/0/capacity``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Annotated, Literal, NamedTuple, TypeAlias, get_args

import msgspec
from msgspec import Meta

from models.errors import Problem

Id = Annotated[
    str,
    Meta(
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$",
        description="An identifier chosen by the user: letters, digits, '_', '.', '-'.",
        examples=["csmo"],
    ),
]
Name = Annotated[str, Meta(min_length=1, max_length=200)]
Fraction = Annotated[float, Meta(ge=0.0, le=1.0)]
NonNegative = Annotated[float, Meta(ge=0.0, le=1e6)]

Letter = Literal["R", "A", "C", "I", "A/R", "S"]
#: Every letter, in the order of the letter-indexed arrays (``objective.LETTER_INDEX``).
LETTERS: tuple[Letter, ...] = get_args(Letter)

# A matrix maps activity id -> role id -> letter; roles without a letter are left out.
Matrix: TypeAlias = dict[str, dict[str, Letter]]

#: A business unit's own row of an activity: "<activity id>@<unit id>" (``content@bu-life``).
UNIT_SEPARATOR = "@"


def unit_of(row_id: str) -> tuple[str, str | None]:
    """A matrix row id split into the activity id and the unit (None for a shared row).

    >>> unit_of("content@bu-life"), unit_of("strategy")
    (('content', 'bu-life'), ('strategy', None))
    """
    activity, _, unit = row_id.partition(UNIT_SEPARATOR)
    return activity, unit or None


class Meaning(NamedTuple):
    """What holding a letter on an activity makes a role (see the module docstring)."""

    accountable: bool
    responsible: bool
    working: bool
    heard: bool
    consents: bool = False


MEANING: Mapping[Letter, Meaning] = {
    "R": Meaning(accountable=False, responsible=True, working=True, heard=True),
    "A": Meaning(accountable=True, responsible=False, working=True, heard=True),
    "C": Meaning(accountable=False, responsible=False, working=True, heard=True),
    "I": Meaning(accountable=False, responsible=False, working=False, heard=False),
    "A/R": Meaning(accountable=True, responsible=True, working=True, heard=True),
    "S": Meaning(accountable=False, responsible=False, working=True, heard=True, consents=True),
}
ACCOUNTABLE: frozenset[Letter] = frozenset(x for x in LETTERS if MEANING[x].accountable)
RESPONSIBLE: frozenset[Letter] = frozenset(x for x in LETTERS if MEANING[x].responsible)
WORKING: frozenset[Letter] = frozenset(x for x in LETTERS if MEANING[x].working)
HEARD: frozenset[Letter] = frozenset(x for x in LETTERS if MEANING[x].heard)
CONSENT: Letter = "S"
#: The letters that meet "at least I / C / R" (an ``involved`` rule's ``at_least``).
AT_LEAST: Mapping[Literal["I", "C", "R"], frozenset[Letter]] = {
    "I": frozenset(LETTERS),
    "C": HEARD,
    "R": RESPONSIBLE,
}


def both(first: Letter | None, second: Letter | None) -> Letter | None:
    """The letter of one role wearing two hats: every meaning either letter has.

    >>> both("A", "R"), both("C", "S"), both("I", "C"), both(None, "I"), both(None, None)
    ('A/R', 'S', 'C', 'I', None)
    """
    held = [MEANING[x] for x in (first, second) if x is not None]
    if not held:
        return None
    accountable = any(m.accountable for m in held)
    responsible = any(m.responsible for m in held)
    if accountable:
        return "A/R" if responsible else "A"
    if responsible:
        return "R"
    if any(m.consents for m in held):
        return CONSENT
    return "C" if any(m.heard for m in held) else "I"


def unaccountable(letter: Letter | None) -> Letter | None:
    """``letter`` without its accountability: the work stays, the decision goes.

    >>> unaccountable("A/R"), unaccountable("A"), unaccountable("R"), unaccountable(None)
    ('R', 'C', 'R', None)
    """
    relieved: Mapping[Letter, Letter] = {"A/R": "R", "A": "C"}
    return None if letter is None else relieved.get(letter, letter)


def is_accountable(letter: Letter | None) -> bool:
    """Whether ``letter`` makes its role accountable (``None``, no letter, does not)."""
    return letter in ACCOUNTABLE


def is_responsible(letter: Letter | None) -> bool:
    """Whether ``letter`` makes its role responsible (``None``, no letter, does not)."""
    return letter in RESPONSIBLE


def escape(token: str) -> str:
    """One JSON-pointer reference token (RFC 6901: ``~`` -> ``~0``, ``/`` -> ``~1``)."""
    return token.replace("~", "~0").replace("/", "~1")


def pointer(path: Iterable[str | int]) -> str:
    """The JSON pointer of a path of keys and indices (``""``, the whole document, if empty).

    >>> pointer(("roles", 2, "a/b"))
    '/roles/2/a~1b'
    """
    return "".join(f"/{escape(str(token))}" for token in path)


_PATH = re.compile(r"^(?P<message>.*?)(?: - at `(?:key` in `)?(?P<path>\$[^`]*)`)?$", re.S)
_STEP = re.compile(r"\.([^.\[]+)|\[(\d+|\.\.\.)\]")
_UNKNOWN_FIELD = re.compile(r"unknown field `([^`]+)`")


def problem_of(error: msgspec.MsgspecError) -> Problem:
    """The problem a msgspec error describes, its ``$.a[0].b`` path as the pointer ``/a/0/b``.

    A mapping key msgspec does not name (``[...]``, also in ``key` in `…``) points at the
    mapping; an unknown field at the field itself; an error without a path at the document.

    Examples
    --------
    >>> problem_of(msgspec.ValidationError("Expected `float` >= 0.0 - at `$.roles[0].capacity`"))
    Problem(pointer='/roles/0/capacity', message='Expected `float` >= 0.0')
    >>> problem_of(msgspec.ValidationError("Object contains unknown field `colour`"))
    Problem(pointer='/colour', message='Object contains unknown field `colour`')
    """
    match = _PATH.match(str(error))
    assert match is not None  # the pattern matches any string
    message, path = match["message"], match["path"] or "$"
    # "[...]" stands for a mapping key msgspec does not name: point at the mapping.
    steps = [name or index for name, index in _STEP.findall(path[1:]) if index != "..."]
    unknown = _UNKNOWN_FIELD.search(message)
    if unknown:
        steps.append(unknown[1])
    return Problem(pointer(steps), " ".join(message.split()))
