"""What if…? A scenario, a list of edits, and what they change: cells, terms, criteria and the
recommendation.

:func:`apply` applies the edits in order (:data:`~models.governance.types.Edit`: a weight, a
capacity, a role added or removed or made optional, who leads, a rule added or dropped, a
current matrix to stay close to) and says what each did; an edit naming an unknown role or rule
is refused with its pointer (``/edits/<i>/…``), so nothing is solved on a typo. Removing a role
removes the rules that name it and its column of the current matrix, and frees those who
reported to it (each said).

:func:`what_if` solves every model asked for before and after, and answers per model the
cells that flip (:class:`~models.governance.types.CellFlip`), the objective and the criteria of
:mod:`models.governance.recommend` before and after; with all five models, the recommendation
before and after and whether it changes. Without edits nothing changes (a property test).
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import msgspec

from models.core import Matrix
from models.discussion.types import Discussion
from models.errors import InvalidInput
from models.governance.recommend import DRAWS, acceptance, criteria, recommend, score
from models.governance.types import (
    AddRole,
    AddRule,
    CellFlip,
    DropRule,
    Edit,
    Lead,
    MakeOptional,
    ModelChange,
    RemoveRole,
    SetCapacity,
    SetWeight,
    StayClose,
    WhatIf,
)
from models.labels import label
from models.messages import current as lang
from models.messages import model, number, say
from models.raci.diff import changes
from models.raci.solve import solve_all
from models.raci.types import (
    VARIANTS,
    Scenario,
    SolveOptions,
    SolveResult,
    Variant,
)


def _named(variant: Variant | None) -> str:
    """A recommended model in a sentence ("None" when there is none, as before)."""
    return str(variant) if variant is None else model(variant)


def _role_index(scenario: Scenario, role: str, at: str) -> int:
    for index, existing in enumerate(scenario.roles):
        if existing.id == role:
            return index
    raise InvalidInput.single(at, f"unknown role '{role}'")


def _apply_one(scenario: Scenario, edit: Edit, at: str) -> tuple[Scenario, str]:
    """One edit applied, and what it did in words."""
    replace = msgspec.structs.replace
    if isinstance(edit, SetWeight):
        before = getattr(scenario.weights, edit.term)
        weights = replace(scenario.weights, **{edit.term: edit.value})
        said = say(
            "whatif.weight",
            term=label(f"term.{edit.term}", lang()),
            before=float(before),
            after=float(edit.value),
        )
        return replace(scenario, weights=weights), said
    if isinstance(edit, SetCapacity):
        index = _role_index(scenario, edit.role, f"{at}/role")
        roles = list(scenario.roles)
        before = roles[index].capacity
        roles[index] = replace(roles[index], capacity=edit.value)
        said = say(
            "whatif.capacity",
            role=roles[index].name,
            before=float(before),
            after=float(edit.value),
        )
        return replace(scenario, roles=tuple(roles)), said
    if isinstance(edit, AddRole):
        if any(role.id == edit.role.id for role in scenario.roles):
            raise InvalidInput.single(f"{at}/role/id", f"role '{edit.role.id}' exists already")
        said = say("whatif.added-role", role=edit.role.name)
        return replace(scenario, roles=(*scenario.roles, edit.role)), said
    if isinstance(edit, RemoveRole):
        index = _role_index(scenario, edit.role, f"{at}/role")
        gone = scenario.roles[index]
        kept = tuple(
            replace(role, reports_to=None) if role.reports_to == gone.id else role
            for i, role in enumerate(scenario.roles)
            if i != index
        )
        rules = tuple(rule for rule in scenario.rules if rule.role != gone.id)
        current = (
            None
            if scenario.current is None
            else {
                row: {r: x for r, x in letters.items() if r != gone.id}
                for row, letters in scenario.current.items()
            }
        )
        said = say("whatif.removed-role", role=gone.name)
        if len(rules) < len(scenario.rules):
            said += say("whatif.removed-rules", count=len(scenario.rules) - len(rules))
        freed = [role.name for role in scenario.roles if role.reports_to == gone.id]
        if freed:
            said += say("whatif.freed", roles=", ".join(freed))
        lead = None if scenario.lead == gone.id else scenario.lead
        changed = replace(scenario, roles=kept, rules=rules, current=current, lead=lead)
        return changed, said
    if isinstance(edit, MakeOptional):
        index = _role_index(scenario, edit.role, f"{at}/role")
        roles = list(scenario.roles)
        roles[index] = replace(roles[index], optional=edit.staffing)
        sizes = ", ".join(number(c, "g") for c in edit.staffing.capacities)
        said = say("whatif.optional", role=roles[index].name, sizes=sizes)
        return replace(scenario, roles=tuple(roles)), said
    if isinstance(edit, Lead):
        if edit.role is not None:
            _role_index(scenario, edit.role, f"{at}/role")
        said = say("whatif.leads", role=edit.role) if edit.role else say("whatif.hub-leads")
        return replace(scenario, lead=edit.role), said
    if isinstance(edit, AddRule):
        return replace(scenario, rules=(*scenario.rules, edit.rule)), say("whatif.added-rule")
    if isinstance(edit, DropRule):
        if edit.index >= len(scenario.rules):
            raise InvalidInput.single(
                f"{at}/index", f"no rule {edit.index}: the scenario has {len(scenario.rules)}"
            )
        rules = tuple(r for i, r in enumerate(scenario.rules) if i != edit.index)
        return replace(scenario, rules=rules), say("whatif.dropped-rule", index=edit.index)
    assert isinstance(edit, StayClose)
    weights = replace(scenario.weights, change=edit.weight)
    said = say("whatif.stay-close", weight=float(edit.weight))
    return replace(scenario, current=edit.matrix, weights=weights), said


def apply(scenario: Scenario, edits: Sequence[Edit]) -> tuple[Scenario, tuple[str, ...]]:
    """``scenario`` with ``edits`` applied in order, and what each did.

    Raises
    ------
    InvalidInput
        An edit names an unknown role or rule, or adds a role that exists.
    """
    said = []
    for index, edit in enumerate(edits):
        scenario, sentence = _apply_one(scenario, edit, f"/edits/{index}")
        said.append(sentence)
    return scenario, tuple(said)


def flips(variant: Variant, before: Matrix, after: Matrix) -> tuple[CellFlip, ...]:
    """Every cell whose letter differs (:func:`models.raci.diff.changes`), under ``variant``."""
    return tuple(
        CellFlip(variant=variant, row=c.activity, role=c.role, before=c.before, after=c.after)
        for c in changes(before, after)
    )


def _change(
    scenario: Scenario, edited: Scenario, before: SolveResult, after: SolveResult
) -> ModelChange:
    was = None if before.objective is None else criteria(scenario, before)
    now = None if after.objective is None else criteria(edited, after)
    return ModelChange(
        variant=before.variant,
        status_before=before.status,
        status_after=after.status,
        objective_before=before.objective,
        objective_after=after.objective,
        criteria_before=was,
        criteria_after=now,
        score_before=None if was is None else score(was),
        score_after=None if now is None else score(now),
        flips=flips(before.variant, before.matrix, after.matrix),
    )


def what_if(
    scenario: Scenario,
    edits: Sequence[Edit],
    variants: Sequence[Variant] = VARIANTS,
    options: SolveOptions = SolveOptions(),  # noqa: B008 (frozen, so sharing it is safe)
    discussion: Discussion | None = None,
    draws: int = DRAWS,
    deadline: float | None = None,
) -> WhatIf:
    """What ``edits`` change for ``scenario`` (complete) under ``variants`` (see the module
    docstring); the recommendation before and after only when all five models are asked for.
    Within ``deadline`` (a ``time.monotonic()``, or ``options.time_limit`` from now): the
    solves before have 45 % of it, those after 45 % (and what the first left), the votes the
    rest.

    Raises
    ------
    InvalidInput
        An edit the scenario refuses (:func:`apply`), or an edited scenario that is invalid.
    """
    edited, said = apply(scenario, edits)
    options = msgspec.structs.replace(options, explain=False)
    started = time.monotonic()
    if deadline is None:
        deadline = started + options.time_limit
    budget = deadline - started
    before = solve_all(scenario, tuple(variants), options, started + 0.45 * budget)
    after = solve_all(edited, tuple(variants), options, started + 0.9 * budget)
    changes = tuple(_change(scenario, edited, b, a) for b, a in zip(before, after, strict=True))
    was = now = None
    if set(variants) == set(VARIANTS):
        # the votes depend on the discussion and the model, not on the matrix: taken once
        votes = (
            None
            if discussion is None
            else {v: acceptance(discussion, v, draws, scenario.id, deadline) for v in VARIANTS}
        )
        was = recommend(scenario, before, discussion, draws, deadline, votes).recommended
        now = recommend(edited, after, discussion, draws, deadline, votes).recommended
    moved = sum(len(change.flips) for change in changes)
    summary = say(
        "whatif.summary",
        edits="; ".join(said) or say("whatif.no-edit"),
        moved=moved,
        models=len(changes),
    )
    if set(variants) == set(VARIANTS):
        summary += (
            say("whatif.stays", now=_named(now))
            if was == now
            else say("whatif.changes", was=_named(was), now=_named(now))
        )
    return WhatIf(
        scenario=scenario.id,
        edits=said,
        models=changes,
        recommended_before=was,
        recommended_after=now,
        summary=say("whatif.end", summary=summary),
    )
