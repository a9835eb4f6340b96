"""The built-in scenario library: the YAML and JSON files shipped in the ``scenarios`` package.

Reading files is the shell's job; decoding and validation are the domain's, passed in as a
function, so RACI and discussion scenarios share this loader.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Literal, TypeVar

from models.errors import InvalidInput

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


def resolve(reference: str, builtin: dict[str, T], decode: Decoder[T], noun: str) -> T:
    """A file path (``.yaml``, ``.yml``, ``.json``, or any existing file) or a built-in id.

    Raises
    ------
    OSError
        The reference looks like a file but cannot be read.
    InvalidInput
        The file is invalid (pointers prefixed with the file), or no built-in has this id
        (the message suggests the closest id and lists them all).
    """
    path = Path(reference)
    if path.suffix.lower() in SUFFIXES or path.is_file():
        data = path.read_bytes()
        try:
            return decode(data, format_of(reference))
        except InvalidInput as exc:
            raise exc.within(f"{reference}#") from exc
    if reference in builtin:
        return builtin[reference]
    close = difflib.get_close_matches(reference, builtin, n=1)
    hint = f"did you mean '{close[0]}'? " if close else ""
    raise InvalidInput.single(
        reference, f"no such file or built-in {noun}; {hint}built-in: {', '.join(sorted(builtin))}"
    )
