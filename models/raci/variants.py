"""The five governance variants as RACI structure (hard) and a preferred-letter template (soft).

Each variant is described twice:

* its **structure** — the few cells a consultant would call *the* variant, enforced as hard
  rules by the optimiser: which roles hold A, which must be R, which stay at most C or I;
* its **template** — the letter a consultant would draw in every other cell (Legal consulted on
  policy and risk, the executive informed on reporting, the works council consulted on
  codetermined work ...). Deviating from it costs *alignment* in the objective.

Both speak of role *kinds* (``hub``, ``business_unit`` ...). Two pseudo-kinds serve the
multi-hub variant: ``umbrella`` is the hub highest in the reporting tree (ties by id) and
``regional_hub`` every other hub. A structure rule whose kinds match no role of the scenario
does not apply: a scenario without business units has no "business units are R" rule.

=============  ==============================================================================
variant        structure (hard)
=============  ==============================================================================
central        a hub is A for strategy, policy, monitoring, crisis, reporting
hub-and-spoke  a hub is A for strategy, policy, training, tools, reporting; a business unit is
               R on every execution activity
distributed    a business unit or the employees are A and R on execution; hubs hold at most
               C or I there
multi-hub      the umbrella hub is A for strategy, policy, crisis, reporting; a regional hub or
               a business unit is A and R on execution and monitoring
holistic       a hub is A for policy and training (the agreed rules and the enablement); the
               employees are R on execution; hubs hold at most C or I on execution
=============  ==============================================================================

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
from dataclasses import dataclass
from typing import Literal

import networkx as nx

from models.core import ACCOUNTABLE, RESPONSIBLE, Letter
from models.raci.types import ActivityCategory, Applicability, Role, Scenario, Variant

# What a role that holds at most C or I must not hold.
EXECUTION_ONLY_INFORMED = ACCOUNTABLE | RESPONSIBLE

KindKey = str  # a RoleKind or one of the pseudo-kinds "umbrella", "regional_hub"


@dataclass(frozen=True)
class StructureRule:
    """On every activity of ``categories``: one of the roles of ``kinds`` holds a letter of
    ``letters`` (``require=True``), or none of them does (``require=False``)."""

    name: str
    categories: frozenset[ActivityCategory]
    kinds: tuple[KindKey, ...]
    letters: frozenset[Letter]
    require: bool
    says: str  # "{roles} is accountable for {activity}" style sentence template


def _rule(
    name: str,
    categories: Sequence[ActivityCategory],
    kinds: Sequence[KindKey],
    letters: frozenset[Letter],
    says: str,
    *,
    require: bool = True,
) -> StructureRule:
    return StructureRule(name, frozenset(categories), tuple(kinds), letters, require, says)


_HUB_A = "a hub role is accountable for {activity}"
STRUCTURE: Mapping[Variant, tuple[StructureRule, ...]] = {
    "central": (
        _rule(
            "hub_accountable",
            ("strategy", "policy", "monitoring", "crisis", "reporting"),
            ("hub",),
            ACCOUNTABLE,
            _HUB_A,
        ),
    ),
    "hub-and-spoke": (
        _rule(
            "hub_accountable",
            ("strategy", "policy", "training", "tools", "reporting"),
            ("hub",),
            ACCOUNTABLE,
            _HUB_A,
        ),
        _rule(
            "spoke_responsible",
            ("execution",),
            ("business_unit",),
            RESPONSIBLE,
            "a business unit is responsible for {activity}",
        ),
    ),
    "distributed": (
        _rule(
            "spoke_accountable",
            ("execution",),
            ("business_unit", "employees"),
            ACCOUNTABLE,
            "a business unit or the employees are accountable for {activity}",
        ),
        _rule(
            "spoke_responsible",
            ("execution",),
            ("business_unit", "employees"),
            RESPONSIBLE,
            "a business unit or the employees are responsible for {activity}",
        ),
        _rule(
            "hub_consulted_only",
            ("execution",),
            ("hub",),
            EXECUTION_ONLY_INFORMED,
            "a hub role is at most consulted or informed on {activity}",
            require=False,
        ),
    ),
    "multi-hub": (
        _rule(
            "umbrella_accountable",
            ("strategy", "policy", "crisis", "reporting"),
            ("umbrella",),
            ACCOUNTABLE,
            "the umbrella hub is accountable for {activity}",
        ),
        _rule(
            "regional_accountable",
            ("execution", "monitoring"),
            ("regional_hub", "business_unit"),
            ACCOUNTABLE,
            "a regional hub or a business unit is accountable for {activity}",
        ),
        _rule(
            "regional_responsible",
            ("execution", "monitoring"),
            ("regional_hub", "business_unit"),
            RESPONSIBLE,
            "a regional hub or a business unit is responsible for {activity}",
        ),
    ),
    "holistic": (
        _rule(
            "hub_accountable",
            ("policy", "training"),
            ("hub",),
            ACCOUNTABLE,
            _HUB_A,
        ),
        _rule(
            "employees_responsible",
            ("execution",),
            ("employees",),
            RESPONSIBLE,
            "the employees are responsible for {activity}",
        ),
        _rule(
            "hub_consulted_only",
            ("execution",),
            ("hub",),
            EXECUTION_ONLY_INFORMED,
            "a hub role is at most consulted or informed on {activity}",
            require=False,
        ),
    ),
}

Template = Mapping[ActivityCategory, Mapping[KindKey, Letter]]

# What a consultant draws when nothing variant-specific applies. Legal is consulted on policy
# and risk, the executive informed on reporting, the works council consulted on the work it
# co-determines (guidelines, tools, monitoring, the works agreement).
BASE_TEMPLATE: Template = {
    "strategy": {
        "hub": "A/R",
        "executive": "C",
        "marketing": "C",
        "communications": "C",
        "hr": "C",
        "it": "C",
        "business_unit": "C",
        "works_council": "I",
        "employees": "I",
    },
    "coordination": {
        "hub": "A/R",
        "marketing": "C",
        "communications": "C",
        "business_unit": "C",
        "executive": "I",
    },
    "policy": {
        "hub": "A/R",
        "legal": "C",
        "hr": "C",
        "it": "C",
        "communications": "C",
        "works_council": "C",
        "employees": "I",
        "business_unit": "I",
    },
    "training": {"hub": "A", "hr": "R", "legal": "C", "business_unit": "I", "employees": "I"},
    "tools": {"hub": "A", "it": "R", "legal": "C", "works_council": "C", "marketing": "C"},
    "execution": {
        "hub": "A",
        "marketing": "R",
        "communications": "C",
        "business_unit": "R",
        "agency": "R",
        "customer_service": "C",
        "employees": "I",
    },
    "monitoring": {
        "hub": "A/R",
        "communications": "C",
        "customer_service": "C",
        "marketing": "I",
        "works_council": "C",
        "legal": "I",
    },
    "crisis": {
        "hub": "A",
        "communications": "R",
        "legal": "C",
        "customer_service": "C",
        "executive": "I",
        "it": "I",
    },
    "risk": {"legal": "A/R", "hub": "C", "it": "C", "executive": "I"},
    "reporting": {
        "hub": "A/R",
        "executive": "I",
        "marketing": "C",
        "communications": "C",
        "business_unit": "C",
    },
    "labour_relations": {
        "hr": "A/R",
        "works_council": "R",
        "legal": "C",
        "hub": "C",
        "executive": "I",
    },
    "infrastructure": {"it": "A/R", "legal": "C", "works_council": "C", "hub": "I"},
}

# Per variant, the categories whose template differs from the base (the whole row is replaced).
OVERRIDES: Mapping[Variant, Template] = {
    "central": {
        "execution": {
            "hub": "A/R",
            "marketing": "C",
            "communications": "C",
            "customer_service": "C",
            "business_unit": "I",
            "employees": "I",
        },
        "crisis": {
            "hub": "A/R",
            "communications": "C",
            "legal": "C",
            "executive": "I",
            "customer_service": "I",
        },
    },
    "hub-and-spoke": {
        "execution": {
            "business_unit": "A/R",
            "hub": "C",
            "marketing": "C",
            "communications": "C",
            "agency": "R",
            "employees": "I",
        },
        "monitoring": {
            "hub": "A",
            "business_unit": "R",
            "communications": "C",
            "works_council": "C",
            "legal": "I",
        },
    },
    "distributed": {
        "strategy": {
            "executive": "A",
            "business_unit": "R",
            "hub": "C",
            "marketing": "C",
            "communications": "C",
            "works_council": "I",
            "employees": "I",
        },
        "execution": {
            "business_unit": "A/R",
            "employees": "R",
            "agency": "R",
            "hub": "I",
            "communications": "I",
            "customer_service": "C",
        },
        "monitoring": {
            "business_unit": "A/R",
            "hub": "C",
            "customer_service": "C",
            "works_council": "C",
        },
        "reporting": {"business_unit": "A/R", "hub": "C", "executive": "I"},
        "coordination": {"business_unit": "A/R", "hub": "C", "executive": "I"},
    },
    "multi-hub": {
        "strategy": {
            "umbrella": "A/R",
            "regional_hub": "C",
            "executive": "C",
            "business_unit": "C",
            "marketing": "C",
            "communications": "C",
            "works_council": "I",
        },
        "execution": {
            "regional_hub": "A",
            "business_unit": "R",
            "umbrella": "I",
            "marketing": "C",
            "agency": "R",
            "employees": "I",
        },
        "monitoring": {
            "regional_hub": "A/R",
            "business_unit": "C",
            "umbrella": "I",
            "works_council": "C",
        },
        "training": {"regional_hub": "A", "umbrella": "C", "hr": "R", "employees": "I"},
        "reporting": {"umbrella": "A/R", "regional_hub": "R", "executive": "I"},
    },
    "holistic": {
        "policy": {
            "hub": "A/R",
            "employees": "C",
            "legal": "C",
            "hr": "C",
            "works_council": "C",
            "business_unit": "C",
        },
        "training": {"hub": "A", "hr": "R", "employees": "C", "business_unit": "C"},
        "execution": {
            "business_unit": "A",
            "employees": "R",
            "hub": "C",
            "communications": "I",
            "customer_service": "C",
        },
    },
}


def template(variant: Variant) -> Template:
    """The preferred letter per activity category and role kind for ``variant``."""
    return {**BASE_TEMPLATE, **OVERRIDES[variant]}


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


def kind_keys(variant: Variant, role: Role, umbrella_id: str | None) -> tuple[KindKey, ...]:
    """The template keys that describe ``role`` under ``variant``, most specific first.

    Under multi-hub a hub is either the umbrella or a regional hub; everywhere else its kind.
    """
    if variant == "multi-hub" and role.kind == "hub":
        return ("umbrella",) if role.id == umbrella_id else ("regional_hub", "hub")
    return (role.kind,)


def preferred_letter(row: Mapping[KindKey, Letter], keys: Sequence[KindKey]) -> Letter | None:
    """The template letter of the first key found in a template row, or None (no letter)."""
    for key in keys:
        if key in row:
            return row[key]
    return None


def members(
    kinds: Sequence[KindKey], variant: Variant, roles: Sequence[Role], umbrella_id: str | None
) -> tuple[str, ...]:
    """The ids of the roles that a structure rule's kinds designate, sorted."""
    return tuple(
        sorted(role.id for role in roles if kind_keys(variant, role, umbrella_id)[0] in kinds)
    )


# --------------------------------------------------------------------------- applicability

# A requirement of a model's structure (the table of the module docstring):
#   hub    at least one hub            units      at least one business unit
#   hubs   at least two hubs           employees  an employees role
#   units_or_employees                 at least one business unit or an employees role
Requirement = Literal["hub", "hubs", "units", "employees", "units_or_employees"]

# Per variant, what it needs, each with the purpose a consultant would name.
REQUIRES: Mapping[Variant, tuple[tuple[Requirement, str], ...]] = {
    "central": (
        (
            "hub",
            "a hub (a CSMO, a social-media team or a centre of excellence) to hold strategy, "
            "policy, monitoring, crisis and reporting",
        ),
    ),
    "hub-and-spoke": (
        ("hub", "a hub to lead strategy, policy, training, tools and reporting"),
        ("units", "business units (spokes) to run execution"),
    ),
    "distributed": (("units_or_employees", "business units or employees who own their work"),),
    "multi-hub": (
        ("units", "business units to run execution"),
        ("hubs", "several hubs: an umbrella hub and at least one regional hub under it"),
    ),
    "holistic": (
        ("hub", "a hub to set the rules and run the enablement"),
        ("employees", "employees who do the work within those rules"),
    ),
}

#: Per variant, the models to suggest instead, in order of preference: the remedy names the
#: first one the organisation can run as it is.
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

    def meets(self, requirement: Requirement) -> bool:
        return {
            "hub": len(self.hubs) >= 1,
            "hubs": len(self.hubs) >= 2,
            "units": len(self.units) >= 1,
            "employees": len(self.employees) >= 1,
            "units_or_employees": len(self.units) + len(self.employees) >= 1,
        }[requirement]

    def lacks(self, requirement: Requirement) -> str:
        """What the organisation has instead, after "has"."""
        if requirement == "hubs" and self.hubs:
            return f"a single hub, {self.hubs[0].name}"
        return {
            "hub": "no hub",
            "hubs": "no hub",
            "units": "no business units",
            "employees": "no employees role",
            "units_or_employees": "neither business units nor an employees role",
        }[requirement]

    def takes(self, requirement: Requirement) -> str:
        """What it would take to meet the requirement."""
        if requirement == "hubs" and self.hubs:
            return "create a regional hub per business unit under the umbrella hub"
        return {
            "hub": "appoint a social-media manager or team as the hub (a role of kind hub)",
            "hubs": "appoint an umbrella hub and a regional hub per business unit under it",
            "units": "create a business unit or regional team per line of work",
            "employees": "add the employees (ambassadors) as a role of kind employees",
            "units_or_employees": "add the business units, or the employees as a role of "
            "kind employees",
        }[requirement]


def _names(roles: Sequence[Role]) -> str:
    """Role names as a list a consultant reads out: "A", "A and B", "A, B and C"."""
    names = [role.name for role in roles]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _plural(word: str, roles: Sequence[Role]) -> str:
    return word if len(roles) == 1 else word + "s"


def _carriers(variant: Variant, structure: _Structure, roles: Sequence[Role]) -> str:
    """Who carries ``variant`` in an organisation that can run it."""
    hubs, units, employees = structure.hubs, structure.units, structure.employees
    if variant == "distributed":  # the one model that may run without a hub
        return f"{_names((*units, *employees))} owning their work"
    hub_part = f"{_names(hubs)} as the {_plural('hub', hubs)}"
    if variant == "central":
        return hub_part
    if variant == "hub-and-spoke":
        return f"{hub_part}; {_names(units)} as the {_plural('spoke', units)}"
    if variant == "multi-hub":
        top = umbrella(roles)
        regional = tuple(hub for hub in hubs if hub.id != top)
        head = next(hub for hub in hubs if hub.id == top)
        return (
            f"{head.name} as the umbrella hub; {_names(regional)} as the regional "
            f"{_plural('hub', regional)}; {_names(units)} running execution"
        )
    return f"{hub_part} setting the rules; {_names(employees)} doing the work"


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
    missing = [(need, why) for need, why in REQUIRES[variant] if not structure.meets(need)]
    title = variant.capitalize()
    if not missing:
        carriers = _carriers(variant, structure, scenario.roles)
        return Applicability(applicable=True, reason=f"{title} can run: {carriers}.", remedy="")
    lacks = [structure.lacks(need) for need, _ in missing]
    if len(lacks) == 1 and lacks[0].startswith("no "):
        lacks = ["none"]  # "needs business units ...; Riverside Youth Aid has none."
    # a model has at most two requirements; their purposes list activities with "and", so a
    # comma keeps the two apart
    needs = ", and ".join(why for _, why in missing)
    reason = f"{title} needs {needs}; {scenario.profile.name} has {' and '.join(lacks)}."
    remedy = ", and ".join(structure.takes(need) for need, _ in missing)
    instead = next(
        (
            other
            for other in FALLBACKS[variant]
            if all(structure.meets(need) for need, _ in REQUIRES[other])
        ),
        None,
    )
    if instead is not None:
        remedy += f", or choose {instead}"
    return Applicability(
        applicable=False, reason=reason, remedy=remedy[0].upper() + remedy[1:] + "."
    )
