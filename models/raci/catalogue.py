"""The catalogue of roles and activities, and the defaults a profile alone implies.

A consultant can start from a :class:`~models.raci.types.Profile` and nothing else;
:func:`complete` fills what is missing. This docstring is the reference for every default.

Units
-----
Effort and capacity are person-days per month spent on social media. One FTE is
:data:`DAYS_PER_FTE` = 20 person-days per month.

Which roles exist (when ``roles`` is empty)
-------------------------------------------
=====================  ==================  =====================================================
id                     kind                present when
=====================  ==================  =====================================================
``csmo``               hub                 always (the CSMO or social-media manager)
``ceo``                executive           always
``cio``                it                  always
``marketing``          marketing           always
``communications``     communications      headcount >= 250 (smaller firms: Marketing does PR)
``hr``                 hr                  always
``legal``              legal               always
``works-council``      works_council       ``profile.works_council``
``customer-service``   customer_service    headcount >= 100
``bu-1`` .. ``bu-k``   business_unit       k = min(business_units, 6) (:data:`MAX_DEFAULT_BUS`)
``employees``          employees           always (the ambassadors)
``agency``             agency              headcount >= 250
=====================  ==================  =====================================================

Capacities
----------
- The hub: ``max(20 × budget_fte, 4 × s)`` person-days per month (``s`` below); with no
  budget the hub is a part-time function of four days at 1,000 staff, enough to hold the
  accountabilities every governance model gives it.
- Every other role: its base capacity × the size factor
  ``s = clamp(log10(headcount) / 3, 0.5, 2)`` (1 at 1,000 staff, 0.5 below ~32 staff,
  2 at a million).
  Base capacities: ``ceo`` 2, ``cio`` 7, ``marketing`` 10, ``communications`` 10, ``hr`` 5,
  ``legal`` 4, ``works-council`` 3, ``customer-service`` 10, ``employees`` 40 (the ambassadors
  as a pool), ``agency`` 10; base competence levels are listed in :data:`ROLES`, base efforts
  and required competences of the activities in :data:`ACTIVITIES`.
- Business units share :data:`BU_CAPACITY` = 48 base person-days: each gets
  ``max(48 / k, 12)`` × ``s`` (execution and monitoring work of about 33 base days must fit
  into the spokes when a governance model makes them accountable and responsible for it).
- The executive's capacity is further scaled by sponsorship: none ×0.5, weak ×1, strong ×2.
- Regulated firms: Legal's capacity ×2.
- Every capacity is rounded to two decimals and capped at :data:`MAX_CAPACITY` (10⁶, the
  bound of the type).

Competences
-----------
Each role starts from its base levels in :data:`ROLES`. Then, in this order:

- maturity scales the *social-media* competences (:data:`SOCIAL_COMPETENCES`) of every role
  except the hub and the agency (they are specialists whatever the firm's maturity):
  low ×0.7, medium ×1, high ×1.2;
- sponsorship scales the executive's ``strategy`` and ``coordination``: none ×0.5,
  weak ×0.8, strong ×1;
- regulated firms: Legal gains +0.1 on every competence;
- every level is clipped to [0, 1] and rounded to two decimals.

Reporting lines
---------------
Every role reports to ``ceo`` except: ``ceo`` (no line), ``agency`` (reports to
``marketing``, which briefs it) and ``employees`` (report to ``hr``). The works council is not
subordinate in law; its line to the board only models the shortest path for communication.

Which activities exist (when ``activities`` is empty)
-----------------------------------------------------
All eighteen of :data:`ACTIVITIES`, except ``works-agreement`` (only with a works council) and
``agency-steering`` (only when a role of kind ``agency`` exists). Efforts are the catalogue's
base effort × the size factor ``s``; the legal review's effort doubles in regulated firms.
Channel set-up, monitoring, guidelines, the works agreement and the rollout of internal
tools are marked ``codetermination``; :data:`ACTIVITIES` states the legal ground of each
(§87(1) nos. 1 and 6 BetrVG; BAG 1 ABR 7/15; LAG Hamburg 2 TaBV 5/18; §77 BetrVG). Each
catalogue activity also names its natural consultees (``consult``: the role kinds with a
stake or the competence it needs, from the seeds and the governance literature) and the
kinds that only need to know (``inform``).

Rules and weights have no profile-derived defaults: no rules, :class:`Weights` as declared.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Final

import msgspec

from .types import Activity, ActivityCategory, Profile, Role, RoleKind, Scenario, Sponsorship

DAYS_PER_FTE: Final = 20.0
MAX_DEFAULT_BUS: Final = 6
MIN_HUB_CAPACITY: Final = 4.0
MAX_CAPACITY: Final = 1e6
BU_CAPACITY: Final = 48.0
MIN_BU_CAPACITY: Final = 12.0

SOCIAL_COMPETENCES: Final = frozenset({"social_media", "content", "community", "analytics"})
MATURITY_FACTOR: Final = {"low": 0.7, "medium": 1.0, "high": 1.2}
EXECUTIVE_CAPACITY_FACTOR: Final[Mapping[Sponsorship, float]] = {
    "none": 0.5,
    "weak": 1.0,
    "strong": 2.0,
}
EXECUTIVE_COMPETENCE_FACTOR: Final[Mapping[Sponsorship, float]] = {
    "none": 0.5,
    "weak": 0.8,
    "strong": 1.0,
}


class RoleTemplate(msgspec.Struct, frozen=True):
    """A catalogue role: its kind, base capacity (person-days/month at 1,000 staff), and
    base competence levels."""

    name: str
    kind: RoleKind
    capacity: float
    competences: dict[str, float]


class ActivityTemplate(msgspec.Struct, frozen=True):
    """A catalogue activity: base effort in person-days/month at 1,000 staff, the competences
    it needs, the role kinds with a stake in it (its natural consultees, who should be heard)
    and those who only need to know, and why it is codetermined where it is."""

    name: str
    category: ActivityCategory
    effort: float
    competences: tuple[str, ...]
    consult: tuple[RoleKind, ...] = ()
    inform: tuple[RoleKind, ...] = ()
    codetermination: str = ""  # the legal ground; empty: not codetermined


#: §87(1) no. 6 BetrVG: technical devices suited to monitor employees' behaviour or performance.
MONITORING_DEVICE = (
    "§87(1) no. 6 BetrVG: a technical device suited to monitor employees' behaviour or performance"
)
ROLES: Final[Mapping[str, RoleTemplate]] = {
    "csmo": RoleTemplate(
        "CSMO / social-media manager",
        "hub",
        20.0,  # replaced by the budget rule
        {
            "social_media": 0.9,
            "strategy": 0.7,
            "coordination": 0.8,
            "content": 0.7,
            "community": 0.7,
            "training": 0.7,
            "analytics": 0.6,
            "campaigns": 0.5,
            "crisis": 0.5,
            "change": 0.6,
            "policy": 0.5,
        },
    ),
    "ceo": RoleTemplate(
        "Executive board",
        "executive",
        2.0,
        {"strategy": 0.9, "coordination": 0.6, "crisis": 0.7, "policy": 0.4},
    ),
    "cio": RoleTemplate(
        "CIO / IT",
        "it",
        7.0,
        {"it": 0.9, "security": 0.9, "change": 0.6, "data_protection": 0.5, "strategy": 0.4},
    ),
    "marketing": RoleTemplate(
        "Marketing",
        "marketing",
        10.0,
        {
            "campaigns": 0.9,
            "content": 0.8,
            "analytics": 0.7,
            "social_media": 0.6,
            "strategy": 0.5,
        },
    ),
    "communications": RoleTemplate(
        "Corporate communications / PR",
        "communications",
        10.0,
        {
            "content": 0.9,
            "crisis": 0.9,
            "campaigns": 0.6,
            "social_media": 0.6,
            "community": 0.5,
            "policy": 0.4,
        },
    ),
    "hr": RoleTemplate(
        "HR",
        "hr",
        5.0,
        {
            "employer_branding": 0.9,
            "training": 0.8,
            "labour_law": 0.6,
            "policy": 0.5,
            "change": 0.6,
        },
    ),
    "legal": RoleTemplate(
        "Legal & compliance",
        "legal",
        4.0,
        {"legal": 0.9, "data_protection": 0.8, "labour_law": 0.7, "policy": 0.7},
    ),
    "works-council": RoleTemplate(
        "Works council",
        "works_council",
        3.0,
        {"labour_law": 0.8, "policy": 0.4, "change": 0.3},
    ),
    "customer-service": RoleTemplate(
        "Customer service",
        "customer_service",
        10.0,
        {"customer_care": 0.9, "community": 0.6, "social_media": 0.4},
    ),
    "bu": RoleTemplate(
        "Business unit",
        "business_unit",
        BU_CAPACITY,  # shared among the units, see the module docstring
        {
            "content": 0.5,
            "customer_care": 0.4,
            "community": 0.4,
            "social_media": 0.3,
            "campaigns": 0.3,
        },
    ),
    "employees": RoleTemplate(
        "Employees (ambassadors)",
        "employees",
        40.0,  # the ambassadors as a pool: 2 FTE across 1,000 staff
        {"content": 0.4, "social_media": 0.4, "community": 0.3},
    ),
    "agency": RoleTemplate(
        "External agency",
        "agency",
        10.0,
        {
            "campaigns": 0.8,
            "content": 0.8,
            "social_media": 0.8,
            "analytics": 0.6,
            "community": 0.5,
        },
    ),
}
"""The catalogue roles by id; ``bu`` is the template of the business units ``bu-1`` ..."""

ACTIVITIES: Final[Mapping[str, ActivityTemplate]] = {
    "strategy": ActivityTemplate(
        "Social-media strategy",
        "strategy",
        2.0,
        ("strategy",),
        # "arises jointly from management, HR, Marketing, Legal, the works council, IT and
        # employees" (seed 002); the board gives the green light (seed 003)
        consult=("executive", "marketing", "communications", "hr", "works_council"),
        inform=("employees",),
    ),
    "coordination": ActivityTemplate(
        "Programme steering and cross-department coordination",
        "coordination",
        3.0,
        ("coordination", "strategy"),
        consult=("marketing", "communications", "hr"),
        inform=("executive",),
    ),
    "guidelines": ActivityTemplate(
        "Guidelines and policy",
        "policy",
        1.5,
        ("policy", "legal"),
        consult=("legal", "hr", "it", "communications"),
        inform=("employees", "business_unit"),
        codetermination=(
            "§87(1) no. 1 BetrVG: binding guidelines rule conduct in the establishment "
            "(non-binding help does not: ArbG Düsseldorf 14 BVGa 16/13)"
        ),
    ),
    "training": ActivityTemplate(
        "Training and enablement",
        "training",
        3.0,
        ("training", "social_media"),
        consult=("hr", "legal"),
        inform=("employees", "business_unit"),
    ),
    "internal-tools": ActivityTemplate(
        "Rollout of internal social tools and usage scenarios",
        "tools",
        3.0,
        ("it", "change"),
        consult=("it", "hr", "legal"),
        inform=("employees",),
        codetermination=MONITORING_DEVICE + " (an enterprise social network logs its users)",
    ),
    "channels": ActivityTemplate(
        "Account and channel set-up, tool selection",
        "tools",
        1.5,
        ("social_media", "it"),
        consult=("it", "legal", "marketing", "communications"),
        codetermination=(
            MONITORING_DEVICE
            + " (a page whose visitor posts can be about employees, BAG 1 ABR 7/15; an "
            "account with replies, LAG Hamburg 2 TaBV 5/18)"
        ),
    ),
    "content": ActivityTemplate(
        "Content planning and publishing",
        "execution",
        8.0,
        ("content", "social_media"),
        consult=("marketing", "legal"),
    ),
    "campaigns": ActivityTemplate(
        "Campaigns and online PR",
        "execution",
        5.0,
        ("campaigns", "content"),
        consult=("marketing", "communications", "legal"),
    ),
    "community": ActivityTemplate(
        "Community management",
        "execution",
        8.0,
        ("community", "social_media"),
        consult=("customer_service",),
    ),
    "monitoring": ActivityTemplate(
        "Monitoring and listening",
        "monitoring",
        3.0,
        ("analytics", "social_media"),
        consult=("it", "legal"),
        inform=("marketing", "communications"),
        codetermination=MONITORING_DEVICE + " (monitoring and analytics tools)",
    ),
    "customer-care": ActivityTemplate(
        "Customer service on social channels",
        "execution",
        6.0,
        ("customer_care", "community"),
        consult=("communications",),
    ),
    "crisis": ActivityTemplate(
        "Crisis plan and escalation (one voice)",
        "crisis",
        1.5,
        ("crisis", "coordination"),
        # "a crisis plan with PR: one voice" is the social-media manager's task too (seed 003)
        consult=("legal", "executive", "hub", "customer_service"),
    ),
    "legal-review": ActivityTemplate(
        "Legal and risk review",
        "risk",
        2.0,
        ("legal", "data_protection"),
        consult=("communications", "hub"),
    ),
    "kpis": ActivityTemplate(
        "KPIs and reporting to the board",
        "reporting",
        1.5,
        ("analytics", "strategy"),
        consult=("marketing", "communications"),
        inform=("executive",),
    ),
    "employer-branding": ActivityTemplate(
        "Recruiting and employer branding",
        "execution",
        3.0,
        ("employer_branding", "content"),
        consult=("hub", "works_council", "communications"),
    ),
    "works-agreement": ActivityTemplate(
        "Works agreement on social-media use and monitoring",
        "labour_relations",
        1.0,
        ("labour_law", "policy"),
        consult=("legal", "hub"),
        codetermination=(
            "§77 BetrVG: a works agreement is concluded with the works council, the usual "
            "instrument of its co-determination"
        ),
    ),
    "agency-steering": ActivityTemplate(
        "Agency briefing and steering",
        "coordination",
        1.0,
        ("campaigns", "coordination"),
        consult=("communications", "legal"),
    ),
    "it-security": ActivityTemplate(
        "Internet access and IT security",
        "infrastructure",
        2.0,
        ("it", "security"),
        consult=("legal", "hub"),
        inform=("employees",),
    ),
}
"""The eighteen catalogue activities, by id, in the order a consultant walks through them.

Each is also an *archetype*: a scenario's activity takes the natural consultees, the
co-determination and the governance-model letters of the catalogue activity it is ``like``
(:func:`archetype`)."""

#: The archetype of an activity that names none and is not itself a catalogue activity.
CATEGORY_ARCHETYPE: Final[Mapping[ActivityCategory, str]] = {
    "strategy": "strategy",
    "coordination": "coordination",
    "policy": "guidelines",
    "training": "training",
    "tools": "channels",
    "execution": "content",
    "monitoring": "monitoring",
    "crisis": "crisis",
    "risk": "legal-review",
    "reporting": "kpis",
    "labour_relations": "works-agreement",
    "infrastructure": "it-security",
}


def archetype(activity: Activity) -> str:
    """The catalogue activity ``activity`` is like: its ``like``, else its own id when that is
    a catalogue id, else the catalogue activity of its category."""
    if activity.like is not None:
        return activity.like
    if activity.id in ACTIVITIES:
        return activity.id
    return CATEGORY_ARCHETYPE[activity.category]


def consultees(activity: Activity) -> tuple[RoleKind, ...]:
    """The role kinds with a stake in ``activity``: its own ``consult``, else its archetype's."""
    if activity.consult is not None:
        return activity.consult
    return ACTIVITIES[archetype(activity)].consult


def size_factor(headcount: int) -> float:
    """``clamp(log10(headcount) / 3, 0.5, 2)``: 1 at 1,000 staff."""
    return min(2.0, max(0.5, math.log10(headcount) / 3.0))


def _competences(template: RoleTemplate, profile: Profile) -> dict[str, float]:
    levels = dict(template.competences)
    if template.kind not in ("hub", "agency"):
        factor = MATURITY_FACTOR[profile.maturity]
        levels = {c: v * factor if c in SOCIAL_COMPETENCES else v for c, v in levels.items()}
    if template.kind == "executive":
        factor = EXECUTIVE_COMPETENCE_FACTOR[profile.executive_sponsorship]
        levels = {
            c: v * factor if c in ("strategy", "coordination") else v for c, v in levels.items()
        }
    if template.kind == "legal" and profile.regulated:
        levels = {c: v + 0.1 for c, v in levels.items()}
    return {c: round(min(1.0, max(0.0, v)), 2) for c, v in levels.items()}


def _capacity(template: RoleTemplate, profile: Profile) -> float:
    if template.kind == "hub":
        floor = MIN_HUB_CAPACITY * size_factor(profile.headcount)
        return round(min(max(DAYS_PER_FTE * profile.budget_fte, floor), MAX_CAPACITY), 2)
    capacity = template.capacity * size_factor(profile.headcount)
    if template.kind == "business_unit":
        units = min(profile.business_units, MAX_DEFAULT_BUS)
        capacity = max(template.capacity / units, MIN_BU_CAPACITY) * size_factor(profile.headcount)
    if template.kind == "executive":
        capacity *= EXECUTIVE_CAPACITY_FACTOR[profile.executive_sponsorship]
    if template.kind == "legal" and profile.regulated:
        capacity *= 2.0
    return round(min(capacity, MAX_CAPACITY), 2)


def _role_ids(profile: Profile) -> list[str]:
    ids = ["csmo", "ceo", "cio", "marketing"]
    if profile.headcount >= 250:
        ids.append("communications")
    ids += ["hr", "legal"]
    if profile.works_council:
        ids.append("works-council")
    if profile.headcount >= 100:
        ids.append("customer-service")
    ids += [f"bu-{k}" for k in range(1, min(profile.business_units, MAX_DEFAULT_BUS) + 1)]
    ids.append("employees")
    if profile.headcount >= 250:
        ids.append("agency")
    return ids


def _reports_to(role_id: str) -> str | None:
    return {"ceo": None, "agency": "marketing", "employees": "hr"}.get(role_id, "ceo")


def default_roles(profile: Profile) -> tuple[Role, ...]:
    """The catalogue roles the profile implies, with capacities, competences and reporting
    lines as the module docstring states."""
    roles = []
    for role_id in _role_ids(profile):
        template = ROLES["bu" if role_id.startswith("bu-") else role_id]
        name = f"{template.name} {role_id[3:]}" if role_id.startswith("bu-") else template.name
        roles.append(
            Role(
                id=role_id,
                name=name,
                kind=template.kind,
                capacity=_capacity(template, profile),
                competences=_competences(template, profile),
                reports_to=_reports_to(role_id),
            )
        )
    return tuple(roles)


def default_activities(profile: Profile, roles: tuple[Role, ...]) -> tuple[Activity, ...]:
    """The catalogue activities the profile and the roles imply, efforts scaled by size."""
    factor = size_factor(profile.headcount)
    has_agency = any(role.kind == "agency" for role in roles)
    activities = []
    for activity_id, template in ACTIVITIES.items():
        if activity_id == "works-agreement" and not profile.works_council:
            continue
        if activity_id == "agency-steering" and not has_agency:
            continue
        effort = template.effort * factor
        if activity_id == "legal-review" and profile.regulated:
            effort *= 2.0
        activities.append(
            Activity(
                id=activity_id,
                name=template.name,
                category=template.category,
                effort=round(effort, 2),
                competences=template.competences,
                codetermination=bool(template.codetermination),
            )
        )
    return tuple(activities)


def complete(scenario: Scenario) -> Scenario:
    """Fill empty ``roles`` and ``activities`` with the defaults the profile implies.

    Parts the scenario already states are kept as they are; only empty tuples are filled,
    roles first (the default activities depend on whether an agency role exists).

    Examples
    --------
    >>> from models.raci.types import Profile, Scenario
    >>> s = complete(Scenario(id="x", profile=Profile(name="X", headcount=1000)))
    >>> [r.id for r in s.roles]
    ['csmo', 'ceo', 'cio', 'marketing', 'communications', 'hr', 'legal', 'customer-service', \
'employees', 'agency']
    >>> len(s.activities)
    17
    """
    roles = scenario.roles or default_roles(scenario.profile)
    activities = scenario.activities or default_activities(scenario.profile, roles)
    return msgspec.structs.replace(scenario, roles=roles, activities=activities)
