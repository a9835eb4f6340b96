"""The files the command line writes: text or bytes to ``--output``, pictures to ``--plot``.

A picture's format is its file's suffix (:data:`PICTURE_SUFFIXES`); the suffix and the folder
are checked before any work is done, so a typo in a path never follows minutes of solving or a
printed report. Every file written is named on stderr ("wrote debate.png: …").
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Literal

from models.errors import InvalidInput

PictureFormat = Literal["svg", "png", "pdf"]
PICTURE_SUFFIXES: dict[str, PictureFormat] = {".svg": "svg", ".png": "png", ".pdf": "pdf"}


def writable(path: str, flag: str) -> None:
    """Refuse ``path`` (as ``flag``) when its folder does not exist."""
    if not Path(path).parent.is_dir():
        raise InvalidInput.single(flag, f"no such folder: {Path(path).parent}")


def picture_format(path: str, flag: str) -> PictureFormat:
    """The picture format of ``path`` by its suffix; ``flag`` is refused for another suffix
    or a missing folder."""
    fmt = PICTURE_SUFFIXES.get(Path(path).suffix.lower())
    if fmt is None:
        raise InvalidInput.single(flag, "the picture file must end in .svg, .png or .pdf")
    writable(path, flag)
    return fmt


def write_output(content: str | bytes, output: str | None, what: str) -> None:
    """``content`` to the file ``output`` (saying so on stderr), else to standard output."""
    if output is None:
        assert isinstance(content, str)
        sys.stdout.write(content)
        return
    Path(output).write_bytes(content.encode() if isinstance(content, str) else content)
    print(f"wrote {output}: {what}", file=sys.stderr)
