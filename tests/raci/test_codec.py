"""Decoding scenarios and matrices, and where errors point (models.raci.codec)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from typing import Literal

import msgspec
import pytest
from hypothesis import given, settings

from models.core import Matrix
from models.errors import InvalidInput
from models.raci.codec import (
    MAX_UNPACKED_BYTES,
    decode_matrix,
    decode_scenario,
    letter_of,
    prepare,
)
from models.raci.types import Profile, Scenario

from .strategies import matrices

HEAD = b'{"id": "x", "profile": {"name": "X", "headcount": 10}'


def pointers(decode: Callable[[], object]) -> list[str]:
    with pytest.raises(InvalidInput) as caught:
        decode()
    return [p.pointer for p in caught.value.problems]


def scenario_pointers(data: bytes, fmt: Literal["json", "yaml"] = "json") -> list[str]:
    return pointers(lambda: decode_scenario(data, fmt))


@pytest.mark.parametrize(
    ("tail", "pointer"),
    [
        (b', "roles": [{"id": "a", "name": "A", "capacity": -1}]}', "/roles/0/capacity"),
        (
            b', "roles": [{"id": "a", "name": "A", "competences": {"x": 2}}]}',
            "/roles/0/competences",
        ),
        (b', "roles": [{"id": "a b", "name": "A"}]}', "/roles/0/id"),
        (b', "rules": [{"kind": "sometimes", "role": "a", "activity": "b"}]}', "/rules/0/kind"),
        (b', "bogus": 1}', "/bogus"),
        (b', "weights": {"competence": "high"}}', "/weights/competence"),
        (b"", ""),
    ],
)
def test_a_field_error_points_at_the_field(tail: bytes, pointer: str) -> None:
    assert scenario_pointers(HEAD + tail) == [pointer]


def test_yaml_errors_point_at_the_field_and_syntax_errors_name_the_line() -> None:
    assert scenario_pointers(b"id: x\nprofile: {name: X, headcount: many}\n", "yaml") == [
        "/profile/headcount"
    ]
    with pytest.raises(InvalidInput, match="line 3, column 1"):
        decode_scenario(b"id: x\nprofile: [\n", "yaml")


def test_decoding_completes_then_checks() -> None:
    scenario = decode_scenario(HEAD + b"}", "json")
    assert [role.id for role in scenario.roles][:2] == ["csmo", "ceo"]
    rules = b', "rules": [{"kind": "involved", "role": "cmso", "activity": "strategy"}]}'
    assert scenario_pointers(HEAD + rules) == ["/rules/0/role"]
    duplicate = b', "roles": [{"id": "a", "name": "A"}, {"id": "a", "name": "B"}]}'
    assert scenario_pointers(HEAD + duplicate) == ["/roles/1/id"]


def test_prepare_is_complete_and_check() -> None:
    completed = prepare(Scenario(id="x", profile=Profile(name="X", headcount=10)))
    assert completed == decode_scenario(HEAD + b"}", "json")


def test_builtin_scenarios_survive_a_yaml_round_trip(builtin: dict[str, Scenario]) -> None:
    for scenario in builtin.values():
        assert decode_scenario(msgspec.yaml.encode(scenario), "yaml") == scenario


@pytest.mark.parametrize(
    ("raw", "letter"),
    [
        ("A", "A"),
        (" r ", "R"),
        ("a/r", "A/R"),
        ("AR", "A/R"),
        ("R / A", "A/R"),
        ("S", "S"),
        (" s ", "S"),
        ("", None),
    ],
)
def test_letters_are_read_leniently_where_unambiguous(raw: str, letter: str | None) -> None:
    assert letter_of(raw) == letter


@pytest.mark.parametrize("raw", ["X", "V", "sign-off", "S/C", "A/C", "RR", "AC"])
def test_other_letters_are_refused(raw: str) -> None:
    with pytest.raises(ValueError, match="not a RACI letter"):
        letter_of(raw)


def test_json_matrix() -> None:
    data = b'{"strategy": {"ceo": "a", "csmo": "R", "it": null, "hr": ""}, "kpis": {}}'
    assert decode_matrix(data, "json") == {"strategy": {"ceo": "A", "csmo": "R"}, "kpis": {}}
    bad = b'{"a/b": {"x": "Q", "y": "A"}, "ok": {"z": "V", "n": 1}, "flat": "A"}'
    assert pointers(lambda: decode_matrix(bad, "json")) == ["/a~1b/x", "/ok/z", "/ok/n", "/flat"]
    assert pointers(lambda: decode_matrix(b"[]", "json")) == [""]


def test_consent_and_per_unit_rows_from_json() -> None:
    data = b'{"channels@bu-a": {"wc": "S", "bu-a": "A/R"}, "channels": {"wc": "s", "hub": "A"}}'
    assert decode_matrix(data, "json") == {
        "channels@bu-a": {"wc": "S", "bu-a": "A/R"},
        "channels": {"wc": "S", "hub": "A"},
    }


def test_consent_and_per_unit_rows_from_csv() -> None:
    data = b"activity;wc;bu-a;bu-b\ncontent@bu-a;s;A/R;\ncontent@bu-b;S;;a/r\n"
    assert decode_matrix(data, "csv") == {
        "content@bu-a": {"wc": "S", "bu-a": "A/R"},
        "content@bu-b": {"wc": "S", "bu-b": "A/R"},
    }


def test_a_row_id_has_at_most_one_unit_and_a_role_id_none() -> None:
    bad = b'{"a@b@c": {}, "x@": {}, "@y": {}, "x@bad id": {}, "ok@bu": {"r@s": "A"}}'
    assert pointers(lambda: decode_matrix(bad, "json")) == [
        "/a@b@c",
        "/x@",
        "/@y",
        "/x@bad id",
        "/ok@bu/r@s",
    ]
    with pytest.raises(InvalidInput) as caught:
        decode_matrix(b"activity,hub,a@b\nx@y@z,A/R,\nfine@bu,,A\n", "csv")
    found = [(p.pointer, p.message) for p in caught.value.problems]
    assert found == [
        ("/0/2", "C1: a role id cannot contain '@' (got 'a@b'); per-unit rows are rows"),
        ("/1/0", "A2: a per-unit row id is '<activity id>@<unit id>', got 'x@y@z'"),
    ]


def test_csv_matrix_in_german_excel_dialect() -> None:
    data = "\ufeffAktivität;ceo;csmo\nstrategy;A;r\nkpis; ;ar\n".encode()
    assert decode_matrix(data, "csv") == {
        "strategy": {"ceo": "A", "csmo": "R"},
        "kpis": {"csmo": "A/R"},
    }


def test_csv_errors_point_at_row_and_column() -> None:
    data = b"activity,ceo,ceo,\nstrategy,A,Q\n,R\nstrategy,A,,,I\n"
    with pytest.raises(InvalidInput) as caught:
        decode_matrix(data, "csv")
    found = [(p.pointer, p.message.split(":")[0]) for p in caught.value.problems]
    assert found == [
        ("/0/2", "C1"),  # duplicate role column
        ("/0/3", "D1"),  # empty role id
        ("/2/0", "A3"),  # empty activity id
        ("/3/0", "A4"),  # duplicate activity
        ("/1/2", "C2"),  # Q is no letter
        ("/3/4", "E4"),  # a cell beyond the header
    ]


def test_an_empty_csv_is_refused() -> None:
    assert pointers(lambda: decode_matrix(b"", "csv")) == [""]


@settings(max_examples=150, deadline=None)
@given(matrices())
def test_json_matrix_round_trip(matrix: Matrix) -> None:
    assert decode_matrix(msgspec.json.encode(matrix), "json") == matrix


def zipped(**parts: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name.replace("__", "/"), content)
    return out.getvalue()


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"PK not really",
        zipped(hello__txt=b"x"),
        zipped(**{"[Content_Types].xml": b"<unclosed"}),
    ],
)
def test_a_damaged_workbook_is_invalid_input(data: bytes) -> None:
    with pytest.raises(InvalidInput) as caught:
        decode_matrix(data, "xlsx")
    assert caught.value.problems[0].message.startswith("not an Excel workbook (.xlsx): ")


def test_a_workbook_that_unpacks_too_far_is_refused_before_parsing() -> None:
    bomb = zipped(**{"xl/worksheets/sheet1.xml": bytes(MAX_UNPACKED_BYTES + 1)})
    assert len(bomb) < 100_000
    with pytest.raises(InvalidInput) as caught:
        decode_matrix(bomb, "xlsx")
    assert "unpacks to 50,000,001 bytes" in caught.value.problems[0].message


def test_old_mac_line_ends_read_and_an_unreadable_csv_is_invalid_input() -> None:
    assert decode_matrix(b"activity,csmo\rstrategy,A/R\r", "csv") == {"strategy": {"csmo": "A/R"}}
    with pytest.raises(InvalidInput) as caught:
        decode_matrix(b'activity,csmo\nstrategy,"' + b"x" * 200_000 + b'"\n', "csv")
    assert caught.value.problems[0].message.startswith("the CSV cannot be read: ")
