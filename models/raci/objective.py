"""The RACI objective and hard rules of one scenario under one governance model.

:func:`compile_instance` turns a scenario and a model into an :class:`Instance`: its rows
(devolved activities split per business unit, :func:`models.raci.variants.rows`) and roles
sorted by id, the per-cell cost of every letter, the load it causes, and the hard rules as
*requirements* ("one of these roles holds one of these letters on this row") and
*prohibitions* ("this role holds none of these letters on this row"). The MILP
(:mod:`models.raci.milp`) and :func:`evaluate` read the same instance, so the optimiser
minimises exactly what :func:`evaluate` reports.

The objective (lower is better), each term weighted by ``scenario.weights``
---------------------------------------------------------------------------
For row *a*, role *r* and letter ℓ ∈ {R, A, C, I, A/R, S} (or none, ∅):

* **competence** — ``(1 − fit(r, a)) · κ_ℓ``, where ``fit`` is the mean level of *r* in the
  competences *a* requires (1 when it requires none) and κ = R 1.0, A 0.6, C 0.2, I 0,
  A/R 1.4, S 0.2: doing or owning work one is not competent for costs, being heard hardly.
* **communication** — ``β_ℓ + δ_ℓ · min(d(r, o_a), 4) / 4``: a fan-out cost per C (0.3),
  S (0.4: a sign-off waits for an answer) and I (0.1), plus the hops *d* in the organisation
  graph (``reports_to``, undirected, networkx) between *r* and the model's expected owner
  ``o_a`` of the row, with δ = R 0.2, C 0.4, I 0.2, S 0.4, A and A/R 0. Unconnected roles
  count as 4 hops. ``o_a`` is fixed per row (the template's A holder with the best fit, ties
  by id), which keeps the term linear.
* **alignment** — ``τ[t, ℓ]`` for the model's template letter *t* of the cell (see
  :mod:`models.raci.variants`); missing a template C or I costs 0.4 or 0.2, an A where
  none is expected 1.0, an S (a veto) where none is expected 1.0 (table :data:`ALIGNMENT`).
* **consultation** — ``stake(r, a) · (1 − heard_ℓ)``: a role with a stake in the row that is
  not heard. ``heard`` is 1 for C, S, R, A and A/R, 0.25 for I (informing is not consulting)
  and 0 for no letter. ``stake`` is 1 for the row's natural owners (the model's A and R
  holders in the template) and natural consultees (role kinds named by the catalogue,
  :func:`models.raci.catalogue.consultees`; on a unit's own row only that unit among the
  business units), else :data:`EXPERT_STAKE` · fit for a role whose fit is at
  least :data:`EXPERT_FIT` (an expert worth asking), else 0. Consultation is thus worth
  something: a C is chosen where it costs less than the stake it covers, and dropped only
  where communication, load or capacity make it genuinely costly.
* **workload** — per role, the convex piecewise-linear penalty
  ``φ(u) = 0.2·min(u, .5) + 1.0·clip(u − .5, 0, .3) + 4.0·max(u − .8, 0)`` of its utilisation
  ``u = load / capacity``, where a letter ℓ on *a* loads ``effort(a) · λ_ℓ`` with λ = R 1.0,
  A 0.25, C 0.15, I 0.05, A/R 1.15, S 0.2. Every R does the work (effort is not split among
  several R: a second R is a second pair of hands, which costs). Convexity balances load
  against capacity without a max-min; the hard capacity rule is ``u ≤ 1``. A role with
  capacity 0 counts as capacity 0.001 in :func:`evaluate` (a client's matrix may load it).

* **change** — with the client's current matrix (``scenario.current``), 1 per cell whose
  letter differs from it (an empty cell counts as a letter): the closest matrix that meets
  every hard rule, traded against the other terms by ``weights.change``. A current row of a
  shared activity stands for each of its per-unit rows; roles or rows the scenario does not
  know are ignored. 0 without a current matrix.

* **staffing** — an optional role (``role.optional``: "should we create a CSMO, and how
  big?") costs ``setup_cost + fte_cost · size / 20`` when created at one of its sizes; it is
  created (at the size that costs least in workload penalty plus staffing) only when it holds
  a letter, so only where it buys more than it costs.

Hard rules
----------
Exactly one A (A or A/R) per row, at least one R (R or A/R), one letter per cell, load ≤
capacity, the scenario's rules (a rule on an activity binds each of its per-unit rows), the
model's structure, and three rules of every model:

* **consent** — where the profile has a works council, it holds S on every codetermined row:
  it must agree before the measure is introduced (§87(1) nos. 1 and 6 BetrVG; BAG 1 ABR 7/15;
  LAG Hamburg 2 TaBV 5/18); being informed is legally insufficient;
* **the board is heard** (at least C) on the strategy, and on the guidelines too where
  executive sponsorship is weak or absent ("green light from the top");
* **each unit owns its own work** — no business unit holds a letter on another unit's row,
  nor A on a shared row (nor does a regional hub: only the umbrella hub is A there); on a
  shared row the units hold the same letter (unless a scenario rule names one of them
  there): never Residential in the crisis team and Utility not.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

import networkx as nx
import numpy as np
import numpy.typing as npt

from models.core import (
    ACCOUNTABLE,
    AT_LEAST,
    CONSENT,
    HEARD,
    LETTERS,
    RESPONSIBLE,
    Letter,
    Matrix,
    is_accountable,
    unit_of,
)
from models.messages import say
from models.raci.catalogue import DAYS_PER_FTE
from models.raci.catalogue import archetype as archetype_of
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
from models.raci.variants import STRUCTURE, Organisation, hats, led, org_graph, rows

FloatArray = npt.NDArray[np.float64]

#: Letter index order used by every array here: R, A, C, I, A/R, S (``models.core.LETTERS``).
LETTER_INDEX: Mapping[Letter, int] = {letter: i for i, letter in enumerate(LETTERS)}
NONE = len(LETTERS)  # the row/column of "no letter" in :data:`ALIGNMENT`
#: The weighted terms of a cell, in the order of the last axis of the cost arrays.
TERMS = ("competence", "communication", "alignment", "consultation", "change")

#                  R     A     C     I     A/R   S
LOAD = np.array([1.0, 0.25, 0.15, 0.05, 1.15, 0.2])
COMPETENCE = np.array([1.0, 0.6, 0.2, 0.0, 1.4, 0.2])
FAN_OUT = np.array([0.0, 0.0, 0.3, 0.1, 0.0, 0.4])
DISTANCE = np.array([0.2, 0.0, 0.4, 0.2, 0.0, 0.4])
#: How much of a role's stake a letter covers (heard 1, informed 0.25; no letter: 0).
HEARD_SHARE = np.array([1.0 if x in HEARD else 0.25 if x == "I" else 0.0 for x in LETTERS])
EXPERT_STAKE = 0.3
EXPERT_FIT = 0.5
MAX_HOPS = 4
#: ALIGNMENT[t, ℓ]: cost of letter ℓ where the template wants t (index 6 = no letter).
ALIGNMENT = np.array(
    [
        # R    A    C    I    A/R  S    ∅      <- letter drawn; rows: template letter
        [0.0, 0.8, 0.3, 0.5, 0.3, 0.5, 0.6],  # R
        [0.3, 0.0, 0.2, 0.3, 0.2, 0.4, 0.4],  # A
        [0.3, 1.0, 0.0, 0.2, 1.0, 0.3, 0.4],  # C
        [0.5, 1.0, 0.2, 0.0, 1.0, 0.4, 0.2],  # I
        [0.2, 0.2, 0.4, 0.5, 0.0, 0.5, 0.6],  # A/R
        [0.5, 1.0, 0.4, 0.6, 1.0, 0.0, 0.8],  # S
        [0.6, 1.0, 0.4, 0.2, 1.0, 1.0, 0.0],  # ∅
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
class Alike:
    """On shared row ``activity`` the business units ``roles`` hold the same letter."""

    activity: int
    roles: tuple[int, ...]
    sentence: str


@dataclass(frozen=True)
class Instance:
    """Everything the MILP and :func:`evaluate` need, indexed [row, role, letter].

    ``activities`` are the rows (per-unit rows included). ``cell_cost[a, r, ℓ, k]`` is the
    weighted term k (:data:`TERMS`) of letter ℓ in the cell; ``empty_terms[a, r, k]`` those
    of leaving it empty (alignment and consultation), ``empty_cost`` their sum. ``stake`` is
    each role's stake in each row (the consultation term's, unweighted).
    """

    scenario: Scenario
    variant: Variant
    roles: tuple[Role, ...]
    activities: tuple[Activity, ...]
    capacity: FloatArray
    load: FloatArray
    cell_cost: FloatArray
    empty_terms: FloatArray
    template: tuple[tuple[Letter | None, ...], ...]
    stake: FloatArray
    owner: tuple[int, ...]
    requirements: tuple[Requirement, ...]
    prohibitions: tuple[Prohibition, ...]
    alike: tuple[Alike, ...]
    workload_weight: float
    #: per role, the sizes an optional role may be created with (empty: a fixed role) and the
    #: weighted staffing cost of each size
    sizes: tuple[tuple[float, ...], ...] = ()
    size_cost: tuple[tuple[float, ...], ...] = ()

    @cached_property
    def empty_cost(self) -> FloatArray:
        return np.asarray(self.empty_terms.sum(axis=-1), dtype=np.float64)

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
    organisation: Organisation,
) -> tuple[list[Requirement], list[Prohibition]]:
    role_of = {role.id: i for i, role in enumerate(roles)}
    rows_of: dict[str, list[int]] = {}
    for a, activity in enumerate(activities):
        rows_of.setdefault(unit_of(activity.id)[0], []).append(a)
    accountable = indices(ACCOUNTABLE)
    requirements: list[Requirement] = []
    prohibitions: list[Prohibition] = []
    for rule in scenario.rules:
        r = role_of[rule.role]
        who = roles[r].name
        for a in rows_of[rule.activity]:
            what, where = activities[a].name, activities[a].id
            if isinstance(rule, MustBeInvolved):
                requirements.append(
                    Requirement(
                        f"involved[{rule.role},{where}]",
                        a,
                        (r,),
                        indices(AT_LEAST[rule.at_least]),
                        say(f"rule.involved.{rule.at_least}", who=who, what=what),
                    )
                )
            elif isinstance(rule, MustNotBeAccountable):
                prohibitions.append(
                    Prohibition(
                        f"not_accountable[{rule.role},{where}]",
                        a,
                        r,
                        accountable,
                        say("rule.not-accountable", who=who, what=what),
                    )
                )
            else:
                assert isinstance(rule, FixedLetter)
                requirements.append(
                    Requirement(
                        f"fixed[{rule.role},{where}]",
                        a,
                        (r,),
                        (LETTER_INDEX[rule.letter],),
                        say("rule.fixed", who=who, what=what, letter=rule.letter),
                    )
                )
    council = tuple(i for i, role in enumerate(roles) if role.kind == "works_council")
    board = tuple(i for i, role in enumerate(roles) if role.kind == "executive")
    board_hears = {"strategy"}
    if scenario.profile.executive_sponsorship != "strong":
        board_hears.add("guidelines")
    for a, activity in enumerate(activities):
        if scenario.profile.works_council and council and activity.codetermination:
            requirements.append(
                Requirement(
                    f"consent[{activity.id}]",
                    a,
                    council,
                    (LETTER_INDEX[CONSENT],),
                    say("rule.consent", activity=activity.name),
                )
            )
        if board and archetype_of(activity) in board_hears:
            requirements.append(
                Requirement(
                    f"board_heard[{activity.id}]",
                    a,
                    board,
                    indices(HEARD),
                    say("rule.board-heard", activity=activity.name),
                )
            )
        if activity.unit is None:
            prohibitions.extend(
                Prohibition(
                    f"shared[{activity.id},{role.id}]",
                    a,
                    r,
                    accountable,
                    say("rule.shared", role=role.name, activity=activity.name),
                )
                for r, role in enumerate(roles)
                if role.kind == "business_unit"
                or (role.kind == "hub" and role.id != organisation.umbrella)
            )
        else:
            prohibitions.extend(
                Prohibition(
                    f"own_unit[{activity.id},{role.id}]",
                    a,
                    r,
                    tuple(range(len(LETTERS))),
                    say("rule.own-unit", role=role.name, activity=activity.name),
                )
                for r, role in enumerate(roles)
                if role.kind == "business_unit" and role.id != activity.unit
            )
        for shape in STRUCTURE[variant]:
            if not shape.applies(activity):
                continue
            holders = organisation.holders(shape.keys, variant, roles, activity)
            if not holders:
                continue
            letters = indices(shape.letters)
            sentence = say(shape.says, activity=activity.name)
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


def _alike(
    scenario: Scenario, roles: tuple[Role, ...], activities: tuple[Activity, ...]
) -> tuple[Alike, ...]:
    """Per shared row, the business units to treat alike: all but those a scenario rule names
    there (the rule sets them apart)."""
    named = {(rule.activity, rule.role) for rule in scenario.rules}
    groups = []
    for a, activity in enumerate(activities):
        if activity.unit is not None:
            continue
        units = tuple(
            r
            for r, role in enumerate(roles)
            if role.kind == "business_unit" and (activity.id, role.id) not in named
        )
        if len(units) > 1:
            names = ", ".join(roles[r].name for r in units)
            groups.append(Alike(a, units, say("rule.alike", names=names, activity=activity.name)))
    return tuple(groups)


def _stakes(
    organisation: Organisation,
    roles: tuple[Role, ...],
    activities: tuple[Activity, ...],
    fits: FloatArray,
    template: Sequence[Sequence[Letter | None]],
) -> FloatArray:
    """Each role's stake in each row (see the consultation term in the module docstring)."""
    stake = np.where(fits >= EXPERT_FIT, EXPERT_STAKE * fits, 0.0)
    for a, activity in enumerate(activities):
        for r, role in enumerate(roles):
            other_unit = role.kind == "business_unit" and activity.unit not in (None, role.id)
            owner = template[a][r] in ACCOUNTABLE | RESPONSIBLE
            if other_unit:
                stake[a, r] = 0.0
            elif owner or organisation.consulted(role, activity):
                stake[a, r] = 1.0
    return np.asarray(stake, dtype=np.float64)


def _changes(
    current: Matrix | None, roles: Sequence[Role], activities: Sequence[Activity]
) -> FloatArray:
    """[row, role, ℓ] for every letter ℓ and, last, no letter: 1 where ℓ differs from the
    current matrix's letter (0 everywhere without a current matrix)."""
    shape = (len(activities), len(roles), NONE + 1)
    if current is None:
        return np.zeros(shape)
    index = np.full((len(activities), len(roles)), NONE, dtype=np.int64)
    for a, activity in enumerate(activities):
        row = current.get(activity.id)
        if row is None:
            row = current.get(unit_of(activity.id)[0], {})
        for r, role in enumerate(roles):
            letter = row.get(role.id)
            if letter is not None:
                index[a, r] = LETTER_INDEX[letter]
    return np.asarray(index[:, :, None] != np.arange(NONE + 1)[None, None, :], dtype=np.float64)


def compile_instance(scenario: Scenario, variant: Variant) -> Instance:
    """Sort the rows and roles by id and compute every coefficient of the objective and rules.

    The scenario must be valid (:func:`models.raci.validate.check`): rules name known ids. A
    scenario with a ``lead`` is compiled as that role runs it (:func:`models.raci.variants.led`).
    """
    second = hats(scenario)
    scenario = led(scenario)
    roles = tuple(sorted(scenario.roles, key=lambda role: role.id))
    activities = tuple(sorted(rows(scenario, variant), key=lambda activity: activity.id))
    weights = scenario.weights
    organisation = Organisation.of(roles, second)
    letters = [
        tuple(organisation.template_letter(variant, activity, role) for role in roles)
        for activity in activities
    ]
    preferred = np.array(
        [[NONE if t is None else LETTER_INDEX[t] for t in row] for row in letters], dtype=np.int64
    ).reshape(len(activities), len(roles))
    fits = np.array([[fit(role, activity) for role in roles] for activity in activities])
    fits = fits.reshape(len(activities), len(roles))
    owner = tuple(_owner(fits[a], letters[a]) for a in range(len(activities)))
    hops = _hops(roles)
    distance = hops[np.array(owner, dtype=np.int64)] / MAX_HOPS if roles else np.zeros((0, 0))
    distance = distance.reshape(len(activities), len(roles))
    stake = _stakes(organisation, roles, activities, fits, letters)

    competence = (1.0 - fits)[:, :, None] * COMPETENCE[None, None, :]
    communication = FAN_OUT[None, None, :] + distance[:, :, None] * DISTANCE[None, None, :]
    alignment = ALIGNMENT[preferred][:, :, : len(LETTERS)]
    consultation = stake[:, :, None] * (1.0 - HEARD_SHARE)[None, None, :]
    change = weights.change * _changes(scenario.current, roles, activities)
    cell_cost = np.stack(
        (
            weights.competence * competence,
            weights.communication * communication,
            weights.alignment * alignment,
            weights.consultation * consultation,
            change[:, :, :NONE],
        ),
        axis=-1,
    )
    empty_terms = np.zeros((len(activities), len(roles), len(TERMS)))
    empty_terms[:, :, 2] = weights.alignment * ALIGNMENT[preferred][:, :, NONE]
    empty_terms[:, :, 3] = weights.consultation * stake
    empty_terms[:, :, 4] = change[:, :, NONE]
    effort = np.array([activity.effort for activity in activities], dtype=np.float64)
    load = effort[:, None, None] * LOAD[None, None, :] * np.ones((1, len(roles), 1))
    requirements, prohibitions = _hard_rules(scenario, variant, roles, activities, organisation)
    return Instance(
        alike=_alike(scenario, roles, activities),
        scenario=scenario,
        variant=variant,
        roles=roles,
        activities=activities,
        # an optional role may take its largest size: the limit for pruning and diagnosis
        capacity=np.array(
            [max(role.optional.capacities) if role.optional else role.capacity for role in roles],
            dtype=np.float64,
        ),
        load=load,
        cell_cost=cell_cost,
        empty_terms=empty_terms,
        template=tuple(letters),
        stake=stake,
        owner=owner,
        requirements=tuple(requirements),
        prohibitions=tuple(prohibitions),
        workload_weight=weights.workload,
        sizes=tuple(role.optional.capacities if role.optional else () for role in roles),
        size_cost=tuple(
            tuple(
                weights.staffing
                * (role.optional.setup_cost + role.optional.fte_cost * size / DAYS_PER_FTE)
                for size in role.optional.capacities
            )
            if role.optional
            else ()
            for role in roles
        ),
    )


def _owner(fits: FloatArray, letters: Sequence[Letter | None]) -> int:
    """The expected owner: a template A holder with the best fit (else the best fit overall)."""
    candidates = [r for r, t in enumerate(letters) if is_accountable(t)]
    pool = candidates or list(range(len(letters)))
    return min(pool, key=lambda r: (-fits[r], r))


def choices(instance: Instance, matrix: Matrix) -> npt.NDArray[np.int64]:
    """The matrix as letter indices [row, role], ``NONE`` for an empty cell.

    Cells of unknown roles or activities are ignored (a client's matrix may carry extras). A
    matrix with one row for an activity the model splits per unit (a client's current matrix)
    stands for every unit's row of it.
    """
    chosen = np.full((len(instance.activities), len(instance.roles)), NONE, dtype=np.int64)
    role_of = {rid: r for r, rid in enumerate(instance.role_ids)}
    for a, aid in enumerate(instance.activity_ids):
        row = matrix.get(aid, matrix.get(unit_of(aid)[0], {}))
        for rid, letter in row.items():
            if rid in role_of:
                chosen[a, role_of[rid]] = LETTER_INDEX[letter]
    return chosen


def loads(instance: Instance, chosen: npt.NDArray[np.int64]) -> FloatArray:
    """Load per role of a matrix given as letter indices."""
    padded = np.concatenate((instance.load, np.zeros((*instance.load.shape[:2], 1))), axis=2)
    picked = np.take_along_axis(padded, chosen[:, :, None], axis=2)[:, :, 0]
    return np.asarray(picked.sum(axis=0), dtype=np.float64)


def staffed(instance: Instance, load: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Each role's capacity and weighted staffing cost for the loads ``load``.

    A fixed role keeps its capacity at no cost. An optional role without load is not created
    (capacity 0, no cost); with load, it gets the size that fits and costs least in workload
    penalty plus staffing cost — what the optimiser chooses for the same matrix (the largest
    size when none fits, for a client's overloaded matrix).
    """
    capacity = instance.capacity.copy()
    cost = np.zeros(len(instance.roles))
    for r, sizes in enumerate(instance.sizes):
        if not sizes:
            continue
        if load[r] <= 1e-12:
            capacity[r] = 0.0
            continue
        options = [
            (instance.workload_weight * float(overload(np.array([load[r] / size]))[0]) + c, c, size)
            for size, c in zip(sizes, instance.size_cost[r], strict=True)
            if load[r] <= size + 1e-9
        ] or [(0.0, instance.size_cost[r][-1], max(sizes))]
        _, cost[r], capacity[r] = min(options)
    return capacity, cost


@dataclass(frozen=True)
class RoleCosts:
    """Per role, for given loads: its capacity (an optional role at its chosen size), its
    utilisation (capacity 0 counts as :data:`ZERO_CAPACITY`), its weighted workload penalty
    w · φ(u) and its weighted staffing cost."""

    capacity: FloatArray
    utilisation: FloatArray
    workload: FloatArray
    staffing: FloatArray


def role_costs(instance: Instance, load: FloatArray) -> RoleCosts:
    """The per-role part of the objective for the loads ``load`` (see :class:`RoleCosts`)."""
    capacity, staffing = staffed(instance, load)
    used = np.asarray(load / np.maximum(capacity, ZERO_CAPACITY), dtype=np.float64)
    return RoleCosts(capacity, used, instance.workload_weight * overload(used), staffing)


def cell_terms(instance: Instance, chosen: npt.NDArray[np.int64]) -> FloatArray:
    """The weighted :data:`TERMS` per cell [row, role, term]."""
    n_activities, n_roles = chosen.shape
    terms = np.zeros((n_activities, n_roles, len(TERMS)))
    filled = chosen != NONE
    a_idx, r_idx = np.nonzero(filled)
    terms[a_idx, r_idx] = instance.cell_cost[a_idx, r_idx, chosen[a_idx, r_idx]]
    terms[~filled] = instance.empty_terms[~filled]
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
    per_role = role_costs(instance, load)
    workload = float(per_role.workload.sum())
    staffing = float(per_role.staffing.sum())
    competence, communication, alignment, consultation, change = (float(x) for x in terms)
    objective = Objective(
        total=competence + workload + communication + alignment + consultation + staffing + change,
        competence=competence,
        workload=workload,
        communication=communication,
        alignment=alignment,
        consultation=consultation,
        staffing=staffing,
        change=change,
    )
    work = {
        role.id: Workload(
            load=float(load[r]),
            capacity=float(per_role.capacity[r]),
            utilisation=float(per_role.utilisation[r]),
        )
        for r, role in enumerate(instance.roles)
    }
    return objective, work


def violations(instance: Instance, matrix: Matrix) -> list[str]:
    """The hard rules a matrix breaks, as sentences (empty: the matrix is feasible)."""
    chosen = choices(instance, matrix)
    found: list[str] = []
    is_a = np.isin(chosen, indices(ACCOUNTABLE))
    is_r = np.isin(chosen, indices(RESPONSIBLE))
    for a, activity in enumerate(instance.activities):
        if is_a[a].sum() != 1:
            found.append(say("violation.accountable", activity=activity.name))
        if not is_r[a].any():
            found.append(say("violation.responsible", activity=activity.name))
    over = loads(instance, chosen) - instance.capacity  # an optional role: its largest size
    found += [
        say("violation.capacity", role=role.name)
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
    found += [
        group.sentence
        for group in instance.alike
        if len({int(chosen[group.activity, r]) for r in group.roles}) > 1
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
