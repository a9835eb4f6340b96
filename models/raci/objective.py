"""The RACI objective and hard rules of one scenario under one governance variant.

:func:`compile_instance` turns a scenario and a variant into an :class:`Instance`: roles and
activities sorted by id, the per-cell cost of every letter, the load it causes, and the hard
rules as *requirements* ("one of these roles holds one of these letters on this activity")
and *prohibitions* ("this role holds none of these letters on this activity"). The MILP
(:mod:`models.raci.milp`) and :func:`evaluate` read the same instance, so the optimiser
minimises exactly what :func:`evaluate` reports.

The objective (lower is better), each term weighted by ``scenario.weights``
---------------------------------------------------------------------------
For activity *a*, role *r* and letter ℓ ∈ {R, A, C, I, A/R} (or none, ∅):

* **competence** — ``(1 − fit(r, a)) · κ_ℓ``, where ``fit`` is the mean level of *r* in the
  competences *a* requires (1 when it requires none) and κ = R 1.0, A 0.6, C 0.2, I 0,
  A/R 1.4: doing or owning work one is not competent for costs, being consulted hardly.
* **communication** — ``β_ℓ + δ_ℓ · min(d(r, o_a), 4) / 4``: a fan-out cost per C (0.3) and
  I (0.1), plus the hops *d* in the organisation graph (``reports_to``, undirected,
  networkx) between *r* and the variant's expected owner ``o_a`` of the activity, with
  δ = R 0.2, C 0.4, I 0.2, A and A/R 0. Unconnected roles count as 4 hops. ``o_a`` is fixed per
  activity (the template's A holder with the best fit, ties by id), which keeps the term linear.
* **alignment** — ``τ[t, ℓ]`` for the variant's template letter *t* of the cell (see
  :mod:`models.raci.variants`); missing a template C or I costs 0.4 or 0.2, an A where
  none is expected 1.0 (table :data:`ALIGNMENT`).
* **workload** — per role, the convex piecewise-linear penalty
  ``φ(u) = 0.2·min(u, .5) + 1.0·clip(u − .5, 0, .3) + 4.0·max(u − .8, 0)`` of its utilisation
  ``u = load / capacity``, where a letter ℓ on *a* loads ``effort(a) · λ_ℓ`` with λ = R 1.0,
  A 0.25, C 0.15, I 0.05, A/R 1.15. Every R does the work (effort is not split among several
  R: a second R is a second pair of hands, which costs). Convexity balances load against
  capacity without a max-min; the hard capacity rule is ``u ≤ 1``. A role with capacity 0
  counts as capacity 0.001 in :func:`evaluate` (a client's matrix may load it).

Hard rules
----------
Exactly one A (A or A/R) per activity, at least one R (R or A/R), one letter per cell, load ≤
capacity, the scenario's rules, the works council involved on codetermination activities
(``profile.works_council``), and the variant's structure.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import networkx as nx
import numpy as np
import numpy.typing as npt

from models.core import ACCOUNTABLE, LETTERS, RESPONSIBLE, Letter, Matrix, is_accountable
from models.raci.types import (
    Activity,
    FixedLetter,
    MustBeInvolved,
    MustNotBeAccountable,
    Objective,
    Role,
    Scenario,
    Variant,
    Workload,
)
from models.raci.variants import (
    STRUCTURE,
    kind_keys,
    members,
    org_graph,
    preferred_letter,
    template,
    umbrella,
)

FloatArray = npt.NDArray[np.float64]

#: Letter index order used by every array here: R, A, C, I, A/R (``models.core.LETTERS``).
LETTER_INDEX: Mapping[Letter, int] = {letter: i for i, letter in enumerate(LETTERS)}
NONE = len(LETTERS)  # the row/column of "no letter" in :data:`ALIGNMENT`

LOAD = np.array([1.0, 0.25, 0.15, 0.05, 1.15])
COMPETENCE = np.array([1.0, 0.6, 0.2, 0.0, 1.4])
FAN_OUT = np.array([0.0, 0.0, 0.3, 0.1, 0.0])
DISTANCE = np.array([0.2, 0.0, 0.4, 0.2, 0.0])
MAX_HOPS = 4
#: ALIGNMENT[t, ℓ]: cost of letter ℓ where the template wants t (index 5 = no letter).
ALIGNMENT = np.array(
    [
        # R    A    C    I    A/R  ∅      <- letter drawn; rows: template letter
        [0.0, 0.8, 0.3, 0.5, 0.3, 0.6],  # R
        [0.3, 0.0, 0.2, 0.3, 0.2, 0.4],  # A
        [0.3, 1.0, 0.0, 0.2, 1.0, 0.4],  # C
        [0.5, 1.0, 0.2, 0.0, 1.0, 0.2],  # I
        [0.2, 0.2, 0.4, 0.5, 0.0, 0.6],  # A/R
        [0.6, 1.0, 0.4, 0.2, 1.0, 0.0],  # ∅
    ]
)
#: Workload penalty φ: segment starts (in utilisation) and slopes; convex (slopes increase).
SEGMENT_STARTS = np.array([0.0, 0.5, 0.8])
SEGMENT_SLOPES = np.array([0.2, 1.0, 4.0])
ZERO_CAPACITY = 1e-3


@dataclass(frozen=True)
class Requirement:
    """One of ``roles`` (indices) holds one of ``letters`` (indices) on ``activity``."""

    name: str
    activity: int
    roles: tuple[int, ...]
    letters: tuple[int, ...]
    sentence: str


@dataclass(frozen=True)
class Prohibition:
    """``role`` holds none of ``letters`` on ``activity``."""

    name: str
    activity: int
    role: int
    letters: tuple[int, ...]
    sentence: str


@dataclass(frozen=True)
class Instance:
    """Everything the MILP and :func:`evaluate` need, indexed [activity, role, letter].

    ``cell_cost[a, r, ℓ, k]`` is the weighted term k (competence, communication, alignment)
    of letter ℓ in the cell; ``empty_cost[a, r]`` the weighted alignment of leaving it empty.
    """

    scenario: Scenario
    variant: Variant
    roles: tuple[Role, ...]
    activities: tuple[Activity, ...]
    capacity: FloatArray
    load: FloatArray
    cell_cost: FloatArray
    empty_cost: FloatArray
    template: tuple[tuple[Letter | None, ...], ...]
    owner: tuple[int, ...]
    requirements: tuple[Requirement, ...]
    prohibitions: tuple[Prohibition, ...]
    workload_weight: float

    @property
    def role_ids(self) -> tuple[str, ...]:
        return tuple(role.id for role in self.roles)

    @property
    def activity_ids(self) -> tuple[str, ...]:
        return tuple(activity.id for activity in self.activities)


def indices(letters: Iterable[Letter]) -> tuple[int, ...]:
    """The array indices of ``letters``, in the order of the letters' names."""
    return tuple(LETTER_INDEX[x] for x in sorted(letters))


def fit(role: Role, activity: Activity) -> float:
    """Mean competence level of ``role`` in what ``activity`` requires (1 if nothing)."""
    if not activity.competences:
        return 1.0
    return sum(role.competences.get(c, 0.0) for c in activity.competences) / len(
        activity.competences
    )


def overload(utilisation: FloatArray) -> FloatArray:
    """φ(u) per role: the convex piecewise-linear workload penalty (see module docstring)."""
    widths = np.append(np.diff(SEGMENT_STARTS), np.inf)
    filled = np.clip(utilisation[:, None] - SEGMENT_STARTS[None, :], 0.0, widths[None, :])
    return np.asarray(filled @ SEGMENT_SLOPES, dtype=np.float64)


def _hops(roles: Sequence[Role]) -> FloatArray:
    graph = org_graph(roles)
    index = {role.id: i for i, role in enumerate(roles)}
    hops = np.full((len(roles), len(roles)), float(MAX_HOPS))
    for source, lengths in nx.all_pairs_shortest_path_length(graph, cutoff=MAX_HOPS):
        for target, length in lengths.items():
            hops[index[source], index[target]] = length
    return hops


def _hard_rules(
    scenario: Scenario,
    variant: Variant,
    roles: tuple[Role, ...],
    activities: tuple[Activity, ...],
    umbrella_id: str | None,
) -> tuple[list[Requirement], list[Prohibition]]:
    role_of = {role.id: i for i, role in enumerate(roles)}
    activity_of = {activity.id: i for i, activity in enumerate(activities)}
    accountable = indices(ACCOUNTABLE)
    every = tuple(range(len(LETTERS)))
    requirements: list[Requirement] = []
    prohibitions: list[Prohibition] = []
    for rule in scenario.rules:
        r, a = role_of[rule.role], activity_of[rule.activity]
        who, what = roles[r].name, activities[a].name
        if isinstance(rule, MustBeInvolved):
            requirements.append(
                Requirement(
                    f"involved[{rule.role},{rule.activity}]",
                    a,
                    (r,),
                    every,
                    f"{who} must be involved in {what}",
                )
            )
        elif isinstance(rule, MustNotBeAccountable):
            prohibitions.append(
                Prohibition(
                    f"not_accountable[{rule.role},{rule.activity}]",
                    a,
                    r,
                    accountable,
                    f"{who} must not be accountable for {what}",
                )
            )
        else:
            assert isinstance(rule, FixedLetter)
            requirements.append(
                Requirement(
                    f"fixed[{rule.role},{rule.activity}]",
                    a,
                    (r,),
                    (LETTER_INDEX[rule.letter],),
                    f"{who} holds {rule.letter} on {what}",
                )
            )
    if scenario.profile.works_council:
        council = tuple(i for i, role in enumerate(roles) if role.kind == "works_council")
        for a, activity in enumerate(activities):
            if activity.codetermination and council:
                requirements.append(
                    Requirement(
                        f"works_council[{activity.id}]",
                        a,
                        council,
                        every,
                        f"the works council is involved in {activity.name}",
                    )
                )
    for shape in STRUCTURE[variant]:
        who_ids = members(shape.kinds, variant, roles, umbrella_id)
        if not who_ids:
            continue
        holders = tuple(role_of[x] for x in who_ids)
        letters = indices(shape.letters)
        for a, activity in enumerate(activities):
            if activity.category not in shape.categories:
                continue
            sentence = shape.says.format(activity=activity.name)
            if shape.require:
                requirements.append(
                    Requirement(f"{shape.name}[{activity.id}]", a, holders, letters, sentence)
                )
            else:
                prohibitions.extend(
                    Prohibition(
                        f"{shape.name}[{activity.id},{roles[r].id}]",
                        a,
                        r,
                        letters,
                        f"{roles[r].name}: {sentence}",
                    )
                    for r in holders
                )
    return requirements, prohibitions


def compile_instance(scenario: Scenario, variant: Variant) -> Instance:
    """Sort the scenario by ids and compute every coefficient of the objective and rules.

    The scenario must be valid (:func:`models.raci.validate.check`): rules name known ids.
    """
    roles = tuple(sorted(scenario.roles, key=lambda role: role.id))
    activities = tuple(sorted(scenario.activities, key=lambda activity: activity.id))
    weights = scenario.weights
    umbrella_id = umbrella(roles)
    rows = template(variant)
    letters: list[tuple[Letter | None, ...]] = []
    for activity in activities:
        row = rows.get(activity.category, {})
        letters.append(
            tuple(preferred_letter(row, kind_keys(variant, role, umbrella_id)) for role in roles)
        )
    preferred = np.array(
        [[NONE if t is None else LETTER_INDEX[t] for t in row] for row in letters], dtype=np.int64
    ).reshape(len(activities), len(roles))
    fits = np.array([[fit(role, activity) for role in roles] for activity in activities])
    fits = fits.reshape(len(activities), len(roles))
    owner = tuple(_owner(fits[a], letters[a]) for a in range(len(activities)))
    hops = _hops(roles)
    distance = hops[np.array(owner, dtype=np.int64)] / MAX_HOPS if roles else np.zeros((0, 0))
    distance = distance.reshape(len(activities), len(roles))

    competence = (1.0 - fits)[:, :, None] * COMPETENCE[None, None, :]
    communication = FAN_OUT[None, None, :] + distance[:, :, None] * DISTANCE[None, None, :]
    alignment = ALIGNMENT[preferred][:, :, : len(LETTERS)]
    cell_cost = np.stack(
        (
            weights.competence * competence,
            weights.communication * communication,
            weights.alignment * alignment,
        ),
        axis=-1,
    )
    empty_cost = weights.alignment * ALIGNMENT[preferred][:, :, NONE]
    effort = np.array([activity.effort for activity in activities], dtype=np.float64)
    load = effort[:, None, None] * LOAD[None, None, :] * np.ones((1, len(roles), 1))
    requirements, prohibitions = _hard_rules(scenario, variant, roles, activities, umbrella_id)
    return Instance(
        scenario=scenario,
        variant=variant,
        roles=roles,
        activities=activities,
        capacity=np.array([role.capacity for role in roles], dtype=np.float64),
        load=load,
        cell_cost=cell_cost,
        empty_cost=empty_cost,
        template=tuple(letters),
        owner=owner,
        requirements=tuple(requirements),
        prohibitions=tuple(prohibitions),
        workload_weight=weights.workload,
    )


def _owner(fits: FloatArray, letters: Sequence[Letter | None]) -> int:
    """The expected owner: a template A holder with the best fit (else the best fit overall)."""
    candidates = [r for r, t in enumerate(letters) if is_accountable(t)]
    pool = candidates or list(range(len(letters)))
    return min(pool, key=lambda r: (-fits[r], r))


def choices(instance: Instance, matrix: Matrix) -> npt.NDArray[np.int64]:
    """The matrix as letter indices [activity, role], ``NONE`` for an empty cell.

    Cells of unknown roles or activities are ignored (a client's matrix may carry extras).
    """
    chosen = np.full((len(instance.activities), len(instance.roles)), NONE, dtype=np.int64)
    role_of = {rid: r for r, rid in enumerate(instance.role_ids)}
    for a, aid in enumerate(instance.activity_ids):
        for rid, letter in matrix.get(aid, {}).items():
            if rid in role_of:
                chosen[a, role_of[rid]] = LETTER_INDEX[letter]
    return chosen


def loads(instance: Instance, chosen: npt.NDArray[np.int64]) -> FloatArray:
    """Load per role of a matrix given as letter indices."""
    padded = np.concatenate((instance.load, np.zeros((*instance.load.shape[:2], 1))), axis=2)
    picked = np.take_along_axis(padded, chosen[:, :, None], axis=2)[:, :, 0]
    return np.asarray(picked.sum(axis=0), dtype=np.float64)


def utilisation(instance: Instance, load: FloatArray) -> FloatArray:
    """load / capacity per role (capacity 0 counts as :data:`ZERO_CAPACITY`)."""
    return np.asarray(load / np.maximum(instance.capacity, ZERO_CAPACITY), dtype=np.float64)


def cell_terms(instance: Instance, chosen: npt.NDArray[np.int64]) -> FloatArray:
    """Weighted (competence, communication, alignment) per cell [activity, role, term]."""
    n_activities, n_roles = chosen.shape
    terms = np.zeros((n_activities, n_roles, 3))
    filled = chosen != NONE
    a_idx, r_idx = np.nonzero(filled)
    terms[a_idx, r_idx] = instance.cell_cost[a_idx, r_idx, chosen[a_idx, r_idx]]
    terms[~filled, 2] = instance.empty_cost[~filled]
    return terms


def evaluate(
    scenario: Scenario, variant: Variant, matrix: Matrix
) -> tuple[Objective, dict[str, Workload]]:
    """The objective of any matrix (the optimiser's or a client's) and each role's workload.

    Hard rules are not checked here (a client's matrix may break them); see
    :func:`violations`. Letters on roles or activities unknown to the scenario are ignored.

    Examples
    --------
    >>> from models.raci.types import Activity, Profile, Role, Scenario
    >>> s = Scenario(id="tiny", profile=Profile(name="T", headcount=10),
    ...     roles=(Role(id="hub", name="Hub", kind="hub", capacity=4.0),),
    ...     activities=(Activity(id="plan", name="Plan", category="strategy", effort=2.0),))
    >>> objective, work = evaluate(s, "central", {"plan": {"hub": "A/R"}})
    >>> round(work["hub"].utilisation, 3), round(objective.workload, 4)
    (0.575, 0.175)
    """
    return evaluate_instance(compile_instance(scenario, variant), matrix)


def evaluate_instance(instance: Instance, matrix: Matrix) -> tuple[Objective, dict[str, Workload]]:
    """:func:`evaluate` on an already compiled instance."""
    chosen = choices(instance, matrix)
    terms = cell_terms(instance, chosen).sum(axis=(0, 1))
    load = loads(instance, chosen)
    used = utilisation(instance, load)
    workload = instance.workload_weight * float(overload(used).sum())
    competence, communication, alignment = (float(x) for x in terms)
    objective = Objective(
        total=competence + workload + communication + alignment,
        competence=competence,
        workload=workload,
        communication=communication,
        alignment=alignment,
    )
    per_role = {
        role.id: Workload(load=float(load[r]), capacity=role.capacity, utilisation=float(used[r]))
        for r, role in enumerate(instance.roles)
    }
    return objective, per_role


def violations(instance: Instance, matrix: Matrix) -> list[str]:
    """The hard rules a matrix breaks, as sentences (empty: the matrix is feasible)."""
    chosen = choices(instance, matrix)
    found: list[str] = []
    is_a = np.isin(chosen, indices(ACCOUNTABLE))
    is_r = np.isin(chosen, indices(RESPONSIBLE))
    for a, activity in enumerate(instance.activities):
        if is_a[a].sum() != 1:
            found.append(f"{activity.name} needs exactly one accountable role")
        if not is_r[a].any():
            found.append(f"{activity.name} needs a responsible role")
    over = loads(instance, chosen) - instance.capacity
    found += [
        f"{role.name} is loaded beyond capacity"
        for r, role in enumerate(instance.roles)
        if over[r] > 1e-6 * max(1.0, role.capacity)  # solver feasibility tolerance
    ]
    found += [
        rule.sentence
        for rule in instance.requirements
        if not any(chosen[rule.activity, r] in rule.letters for r in rule.roles)
    ]
    found += [
        rule.sentence
        for rule in instance.prohibitions
        if chosen[rule.activity, rule.role] in rule.letters
    ]
    return found


def matrix_of(instance: Instance, chosen: npt.NDArray[np.int64]) -> Matrix:
    """Letter indices [activity, role] back to a :data:`Matrix` (empty cells left out)."""
    return {
        activity.id: {
            role.id: LETTERS[int(chosen[a, r])]
            for r, role in enumerate(instance.roles)
            if chosen[a, r] != NONE
        }
        for a, activity in enumerate(instance.activities)
    }
