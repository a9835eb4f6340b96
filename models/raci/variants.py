"""The five governance models as RACI: structure (hard), owners (soft), and per-unit rows.

Each model is described three times, per *archetype* — the catalogue activity an activity is
like (:func:`models.raci.catalogue.archetype`), not its broad category:

* its **structure** — the few cells a consultant would call *the* model, enforced as hard
  rules by the optimiser (:data:`STRUCTURE`);
* its **owners** — who a consultant would draw as A and R on each activity under the model
  (:data:`OWNERS`, after DOMAIN practice: Altimeter/Owyang 2010, Fink, Zerfass & Linke 2012).
  Every other cell's preferred letter is model-independent: **S** for the works council on
  codetermined work, **C** for the activity's natural consultees, **I** for those who only
  need to know (:mod:`models.raci.catalogue`). Deviating from this template costs
  *alignment*;
* its **devolved** activities (:data:`DEVOLVED`, :func:`devolved`) — the execution each
  business unit runs for itself. Under hub-and-spoke, multi-hub and distributed they become
  one row per unit (``content@bu-life``, the unit's share of the effort): each unit owns its
  own work, and no unit holds a letter on another unit's row. Shared activities (strategy,
  guidelines, crisis ...) stay single rows.

Role keys: a role's kind (``hub``, ``business_unit`` ...), and three pseudo-kinds: ``unit``
is the row's own business unit on a per-unit row; ``umbrella`` is the hub highest in the
reporting tree (ties by id), the one ``hub`` of every model; every other hub is a
``regional_hub``, which only multi-hub gives accountabilities — on a per-unit row only the
regional hubs of that unit (a hub that reports to the unit or that the unit reports to; every
regional hub when none is tied to a unit). A structure rule whose keys match no role does not
apply.

=============  ==============================================================================
model          structure (hard)
=============  ==============================================================================
central        a hub is A for strategy, coordination, guidelines, training, channels,
               monitoring and KPIs; the employees A nowhere, and at most C or I but on
               content, campaigns and community (where they may help as R)
hub-and-spoke  a hub is A for strategy, guidelines, training, channels, monitoring and KPIs;
               each unit is R on its own content, campaigns and community; the employees
               A nowhere
distributed    each unit is A on its own content, campaigns, community, monitoring, channels
               and KPIs; the unit (or the employees) R on each of its rows, customer care
               included; hubs hold at most C or I there. Without business units the
               employees are R on content, campaigns and community, hubs at most C or I
multi-hub      the umbrella hub is A for strategy, guidelines and KPIs; each unit's row
               (content, campaigns, community, monitoring) has the unit or its regional hub
               as A and as R; the employees A nowhere
holistic       a hub is A for guidelines and training (the agreed rules and the enablement);
               the employees are R on content, campaigns and community; hubs hold at most C
               or I there
=============  ==============================================================================

Every model also has Legal perform the legal review itself (R stays with Legal), keeps an
external agency from being accountable for anything, and needs the
board heard (at least C) on the strategy — "green light from the top" — and, where executive
sponsorship is weak or absent, on the guidelines too; on a shared row no business unit is
accountable (a unit decides its own work, not the others'), and the units are treated alike
(:mod:`models.raci.objective` adds these with the works council's consent).

Applicability
-------------
A model needs its structure. Altimeter/Owyang (2010) describe the hub as a centre of excellence
(a CSMO or social-media team) and the spokes as business units; multiple hub-and-spoke (the
"dandelion") as several such units, each with its own hub, under one umbrella; holistic (the
"honeycomb") as every employee enabled within rules and training the organisation provides;
distributed as business units and employees that own their work without central
coordination. Where the roles for that structure are missing, the model is not applicable as it
stands: :func:`applicability` says why, naming the roles, and what it would take, and
:func:`models.raci.solve.solve` does not solve it (status ``not-applicable``). Without the
check, the structure rules above whose kinds match no role would simply not apply, and the
optimiser would call a model the organisation cannot run optimal.

=============  ==============================================================================
variant        applicable when the scenario has
=============  ==============================================================================
central        a hub
hub-and-spoke  a hub and at least one business unit
distributed    at least one business unit or an employees role
multi-hub      at least two hubs (the umbrella and a regional hub, see :func:`umbrella`) and
               at least one business unit
holistic       a hub (the rules and the enablement) and an employees role
=============  ==============================================================================

Hubs are roles of kind ``hub``, business units of kind ``business_unit``, the employees of
kind ``employees``. The remedy names what to create and, when one fits the organisation as it
is, a model to choose instead (the first applicable one of :data:`FALLBACKS`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import msgspec
import networkx as nx

from models.core import (
    ACCOUNTABLE,
    CONSENT,
    RESPONSIBLE,
    UNIT_SEPARATOR,
    Letter,
    both,
    unaccountable,
)
from models.labels import label
from models.messages import current, join, model, say
from models.raci.catalogue import ACTIVITIES, archetype, consultees
from models.raci.types import Activity, Applicability, Role, RoleKind, Scenario, Variant

# What a role that holds at most C or I must not hold.
EXECUTION_ONLY_INFORMED = ACCOUNTABLE | RESPONSIBLE

KindKey = str  # a RoleKind or one of the pseudo-kinds "unit", "umbrella", "regional_hub"

#: The execution each business unit runs for itself, per model: one row per unit.
DEVOLVED: Mapping[Variant, frozenset[str]] = {
    "central": frozenset(),
    "hub-and-spoke": frozenset({"content", "campaigns", "community"}),
    "distributed": frozenset(
        {"content", "campaigns", "community", "monitoring", "customer-care", "channels", "kpis"}
    ),
    "multi-hub": frozenset({"content", "campaigns", "community", "monitoring"}),
    "holistic": frozenset(),
}


@dataclass(frozen=True)
class StructureRule:
    """On every activity like one of ``activities``: one of the roles that ``keys`` designate
    holds a letter of ``letters`` (``require=True``), or none of them does (``False``)."""

    name: str
    activities: frozenset[str]
    keys: tuple[KindKey, ...]
    letters: frozenset[Letter]
    require: bool
    says: str  # the key of its sentence in models.messages, with an {activity} parameter
    rows: Literal["any", "unit", "shared"] = "any"  # on per-unit rows, shared rows, or both

    def applies(self, activity: Activity) -> bool:
        """Whether the rule binds the row ``activity``."""
        scope = "shared" if activity.unit is None else "unit"
        return archetype(activity) in self.activities and self.rows in ("any", scope)


def _rule(
    name: str,
    activities: Sequence[str] | frozenset[str],
    keys: Sequence[KindKey],
    letters: frozenset[Letter],
    says: str,
    *,
    require: bool = True,
    rows: Literal["any", "unit", "shared"] = "any",
) -> StructureRule:
    return StructureRule(name, frozenset(activities), tuple(keys), letters, require, says, rows)


def _employees_do_the_work(rows: Literal["any", "shared"]) -> tuple[StructureRule, ...]:
    """The employees are R on content, campaigns and community; hubs at most C or I there."""
    work = ("content", "campaigns", "community")
    return (
        _rule(
            "employees_responsible",
            work,
            ("employees",),
            RESPONSIBLE,
            "structure.employees-responsible",
            rows=rows,
        ),
        _rule(
            "hub_consulted_only",
            work,
            ("hub",),
            EXECUTION_ONLY_INFORMED,
            "structure.hub-consulted-only",
            require=False,
            rows=rows,
        ),
    )


#: Central, hub-and-spoke and multi-hub keep decisions with the hub, the units and the functions:
#: "the employees" are a collective, and only the models that hand the work to them (distributed,
#: holistic) make them accountable. Without this, a tight capacity elsewhere made the employees
#: A/R on the corporate content of a central model, which no partner could defend.
_EMPLOYEES_NOT_ACCOUNTABLE = _rule(
    "employees_not_accountable",
    frozenset(ACTIVITIES),
    ("employees",),
    ACCOUNTABLE,
    "structure.employees-not-accountable",
    require=False,
)
_HUB_A = "structure.hub-accountable"
_UNIT_R = "structure.unit-responsible"
#: In every model: only Legal has the competence to do the legal review itself, and an
#: external agency executes but never decides for the organisation.
EVERY_MODEL = (
    _rule(
        "agency_not_accountable",
        frozenset(ACTIVITIES),
        ("agency",),
        ACCOUNTABLE,
        "structure.agency-not-accountable",
        require=False,
    ),
    _rule(
        "legal_reviews",
        ("legal-review",),
        ("legal",),
        RESPONSIBLE,
        "structure.legal-reviews",
    ),
)
_STRUCTURE: Mapping[Variant, tuple[StructureRule, ...]] = {
    "central": (
        _rule(
            "hub_accountable",
            ("strategy", "coordination", "guidelines", "training", "channels"),
            ("hub",),
            ACCOUNTABLE,
            _HUB_A,
        ),
        _rule("hub_accountable", ("monitoring", "kpis"), ("hub",), ACCOUNTABLE, _HUB_A),
        # the central team and the functions steer and decide; the employees follow the
        # guidelines, are trained, and at most help with the execution under another's A
        _rule(
            "employees_informed_only",
            frozenset(ACTIVITIES) - {"content", "campaigns", "community"},
            ("employees",),
            EXECUTION_ONLY_INFORMED,
            "structure.employees-informed-only",
            require=False,
        ),
        _EMPLOYEES_NOT_ACCOUNTABLE,
    ),
    "hub-and-spoke": (
        _rule(
            "hub_accountable",
            ("strategy", "guidelines", "training", "channels", "monitoring", "kpis"),
            ("hub",),
            ACCOUNTABLE,
            _HUB_A,
        ),
        _rule("unit_responsible", DEVOLVED["hub-and-spoke"], ("unit",), RESPONSIBLE, _UNIT_R),
        _EMPLOYEES_NOT_ACCOUNTABLE,
    ),
    "distributed": (
        _rule(
            "unit_accountable",
            DEVOLVED["distributed"] - {"customer-care"},
            ("unit",),
            ACCOUNTABLE,
            "structure.unit-accountable",
        ),
        _rule(
            "unit_responsible",
            DEVOLVED["distributed"],
            ("unit", "employees"),
            RESPONSIBLE,
            "structure.unit-or-employees-responsible",
            rows="unit",
        ),
        _rule(
            "hub_consulted_only",
            DEVOLVED["distributed"],
            ("hub",),
            EXECUTION_ONLY_INFORMED,
            "structure.hub-consulted-only",
            require=False,
            rows="unit",
        ),
        # without business units, the employees own their work
        *_employees_do_the_work(rows="shared"),
    ),
    "multi-hub": (
        _rule(
            "umbrella_accountable",
            ("strategy", "guidelines", "kpis"),
            ("umbrella",),
            ACCOUNTABLE,
            "structure.umbrella-accountable",
        ),
        _rule(
            "regional_accountable",
            DEVOLVED["multi-hub"],
            ("regional_hub", "unit"),
            ACCOUNTABLE,
            "structure.regional-accountable",
        ),
        _rule(
            "regional_responsible",
            DEVOLVED["multi-hub"],
            ("regional_hub", "unit"),
            RESPONSIBLE,
            "structure.regional-responsible",
        ),
        _EMPLOYEES_NOT_ACCOUNTABLE,
    ),
    "holistic": (
        _rule("hub_accountable", ("guidelines", "training"), ("hub",), ACCOUNTABLE, _HUB_A),
        *_employees_do_the_work(rows="any"),
    ),
}

STRUCTURE: Mapping[Variant, tuple[StructureRule, ...]] = {
    variant: (*rules, *EVERY_MODEL) for variant, rules in _STRUCTURE.items()
}

Owners = Mapping[str, Mapping[KindKey, Letter]]

#: Who holds A and R under central, the starting point of every model (DOMAIN practice: one
#: team is A — and mostly R — for almost everything; communications speaks with one voice;
#: HR owns employer branding and the works agreement; Legal the legal review; IT security).
CENTRAL: Owners = {
    "strategy": {"hub": "A/R"},
    "coordination": {"hub": "A/R"},
    "guidelines": {"hub": "A", "communications": "R"},
    "training": {"hub": "A", "communications": "R"},
    "internal-tools": {"hub": "A", "it": "R"},
    "channels": {"hub": "A", "it": "R"},
    "content": {"communications": "A/R", "agency": "R"},
    "campaigns": {"hub": "A", "marketing": "R", "agency": "R"},
    "community": {"communications": "A/R"},
    "monitoring": {"hub": "A", "communications": "R"},
    "customer-care": {"customer_service": "A/R"},
    "crisis": {"communications": "A/R"},
    "legal-review": {"legal": "A/R"},
    "kpis": {"hub": "A/R"},
    "employer-branding": {"hr": "A", "communications": "R"},
    "works-agreement": {"hr": "A/R"},
    "agency-steering": {"hub": "A", "marketing": "R"},
    "it-security": {"it": "A/R"},
}

#: Per model, the activities whose owners differ from :data:`CENTRAL` (the row replaced).
CHANGES: Mapping[Variant, Owners] = {
    "central": {},
    "hub-and-spoke": {
        "strategy": {"hub": "A/R", "business_unit": "R"},
        "guidelines": {"hub": "A/R"},
        "training": {"hub": "A/R", "hr": "R"},
        "content": {"unit": "A/R", "agency": "R"},
        "campaigns": {"unit": "A/R", "agency": "R"},
        "community": {"unit": "A/R"},
        "monitoring": {"hub": "A/R"},
        "customer-care": {"customer_service": "A/R", "unit": "A/R"},
        "crisis": {"communications": "A", "hub": "R", "business_unit": "R"},
        "kpis": {"hub": "A", "business_unit": "R"},
        "employer-branding": {"hr": "A/R"},
    },
    "distributed": {
        "strategy": {"executive": "A", "business_unit": "R", "hub": "R"},
        "guidelines": {"legal": "A", "hr": "R"},
        "training": {"hr": "A", "business_unit": "R"},
        "internal-tools": {"it": "A", "hr": "R"},
        "channels": {"unit": "A/R"},
        "content": {"unit": "A", "employees": "R"},
        "campaigns": {"unit": "A/R", "agency": "R"},
        "community": {"unit": "A", "employees": "R"},
        "monitoring": {"unit": "A/R"},
        "customer-care": {"customer_service": "A", "unit": "R"},
        "crisis": {"communications": "A", "business_unit": "R"},
        "kpis": {"unit": "A/R"},
        "employer-branding": {"hr": "A", "employees": "R"},
        "agency-steering": {"marketing": "A/R"},
    },
    "multi-hub": {
        "strategy": {"umbrella": "A/R", "regional_hub": "R"},
        "coordination": {"umbrella": "A/R", "regional_hub": "R"},
        "guidelines": {"umbrella": "A/R"},
        "training": {"umbrella": "A", "hr": "R", "regional_hub": "R"},
        "channels": {"umbrella": "A", "it": "R"},
        "content": {"regional_hub": "A", "unit": "R", "agency": "R"},
        "campaigns": {"regional_hub": "A", "unit": "R", "agency": "R"},
        "community": {"regional_hub": "A", "unit": "R"},
        "monitoring": {"regional_hub": "A/R"},
        "customer-care": {"customer_service": "A/R", "unit": "A/R"},
        "crisis": {"communications": "A", "umbrella": "R", "regional_hub": "R"},
        "kpis": {"umbrella": "A", "regional_hub": "R"},
        "employer-branding": {"hr": "A/R"},
        "agency-steering": {"umbrella": "A", "marketing": "R"},
    },
    "holistic": {
        "guidelines": {"hub": "A/R"},
        "training": {"hub": "A", "hr": "R"},
        "content": {"employees": "A/R"},
        "campaigns": {"marketing": "A", "employees": "R"},
        "community": {"employees": "A/R"},
        "customer-care": {"customer_service": "A", "employees": "R"},
        "monitoring": {"hub": "A/R"},
        "employer-branding": {"hr": "A", "employees": "R"},
    },
}


def owners(variant: Variant, like: str) -> Mapping[KindKey, Letter]:
    """Who holds A and R on an activity like ``like`` under ``variant``."""
    return CHANGES[variant].get(like, CENTRAL.get(like, {}))


def hats(scenario: Scenario) -> Mapping[str, RoleKind]:
    """The second hat each role wears in the design its ``lead`` runs (:func:`led`): the lead
    keeps its own kind beside the hub's (the CIO who leads still owns IT security), and a
    former hub becomes the lead's working team, ``"hub"`` here: it keeps the hub's work but
    not its accountability (:attr:`Organisation.hats`). Empty without a ``lead``."""
    if scenario.lead is None:
        return {}
    worn: dict[str, RoleKind] = {
        role.id: "hub" for role in scenario.roles if role.kind == "hub" and role.id != scenario.lead
    }
    lead = next((role for role in scenario.roles if role.id == scenario.lead), None)
    if lead is not None and lead.kind != "hub":
        worn[lead.id] = lead.kind
    return worn


def led(scenario: Scenario) -> Scenario:
    """The scenario as its ``lead`` runs it: the leading role is the hub, the former hubs are
    specialists (kind ``other``, their competences kept). "The CIO leads" is thus a design of
    its own, not a rule that contradicts the hub's accountabilities."""
    if scenario.lead is None:
        return scenario
    roles = tuple(
        msgspec.structs.replace(role, kind="hub")
        if role.id == scenario.lead
        else msgspec.structs.replace(role, kind="other")
        if role.kind == "hub"
        else role
        for role in scenario.roles
    )
    return msgspec.structs.replace(scenario, roles=roles)


def devolved(variant: Variant, roles: Sequence[Role]) -> frozenset[str]:
    """The activities each unit runs for itself under ``variant``: :data:`DEVOLVED`, and
    customer care too where units execute and no customer-service role exists (each unit then
    serves its own customers)."""
    own_service = not any(role.kind == "customer_service" for role in roles)
    if DEVOLVED[variant] and own_service:
        return DEVOLVED[variant] | {"customer-care"}
    return DEVOLVED[variant]


def rows(scenario: Scenario, variant: Variant) -> tuple[Activity, ...]:
    """The scenario's activities as RACI rows under ``variant``: a devolved activity becomes
    one row per business unit, each with the unit's equal share of the effort."""
    units = [role for role in scenario.roles if role.kind == "business_unit"]
    devolved_here = devolved(variant, scenario.roles)
    made: list[Activity] = []
    for activity in scenario.activities:
        like = archetype(activity)
        if activity.unit is not None or not units or like not in devolved_here:
            made.append(activity)
            continue
        made.extend(
            msgspec.structs.replace(
                activity,
                id=f"{activity.id}{UNIT_SEPARATOR}{unit.id}",
                name=f"{activity.name} ({unit.name})",
                effort=activity.effort / len(units),
                like=like,
                unit=unit.id,
            )
            for unit in units
        )
    return tuple(made)


#: What a hub other than the umbrella is heard on: the group's rules it implements.
REGIONAL_VOICE = frozenset({"strategy", "coordination", "guidelines", "training", "crisis"})


@dataclass(frozen=True)
class Organisation:
    """What the role keys need to know about the roles: the umbrella hub, which regional
    hubs belong to which unit, and the second hat a role wears in a led design (:func:`hats`):
    its template letter holds the meanings of both (:func:`models.core.both`) — for a former
    hub, the umbrella hub's letter without accountability — and it is heard where either kind
    is."""

    umbrella: str | None
    hubs_of_unit: Mapping[str, frozenset[str]]
    hats: Mapping[str, RoleKind] = field(default_factory=dict)

    @classmethod
    def of(cls, roles: Sequence[Role], hats: Mapping[str, RoleKind] | None = None) -> Organisation:
        top = umbrella(roles)
        regional = [r for r in roles if r.kind == "hub" and r.id != top]
        units = [r for r in roles if r.kind == "business_unit"]
        tied = {
            u.id: frozenset(h.id for h in regional if h.reports_to == u.id or u.reports_to == h.id)
            for u in units
        }
        if not any(tied.values()):
            tied = {u.id: frozenset(h.id for h in regional) for u in units}
        return cls(top, tied, dict(hats or {}))

    def keys(self, variant: Variant, role: Role, activity: Activity) -> tuple[KindKey, ...]:
        """The role keys that describe ``role`` on ``activity``, most specific first."""
        unit = activity.unit
        if role.kind == "business_unit" and unit is not None:
            return ("unit",) if role.id == unit else ()
        if role.kind == "hub":
            if role.id == self.umbrella:  # a leading role keeps its own kind too
                return ("umbrella", "hub", *((self.hats[role.id],) if role.id in self.hats else ()))
            # other hubs are regional: only multi-hub gives them a part of their own
            if variant != "multi-hub":
                return ("regional_hub",)
            if unit is None or role.id in self.hubs_of_unit.get(unit, frozenset()):
                return ("regional_hub",)
            return ()
        return (role.kind,)

    def template_letter(self, variant: Variant, activity: Activity, role: Role) -> Letter | None:
        """The letter a consultant would draw for ``role`` on ``activity`` under ``variant``:
        its owner letter, else S for the works council on codetermined work, else C for a
        natural consultee, else I for one who only needs to know, else none. A leading role
        holds what its own kind and the hub hold, together."""
        letter = self._letter(variant, activity, role)
        hat = self.hats.get(role.id)
        if hat is None:
            return letter
        if hat == "hub":  # a former hub, now the lead's working team
            row = owners(variant, archetype(activity))
            hub = next((row[key] for key in ("umbrella", "hub") if key in row), None)
            return both(letter, unaccountable(hub))
        return both(
            letter, self._letter(variant, activity, msgspec.structs.replace(role, kind=hat))
        )

    def _letter(self, variant: Variant, activity: Activity, role: Role) -> Letter | None:
        keys = self.keys(variant, role, activity)
        if not keys:
            return None
        row = owners(variant, archetype(activity))
        for key in keys:
            if key in row:
                return row[key]
        if role.kind == "works_council" and activity.codetermination:
            return CONSENT
        if self.consulted(role, activity):
            return "C"
        if role.kind in ACTIVITIES[archetype(activity)].inform:
            return "I"
        return None

    def consulted(self, role: Role, activity: Activity) -> bool:
        """Whether ``role`` is a natural consultee of ``activity``: its kind is one the
        activity names, except that of several hubs only the umbrella speaks for the hub on
        group matters; the others have a voice on the rules they implement
        (:data:`REGIONAL_VOICE`)."""
        if role.kind == "hub" and self.umbrella not in (None, role.id):
            return archetype(activity) in REGIONAL_VOICE
        return role.kind in consultees(activity) or self.hats.get(role.id) in consultees(activity)

    def holders(
        self, keys: Sequence[KindKey], variant: Variant, roles: Sequence[Role], activity: Activity
    ) -> tuple[int, ...]:
        """The indices of the roles that ``keys`` designate on ``activity``."""
        return tuple(
            i for i, role in enumerate(roles) if set(self.keys(variant, role, activity)) & set(keys)
        )


def org_graph(roles: Sequence[Role]) -> nx.Graph:
    """The organisation as an undirected graph: one node per role, an edge per ``reports_to``."""
    graph = nx.Graph()
    graph.add_nodes_from(sorted(role.id for role in roles))
    ids = {role.id for role in roles}
    graph.add_edges_from(
        sorted((role.id, role.reports_to) for role in roles if role.reports_to in ids)
    )
    return graph


def umbrella(roles: Sequence[Role]) -> str | None:
    """The hub highest in the reporting tree (fewest ``reports_to`` steps up; ties by id)."""
    parent = {role.id: role.reports_to for role in roles}

    def depth(role_id: str) -> int:
        seen = {role_id}
        steps = 0
        while (up := parent.get(role_id)) is not None and up in parent and up not in seen:
            seen.add(up)
            role_id = up
            steps += 1
        return steps

    hubs = sorted((depth(role.id), role.id) for role in roles if role.kind == "hub")
    return hubs[0][1] if hubs else None


# --------------------------------------------------------------------------- applicability

# A requirement of a model's structure (the table of the module docstring):
#   hub    at least one hub            units      at least one business unit
#   hubs   at least two hubs           employees  an employees role
#   units_or_employees                 at least one business unit or an employees role
Need = Literal["hub", "hubs", "units", "employees", "units_or_employees"]

# Per variant, what it needs, each with the purpose a consultant would name.
#: Per model, what it needs; the purpose of each need is the sentence
#: ``needs.<model>.<need>`` of :mod:`models.messages`.
REQUIRES: Mapping[Variant, tuple[Need, ...]] = {
    "central": ("hub",),
    "hub-and-spoke": ("hub", "units"),
    "distributed": ("units_or_employees",),
    "multi-hub": ("units", "hubs"),
    "holistic": ("hub", "employees"),
}

FALLBACKS: Mapping[Variant, tuple[Variant, ...]] = {
    "central": ("distributed",),
    "hub-and-spoke": ("central", "distributed"),
    "distributed": ("central",),
    "multi-hub": ("hub-and-spoke", "central", "distributed"),
    "holistic": ("hub-and-spoke", "central", "distributed"),
}


@dataclass(frozen=True)
class _Structure:
    """The roles of a scenario that carry a governance model."""

    hubs: tuple[Role, ...]
    units: tuple[Role, ...]
    employees: tuple[Role, ...]

    @classmethod
    def of(cls, roles: Sequence[Role]) -> _Structure:
        def kind(wanted: str) -> tuple[Role, ...]:
            return tuple(role for role in roles if role.kind == wanted)

        return cls(kind("hub"), kind("business_unit"), kind("employees"))

    def meets(self, requirement: Need) -> bool:
        return {
            "hub": len(self.hubs) >= 1,
            "hubs": len(self.hubs) >= 2,
            "units": len(self.units) >= 1,
            "employees": len(self.employees) >= 1,
            "units_or_employees": len(self.units) + len(self.employees) >= 1,
        }[requirement]

    def has_some(self, requirement: Need) -> bool:
        """Whether the organisation has part of what the requirement asks (one hub of two)."""
        return requirement == "hubs" and bool(self.hubs)

    def lacks(self, requirement: Need) -> str:
        """What the organisation has instead, after "has"."""
        if self.has_some(requirement):
            return say("lacks.single-hub", hub=self.hubs[0].name)
        return say(f"lacks.{requirement}")

    def takes(self, requirement: Need) -> str:
        """What it would take to meet the requirement."""
        return say("takes.single-hub" if self.has_some(requirement) else f"takes.{requirement}")


#: The needs whose lack reads "has none" when it is the only one.
_NONE_OF_IT: frozenset[Need] = frozenset({"hub", "hubs", "units", "employees"})


def _names(roles: Sequence[Role]) -> str:
    """Role names as a list a consultant reads out: "A", "A and B", "A, B and C"."""
    return join([role.name for role in roles])


def _carriers(variant: Variant, structure: _Structure, roles: Sequence[Role]) -> str:
    """Who carries ``variant`` in an organisation that can run it."""
    hubs, units, employees = structure.hubs, structure.units, structure.employees
    if variant == "distributed":  # the one model that may run without a hub
        return say("carriers.distributed", names=_names((*units, *employees)))
    # one hub per model: the umbrella (other hubs act as regional hubs only under multi-hub)
    top = umbrella(roles)
    hub_part = say("carriers.hub", hub=next(hub.name for hub in hubs if hub.id == top))
    if variant == "central":
        return hub_part
    if variant == "hub-and-spoke":
        spokes = "carriers.spokes" if len(units) == 1 else "carriers.spokes.many"
        return say(spokes, hub=hub_part, units=_names(units))
    if variant == "multi-hub":
        regional = tuple(hub for hub in hubs if hub.id != top)
        head = next(hub for hub in hubs if hub.id == top)
        return say(
            "carriers.multi-hub" if len(regional) == 1 else "carriers.multi-hub.many",
            head=head.name,
            regional=_names(regional),
            units=_names(units),
        )
    return say("carriers.holistic", hub=hub_part, employees=_names(employees))


def applicability(scenario: Scenario, variant: Variant) -> Applicability:
    """Whether ``scenario`` has the structure ``variant`` needs, why, and what it would take.

    The rules are the table of the module docstring (Altimeter/Owyang 2010): central needs a
    hub; hub-and-spoke a hub and business units; distributed business units or employees;
    multi-hub two hubs or more and business units; holistic a hub and employees.

    Parameters
    ----------
    scenario
        A complete scenario (:func:`models.raci.catalogue.complete`); only its roles' kinds
        and names and the profile's name are read.
    variant
        One of :data:`models.raci.types.VARIANTS`.

    Returns
    -------
    Applicability
        ``applicable``; ``reason``, a sentence naming the roles that carry the model or what
        is missing; ``remedy``, what it would take ("" when applicable), with a model to choose
        instead when one fits the organisation as it is.

    Examples
    --------
    >>> from models.raci.types import Profile
    >>> youth = Scenario(id="youth", profile=Profile(name="Riverside Youth Aid", headcount=120),
    ...     roles=(Role(id="csmo", name="Coordinator", kind="hub"),
    ...            Role(id="staff", name="Staff", kind="employees")))
    >>> fit = applicability(youth, "hub-and-spoke")
    >>> fit.applicable
    False
    >>> fit.reason
    'Hub-and-spoke needs business units (spokes) to run execution; Riverside Youth Aid has none.'
    >>> fit.remedy
    'Create a business unit or regional team per line of work, or choose central.'
    >>> applicability(youth, "holistic").reason
    'Holistic can run: Coordinator as the hub setting the rules; Staff doing the work.'
    """
    structure = _Structure.of(scenario.roles)
    missing = [need for need in REQUIRES[variant] if not structure.meets(need)]
    title = label(f"variant.{variant}", current())
    if not missing:
        carriers = _carriers(variant, structure, scenario.roles)
        return Applicability(
            applicable=True, reason=say("applicable", title=title, carriers=carriers), remedy=""
        )
    lacks = [structure.lacks(need) for need in missing]
    if len(missing) == 1 and missing[0] in _NONE_OF_IT and not structure.has_some(missing[0]):
        lacks = [say("lacks.none")]  # "needs business units ...; Riverside Youth Aid has none."
    # a model has at most two requirements; their purposes list activities with "and", so a
    # comma keeps the two apart
    needs = say("and.comma").join(say(f"needs.{variant}.{need}") for need in missing)
    reason = say(
        "not-applicable",
        title=title,
        needs=needs,
        organisation=scenario.profile.name,
        lacks=say("and").join(lacks),
    )
    remedy = say("and.comma").join(structure.takes(need) for need in missing)
    instead = next(
        (
            other
            for other in FALLBACKS[variant]
            if all(structure.meets(need) for need in REQUIRES[other])
        ),
        None,
    )
    if instead is not None:
        remedy += say("takes.instead", variant=model(instead))
    return Applicability(
        applicable=False, reason=reason, remedy=remedy[0].upper() + remedy[1:] + "."
    )
