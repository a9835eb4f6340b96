"""A staged path: from the client's current matrix (or from ad hoc) to the recommended model,
step by step, as the literature describes the way (Prophet/Altimeter 2015: ad hoc →
centralised → more distributed; seed 004: go step by step, respect the culture).

The models stand on a ladder of decentralisation (:data:`RUNG`): central 1, hub-and-spoke 2,
multi-hub and distributed 3, holistic 4 (ad hoc, no matrix, is 0). The path starts where the
client is — the model whose solved matrix is closest to the current matrix (fewest cells
that differ), or ad hoc without one — and climbs one rung per step to the recommended model,
taking at each rung between the model the organisation can run (solved) that is closest to the
recommended one: hub-and-spoke, then, on rung 3, multi-hub where it is the goal or the
organisation has several hubs, else distributed. A path down the ladder (a firm more
decentralised than it can sustain) is one step.

Each step names its matrix (the model's solved one), the cells that move from the previous
step, the trigger for taking it (the fit rules of :data:`models.governance.recommend.EVIDENCE`
that speak for the model: "now" when the organisation meets one already; from ad hoc, central
on the way elsewhere is simply the first step) and, with a discussion, its simulated vote.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from models.governance.recommend import EVIDENCE
from models.governance.types import Acceptance, Recommendation, Stage, StagedPath
from models.governance.whatif import flips
from models.messages import model, say
from models.raci.diff import changes
from models.raci.types import Scenario, SolveResult, Variant

RUNG: Mapping[Variant, int] = {
    "central": 1,
    "hub-and-spoke": 2,
    "multi-hub": 3,
    "distributed": 3,
    "holistic": 4,
}


def _trigger(scenario: Scenario, variant: Variant) -> str:
    rules = [rule for rule in EVIDENCE[variant] if rule.effect == "fits"]
    met = [rule.says() for rule in rules if rule.holds(scenario.profile)]
    if met:
        return say("path.now", met="; ".join(met))
    if not rules:
        return say("path.ready")
    return say("path.when", rules=say("or").join(rule.says() for rule in rules))


def staged_path(
    scenario: Scenario, results: Sequence[SolveResult], recommendation: Recommendation
) -> StagedPath | None:
    """The path of the module docstring to ``recommendation``'s model; None without one."""
    goal = recommendation.recommended
    if goal is None:
        return None
    solved = {r.variant: r.matrix for r in results if r.objective is not None and r.matrix}
    votes: dict[Variant, Acceptance | None] = {
        e.variant: e.criteria.acceptance for e in recommendation.ranking if e.criteria is not None
    }
    current = scenario.current
    low, origin, matrix = 0, say("path.ad-hoc"), {}
    if current:
        start = min(solved, key=lambda v: (len(changes(current, solved[v])), RUNG[v]))
        low, origin, matrix = RUNG[start], say("path.current", variant=model(start)), current
    rungs: list[Variant] = []
    if RUNG[goal] > low:
        several_hubs = sum(role.kind == "hub" for role in scenario.roles) > 1
        for rung in range(low + 1, RUNG[goal]):
            here = [v for v in solved if RUNG[v] == rung]
            if rung == 3 and "multi-hub" in here and (several_hubs or goal == "multi-hub"):
                here = ["multi-hub"]
            if here:
                rungs.append("distributed" if "distributed" in here and len(here) > 1 else here[0])
    rungs.append(goal)
    stages = []
    previous = matrix
    for variant in rungs:
        moved = flips(variant, previous, solved[variant])
        trigger = _trigger(scenario, variant)
        if not previous and variant == "central" and len(rungs) > 1:
            trigger = say("path.first")
        stages.append(
            Stage(
                variant=variant,
                matrix=solved[variant],
                moved=len(moved),
                cells=moved,
                trigger=trigger,
                acceptance=votes.get(variant),
            )
        )
        previous = solved[variant]
    steps = " → ".join([origin, *map(model, rungs)])
    return StagedPath(start=origin, stages=tuple(stages), summary=say("path.summary", steps=steps))
