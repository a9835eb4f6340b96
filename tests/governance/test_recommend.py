"""The ranking of governance variants: hand-computed scores and the ranking's invariants."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from models.discussion.types import (
    DeGrootCertificate,
    Diagnostics,
    Polarisation,
    Power,
    SimulationResult,
)
from models.errors import InvalidInput
from models.governance.recommend import fits, recommend, support
from models.raci.types import Profile, SolveResult, Variant

from .strategies import profiles, result_sets, scenario, solved, unsolved

# Large (2,000 staff) and regulated: central fits (regulated), hub-and-spoke fits (large),
# distributed, multi-hub (one unit) and holistic (medium maturity) do not.
PROFILE = Profile(name="ACME", headcount=2000, business_units=1, regulated=True)
SCENARIO = scenario(PROFILE)
# Every matrix has a row per scenario activity (else "activity-missing", an error). With three
# activities the per-role share checks do not apply (they need five), so only rows are linted.
CLEAN_CENTRAL = {
    "strategy": {"csmo": "A/R", "legal": "C"},
    "content": {"csmo": "A/R", "bu": "I"},
    "crisis": {"csmo": "A/R", "legal": "C"},
}
CLEAN_HUB = {
    "strategy": {"csmo": "A", "bu": "R", "legal": "C"},
    "content": {"csmo": "A", "bu": "R"},
    "crisis": {"csmo": "A", "bu": "R", "legal": "I"},
}
# strategy has two accountable roles: one lint error (content, A/R alone, is only a silo: info)
TWO_ACCOUNTABLE = {
    "strategy": {"bu": "A", "csmo": "A", "legal": "R"},
    "content": {"bu": "A/R"},
    "crisis": {"bu": "A/R", "legal": "C"},
}
RESULTS = [
    unsolved("holistic", "error", "the solver crashed"),
    solved("distributed", 12.0, TWO_ACCOUNTABLE),
    unsolved("multi-hub", "infeasible", "Raise the capacity of Legal"),
    solved("hub-and-spoke", 14.0, CLEAN_HUB),
    solved("central", 10.0, CLEAN_CENTRAL),
]


def simulation(issues: tuple[str, ...], final: dict[str, tuple[float, ...]]) -> SimulationResult:
    return SimulationResult(
        discussion="debate",
        model="friedkin-johnsen",
        status="converged",
        converged=True,
        message="converged",
        rounds=1,
        issues=issues,
        stakeholders=tuple(final),
        final=final,
        trajectory_rounds=(0,),
        trajectory=(tuple(final.values()),),
        diagnostics=Diagnostics(certificate=DeGrootCertificate((), (), False)),
        coalitions=(),
        consensus=False,
        polarisation=Polarisation(0.0, 0.0, 0.0),
        power=Power(method="total-influence", shares=(), key_influencers=()),
    )


def test_scores_without_a_simulation_by_hand() -> None:
    # totals 10, 14, 12: objective = (14 - T) / 4 -> central 1, hub-and-spoke 0, distributed 0.5
    # profile: central 0.5, hub-and-spoke 0.5, distributed 0; lint: distributed -0.5 (1 error)
    best = recommend(SCENARIO, RESULTS)
    assert [(e.rank, e.variant, e.score) for e in best.ranking] == [
        (1, "central", 1.5),
        (2, "hub-and-spoke", 0.5),
        (3, "distributed", 0.0),
        (4, "multi-hub", None),
        (5, "holistic", None),
    ]
    distributed = best.ranking[2].components
    assert distributed is not None
    assert (distributed.objective, distributed.profile, distributed.lint) == (0.5, 0.0, -0.5)
    assert (distributed.errors, distributed.warnings, distributed.support) == (1, 0, None)
    assert best.ranking[0].components is not None
    assert best.ranking[0].components.fits == ("regulated",)
    assert best.recommended == "central"
    assert best.matrix == CLEAN_CENTRAL
    assert best.discussion is None
    assert "infeasible" in best.ranking[3].reason
    assert "Raise the capacity of Legal" in best.ranking[3].reason
    assert "solver crashed" in best.ranking[4].reason


def test_simulated_support_is_a_weighted_mean() -> None:
    # a (weight 3) and b (weight 1): central (3·0.2 + 0.6) / 4 = 0.3,
    # hub-and-spoke (3·0.9 + 0.1) / 4 = 0.7, distributed has no issue: no support;
    # the score adds support − 0.5: central 1.5 − 0.2, hub-and-spoke 0.5 + 0.2
    debate = simulation(("central", "hub-and-spoke"), {"a": (0.2, 0.9), "b": (0.6, 0.1)})
    best = recommend(SCENARIO, RESULTS, debate, {"a": 3.0, "b": 1.0})
    assert [(e.variant, e.score) for e in best.ranking[:3]] == [
        ("central", 1.3),
        ("hub-and-spoke", 0.7),
        ("distributed", 0.0),
    ]
    assert best.discussion == "debate"


def test_support_can_turn_the_ranking() -> None:
    # totals 10, 12, 14: objective central 1, hub-and-spoke 0.5, distributed 0; profile 0.5,
    # 0.5, 0. Without support: central 1.5 > hub-and-spoke 1.0. With full support for
    # hub-and-spoke and none for central (support − 0.5 = +0.5 and −0.5):
    # hub-and-spoke 1.5 > central 1.0.
    results = [
        solved("central", 10.0, CLEAN_CENTRAL),
        solved("hub-and-spoke", 12.0, CLEAN_HUB),
        solved("distributed", 14.0, CLEAN_CENTRAL),
    ]
    assert [(e.variant, e.score) for e in recommend(SCENARIO, results).ranking[:2]] == [
        ("central", 1.5),
        ("hub-and-spoke", 1.0),
    ]
    swayed = recommend(
        SCENARIO, results, simulation(("central", "hub-and-spoke"), {"a": (0.0, 1.0)})
    )
    assert [(e.variant, e.score) for e in swayed.ranking[:2]] == [
        ("hub-and-spoke", 1.5),
        ("central", 1.0),
    ]
    assert swayed.recommended == "hub-and-spoke"
    assert swayed.matrix == CLEAN_HUB


def test_ties_follow_the_order_of_the_variants() -> None:
    # central 1 + 0.5 + (0 − 0.5) = 1.0, hub-and-spoke 0 + 0.5 + (1 − 0.5) = 1.0: central first
    results = [solved("hub-and-spoke", 14.0, CLEAN_HUB), solved("central", 10.0, CLEAN_CENTRAL)]
    tied = recommend(SCENARIO, results, simulation(("central", "hub-and-spoke"), {"a": (0.0, 1.0)}))
    assert [(e.variant, e.score) for e in tied.ranking] == [
        ("central", 1.0),
        ("hub-and-spoke", 1.0),
    ]


NOT_RUNNABLE = (
    "Hub-and-spoke needs business units (spokes) to run execution; ACME has none — create a "
    "business unit or regional team per line of work, or choose central."
)


def test_a_model_the_organisation_cannot_run_ranks_last_with_its_reason() -> None:
    # after the scored models and after the failed solve (infeasible), whatever the order given
    results = [
        unsolved("hub-and-spoke", "not-applicable", NOT_RUNNABLE),
        unsolved("holistic", "infeasible", "Raise the capacity of Legal"),
        solved("central", 10.0, CLEAN_CENTRAL),
    ]
    best = recommend(SCENARIO, results)
    assert [(e.rank, e.variant, e.status, e.score) for e in best.ranking] == [
        (1, "central", "optimal", 1.5),  # objective 1 (alone) + profile 0.5 (regulated)
        (2, "holistic", "infeasible", None),
        (3, "hub-and-spoke", "not-applicable", None),
    ]
    assert best.ranking[2].components is None
    assert best.ranking[2].reason == f"Ranked last, not-applicable: {NOT_RUNNABLE}"
    assert best.recommended == "central"


def test_no_matrix_means_no_recommendation() -> None:
    results = [unsolved("holistic", "infeasible", "x"), unsolved("central", "error", "y")]
    best = recommend(SCENARIO, results)
    assert best.recommended is None
    assert best.matrix == {}
    assert [e.variant for e in best.ranking] == ["central", "holistic"]


def test_equal_weights_when_none_or_all_zero() -> None:
    debate = simulation(("central",), {"a": (0.2,), "b": (0.6,)})
    assert support(debate, "central") == pytest.approx(0.4)
    assert support(debate, "central", {"a": 0.0, "b": 0.0}) == pytest.approx(0.4)
    assert support(debate, "hub-and-spoke") is None


@pytest.mark.parametrize(
    ("profile", "variant", "expected"),
    [
        (
            Profile(name="P", headcount=100, maturity="low"),
            "central",
            ("low maturity", "small (under 250 staff)"),
        ),
        (Profile(name="P", headcount=250), "central", ()),
        (Profile(name="P", headcount=999), "hub-and-spoke", ()),
        (Profile(name="P", headcount=1000), "hub-and-spoke", ("large (1000+ staff)",)),
        (Profile(name="P", headcount=5000, maturity="high"), "distributed", ("high maturity",)),
        (Profile(name="P", headcount=5000, business_units=4), "multi-hub", ("4+ business units",)),
        (Profile(name="P", headcount=5000, business_units=3), "multi-hub", ()),
        (Profile(name="P", headcount=9, maturity="high"), "holistic", ()),
        (
            Profile(name="P", headcount=9, maturity="high", executive_sponsorship="strong"),
            "holistic",
            ("high maturity and strong sponsorship",),
        ),
    ],
)
def test_fit_criteria(profile: Profile, variant: Variant, expected: tuple[str, ...]) -> None:
    assert fits(profile, variant) == expected


def test_a_variant_given_twice_is_named() -> None:
    twice = [solved("central", 1.0, CLEAN_CENTRAL), solved("central", 2.0, CLEAN_CENTRAL)]
    with pytest.raises(InvalidInput) as raised:
        recommend(SCENARIO, twice)
    assert [p.pointer for p in raised.value.problems] == ["/results/1/variant"]
    with pytest.raises(InvalidInput):
        recommend(SCENARIO, [])


@settings(max_examples=60, deadline=None)
@given(profile=profiles, results=result_sets())
def test_ranking_is_a_permutation_with_the_unsolved_last(
    profile: Profile, results: list[SolveResult]
) -> None:
    best = recommend(scenario(profile), results)
    ranking = best.ranking
    assert sorted(e.variant for e in ranking) == sorted(r.variant for r in results)
    assert [e.rank for e in ranking] == list(range(1, len(results) + 1))
    scores = [e.score for e in ranking]
    solved_count = sum(score is not None for score in scores)
    assert all(score is not None for score in scores[:solved_count])  # none unsolved above
    assert all(score is None for score in scores[solved_count:])
    numbers = [score for score in scores if score is not None]
    assert numbers == sorted(numbers, reverse=True)
    for entry in ranking:
        if entry.components is not None:
            assert 0.0 <= entry.components.objective <= 1.0
            assert entry.status in ("optimal", "feasible")
    unsolved_statuses = [e.status for e in ranking[solved_count:]]
    not_applicable = unsolved_statuses.count("not-applicable")
    assert unsolved_statuses[len(unsolved_statuses) - not_applicable :] == (
        ["not-applicable"] * not_applicable
    )  # the models the organisation cannot run come last of all
    assert (best.recommended is None) == (solved_count == 0)
    if best.recommended is not None:
        assert best.recommended == ranking[0].variant
        assert best.matrix == next(r.matrix for r in results if r.variant == best.recommended)
