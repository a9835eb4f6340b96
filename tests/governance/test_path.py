"""The staged path: rung by rung from ad hoc or the client's current matrix to the goal."""

from __future__ import annotations

import msgspec

from models.core import Matrix
from models.governance.path import staged_path
from models.governance.recommend import recommend
from models.messages import say
from models.raci.diff import changes
from models.raci.types import Profile

from .strategies import scenario, solved

# a large firm with two units: hub-and-spoke fits (the goal), central does not
PROFILE = Profile(name="ACME", headcount=5000, business_units=2)
CENTRAL: Matrix = {
    "strategy": {"csmo": "A/R"},
    "content": {"csmo": "A/R"},
    "crisis": {"csmo": "A/R"},
}
HUB: Matrix = {
    "strategy": {"csmo": "A/R"},
    "content": {"csmo": "A", "bu": "R"},
    "crisis": {"csmo": "A/R"},
}
SPREAD: Matrix = {"strategy": {"bu": "A/R"}, "content": {"bu": "A/R"}, "crisis": {"legal": "A/R"}}
RESULTS = [
    solved("central", 10.0, CENTRAL),
    solved("hub-and-spoke", 10.0, HUB),
    solved("distributed", 10.0, SPREAD),
    solved("holistic", 10.0, SPREAD),
]


def test_from_ad_hoc_the_path_climbs_one_rung_at_a_time() -> None:
    organisation = scenario(PROFILE)
    best = recommend(organisation, RESULTS)
    assert best.recommended == "hub-and-spoke"
    path = staged_path(organisation, RESULTS, best)
    assert path is not None
    assert [s.variant for s in path.stages] == ["central", "hub-and-spoke"]
    assert path.summary == "ad hoc → central → hub-and-spoke."
    first, second = path.stages
    assert first.trigger == say("path.first")
    assert first.moved == 3  # from nothing: every letter of the central matrix
    assert second.moved == len(changes(CENTRAL, HUB)) == 2  # content: csmo A/R -> A, bu R
    assert second.trigger.startswith("now: the organisation meets it (large")


def test_from_the_current_matrix_the_path_starts_at_the_closest_model() -> None:
    today: Matrix = {"strategy": {"csmo": "A/R"}, "content": {"csmo": "A/R"}}  # nearly central
    organisation = msgspec.structs.replace(scenario(PROFILE), current=today)
    path = staged_path(organisation, RESULTS, recommend(organisation, RESULTS))
    assert path is not None
    assert path.start == "the current matrix, closest to central"
    [stage] = path.stages
    assert stage.variant == "hub-and-spoke"
    assert stage.moved == len(changes(today, HUB))


def test_down_the_ladder_is_one_step() -> None:
    organisation = msgspec.structs.replace(scenario(PROFILE), current=SPREAD)
    path = staged_path(organisation, RESULTS, recommend(organisation, RESULTS))
    assert path is not None
    assert [s.variant for s in path.stages] == ["hub-and-spoke"]
