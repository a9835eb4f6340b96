"""Scenario, matrix and result types: what a consultant describes and what comes back.

All types are frozen msgspec Structs, so scenario files (YAML, JSON) decode straight into them
and field-level constraints (``Meta``) are checked on decode. Cross-field checks (unknown ids,
duplicates) live in :func:`models.raci.validate.check`, which reports *every* problem at once.

Besides the optimiser's results, the results and options of :func:`models.raci.lint.lint`
(whose module docstring says where each threshold applies) and :func:`models.raci.diff.diff`
live here, so that a client decodes them without loading the algorithms.
"""

from __future__ import annotations

from typing import Annotated, Literal, TypeAlias

import msgspec
from msgspec import Meta

from models.core import Fraction, Id, Letter, Matrix, Name, NonNegative

Variant = Literal["central", "hub-and-spoke", "distributed", "multi-hub", "holistic"]
VARIANTS: tuple[Variant, ...] = ("central", "hub-and-spoke", "distributed", "multi-hub", "holistic")

Maturity = Literal["low", "medium", "high"]
Sponsorship = Literal["none", "weak", "strong"]

RoleKind = Literal[
    "hub",  # the CSMO / social-media team: the centre of excellence
    "executive",
    "it",
    "marketing",
    "communications",
    "hr",
    "legal",
    "works_council",
    "customer_service",
    "business_unit",  # a spoke
    "employees",
    "agency",
    "other",
]

ActivityCategory = Literal[
    "strategy",
    "coordination",
    "policy",
    "training",
    "tools",
    "execution",
    "monitoring",
    "crisis",
    "risk",
    "reporting",
    "labour_relations",
    "infrastructure",
]


class Profile(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """The organisation in a few facts; every default of a scenario is derived from these."""

    name: Name
    headcount: Annotated[int, Meta(ge=1, le=10_000_000)]
    business_units: Annotated[int, Meta(ge=0, le=200)] = 0
    regulated: bool = False
    works_council: bool = False
    maturity: Maturity = "medium"
    executive_sponsorship: Sponsorship = "weak"
    budget_fte: NonNegative = 1.0


class Staffing(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """An optional role: the optimiser decides whether to create it and at which size.

    ``capacities`` are the sizes it may have (person-days per month; 20 are one FTE). Creating
    it costs ``setup_cost`` plus ``fte_cost`` per FTE, in objective points (weighted by
    ``weights.staffing``): a role is created only where it buys more than it costs.
    """

    capacities: Annotated[tuple[Annotated[float, Meta(gt=0.0, le=1e6)], ...], Meta(min_length=1)]
    fte_cost: NonNegative = 2.0
    setup_cost: NonNegative = 0.0


class Role(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A RACI column: who can hold a letter.

    ``capacity`` is in the same effort units as :attr:`Activity.effort` (person-days per
    month in the built-in scenarios). ``competences`` maps a competence name to a level in
    [0, 1]. ``reports_to`` builds the organisation graph used for communication distance.
    ``optional`` makes it a role the organisation may create (its ``capacity`` is then
    replaced by the size the optimiser chooses): "should we create a CSMO, and how big?"
    """

    id: Id
    name: Name
    kind: RoleKind = "other"
    capacity: NonNegative = 10.0
    competences: dict[Annotated[str, Meta(min_length=1, max_length=64)], Fraction] = {}
    reports_to: Id | None = None
    optional: Staffing | None = None


class Activity(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A RACI row: a piece of social-media work.

    ``codetermination`` marks work that can monitor employees or binds them (channels with
    visitor posts or replies, monitoring tools, binding guidelines, the works agreement):
    where a works council exists it must *consent* (letter S) before the measure is
    introduced (§87(1) nos. 1 and 6 BetrVG; BAG 1 ABR 7/15; LAG Hamburg 2 TaBV 5/18).
    ``like`` names the catalogue activity whose natural owners, consultees and
    governance-model letters this one takes (default: its own id when that is a catalogue id,
    else the catalogue activity of its category); ``consult`` replaces the catalogue's
    natural consultees (role kinds). ``unit`` makes the row one business unit's own share of
    the work (the optimiser writes such rows as ``content@bu-life``).
    """

    id: Id
    name: Name
    category: ActivityCategory = "execution"
    effort: NonNegative = 1.0
    competences: tuple[Annotated[str, Meta(min_length=1, max_length=64)], ...] = ()
    codetermination: bool = False
    like: Id | None = None
    consult: tuple[RoleKind, ...] | None = None
    unit: Id | None = None


class MustBeInvolved(
    msgspec.Struct, frozen=True, forbid_unknown_fields=True, tag_field="kind", tag="involved"
):
    """The role holds a letter on the activity: any (``at_least: I``), one that is heard
    (``C``: C, S, R, A or A/R) or a responsible one (``R``: R or A/R)."""

    role: Id
    activity: Id
    at_least: Literal["I", "C", "R"] = "I"


class MustNotBeAccountable(
    msgspec.Struct, frozen=True, forbid_unknown_fields=True, tag_field="kind", tag="not_accountable"
):
    """The role is neither A nor A/R on the activity."""

    role: Id
    activity: Id


class FixedLetter(
    msgspec.Struct, frozen=True, forbid_unknown_fields=True, tag_field="kind", tag="fixed"
):
    """The role holds exactly this letter on the activity."""

    role: Id
    activity: Id
    letter: Letter


Rule: TypeAlias = MustBeInvolved | MustNotBeAccountable | FixedLetter


class Weights(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Weights of the objective terms; 0 switches a term off."""

    competence: Annotated[float, Meta(ge=0.0, le=1000.0)] = 1.0
    workload: Annotated[float, Meta(ge=0.0, le=1000.0)] = 1.0
    communication: Annotated[float, Meta(ge=0.0, le=1000.0)] = 0.5
    alignment: Annotated[float, Meta(ge=0.0, le=1000.0)] = 1.0
    consultation: Annotated[float, Meta(ge=0.0, le=1000.0)] = 1.0
    staffing: Annotated[float, Meta(ge=0.0, le=1000.0)] = 1.0
    #: per cell that differs from :attr:`Scenario.current` (no effect without one)
    change: Annotated[float, Meta(ge=0.0, le=1000.0)] = 1.0


class Scenario(msgspec.Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """An organisation to solve for. Only ``id`` and ``profile`` are required: empty roles and
    activities are filled from the catalogue by :func:`models.raci.catalogue.complete`."""

    id: Id
    profile: Profile
    description: str = ""
    roles: tuple[Role, ...] = ()
    activities: tuple[Activity, ...] = ()
    rules: tuple[Annotated[Rule, Meta(description="A rule of the scenario.")], ...] = ()
    weights: Weights = Weights()
    lead: Annotated[
        Id | None,
        Meta(
            description="Who leads social media: this role becomes the hub of every governance "
            "model (e.g. 'cio' for the CIO-led design); the catalogue's hub, if any, becomes a "
            "specialist team without the hub's accountabilities."
        ),
    ] = None
    current: Annotated[
        Matrix | None,
        Meta(
            description="The client's current matrix (activity id -> role id -> letter; a "
            "row of a shared activity stands for each of its per-unit rows). With it, each "
            "cell that differs costs `weights.change`: the closest matrix that meets every "
            "hard rule of the model (the minimum-change proposal)."
        ),
    ] = None


# --------------------------------------------------------------------------- results


Status = Literal["optimal", "feasible", "infeasible", "not-applicable", "error"]
SolverName = Literal["highs", "cbc"]


class SolveOptions(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """How to solve: which MILP solver, a time limit in seconds, the relative gap to stop at,
    and whether (and how long) to explain the result."""

    solver: SolverName = "highs"
    time_limit: Annotated[float, Meta(gt=0.0, le=3600.0)] = 10.0
    gap: Annotated[float, Meta(ge=0.0, le=1.0)] = 0.0
    explain: Annotated[
        bool,
        Meta(
            description="Explain every cell and each activity's runner-up accountable, and, "
            "where another role leads, compare with the design the catalogue's hub leads."
        ),
    ] = True
    alternatives_seconds: Annotated[
        float,
        Meta(
            ge=0.0,
            le=60.0,
            description="Seconds the explanation may spend re-solving to find each activity's "
            "runner-up accountable exactly (at most a quarter of time_limit); activities it "
            "does not reach get a labelled local estimate. 0: estimates only, fastest.",
        ),
    ] = 0.5


class Objective(msgspec.Struct, frozen=True):
    """The weighted total and each weighted term (lower is better)."""

    total: float
    competence: float
    workload: float
    communication: float
    alignment: float
    consultation: float = 0.0
    staffing: float = 0.0
    change: float = 0.0


class Workload(msgspec.Struct, frozen=True):
    """A role's load from its letters against its capacity."""

    load: float
    capacity: float
    utilisation: float

    def rounded(self) -> Workload:
        """Load and utilisation to 9 significant digits: sums of efforts like
        10.000000000000002 are float noise, not overload (the optimiser and
        :func:`models.raci.objective.evaluate` keep full precision)."""
        return Workload(
            load=float(f"{self.load:.9g}"),
            capacity=self.capacity,
            utilisation=float(f"{self.utilisation:.9g}"),
        )


class Applicability(msgspec.Struct, frozen=True, kw_only=True):
    """Whether the organisation has the structure a governance model needs to run
    (:func:`models.raci.variants.applicability` states the rules).

    ``reason`` is a sentence a consultant reads out, naming the roles that carry the model or
    saying which are missing; ``remedy`` says what it would take (empty when applicable).
    """

    applicable: bool
    reason: str
    remedy: str


class SolverInfo(msgspec.Struct, frozen=True):
    """The solver that ran, its version and its time. For a ``not-applicable`` result no
    solver ran: the configured solver's name, version ``""`` and 0 seconds."""

    name: str
    version: str
    seconds: float
    gap: float | None = None  # relative gap between incumbent and bound; None when no incumbent
    bound: float | None = None


class CellExplanation(msgspec.Struct, frozen=True):
    """What one cell contributes to each objective term (weighted).

    ``letter`` None: the role holds no letter there, but the empty cell still costs (the
    template wanted one). Workload is the role's penalty apportioned by the cell's share of
    the role's load. Per term, the cells add up to the objective's term.
    """

    activity: str
    role: str
    letter: Letter | None
    competence: float
    workload: float
    communication: float
    alignment: float
    reason: str
    consultation: float = 0.0
    change: float = 0.0


class Alternative(msgspec.Struct, frozen=True):
    """For one activity: the best other accountable role and how much worse the matrix gets."""

    activity: str
    accountable: str
    runner_up: str | None
    cost_increase: float | None  # None: no other role can be accountable (infeasible)
    reason: str


class Relaxation(msgspec.Struct, frozen=True):
    """One rule or capacity to relax to make an infeasible scenario feasible.

    ``constraint`` names it (``fixed[legal,review]``, ``capacity[legal]`` ...); ``amount`` is
    1 for a rule dropped and the extra person-days per month for a capacity raised; ``cost`` is
    its price in the table of :mod:`models.raci.diagnose`.
    """

    constraint: str
    amount: float
    message: str
    cost: float = 0.0


class Conflict(msgspec.Struct, frozen=True):
    """Hard rules and capacities that cannot all hold at once, beside the RACI definitions.

    Irreducible: drop any one of them and the rest can hold — unless ``irreducible`` is
    false, when the time budget stopped the search and some may be bystanders. ``rules`` are
    the items' sentences and ``constraints`` their names, in the same order.
    """

    message: str
    rules: tuple[str, ...]
    constraints: tuple[str, ...]
    irreducible: bool = True


class Fix(msgspec.Struct, frozen=True, kw_only=True):
    """One set of relaxations that makes the scenario feasible, and what it leads to.

    ``cost`` is the sum of the relaxations' costs. ``status``, ``message``, ``objective``,
    ``matrix`` and ``workload`` are those of the strict model solved again with the fix
    applied (rules dropped, capacities raised): the check that the fix works.
    """

    relaxations: tuple[Relaxation, ...]
    cost: float
    status: Status
    message: str
    objective: Objective | None = None
    matrix: Matrix = {}
    workload: dict[str, Workload] = {}


class Diagnosis(msgspec.Struct, frozen=True):
    """Why no matrix satisfies every hard rule, and what would make one.

    ``conflict`` names rules that contradict each other; ``fixes`` are different ways out,
    cheapest first, each checked by solving again. ``relaxations`` repeats the cheapest
    fix's relaxations (the field older clients read).
    """

    summary: str
    relaxations: tuple[Relaxation, ...] = ()
    conflict: Conflict | None = None
    fixes: tuple[Fix, ...] = ()


class Explanation(msgspec.Struct, frozen=True):
    cells: tuple[CellExplanation, ...] = ()
    alternatives: tuple[Alternative, ...] = ()


class StaffingDecision(msgspec.Struct, frozen=True):
    """Whether an optional role is created, at which size, and what it buys.

    ``buys`` is, term by term, the objective without the role minus with it (positive: the role
    makes that term better); None when the scenario is infeasible without it.
    """

    role: str
    created: bool
    capacity: float  # person-days per month; 0 when not created
    cost: float  # the weighted staffing cost
    buys: Objective | None
    message: str


class LeadComparison(msgspec.Struct, frozen=True, kw_only=True):
    """A design led by :attr:`Scenario.lead` against the one the catalogue's hub leads (the
    same scenario without ``lead``), under the same governance model.

    ``difference`` is, term by term, the hub-led design's objective minus this one's
    (positive: this design is better on that term); None when the hub-led design has no
    matrix (no hub role, not applicable, or infeasible: ``status`` says which).
    """

    lead: str  # the role that leads this design
    hub: str | None  # the role that leads the compared design; None when there is none
    status: Status  # the compared design's status
    difference: Objective | None
    message: str


class SolveResult(msgspec.Struct, frozen=True, kw_only=True):
    """The output contract: the service and the CLI serialise this as it is.

    Status ``not-applicable``: the organisation lacks the structure the governance model needs
    (``applicability`` says why and what it would take); nothing was solved, so ``objective``
    is null and ``matrix`` and ``workload`` are empty. :func:`models.raci.solve.solve` sets
    ``applicability`` on every result, applicable or not; it is null only on a result built
    by other means.
    """

    scenario: str
    variant: Variant
    status: Status
    message: str
    objective: Objective | None
    matrix: Matrix
    workload: dict[str, Workload]
    solver: SolverInfo
    explanation: Explanation | None = None
    diagnosis: Diagnosis | None = None
    applicability: Applicability | None = None
    staffing: tuple[StaffingDecision, ...] = ()
    #: with :attr:`Scenario.lead` and ``explain``: this design against the one the
    #: catalogue's hub leads (one more solve)
    lead: LeadComparison | None = None


# --------------------------------------------------------------------------- lint and diff


Severity = Literal["error", "warning", "info"]
Scope = Literal["activity", "role", "matrix"]

Share = Annotated[float, Meta(gt=0.0, le=1.0)]
Count = Annotated[int, Meta(ge=0, le=10_000)]


class LintOptions(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Thresholds of the warnings (see the module docstring for where each applies). A row is
    an activity or one business unit's row of it; the shares count an activity split per unit
    once.

    Attributes
    ----------
    max_responsible
        More R than this on one row: split the task? (default 3)
    max_consulted
        More C or S (consent) than this on one row: decisions get slow. (default 4)
    max_informed
        More I than this on one row: noise. (default 6)
    max_accountable_share
        A role accountable for more than this share of the activities is a bottleneck.
        (default 0.4)
    max_responsible_share
        A role responsible for more than this share is overloaded. (default 0.5)
    involved_share
        A role with a letter on at least this share is involved everywhere. (default 0.9)
    min_activities
        The share checks need at least this many activities. (default 5)
    """

    max_responsible: Count = 3
    max_consulted: Count = 4
    max_informed: Count = 6
    max_accountable_share: Share = 0.4
    max_responsible_share: Share = 0.5
    involved_share: Share = 0.9
    min_activities: Annotated[int, Meta(ge=1, le=10_000)] = 5


class Finding(msgspec.Struct, frozen=True):
    """One lint finding: a stable code, its severity, what it is about, and a sentence."""

    code: str
    severity: Severity
    scope: Scope
    target: str
    message: str


class LintReport(msgspec.Struct, frozen=True):
    """All findings, errors first, and how many of each severity."""

    findings: tuple[Finding, ...]
    errors: int
    warnings: int
    infos: int


class CellChange(msgspec.Struct, frozen=True):
    """One cell whose letter differs (None: no letter)."""

    activity: str
    role: str
    before: Letter | None
    after: Letter | None


class MatrixDiff(msgspec.Struct, frozen=True, kw_only=True):
    """What changes from ``current`` to ``proposed``; ``delta`` is after − before per term."""

    variant: Variant
    changes: tuple[CellChange, ...]
    before: Objective
    after: Objective
    delta: Objective
    findings_appear: tuple[Finding, ...]
    findings_disappear: tuple[Finding, ...]
