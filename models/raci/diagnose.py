"""Why a scenario is infeasible, and the smallest change that makes it feasible.

The elastic MILP (:func:`models.raci.milp.solve_elastic`) keeps the RACI definitions hard
(one A, at least one R, one letter per cell) and may relax every other rule (the scenario's
rules, the works-council rule, the variant's structure) and every capacity. It minimises, in
this order: the number of relaxed rules and capacities; which kind is relaxed (the
scenario's own rules first, then capacities, then the works council and the variant's
structure, which define the variant); and the extra capacity in person-days. Each relaxation
becomes a sentence a consultant can read out.
"""

from __future__ import annotations

import math

from models.raci.milp import solve_elastic
from models.raci.objective import Instance
from models.raci.types import Diagnosis, Relaxation, SolveOptions


def _round_up(value: float) -> float:
    """Round up to 0.1 so that the suggested capacity is really enough."""
    return math.ceil(value * 10 - 1e-6) / 10


def diagnose(instance: Instance, options: SolveOptions) -> Diagnosis:
    """The fewest rules and capacities to relax (and by how much) to make ``instance`` feasible."""
    elastic = solve_elastic(instance, options)
    if elastic.outcome.chosen is None:
        return Diagnosis(summary=f"No diagnosis: {elastic.outcome.message}.")
    dropped = [(r.name, r.sentence) for r in elastic.relaxed_requirements] + [
        (p.name, p.sentence) for p in elastic.relaxed_prohibitions
    ]
    relaxations = [
        Relaxation(constraint=name, amount=1.0, message=f"Drop the rule '{sentence}'.")
        for name, sentence in dropped
    ]
    for r, extra in sorted(elastic.extra_capacity.items()):
        role = instance.roles[r]
        amount = _round_up(extra)
        relaxations.append(
            Relaxation(
                constraint=f"capacity[{role.id}]",
                amount=amount,
                message=(
                    f"Raise the capacity of {role.name} from {role.capacity:g} to "
                    f"{role.capacity + amount:g} person-days."
                ),
            )
        )
    count = len(relaxations)
    minimal = "" if elastic.outcome.status == "optimal" else " (best found in the time limit)"
    if not relaxations:
        summary = "The elastic model found nothing to relax; the solver may have failed."
    else:
        summary = (
            f"No matrix satisfies every hard rule. Relaxing {count} "
            f"{'item' if count == 1 else 'items'} makes it feasible{minimal}."
        )
    return Diagnosis(summary=summary, relaxations=tuple(relaxations))
