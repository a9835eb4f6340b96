"""Decode discussion files (JSON or YAML) into :class:`~.types.Discussion` and check them.

Decoding runs in three steps, each reporting problems as JSON pointers:

1. parse the bytes and reject every NaN or infinity (YAML allows ``.nan`` and ``.inf``);
2. convert into the typed structs (msgspec checks types and ``Meta`` ranges; it stops at
   the first problem);
3. :func:`check` the cross-field rules and report *every* problem at once.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator
from typing import Any, Literal

import msgspec

from models.core import escape, problem_of
from models.errors import InvalidInput, Problem

from .types import Discussion, MultiIssueFriedkinJohnsen, Square

# Row sums of an explicit influence matrix may be off by rounding in a hand-written file.
ROW_SUM_TOLERANCE = 1e-6


def _non_finite(value: Any, pointer: str = "") -> Iterator[Problem]:
    if isinstance(value, float) and not math.isfinite(value):
        yield Problem(pointer, f"must be a finite number, got {value}")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _non_finite(item, f"{pointer}/{escape(str(key))}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _non_finite(item, f"{pointer}/{index}")


def decode_discussion(data: bytes, fmt: Literal["json", "yaml"]) -> Discussion:
    """Decode and check a discussion file.

    Raises:
        InvalidInput: naming each offending field as a JSON pointer.
    """
    try:
        raw = msgspec.json.decode(data) if fmt == "json" else msgspec.yaml.decode(data)
    except msgspec.DecodeError as exc:
        raise InvalidInput([_syntax_problem(data, fmt, exc)]) from exc
    problems = list(_non_finite(raw))
    if problems:
        raise InvalidInput(problems)
    try:
        discussion = msgspec.convert(raw, Discussion)
    except msgspec.ValidationError as exc:
        raise InvalidInput([problem_of(exc)]) from exc
    check(discussion)
    return discussion


def _syntax_problem(data: bytes, fmt: Literal["json", "yaml"], exc: Exception) -> Problem:
    """A parse error, at the field when the typed decoder can name it (the untyped parse only
    knows positions such as ``$[...][0]``; JSON's 1e999, an overflow, is such a case)."""
    if fmt == "json":
        try:
            msgspec.json.decode(data, type=Discussion)
        except msgspec.MsgspecError as typed:
            located = problem_of(typed)
            if located.pointer:
                return located
    return Problem("", f"not valid {fmt.upper()}: {exc}")


def check(discussion: Discussion) -> None:
    """Check the cross-field rules of a decoded discussion; raise one error listing them all.

    Rules: a non-empty group with unique ids; unique issues; as many positions as issues;
    numbers finite and in range (also for structs built in Python, which skip ``Meta``);
    a weighted or qualified vote has some positive weight;
    every edge, veto and exclusion names a known stakeholder; an explicit influence matrix is
    n × n, non-negative, with rows summing to 1; a coupling matrix is m × m with absolute row
    sums at most 1; the proposal names a known issue.

    Raises:
        InvalidInput: every problem found.
    """
    problems = list(_problems(discussion))
    if problems:
        raise InvalidInput(problems)


def _problems(d: Discussion) -> Iterator[Problem]:
    ids = [s.id for s in d.stakeholders]
    known = set(ids)
    if not d.stakeholders:
        yield Problem("/stakeholders", "the group is empty: at least one stakeholder is needed")
    yield from _duplicates(ids, "/stakeholders/{}/id")
    yield from _duplicates(list(d.issues), "/issues/{}")
    for k, s in enumerate(d.stakeholders):
        at = f"/stakeholders/{k}"
        if len(s.positions) != len(d.issues):
            yield Problem(
                f"{at}/positions",
                f"{len(s.positions)} positions given for {len(d.issues)} issues",
            )
        for p, value in enumerate(s.positions):
            yield from _in_range(value, f"{at}/positions/{p}", 0.0, 1.0)
        yield from _in_range(s.susceptibility, f"{at}/susceptibility", 0.0, 1.0)
        yield from _in_range(s.weight, f"{at}/weight", 0.0, math.inf)
        yield from _in_range(s.cost, f"{at}/cost", 0.0, math.inf)
    net = d.network
    edges = (
        [
            (f"/network/reporting/{k}", e.member, e.manager, "member", "manager")
            for k, e in enumerate(net.reporting)
        ]
        + [
            (f"/network/collaboration/{k}", e.a, e.b, "a", "b")
            for k, e in enumerate(net.collaboration)
        ]
        + [
            (f"/network/trust/{k}", e.truster, e.trusted, "truster", "trusted")
            for k, e in enumerate(net.trust)
        ]
    )
    for at, one, other, one_field, other_field in edges:
        for end, name in ((one, one_field), (other, other_field)):
            if end not in known:
                yield Problem(f"{at}/{name}", f"unknown stakeholder {end!r}")
        if one == other:
            yield Problem(at, f"an edge from {one!r} to itself")
    if net.influence is not None:
        yield from _influence(net.influence, len(ids))
    if isinstance(d.model, MultiIssueFriedkinJohnsen) and d.model.coupling is not None:
        yield from _coupling(d.model.coupling, len(d.issues))
    if d.proposal is not None and d.proposal.issue not in d.issues:
        yield Problem(
            "/proposal/issue", f"unknown issue {d.proposal.issue!r}; issues: {list(d.issues)}"
        )
    rule = d.proposal.rule if d.proposal is not None else "majority"
    if rule != "majority" and d.stakeholders and not any(s.weight > 0.0 for s in d.stakeholders):
        yield Problem(
            "/stakeholders",
            f"every weight is 0, so the {rule} vote cannot be counted: "
            "give some stakeholder a positive weight",
        )
    for k, excluded in enumerate(d.intervention.exclude):
        if excluded not in known:
            yield Problem(f"/intervention/exclude/{k}", f"unknown stakeholder {excluded!r}")


def _duplicates(values: list[str], pointer: str) -> Iterator[Problem]:
    counts = Counter(values)
    seen: set[str] = set()
    for k, value in enumerate(values):
        if counts[value] > 1 and value in seen:
            yield Problem(pointer.format(k), f"duplicate {value!r}")
        seen.add(value)


def _in_range(value: float, pointer: str, low: float, high: float) -> Iterator[Problem]:
    if not math.isfinite(value):
        yield Problem(pointer, f"must be a finite number, got {value}")
    elif not low <= value <= high:
        bound = f"[{low:g}, {high:g}]" if math.isfinite(high) else f"≥ {low:g}"
        yield Problem(pointer, f"must be {bound}, got {value:g}")


def _square(matrix: Square, size: int, pointer: str, what: str) -> Iterator[Problem]:
    if len(matrix) != size or any(len(row) != size for row in matrix):
        shape = f"{len(matrix)} rows of lengths {sorted({len(r) for r in matrix})}"
        yield Problem(pointer, f"the {what} must be {size} × {size}, got {shape}")


def _influence(matrix: Square, n: int) -> Iterator[Problem]:
    shape = list(_square(matrix, n, "/network/influence", "influence matrix (stakeholders)"))
    yield from shape
    if shape:
        return
    for i, row in enumerate(matrix):
        for j, value in enumerate(row):
            yield from _in_range(value, f"/network/influence/{i}/{j}", 0.0, 1.0)
        if all(map(math.isfinite, row)) and abs(sum(row) - 1.0) > ROW_SUM_TOLERANCE:
            yield Problem(
                f"/network/influence/{i}",
                f"the row must sum to 1 (row-stochastic), got {sum(row):g}",
            )


def _coupling(matrix: Square, m: int) -> Iterator[Problem]:
    shape = list(_square(matrix, m, "/model/coupling", "coupling matrix (issues)"))
    yield from shape
    if shape:
        return
    for p, row in enumerate(matrix):
        for q, value in enumerate(row):
            yield from _in_range(value, f"/model/coupling/{p}/{q}", -1.0, 1.0)
        total = sum(abs(v) for v in row)
        if math.isfinite(total) and total > 1.0 + ROW_SUM_TOLERANCE:
            yield Problem(
                f"/model/coupling/{p}",
                f"absolute values must sum to at most 1 (positions stay in [0, 1]), got {total:g}",
            )
