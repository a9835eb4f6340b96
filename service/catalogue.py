"""The built-in scenarios as the API serves them, and references to them in request bodies.

Loaded and encoded once at start-up: GET /v1/scenarios/{id} answers with ready bytes.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager

import msgspec

from models.discussion.codec import check as check_discussion
from models.discussion.codec import decode_discussion
from models.discussion.types import Discussion, Model
from models.errors import InvalidInput
from models.raci.codec import decode_scenario, prepare
from models.raci.types import Scenario

from .library import load_builtin
from .schemas import ScenarioEntry, ScenarioList, ScenarioSummary


@contextmanager
def within(prefix: str) -> Iterator[None]:
    """Re-point the problems of a nested value at its place in the request body."""
    try:
        yield
    except InvalidInput as exc:
        raise exc.within(prefix) from None


class Catalogue:
    """Built-in RACI scenarios and discussions, by id."""

    def __init__(self, raci: dict[str, Scenario], discussions: dict[str, Discussion]) -> None:
        self.raci = raci
        self.discussions = discussions
        summaries = [
            ScenarioSummary(id=key, kind="raci", name=s.profile.name, description=s.description)
            for key, s in sorted(raci.items())
        ] + [
            ScenarioSummary(id=key, kind="discussion", name=d.name, description=d.description)
            for key, d in sorted(discussions.items())
        ]
        encoder = msgspec.json.Encoder()
        self.listing = {
            kind: encoder.encode(
                ScenarioList(tuple(s for s in summaries if kind in ("all", s.kind)))
            )
            for kind in ("all", "raci", "discussion")
        }
        self.entries = {
            key: encoder.encode(
                ScenarioEntry(id=key, raci=raci.get(key), discussion=discussions.get(key))
            )
            for key in sorted(raci.keys() | discussions.keys())
        }

    @property
    def ids(self) -> dict[str, list[str]]:
        """The built-in ids per kind (``raci``, ``discussion``, ``entry``: either), sorted."""
        return {
            "raci": sorted(self.raci),
            "discussion": sorted(self.discussions),
            "entry": list(self.entries),
        }

    @classmethod
    def load(cls) -> Catalogue:
        return cls(
            load_builtin("raci", decode_scenario), load_builtin("discussion", decode_discussion)
        )

    def scenario(self, ref: Scenario | str, pointer: str) -> Scenario:
        """The scenario a request names, completed and checked; problems point into the body."""
        if isinstance(ref, str):
            if ref not in self.raci:
                raise _unknown(pointer, ref, self.raci)
            return self.raci[ref]
        with within(pointer):
            return prepare(ref)

    def discussion(self, ref: Discussion | str, pointer: str, model: Model | None) -> Discussion:
        """The discussion a request names, with its model replaced when the request gives one,
        checked; problems point into the body."""
        if isinstance(ref, str):
            if ref not in self.discussions:
                raise _unknown(pointer, ref, self.discussions)
            if model is None:
                return self.discussions[ref]
            ref = self.discussions[ref]
        discussion = ref if model is None else msgspec.structs.replace(ref, model=model)
        with within(pointer):
            check_discussion(discussion)
        return discussion


def _unknown(pointer: str, ref: str, known: Mapping[str, object]) -> InvalidInput:
    choices = ", ".join(sorted(known)) or "none"
    return InvalidInput.single(pointer, f"no built-in scenario {ref!r} (built in: {choices})")
