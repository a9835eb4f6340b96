"""The built-in scenario library: the YAML and JSON files shipped in the ``scenarios`` package.

Reading files is the shell's job; decoding and validation are the domain's, passed in as a
function, so RACI and discussion scenarios share this loader.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import Literal, TypeVar

T = TypeVar("T")
Format = Literal["json", "yaml"]
Decoder = Callable[[bytes, Format], T]

SUFFIXES: dict[str, Format] = {".yaml": "yaml", ".yml": "yaml", ".json": "json"}


def format_of(name: str) -> Format:
    """The format a file name's suffix stands for; YAML when in doubt (JSON is valid YAML)."""
    for suffix, fmt in SUFFIXES.items():
        if name.lower().endswith(suffix):
            return fmt
    return "yaml"


@cache
def _files(kind: str) -> tuple[tuple[str, bytes], ...]:
    folder = resources.files("scenarios").joinpath(kind)
    return tuple(
        sorted(
            (entry.name, entry.read_bytes())
            for entry in folder.iterdir()
            if entry.is_file() and any(entry.name.endswith(s) for s in SUFFIXES)
        )
    )


def load_builtin(kind: str, decode: Decoder[T]) -> dict[str, T]:
    """Every built-in scenario of one kind (``raci`` or ``discussion``), keyed by file stem.

    A broken built-in file is a bug in Gremium, so its error propagates with the file name.
    """
    loaded: dict[str, T] = {}
    for name, data in _files(kind):
        try:
            loaded[name.rsplit(".", 1)[0]] = decode(data, format_of(name))
        except Exception as exc:
            raise RuntimeError(f"built-in scenario {kind}/{name} is broken: {exc}") from exc
    return loaded
