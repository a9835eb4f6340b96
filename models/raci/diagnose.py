"""Why a scenario is infeasible, and the realistic ways to make it feasible, in sentences.

The RACI definitions (one A and at least one R per activity, one letter per cell) always
hold. Everything else is an *item* (:class:`models.raci.milp.Item`) that may be given up: the
scenario's own rules, the works-council rules, the variant's structure rules (the
requirements and prohibitions of :class:`models.raci.objective.Instance`) and each role's
capacity. A diagnosis has three parts.

1. **The conflict** — an irreducible infeasible set of items: they cannot all hold, yet
   without any one of them the rest can. A deletion filter finds it (Chinneck): drop a chunk
   of items, keep it dropped if the strict rules without it are still infeasible, halve the
   chunks until single items are tried (:class:`models.raci.milp.ConflictModel`, one HiGHS
   model whose rows are switched off and on). Items are tried for dropping in the order
   capacities, structure and works-council rules, the scenario's rules, so that where
   several conflicts exist the one named is in the client's own words where possible.
   HiGHS's own IIS (``Highs.getIis``) is not used: it analyses the LP relaxation, and many
   of these conflicts are integral (an activity's R that fits no single role's capacity).
2. **Fixes**, cheapest first — the weighted elastic model
   (:class:`models.raci.milp.ElasticModel`) finds the cheapest set of relaxations by the
   table below; a cut then excludes that set (and its supersets) and the model is solved
   again, up to :data:`MAX_FIXES` different sets.
3. **Each fix checked** — the strict model is solved again with the fix applied (rules
   dropped, capacities raised by the rounded amount), and the fix carries the status, the
   matrix and the objective it leads to.

Costs (one point: revisiting one of the scenario's own rules)
-------------------------------------------------------------
=======================================  ==========  ==============================================
relaxation                               cost        why
=======================================  ==========  ==============================================
drop a rule of the scenario              1           the client's own choice: of all rules the one
                                                     to revisit first
raise a role's capacity                  0.2 + d·c   asking a budget holder for days is a
                                                     conversation, cheaper than changing the
                                                     client's mind; then d extra person-days per
                                                     month at c by the role's kind (below)
drop a structure rule of the variant     100         it defines the governance model: without it
                                                     the matrix is not that model any more
drop a works-council rule                200         co-determination is law (§87(1) BetrVG); a
                                                     measure introduced without the council can be
                                                     stopped by the labour court
=======================================  ==========  ==============================================

Per extra person-day per month (``c``, :data:`PER_DAY`): 0.1 for the hub, marketing,
communications, business units and an agency — social-media work is their job, and days can
be staffed or bought (ten such days a month, half a position, weigh as much as one of the
client's rules); 0.25 for IT, HR, customer service, employees and other roles — their days
come out of another mandate; 1 for the executive board and Legal — scarce and expensive, not
a spare pair of hands: one of their days a month weighs as much as a rule; 3 for the works
council — its members are elected employees with statutory release time (§§37, 38 BetrVG),
not the company's to assign, and work handed to the council makes the counterpart of a
works agreement its author. A small raise of Legal (half a day) is cheaper than dropping the
client's rule; a large one is not.

Capacities, efforts and amounts are in person-days per month (:class:`Role`); a capacity is
raised in steps of 0.1 rounded up, so the suggestion is really enough.

Time budget
-----------
The whole diagnosis keeps to ``budget`` seconds (by default ``options.time_limit``;
:func:`models.raci.solve.solve` passes what its own solve left). The conflict search may use a
third of it; each later solve (elastic model, check) at most half of what is left. The summary
says when the budget cut the search: a conflict not proven irreducible, a cheapest fix not
proven cheapest, fewer fixes than could exist.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Mapping, Sequence
from typing import Literal

import msgspec

from models.core import ACCOUNTABLE
from models.messages import count, join, model, say
from models.raci.milp import (
    ConflictModel,
    ElasticModel,
    ElasticOutcome,
    Item,
    Prices,
    item_name,
    solve_from,
)
from models.raci.objective import Instance, evaluate_instance, indices, matrix_of, violations
from models.raci.types import (
    Conflict,
    Diagnosis,
    Fix,
    Relaxation,
    RoleKind,
    SolveOptions,
)

RuleKind = Literal["scenario", "structure", "works_council"]

MAX_FIXES = 3
#: cost of dropping one rule, by who made it (see the module docstring)
RULE_COST: Mapping[RuleKind, float] = {"scenario": 1.0, "structure": 100.0, "works_council": 200.0}
#: cost of raising a role's capacity at all
RAISE_COST = 0.2
#: cost per extra person-day per month, by role kind (see the module docstring)
PER_DAY: Mapping[RoleKind, float] = {
    "hub": 0.1,
    "marketing": 0.1,
    "communications": 0.1,
    "business_unit": 0.1,
    "agency": 0.1,
    "it": 0.25,
    "hr": 0.25,
    "customer_service": 0.25,
    "employees": 0.25,
    "other": 0.25,
    "executive": 1.0,
    "legal": 1.0,
    "works_council": 3.0,
}
SCENARIO_RULES = ("involved[", "not_accountable[", "fixed[")
WORKS_COUNCIL_RULES = ("consent[",)
CONFLICT_SHARE = 1 / 3
MIN_SECONDS = 0.01  # a solve with less time left is not started
LISTED = 6  # rules a conflict message quotes before "and n more"


def rule_kind(name: str) -> RuleKind:
    """Who made a rule, read from its constraint name (see ``compile_instance``)."""
    if name.startswith(SCENARIO_RULES):
        return "scenario"
    if name.startswith(WORKS_COUNCIL_RULES):
        return "works_council"
    return "structure"


def prices(instance: Instance) -> Prices:
    """The cost table of the module docstring for each item of ``instance``."""
    return Prices(
        requirements=tuple(RULE_COST[rule_kind(r.name)] for r in instance.requirements),
        prohibitions=tuple(RULE_COST[rule_kind(p.name)] for p in instance.prohibitions),
        raise_role=tuple(RAISE_COST for _ in instance.roles),
        per_unit=tuple(PER_DAY[role.kind] for role in instance.roles),
    )


class _Clock:
    def __init__(self, budget: float) -> None:
        self.start = time.perf_counter()
        self.end = self.start + budget

    def left(self, until: float | None = None) -> float:
        return (self.end if until is None else min(until, self.end)) - time.perf_counter()


def _round_up(value: float) -> float:
    """Round up to 0.1 so that the suggested capacity is really enough."""
    return math.ceil(value * 10 - 1e-6) / 10


def days(value: float) -> str:
    """A capacity in words: "1 person-day per month", "2.5 person-days per month"."""
    return say("diagnose.days.one" if value == 1 else "diagnose.days", value=float(value))


# --------------------------------------------------------------------------- the conflict


def _sentence(instance: Instance, item: Item) -> str:
    if item.kind == "requirement":
        return instance.requirements[item.index].sentence
    if item.kind == "prohibition":
        return instance.prohibitions[item.index].sentence
    role = instance.roles[item.index]
    return say("diagnose.capacity-is", role=role.name, days=days(role.capacity))


def _search_order(instance: Instance, found: Sequence[Item]) -> list[Item]:
    """Capacities, then structure and works-council rules, then the scenario's rules."""

    def rank(item: Item) -> int:
        if item.kind == "capacity":
            return 0
        return 2 if rule_kind(item_name(instance, item)) == "scenario" else 1

    return sorted(found, key=lambda item: (rank(item), item))


def _irreducible(
    model: ConflictModel, order: list[Item], clock: _Clock, until: float
) -> tuple[list[Item], bool]:
    """The deletion filter of the module docstring; False when the time ran out first."""
    kept = list(order)
    size = max(1, len(kept) // 2)
    while True:
        exact = True
        start = 0
        while start < len(kept):
            left = clock.left(until)
            if left < MIN_SECONDS:
                return kept, False
            trial = kept[:start] + kept[start + size :]
            verdict = model.infeasible(trial, left)
            if verdict:
                kept = trial
            else:
                exact = exact and verdict is not None
                start += size
        if size == 1:
            return kept, exact
        size = max(1, size // 2)


def _accountable_for(instance: Instance, item: Item) -> int | None:
    """The activity whose accountable a requirement names, else None."""
    if item.kind != "requirement":
        return None
    rule = instance.requirements[item.index]
    return rule.activity if set(rule.letters) <= set(indices(ACCOUNTABLE)) else None


def _conflict_message(instance: Instance, kept: Sequence[Item], exact: bool) -> str:
    rules = [_sentence(instance, i) for i in kept if i.kind != "capacity"]
    roles = [instance.roles[i.index] for i in kept if i.kind == "capacity"]
    quoted = [f"'{s}'" for s in rules[:LISTED]]
    if len(rules) > LISTED:
        quoted.append(say("diagnose.more", count=len(rules) - LISTED))
    if not kept:
        return say("diagnose.nothing-holds")
    capacities = [f"{role.name} ({days(role.capacity)})" for role in roles]
    if not exact:
        listed = join([*quoted, *(say("diagnose.the-capacity-of", role=c) for c in capacities)])
        return say("diagnose.not-minimal", listed=listed)
    accountable = [_accountable_for(instance, i) for i in kept]
    if len(kept) == 2 and accountable[0] is not None and accountable[0] == accountable[1]:
        name = instance.activities[accountable[0]].name
        return say("diagnose.two-accountables", activity=name, first=quoted[0], second=quoted[1])
    noun = say("diagnose.capacity" if len(roles) == 1 else "diagnose.capacities")
    if not rules:
        short = "diagnose.capacity-short" if len(roles) == 1 else "diagnose.capacities-short"
        return say(short, noun=noun, capacities=join(capacities))
    if not roles:
        if len(rules) == 1:
            return say("diagnose.one-rule", rule=quoted[0])
        advice = say("diagnose.keep-one" if len(rules) == 2 else "diagnose.one-has-to-give")
        return say("diagnose.rules-contradict", count=len(rules), rules=join(quoted), advice=advice)
    both = "diagnose.rules-and-capacity" if len(roles) == 1 else "diagnose.rules-and-capacities"
    return say(both, rules=join(quoted), noun=noun, capacities=join(capacities))


def _conflict(instance: Instance, options: SolveOptions, clock: _Clock) -> Conflict | None:
    until = clock.start + CONFLICT_SHARE * (clock.end - clock.start)
    if clock.left(until) < MIN_SECONDS:
        return None
    model = ConflictModel(instance, options)
    kept, exact = _irreducible(model, _search_order(instance, model.items), clock, until)
    kept.sort(key=lambda item: (item.kind == "capacity", item))  # rules first, as read out
    return Conflict(
        message=_conflict_message(instance, kept, exact),
        rules=tuple(_sentence(instance, item) for item in kept),
        constraints=tuple(item_name(instance, item) for item in kept),
        irreducible=exact,
    )


# --------------------------------------------------------------------------- the fixes


def _relaxations(
    instance: Instance, found: ElasticOutcome, price: Prices
) -> list[tuple[Item, Relaxation]]:
    relaxations = []
    for item in found.relaxed:
        name = item_name(instance, item)
        if item.kind != "capacity":
            kind = rule_kind(name)
            sentence = _sentence(instance, item)
            message = say(f"diagnose.drop.{kind}", rule=sentence, variant=model(instance.variant))
            relaxations.append((item, Relaxation(name, 1.0, message, RULE_COST[kind])))
            continue
        extra = found.extra_capacity.get(item.index, 0.0)
        if extra <= 0.0:  # a raise of (numerically) nothing: the capacity was not in the way
            continue
        role = instance.roles[item.index]
        amount = _round_up(extra)
        cost = price.raise_role[item.index] + price.per_unit[item.index] * amount
        message = say(
            "diagnose.raise",
            role=role.name,
            before=float(role.capacity),
            days=days(role.capacity + amount),
        )
        relaxations.append((item, Relaxation(name, amount, message, round(cost, 6))))
    return relaxations


def apply(instance: Instance, relaxations: Sequence[tuple[Item, Relaxation]]) -> Instance:
    """``instance`` with the relaxations applied: rules left out, capacities raised."""
    dropped = {item for item, _ in relaxations if item.kind != "capacity"}
    raised = {item.index: r.amount for item, r in relaxations if item.kind == "capacity"}
    roles = tuple(
        msgspec.structs.replace(role, capacity=role.capacity + raised[r]) if r in raised else role
        for r, role in enumerate(instance.roles)
    )
    return dataclasses.replace(
        instance,
        roles=roles,
        capacity=instance.capacity + [raised.get(r, 0.0) for r in range(len(roles))],
        requirements=tuple(
            rule
            for i, rule in enumerate(instance.requirements)
            if Item("requirement", i) not in dropped
        ),
        prohibitions=tuple(
            ban
            for j, ban in enumerate(instance.prohibitions)
            if Item("prohibition", j) not in dropped
        ),
    )


def _check(
    instance: Instance,
    found: ElasticOutcome,
    relaxations: Sequence[tuple[Item, Relaxation]],
    options: SolveOptions,
    time_limit: float,
) -> Fix:
    """Solve the strict model with the fix applied, from the elastic model's matrix (which
    meets every rule left, within the raised capacities): the fix and what it leads to."""
    relaxed = apply(instance, relaxations)
    quick = msgspec.structs.replace(options, explain=False, time_limit=time_limit)
    assert found.outcome.chosen is not None
    outcome = solve_from(relaxed, quick, found.outcome.chosen)
    fix = Fix(
        relaxations=tuple(r for _, r in relaxations),
        cost=round(sum(r.cost for _, r in relaxations), 6),
        status=outcome.status,
        message=outcome.message,
    )
    if outcome.chosen is None:
        return fix
    matrix = matrix_of(relaxed, outcome.chosen)
    broken = violations(relaxed, matrix)
    if broken:  # a solver tolerance let a rule slip: never hand out such a matrix
        message = "the solver's matrix breaks a hard rule: " + "; ".join(broken)
        return msgspec.structs.replace(fix, status="error", message=message)
    objective, workload = evaluate_instance(relaxed, matrix)
    return msgspec.structs.replace(
        fix,
        objective=objective,
        matrix=matrix,
        workload={role: work.rounded() for role, work in workload.items()},
    )


def _fixes(instance: Instance, options: SolveOptions, clock: _Clock) -> tuple[list[Fix], list[str]]:
    """Up to :data:`MAX_FIXES` checked fixes, cheapest first, and notes on how the search ended."""
    price = prices(instance)
    model = ElasticModel(instance, price, options)
    fixes: list[Fix] = []
    unproven: list[Fix] = []  # found when the time limit stopped the elastic model
    notes: list[str] = []

    def budget_ended() -> str:
        return say(
            "diagnose.budget-ended", seconds=clock.end - clock.start, fixes=count(len(fixes), "fix")
        )

    while len(fixes) < MAX_FIXES:
        if clock.left() < 2 * MIN_SECONDS:
            notes.append(budget_ended())
            break
        limit = clock.left() / 2
        found = model.next(limit)
        if found.outcome.status == "infeasible":
            if fixes:
                notes.append(say("diagnose.no-other"))
            break
        if found.outcome.chosen is None:
            if found.outcome.seconds >= 0.9 * limit:  # the time limit, before any solution
                notes.append(budget_ended())
            else:
                notes.append(say("diagnose.search-stopped", why=found.outcome.message))
            break
        relaxations = _relaxations(instance, found, price)
        if not relaxations:
            notes.append(say("diagnose.nothing-to-relax"))
            break
        fix = _check(instance, found, relaxations, options, max(clock.left() / 2, MIN_SECONDS))
        fixes.append(fix)
        if found.outcome.status != "optimal":
            unproven.append(fix)
    fixes.sort(key=lambda fix: fix.cost)
    numbers = [str(k) for k, fix in enumerate(fixes, 1) if any(fix is u for u in unproven)]
    if numbers:
        which = "diagnose.unproven.one" if len(numbers) == 1 else "diagnose.unproven"
        notes.insert(0, say(which, numbers=join(numbers)))
    return fixes, notes


def diagnose(instance: Instance, options: SolveOptions, budget: float | None = None) -> Diagnosis:
    """The conflict and up to three checked fixes, cheapest first, of an infeasible instance.

    Parameters
    ----------
    instance
        A compiled instance whose strict model is infeasible.
    options
        The solver, and the time limit that is the default ``budget``.
    budget
        Seconds the whole diagnosis may take (see the module docstring for how it is shared).

    Returns
    -------
    Diagnosis
        ``relaxations`` are the cheapest fix's; ``summary`` names the conflict and says when
        the budget cut the search.
    """
    clock = _Clock(options.time_limit if budget is None else budget)
    conflict = _conflict(instance, options, clock)
    fixes, notes = _fixes(instance, options, clock)
    parts = [say("diagnose.infeasible")]
    if conflict is not None:
        parts.append(conflict.message)
    else:
        parts.append(say("diagnose.no-time"))
    if fixes:
        best = fixes[0]
        many = (
            say("diagnose.one-fix") if len(fixes) == 1 else say("diagnose.fixes", count=len(fixes))
        )
        parts.append(
            say(
                "diagnose.cheapest",
                count=many,
                cost=float(best.cost),
                relaxations=" ".join(r.message for r in best.relaxations),
            )
        )
    else:
        parts.append(say("diagnose.no-fix"))
    parts += notes
    return Diagnosis(
        summary=" ".join(parts),
        relaxations=fixes[0].relaxations if fixes else (),
        conflict=conflict,
        fixes=tuple(fixes),
    )
