"""Strict decoding: every offending field is named, nothing is coerced."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.core import pointer
from models.errors import InvalidInput
from service.catalogue import Catalogue
from service.decoding import BodyDecoder
from service.schemas import SolveRequest

DECODER = BodyDecoder(SolveRequest, Catalogue.load().ids)


def number_sites(request: dict[str, Any]) -> list[tuple[str | int, ...]]:
    """Paths of the numbers in a solve request that carry constraints."""
    scenario = request["scenario"]
    sites: list[tuple[str | int, ...]] = [("scenario", "profile", "headcount")]
    sites += [("scenario", "roles", i, "capacity") for i in range(len(scenario["roles"]))]
    sites += [("scenario", "activities", i, "effort") for i in range(len(scenario["activities"]))]
    sites += [("scenario", "weights", term) for term in scenario["weights"]]
    sites.append(("options", "time_limit"))
    return sites


def put(document: Any, path: tuple[str | int, ...], value: Any) -> None:
    for part in path[:-1]:
        document = document[part]
    document[path[-1]] = value


@pytest.fixture(scope="module")
def valid_request(catalogue: Catalogue) -> dict[str, Any]:
    scenario = catalogue.raci[min(catalogue.raci)]
    return {"scenario": msgspec.to_builtins(scenario), "variant": "central", "options": {}}


@given(data=st.data())
@settings(max_examples=60, deadline=None)
def test_every_corrupted_number_is_named(
    valid_request: dict[str, Any], data: st.DataObject
) -> None:
    request = msgspec.json.decode(msgspec.json.encode(valid_request))
    sites = number_sites(request)
    chosen = data.draw(st.lists(st.sampled_from(sites), min_size=1, max_size=6, unique=True))
    for path in chosen:
        bad = data.draw(st.sampled_from(["7", -1.0, None, True, [1]]))
        put(request, path, bad)
    with pytest.raises(InvalidInput) as error:
        DECODER.decode(msgspec.json.encode(request))
    assert {p.pointer for p in error.value.problems} == {pointer(path) for path in chosen}


def test_a_valid_request_decodes_to_the_domain_types(valid_request: dict[str, Any]) -> None:
    decoded = DECODER.decode(msgspec.json.encode(valid_request))
    assert decoded.variant == "central"
    assert decoded.scenario == msgspec.convert(valid_request["scenario"], type(decoded.scenario))


def test_integers_given_as_floats_are_refused() -> None:
    body = b'{"scenario": {"id": "x", "profile": {"name": "X", "headcount": 5.0}}}'
    with pytest.raises(InvalidInput) as error:
        DECODER.decode(body)
    assert [p.pointer for p in error.value.problems] == ["/scenario/profile/headcount"]
