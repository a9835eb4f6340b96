"""Bad input: every malformed case gives InvalidInput naming the field as a JSON pointer."""

from __future__ import annotations

import msgspec
import pytest

from models.discussion.codec import check, decode_discussion
from models.discussion.types import Discussion, Stakeholder
from models.errors import InvalidInput

GOOD = """
id: ok
name: OK
issues: [central, hub]
stakeholders:
  - {id: a, name: A, role: ceo, positions: [0.2, 0.8], weight: 2, veto: true}
  - {id: b, name: B, role: hr, positions: [0.6, 0.4], susceptibility: 0.9}
network:
  reporting: [{member: b, manager: a}]
  collaboration: [{a: a, b: b}]
  trust: [{truster: b, trusted: a}]
proposal: {issue: hub}
"""


def problems(text: str) -> dict[str, str]:
    with pytest.raises(InvalidInput) as caught:
        decode_discussion(text.encode(), "yaml")
    return {p.pointer: p.message for p in caught.value.problems}


def test_the_good_file_decodes():
    discussion = decode_discussion(GOOD.encode(), "yaml")
    assert discussion.stakeholders[1].susceptibility == 0.9
    assert discussion.model.__struct_config__.tag == "friedkin-johnsen"


@pytest.mark.parametrize(
    ("old", "new", "pointer", "words"),
    [
        ("weight: 2", "weight: -1", "/stakeholders/0/weight", ">= 0.0"),
        (
            "positions: [0.2, 0.8]",
            "positions: [.nan, 0.8]",
            "/stakeholders/0/positions/0",
            "finite",
        ),
        (
            "positions: [0.2, 0.8]",
            "positions: [0.2, .inf]",
            "/stakeholders/0/positions/1",
            "finite",
        ),
        ("positions: [0.2, 0.8]", "positions: [1.5, 0.8]", "/stakeholders/0/positions/0", "<= 1.0"),
        ("susceptibility: 0.9", "susceptibility: 1.2", "/stakeholders/1/susceptibility", "<= 1.0"),
        ("trusted: a}", "trusted: zed}", "/network/trust/0/trusted", "unknown stakeholder 'zed'"),
        ("manager: a}", "manager: x}", "/network/reporting/0/manager", "unknown stakeholder"),
        ("{a: a, b: b}", "{a: a, b: q}", "/network/collaboration/0/b", "unknown stakeholder"),
        ("positions: [0.6, 0.4]", "positions: [0.6]", "/stakeholders/1/positions", "1 positions"),
        ("id: b,", "id: a,", "/stakeholders/1/id", "duplicate 'a'"),
        ("{issue: hub}", "{issue: nowhere}", "/proposal/issue", "unknown issue"),
        (
            "weight: 2",
            "weight: 2, colour: red",
            "/stakeholders/0/colour",
            "unknown field `colour`",
        ),
    ],
)
def test_each_bad_input_names_its_field(old, new, pointer, words):
    assert old in GOOD
    found = problems(GOOD.replace(old, new, 1))
    assert pointer in found, found
    assert words in found[pointer]


def test_an_empty_group_is_named():
    found = problems(GOOD.split("stakeholders:")[0] + "stakeholders: []\n")
    assert "/stakeholders" in found
    assert "empty" in found["/stakeholders"]


def test_every_cross_field_problem_is_listed_at_once():
    bad = (
        GOOD.replace("trusted: a}", "trusted: zed}")
        .replace("positions: [0.6, 0.4]", "positions: [0.6]")
        .replace("{issue: hub}", "{issue: nowhere}")
    )
    assert set(problems(bad)) == {
        "/network/trust/0/trusted",
        "/stakeholders/1/positions",
        "/proposal/issue",
    }


@pytest.mark.parametrize(
    ("matrix", "pointer", "words"),
    [
        ("[[0.5, 0.5], [0.2, 0.2]]", "/network/influence/1", "sum to 1"),
        ("[[1.0]]", "/network/influence", "2 × 2"),
        ("[[1.0, 0.0], [1.5, -0.5]]", "/network/influence/1/0", "[0, 1]"),
        ("[[1.0, .nan], [0.0, 1.0]]", "/network/influence/0/1", "finite"),
    ],
)
def test_a_bad_influence_matrix_is_named(matrix, pointer, words):
    found = problems(GOOD.replace("network:\n", f"network:\n  influence: {matrix}\n"))
    assert pointer in found, found
    assert words in found[pointer]


@pytest.mark.parametrize(
    ("matrix", "pointer", "words"),
    [
        ("[[1.0]]", "/model/coupling", "2 × 2"),
        ("[[0.8, 0.4], [0.0, 1.0]]", "/model/coupling/0", "at most 1"),
    ],
)
def test_a_bad_coupling_matrix_is_named(matrix, pointer, words):
    found = problems(GOOD + f"model: {{kind: multi-issue-friedkin-johnsen, coupling: {matrix}}}\n")
    assert pointer in found, found
    assert words in found[pointer]


def test_an_unknown_model_and_bad_parameters_are_named():
    assert "/model/kind" in problems(GOOD + "model: {kind: voter}\n")
    found = problems(GOOD + "model: {kind: hegselmann-krause, epsilon: 0}\n")
    assert "/model/epsilon" in found


def test_broken_syntax_is_reported():
    with pytest.raises(InvalidInput, match="not valid YAML"):
        decode_discussion(b"id: [unclosed", "yaml")
    with pytest.raises(InvalidInput, match="not valid JSON"):
        decode_discussion(b"{", "json")


def test_check_catches_structs_built_in_python_that_skip_meta():
    people = (
        Stakeholder(id="a", name="A", role="ceo", positions=(1.5,), weight=-2.0),
        Stakeholder(id="a", name="B", role="hr", positions=(0.5,), susceptibility=float("nan")),
    )
    with pytest.raises(InvalidInput) as caught:
        check(Discussion(id="d", name="D", issues=("q",), stakeholders=people))
    pointers = {p.pointer for p in caught.value.problems}
    assert pointers == {
        "/stakeholders/0/positions/0",
        "/stakeholders/0/weight",
        "/stakeholders/1/susceptibility",
        "/stakeholders/1/id",
    }


def test_a_bad_letter_in_the_raci_layer_points_at_the_mapping():
    """msgspec does not name mapping keys; the pointer stops at the mapping (a valid pointer)."""
    found = problems(GOOD.replace("network:\n", "network:\n  raci: {strategy: {ceo: Q}}\n"))
    assert set(found) == {"/network/raci"}
    assert "'Q'" in found["/network/raci"]


@pytest.mark.parametrize("rule", ["weighted", "qualified"])
def test_a_weighted_vote_needs_some_weight(rule):
    """With every weight 0 the weighted share is 0/0: no rule can decide, so it is bad input."""
    text = GOOD.replace("weight: 2, ", "weight: 0, ").replace(
        "susceptibility: 0.9}", "susceptibility: 0.9, weight: 0}"
    )
    found = problems(
        text.replace("proposal: {issue: hub}", f"proposal: {{issue: hub, rule: {rule}}}")
    )
    assert set(found) == {"/stakeholders"}
    assert "weight" in found["/stakeholders"]
    # a simple majority counts heads, so zero weights are fine there
    assert decode_discussion(text.encode(), "yaml").proposal is not None


def test_json_input_decodes_like_yaml():
    yaml_version = decode_discussion(GOOD.encode(), "yaml")
    assert decode_discussion(msgspec.json.encode(yaml_version), "json") == yaml_version


def test_an_infinite_json_number_is_named_by_its_field():
    # JSON has no infinity; 1e999 overflows, and the parser alone only knows "$[...][0]"
    data = msgspec.json.encode(msgspec.yaml.decode(GOOD.encode())).replace(b"[0.2,", b"[1e999,")
    assert data.count(b"1e999") == 1
    with pytest.raises(InvalidInput) as caught:
        decode_discussion(data, "json")
    (problem,) = caught.value.problems
    assert problem.pointer == "/stakeholders/0/positions/0"
    assert "out of range" in problem.message
