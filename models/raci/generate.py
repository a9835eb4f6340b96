"""Synthetic organisations of any size, for benchmarks and property tests.

:func:`generate` draws a scenario from a seed (``numpy.random.default_rng(seed)``): the same
arguments always give the same scenario.

Roles
    The kinds of :data:`BASE` in its order (as many as ``roles`` allows): hub, executive,
    business unit, employees, a regional hub, legal, works council, marketing, IT, HR,
    communications, customer service, agency. The structure the governance models need comes
    first, so that from five roles on every model is applicable
    (:func:`models.raci.variants.applicability`: two hubs, a business unit, the employees);
    with fewer, central always is, hub-and-spoke and distributed from three roles, holistic
    from four. Every further role is another business unit (half of them, up to
    :data:`MAX_UNITS`, the catalogue's cap), a regional hub (a quarter of the rest, at most
    one more than the units) or a specialist team of kind ``other``: a real organisation has
    a handful of units, not dozens, and each unit multiplies the rows of its devolved work.
    The executive is the root of the reporting tree; the first hub, business units and the
    departments report to it, regional hubs to the first hub, employees to HR, the agency to
    Marketing.
Competences
    Ten competence names; each kind is strong (level 0.6–1.0) in the two or three its work
    needs and weak (0–0.4) elsewhere.
Activities
    Categories drawn with execution most frequent, effort 0.5–3 person-days in steps of 0.5,
    one or two competences of the category; policy, tools, monitoring and labour-relations
    work is codetermined with probability 0.7.
Capacities
    1.2–1.6 times the largest load any variant's template would put on the role (see
    :mod:`models.raci.variants`), and at least 1.5 × the largest effort: every
    variant's structure fits, and capacity binds only where the template asks much.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from models.raci.catalogue import MAX_DEFAULT_BUS
from models.raci.objective import LETTER_INDEX, LOAD, FloatArray
from models.raci.types import (
    VARIANTS,
    Activity,
    ActivityCategory,
    Profile,
    Role,
    RoleKind,
    Scenario,
)
from models.raci.variants import Organisation, rows

MAX_UNITS = MAX_DEFAULT_BUS

BASE: tuple[RoleKind, ...] = (
    "hub",
    "executive",
    "business_unit",
    "employees",
    "hub",  # a regional hub, under the first: multi-hub needs two
    "legal",
    "works_council",
    "marketing",
    "it",
    "hr",
    "communications",
    "customer_service",
    "agency",
)
STRENGTHS: Mapping[RoleKind, tuple[str, ...]] = {
    "hub": ("social_media", "strategy", "community"),
    "executive": ("strategy", "leadership"),
    "business_unit": ("content", "community", "customer"),
    "legal": ("law", "risk"),
    "works_council": ("labour_law", "leadership"),
    "marketing": ("content", "social_media", "analytics"),
    "it": ("technology", "risk"),
    "hr": ("labour_law", "leadership", "content"),
    "communications": ("content", "social_media", "risk"),
    "customer_service": ("customer", "community"),
    "employees": ("content", "community"),
    "agency": ("content", "social_media", "analytics"),
    "other": ("analytics", "technology"),
}
COMPETENCES = tuple(sorted({c for names in STRENGTHS.values() for c in names}))
NEEDS: Mapping[ActivityCategory, tuple[str, ...]] = {
    "strategy": ("strategy", "leadership"),
    "coordination": ("leadership", "social_media"),
    "policy": ("law", "social_media"),
    "training": ("social_media", "content"),
    "tools": ("technology", "social_media"),
    "execution": ("content", "community", "social_media", "customer"),
    "monitoring": ("analytics", "social_media"),
    "crisis": ("risk", "social_media"),
    "risk": ("law", "risk"),
    "reporting": ("analytics", "strategy"),
    "labour_relations": ("labour_law", "law"),
    "infrastructure": ("technology",),
}
CATEGORIES: tuple[ActivityCategory, ...] = tuple(NEEDS)
# Execution is the bulk of social-media work; every other category about equally likely.
CATEGORY_P = np.array([4.0 if c == "execution" else 1.0 for c in CATEGORIES])
CODETERMINED: frozenset[ActivityCategory] = frozenset(
    {"policy", "tools", "monitoring", "labour_relations"}
)
NAMES: Mapping[RoleKind, str] = {
    "hub": "Social-media hub",
    "executive": "Executive board",
    "business_unit": "Business unit",
    "legal": "Legal & compliance",
    "works_council": "Works council",
    "marketing": "Marketing",
    "it": "IT",
    "hr": "HR",
    "communications": "Corporate communications",
    "customer_service": "Customer service",
    "employees": "Employees",
    "agency": "Agency",
    "other": "Specialist team",
}


def _kinds(roles: int, rng: np.random.Generator) -> list[RoleKind]:
    kinds = list(BASE[:roles])
    for _ in range(roles - len(kinds)):
        if kinds.count("business_unit") < MAX_UNITS and rng.random() < 0.5:
            kinds.append("business_unit")
        elif kinds.count("hub") <= kinds.count("business_unit") and rng.random() < 0.25:
            kinds.append("hub")
        else:
            kinds.append("other")
    return kinds


def _role_ids(kinds: list[RoleKind]) -> list[str]:
    seen: dict[RoleKind, int] = {}
    ids = []
    for kind in kinds:
        seen[kind] = seen.get(kind, 0) + 1
        base = kind.replace("_", "-")
        ids.append(base if kinds.count(kind) == 1 else f"{base}-{seen[kind]}")
    return ids


def _parent(kind: RoleKind, index: int, ids: list[str], kinds: list[RoleKind]) -> str | None:
    first = {k: ids[i] for i, k in reversed(list(enumerate(kinds)))}
    if kind == "executive":
        return None
    if kind == "hub" and ids[index] != first["hub"]:
        return first["hub"]
    if kind == "employees" and "hr" in first:
        return first["hr"]
    if kind == "agency" and "marketing" in first:
        return first["marketing"]
    return first.get("executive")


def _template_load(kinds: list[RoleKind], ids: list[str], acts: list[Activity]) -> FloatArray:
    """Per role, the most load any variant's template letters would put on it (per-unit rows
    included: each unit's row carries its share of the effort)."""
    probe = [Role(id=i, name=i, kind=k) for i, k in zip(ids, kinds, strict=True)]
    organisation = Organisation.of(probe)
    scenario = Scenario(
        id="probe",
        profile=Profile(name="probe", headcount=1),
        roles=tuple(probe),
        activities=tuple(acts),
    )
    most = np.zeros(len(kinds))
    for variant in VARIANTS:
        load = np.zeros(len(kinds))
        for row in rows(scenario, variant):
            for r, role in enumerate(probe):
                letter = organisation.template_letter(variant, row, role)
                if letter is not None:
                    load[r] += row.effort * LOAD[LETTER_INDEX[letter]]
        most = np.maximum(most, load)
    return most


def generate(roles: int, activities: int, seed: int) -> Scenario:
    """A synthetic organisation with ``roles`` roles and ``activities`` activities.

    Parameters
    ----------
    roles, activities
        Sizes, at least 1 each.
    seed
        Seed of ``numpy.random.default_rng``; equal arguments give equal scenarios.

    Examples
    --------
    >>> s = generate(12, 40, seed=1)
    >>> len(s.roles), len(s.activities), s.roles[0].kind
    (12, 40, 'hub')
    >>> generate(12, 40, seed=1) == s
    True
    """
    if roles < 1 or activities < 1:
        raise ValueError("a scenario needs at least one role and one activity")
    rng = np.random.default_rng(seed)
    kinds = _kinds(roles, rng)
    ids = _role_ids(kinds)
    works_council = "works_council" in kinds

    drawn = rng.choice(len(CATEGORIES), size=activities, p=CATEGORY_P / CATEGORY_P.sum())
    acts = []
    for i, c in enumerate(drawn.tolist()):
        category = CATEGORIES[c]
        needs = NEEDS[category]
        count = min(len(needs), int(rng.integers(1, 3)))
        picked = sorted(rng.choice(len(needs), size=count, replace=False).tolist())
        acts.append(
            Activity(
                id=f"act-{i + 1:03d}",
                name=f"{category.replace('_', ' ').capitalize()} {i + 1}",
                category=category,
                effort=float(rng.integers(1, 7)) / 2,
                competences=tuple(needs[p] for p in picked),
                codetermination=works_council
                and category in CODETERMINED
                and bool(rng.random() < 0.7),
            )
        )
    largest = max(a.effort for a in acts)
    levels = rng.uniform(0.0, 0.4, size=(roles, len(COMPETENCES)))
    strong = rng.uniform(0.6, 1.0, size=(roles, len(COMPETENCES)))
    slack = rng.uniform(1.2, 1.6, size=roles)
    wanted = _template_load(kinds, ids, acts)
    role_list = []
    for i, kind in enumerate(kinds):
        competences = {
            name: round(float(strong[i, j] if name in STRENGTHS[kind] else levels[i, j]), 2)
            for j, name in enumerate(COMPETENCES)
        }
        suffix = ids[i].rsplit("-", 1)[-1] if ids[i][-1].isdigit() else ""
        role_list.append(
            Role(
                id=ids[i],
                name=f"{NAMES[kind]} {suffix}".strip(),
                kind=kind,
                capacity=round(max(float(wanted[i] * slack[i]), 1.5 * largest), 1),
                competences=competences,
                reports_to=_parent(kind, i, ids, kinds),
            )
        )
    profile = Profile(
        name=f"Synthetic organisation {roles}x{activities} (seed {seed})",
        headcount=int(rng.integers(50, 50_000)),
        business_units=kinds.count("business_unit"),
        regulated=bool(rng.random() < 0.3),
        works_council=works_council,
        maturity=("low", "medium", "high")[int(rng.integers(0, 3))],
        executive_sponsorship=("none", "weak", "strong")[int(rng.integers(0, 3))],
        budget_fte=round(float(rng.uniform(0.5, 5.0)), 1),
    )
    return Scenario(
        id=f"synthetic-{roles}x{activities}-{seed}",
        profile=profile,
        description="Generated by models.raci.generate for benchmarks and tests.",
        roles=tuple(role_list),
        activities=tuple(acts),
    )
