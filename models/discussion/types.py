"""Discussion types: who argues, over which network, under which model, and what comes out.

All types are frozen msgspec Structs, so discussion files (YAML, JSON) decode straight into
them and field-level constraints (``Meta``) are checked on decode. Cross-field checks (unknown
ids, shapes, row sums) live in :func:`models.discussion.codec.check`, which reports *every*
problem at once.

Positions are numbers in [0, 1] per issue (0 = opposes, 1 = fully supports). The influence
matrix ``W`` is row-stochastic: ``W[i, j]`` is the weight stakeholder ``i`` gives to ``j``'s
view. Susceptibility ``λ_i`` is how open ``i`` is to influence (0 = stubborn, 1 = fully open).
"""

from __future__ import annotations

from typing import Annotated, Literal, TypeAlias

import msgspec
from msgspec import Meta

from models.core import Fraction, Id, Matrix, Name, NonNegative

Positive = Annotated[float, Meta(gt=0.0, le=1e6)]
Tier = Literal["top", "middle", "base"]
Square: TypeAlias = tuple[tuple[float, ...], ...]

# Roles that make up the two slices of the "sandwich" when a stakeholder names no tier.
TOP_ROLES = frozenset({"ceo", "board", "executive", "executive-board"})
BASE_ROLES = frozenset({"employees", "ambassadors"})


class Stakeholder(msgspec.Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """One person (or group speaking with one voice) in the discussion.

    ``positions`` lists the initial position on each issue of the discussion, in the order of
    :attr:`Discussion.issues`. ``weight`` is formal power or votes (weighted rules).
    ``cost`` is the effort of moving this stakeholder's initial position by 1.0 in a briefing
    (the intervention objective). ``tier`` places the stakeholder at the top, middle or base of
    the organisation for the sandwich strategy; when absent it is derived from ``role``
    (``ceo``/``board``/``executive`` → top, ``employees``/``ambassadors`` → base).
    """

    id: Id
    name: Name
    role: Id
    positions: Annotated[tuple[Fraction, ...], Meta(min_length=1, max_length=50)]
    weight: NonNegative = 1.0
    susceptibility: Fraction = 0.5
    veto: bool = False
    cost: NonNegative = 1.0
    tier: Tier | None = None

    @property
    def effective_tier(self) -> Tier:
        if self.tier is not None:
            return self.tier
        if self.role in TOP_ROLES:
            return "top"
        return "base" if self.role in BASE_ROLES else "middle"


class ReportingLine(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """``member`` reports to ``manager``: the member listens to the manager and vice versa."""

    member: Id
    manager: Id


class Collaboration(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """``a`` and ``b`` work together: each listens to the other with ``weight``."""

    a: Id
    b: Id
    weight: Positive = 1.0


class Trust(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """``truster`` listens to ``trusted`` with ``weight`` (one direction only)."""

    truster: Id
    trusted: Id
    weight: Positive = 1.0


class LayerWeights(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """How much each network layer counts before the rows are normalised.

    ``own`` is the weight everyone gives to their own view; ``manager`` what a member gives
    to the manager; ``member`` what a manager gives to each member; ``raci`` multiplies the
    number of activities two stakeholders share as R, A or C.
    """

    own: NonNegative = 1.0
    manager: NonNegative = 2.0
    member: NonNegative = 0.5
    collaboration: NonNegative = 1.0
    raci: NonNegative = 0.25
    trust: NonNegative = 1.0


class Network(msgspec.Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """The influence network, from layers a consultant knows or as an explicit matrix.

    When ``influence`` is given it is used as it is (rows in the order of the stakeholders,
    each row summing to 1) and the layers are ignored. Otherwise the layers are summed into
    a weighted digraph and each row normalised (:func:`models.discussion.network.influence_matrix`).
    ``raci`` derives collaboration from a RACI matrix (activity → role → letter): stakeholders
    whose roles share R, A, C or S cells are linked, weighted by the number of shared
    activities (an activity's per-unit rows, ``content@bu-a``, count once).
    """

    reporting: tuple[ReportingLine, ...] = ()
    collaboration: tuple[Collaboration, ...] = ()
    trust: tuple[Trust, ...] = ()
    raci: Matrix | None = None
    layers: LayerWeights = LayerWeights()
    influence: Square | None = None


# --------------------------------------------------------------------------- models

Epsilon = Annotated[float, Meta(gt=0.0, le=1.0, description="Confidence bound ε.")]


class DeGroot(
    msgspec.Struct, frozen=True, forbid_unknown_fields=True, tag_field="kind", tag="degroot"
):
    """Weighted averaging: x(k+1) = W x(k) (DeGroot 1974)."""


class FriedkinJohnsen(
    msgspec.Struct,
    frozen=True,
    forbid_unknown_fields=True,
    tag_field="kind",
    tag="friedkin-johnsen",
):
    """Anchored averaging: x(k+1) = ΛW x(k) + (I − Λ)u (Friedkin & Johnsen 1999)."""


class MultiIssueFriedkinJohnsen(
    msgspec.Struct,
    frozen=True,
    forbid_unknown_fields=True,
    tag_field="kind",
    tag="multi-issue-friedkin-johnsen",
):
    """Issues coupled by a logic matrix C (Parsegov et al. 2017), in centred coordinates.

    With y = 2x − 1 ∈ [−1, 1]: Y(k+1) = ΛW Y(k) Cᵀ + (I − Λ) U_c. ``coupling[p][q]`` is how
    much the view on issue q bears on issue p; negative entries mean opposition (supporting
    "central" speaks against "distributed"). Each row's absolute values must sum to at most 1
    so positions stay in [0, 1]. ``None`` means the identity (issues independent).
    """

    coupling: Square | None = None


class HegselmannKrause(
    msgspec.Struct,
    frozen=True,
    forbid_unknown_fields=True,
    tag_field="kind",
    tag="hegselmann-krause",
):
    """Bounded confidence, synchronous: everyone averages the views within ε of their own.

    Each issue evolves on its own. ``network=False`` is the classic model (everyone hears
    everyone, equal weights); ``network=True`` weights by W (plus oneself) within ε.
    """

    epsilon: Epsilon = 0.2
    network: bool = False


class DeffuantWeisbuch(
    msgspec.Struct,
    frozen=True,
    forbid_unknown_fields=True,
    tag_field="kind",
    tag="deffuant-weisbuch",
):
    """Bounded confidence, pairwise: a random pair within ε moves each other by μ·difference.

    A *round* is one random matching of the stakeholders (⌊n/2⌋ disjoint pairs, each meeting
    once), so a round is n/2 pairwise encounters. Each issue is met on its own. With
    ``network=True`` only pairs linked in W (either direction) interact.
    """

    epsilon: Epsilon = 0.2
    mu: Annotated[float, Meta(gt=0.0, le=0.5)] = 0.3
    seed: Annotated[int, Meta(ge=0, le=2**63 - 1)] = 0
    network: bool = False


Model: TypeAlias = (
    DeGroot | FriedkinJohnsen | MultiIssueFriedkinJohnsen | HegselmannKrause | DeffuantWeisbuch
)
ModelKind = Literal[
    "degroot",
    "friedkin-johnsen",
    "multi-issue-friedkin-johnsen",
    "hegselmann-krause",
    "deffuant-weisbuch",
]
MODEL_KINDS: tuple[ModelKind, ...] = (
    "degroot",
    "friedkin-johnsen",
    "multi-issue-friedkin-johnsen",
    "hegselmann-krause",
    "deffuant-weisbuch",
)

# --------------------------------------------------------------------------- decision

Rule = Literal["majority", "weighted", "qualified"]


class Proposal(msgspec.Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """A proposal on one issue and the rule that decides it.

    A stakeholder *supports* when the final position on ``issue`` is ≥ ``threshold``.
    ``majority``: more than half of the stakeholders support. ``weighted``: supporters hold
    more than half of the total weight. ``qualified``: supporters hold at least ``quota`` of
    the total weight. With ``vetoes`` every stakeholder marked ``veto`` must support.
    """

    issue: Id
    threshold: Fraction = 0.5
    rule: Rule = "majority"
    quota: Annotated[float, Meta(gt=0.0, le=1.0)] = 2 / 3
    vetoes: bool = True
    description: str = ""


# --------------------------------------------------------------------------- options

Spread = Annotated[float, Meta(ge=0.0, le=1.0)]


class MonteCarloOptions(msgspec.Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """Uncertain inputs: each draw perturbs every stakeholder independently and uniformly.

    Positions and susceptibilities move by up to ± their spread (clipped to [0, 1]); weights
    are multiplied by a factor in [1 − weight_spread, 1 + weight_spread].
    """

    draws: Annotated[int, Meta(ge=1, le=1_000_000)] = 1000
    seed: Annotated[int, Meta(ge=0, le=2**63 - 1)] = 0
    position_spread: Spread = 0.1
    susceptibility_spread: Spread = 0.1
    weight_spread: Spread = 0.2


class InterventionOptions(msgspec.Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """Limits of the briefing plan: the largest move of one initial position, a fixed cost per
    briefed stakeholder on top of ``cost × |move|``, stakeholders who cannot be briefed, the
    MILP time limit in seconds (per solve), the probability of passing the plan must reach
    under the discussion's Monte Carlo uncertainty, and the least move that counts as a
    briefing of the sandwich's top and base."""

    max_move: Annotated[float, Meta(gt=0.0, le=1.0)] = 1.0
    briefing_cost: NonNegative = 0.0
    exclude: tuple[Id, ...] = ()
    time_limit: Annotated[float, Meta(gt=0.0, le=600.0)] = 10.0
    target: Annotated[
        float,
        Meta(
            gt=0.0,
            lt=1.0,
            description="The probability of passing the plan must reach under the Monte Carlo "
            "input uncertainty (the discussion's monte_carlo options), measured on the "
            "planning model.",
        ),
    ] = 0.8
    min_move: Annotated[
        float,
        Meta(
            gt=0.0,
            le=1.0,
            description="The least move of a stakeholder the sandwich counts as briefing them "
            "(or as far as the position can go).",
        ),
    ] = 0.05


# --------------------------------------------------------------------------- the discussion


class Discussion(msgspec.Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """A discussion to simulate: scenario files decode into this.

    ``record_every`` thins the trajectory (every k-th round plus the last). ``coalition_gap``
    is the largest distance (max over issues) between neighbours of one coalition.
    """

    id: Id
    name: Name
    description: str = ""
    raci_scenario: Id | None = None
    issues: Annotated[tuple[Id, ...], Meta(min_length=1, max_length=50)]
    stakeholders: tuple[Stakeholder, ...]
    network: Network = Network()
    model: Model = FriedkinJohnsen()
    max_rounds: Annotated[int, Meta(ge=1, le=1_000_000)] = 1000
    tolerance: Annotated[float, Meta(gt=0.0, le=1.0)] = 1e-6
    record_every: Annotated[int, Meta(ge=1, le=1_000_000)] = 1
    coalition_gap: Annotated[float, Meta(gt=0.0, le=1.0)] = 0.1
    proposal: Proposal | None = None
    monte_carlo: MonteCarloOptions = MonteCarloOptions()
    intervention: InterventionOptions = InterventionOptions()


# --------------------------------------------------------------------------- results

MACHINE_DEPENDENT = (
    "The fields whose figures depend on the machine's speed because a time limit cut the work "
    "(the same request may then answer differently); empty: the answer is reproducible. Work "
    "limits (max_rounds, draws) never make an answer machine-dependent."
)

Status = Literal["converged", "not-converged"]
Positions: TypeAlias = tuple[float, ...]


class DeGrootCertificate(msgspec.Struct, frozen=True):
    """Structure of W: the closed strongly connected components (groups that listen only to
    themselves), whether each is aperiodic, and whether DeGroot consensus is guaranteed (one
    closed component, aperiodic)."""

    closed_components: tuple[tuple[str, ...], ...]
    aperiodic: tuple[bool, ...]
    consensus_guaranteed: bool


class Diagnostics(msgspec.Struct, frozen=True, kw_only=True):
    """Certificates of the run.

    ``spectral_radius``: ρ(ΛW) for Friedkin–Johnsen, ρ(ΛW)·ρ(C) for the multi-issue model.
    ``convergence_rate``: the factor by which the error shrinks per round (ρ(ΛW) for FJ, the
    second largest eigenvalue modulus of W for DeGroot); None for bounded confidence.
    ``equilibrium``: the closed form x* per stakeholder, and the iteration's distance to it.
    """

    certificate: DeGrootCertificate
    spectral_radius: float | None = None
    convergence_rate: float | None = None
    equilibrium: tuple[Positions, ...] | None = None
    distance_to_equilibrium: float | None = None


class Coalition(msgspec.Struct, frozen=True):
    """Stakeholders whose final positions lie together; ``position`` is their mean."""

    members: tuple[str, ...]
    position: Positions
    weight: float


class Polarisation(msgspec.Struct, frozen=True):
    """Variance of final positions (mean over issues), disagreement over the network
    Σᵢⱼ Wᵢⱼ‖xᵢ − xⱼ‖² / n, and Esteban–Ray over the coalitions (α = 1.6)."""

    variance: float
    disagreement: float
    esteban_ray: float


class Influence(msgspec.Struct, frozen=True):
    """A stakeholder's share of social power (shares sum to 1)."""

    stakeholder: str
    share: float


class Power(msgspec.Struct, frozen=True, kw_only=True):
    """Social power: how much of the final views each stakeholder's initial view makes up.

    ``total_influence``: V with x* = V u (FJ: V = (I − ΛW)⁻¹(I − Λ); DeGroot: the limit of
    the averaging). ``shares``: column means of V, largest first.
    """

    method: Literal["left-eigenvector", "limit-matrix", "total-influence"]
    shares: tuple[Influence, ...]
    key_influencers: tuple[str, ...]
    total_influence: tuple[Positions, ...] | None = None


class Decision(msgspec.Struct, frozen=True, kw_only=True):
    """The proposal's fate: ``share`` of supporters (by count or weight) against ``required``;
    ``margin = share − required`` (a strict majority needs margin > 0)."""

    issue: str
    rule: Rule
    threshold: float
    passes: bool
    share: float
    required: float
    margin: float
    supporters: tuple[str, ...]
    opponents: tuple[str, ...]
    vetoes: tuple[str, ...]


class ModelDecision(msgspec.Struct, frozen=True, kw_only=True):
    """The proposal's fate under one standard dynamics model, at the inputs as given."""

    model: Annotated[Model, Meta(description="The model and the parameters it ran with.")]
    name: Annotated[str, Meta(description="The model's name in words (Friedkin–Johnsen …).")]
    own: Annotated[bool, Meta(description="This is the discussion's own model.")]
    defaults: Annotated[
        bool,
        Meta(
            description="The parameters are the documented defaults, not the discussion's "
            "(it names another model)."
        ),
    ]
    status: Status
    decision: Decision
    probability: Annotated[
        float | None,
        Meta(description="P(pass) over the Monte Carlo draws (Monte Carlo results only)."),
    ] = None
    interval: Annotated[
        tuple[float, float] | None,
        Meta(description="Its 95 % Wilson interval (Monte Carlo results only)."),
    ] = None


class Agreement(msgspec.Struct, frozen=True, kw_only=True):
    """How the standard dynamics models (DeGroot, Friedkin–Johnsen, Hegselmann–Krause,
    Deffuant–Weisbuch) decide the proposal, and whether they agree."""

    models: tuple[ModelDecision, ...]
    passing: Annotated[int, Meta(description="How many of the models say it passes.")]
    unanimous: Annotated[bool, Meta(description="Every model reaches the same decision.")]
    statement: Annotated[
        str,
        Meta(
            description="In words, e.g. '3 of 4 models: passes; Friedkin–Johnsen: fails, "
            "vetoed by Works council — the models disagree'."
        ),
    ]
    not_run: Annotated[
        tuple[ModelKind, ...],
        Meta(
            description="Standard models left out because the time budget stopped their run "
            "(a stopped run's state depends on the machine's speed, not on the model)."
        ),
    ] = ()


class SimulationResult(msgspec.Struct, frozen=True, kw_only=True):
    """What a run produced. ``status`` says whether it converged within ``max_rounds``; when
    not, ``final`` is the last state and is never an equilibrium.

    ``trajectory[k][i][p]`` is stakeholder i's position on issue p in round
    ``trajectory_rounds[k]`` (round 0 = the initial positions).
    """

    discussion: str
    model: ModelKind
    status: Status
    converged: bool
    message: str
    rounds: int
    issues: tuple[str, ...]
    stakeholders: tuple[str, ...]
    final: dict[str, Positions]
    trajectory_rounds: tuple[int, ...]
    trajectory: tuple[tuple[Positions, ...], ...]
    diagnostics: Diagnostics
    coalitions: tuple[Coalition, ...]
    consensus: bool
    polarisation: Polarisation
    power: Power
    decision: Decision | None = None
    budget: str | None = None  # what the request's time budget cut; None: nothing
    agreement: Annotated[
        Agreement | None,
        Meta(description="The decision under each standard model (None without a proposal)."),
    ] = None
    record_every: Annotated[
        int,
        Meta(
            description="The trajectory's stride: every this many rounds, the first and the last."
        ),
    ] = 1
    thinned: Annotated[
        str | None,
        Meta(
            description="Why the trajectory keeps fewer rounds than `record_every` asked, e.g. "
            "'every 16th round of 10,000 (and the last): 1,000 stakeholders × 5 issues × 627 "
            "recorded rounds within 2,000,000 numbers'; None: not thinned."
        ),
    ] = None
    machine_dependent: Annotated[tuple[str, ...], Meta(description=MACHINE_DEPENDENT)] = ()


class Sensitivity(msgspec.Struct, frozen=True):
    """Correlation of one stakeholder's perturbed inputs with the decision margin."""

    stakeholder: str
    position: float
    susceptibility: float
    weight: float


class Chance(msgspec.Struct, frozen=True, kw_only=True):
    """P(pass) under one model over ``draws`` seeded draws of the inputs, 95 % Wilson interval."""

    model: ModelKind
    draws: int
    seed: int
    passes: int
    probability: float
    interval: tuple[float, float]


class MonteCarloResult(msgspec.Struct, frozen=True, kw_only=True):
    """Probability that the proposal passes under uncertain inputs *and* an uncertain model.

    Every standard model runs on the same draws (the first draw is the inputs as given).
    ``probability`` is the mean of the models' probabilities (each model equally likely),
    ``passes`` the passing (model, draw) pairs, and ``interval`` the mean of the models'
    Bonferroni-adjusted Wilson bounds (a 95 % interval for the mean). ``own`` is the
    discussion's own model alone; ``converged_share``, ``mean_margin`` and ``sensitivity``
    (sorted by the largest absolute correlation) are the own model's.
    """

    discussion: str
    model: ModelKind
    draws: int
    seed: int
    passes: int
    probability: float
    interval: tuple[float, float]
    own: Annotated[Chance, Meta(description="The discussion's own model alone.")]
    agreement: Agreement
    converged_share: float
    mean_margin: float
    sensitivity: tuple[Sensitivity, ...]
    standard_error: float = 0.0  # of the probability: √(p̂(1 − p̂)/N)
    budget: str | None = None  # what the request's time budget cut; None: nothing
    machine_dependent: Annotated[tuple[str, ...], Meta(description=MACHINE_DEPENDENT)] = ()


InterventionStatus = Literal[
    "optimal", "not-needed", "target-not-reached", "infeasible", "time-limit", "error"
]
Strategy = Literal["least-effort", "sandwich"]


class Move(msgspec.Struct, frozen=True):
    """Brief ``stakeholder``: move the initial position on the issue from before to after."""

    stakeholder: str
    before: float
    after: float
    effort: float


class Plan(msgspec.Struct, frozen=True, kw_only=True):
    """A briefing plan, whether it makes the proposal pass (checked by recomputing the
    equilibrium with the moved positions), and how likely it passes under uncertain inputs.

    ``status``: ``optimal`` (the least effort at the margin found, the target reached),
    ``not-needed`` (the proposal already reaches the target), ``target-not-reached`` (the plan
    with the best probability found, short of the target), ``infeasible``, ``time-limit``,
    ``error``.
    """

    strategy: Strategy
    status: InterventionStatus
    message: str
    effort: float | None
    moves: tuple[Move, ...]
    decision: Decision | None
    margin: Annotated[
        float | None,
        Meta(description="The safety margin above the threshold every supporter is planned at."),
    ] = None
    probability: Annotated[
        Chance | None,
        Meta(description="P(pass) on the briefed discussion, the seed the margin was searched on."),
    ] = None
    remeasured: Annotated[
        Chance | None,
        Meta(description="P(pass) on the briefed discussion again, with an independent seed."),
    ] = None
    agreement: Annotated[
        Agreement | None,
        Meta(description="The briefed discussion's decision under each standard model."),
    ] = None


class InterventionResult(msgspec.Struct, frozen=True, kw_only=True):
    """The least-effort briefing plan against the sandwich (at least one of the top and one of
    the base), each robust: it reaches ``target`` under the Monte Carlo input uncertainty."""

    discussion: str
    issue: str
    planned_on: Annotated[
        ModelKind, Meta(description="The model whose equilibrium the plans are computed on.")
    ]
    target: float
    baseline: Decision
    baseline_probability: Annotated[
        Chance, Meta(description="P(pass) without briefing, on the planning model.")
    ]
    least_effort: Plan
    sandwich: Plan
    sandwich_members: tuple[str, ...]
    top: Annotated[tuple[str, ...], Meta(description="The sandwich's top (see the README).")]
    base: Annotated[tuple[str, ...], Meta(description="The sandwich's base (see the README).")]
    budget: Annotated[
        str | None,
        Meta(description="What the request's time budget cut; None: nothing."),
    ] = None
    machine_dependent: Annotated[tuple[str, ...], Meta(description=MACHINE_DEPENDENT)] = ()
