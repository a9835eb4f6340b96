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
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import networkx as nx

from models.core import ACCOUNTABLE, RESPONSIBLE, Letter
from models.raci.types import ActivityCategory, Role, Variant

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
