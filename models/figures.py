"""The one adapter to matplotlib: a figure of bounded size in, the bytes of a picture out.

Every picture of Gremium (:mod:`models.raci.picture`, :mod:`models.discussion.picture`,
:mod:`models.governance.picture`) draws on a :class:`~matplotlib.figure.Figure` made by
:func:`figure` and leaves it through :func:`picture`; nothing else configures matplotlib or
writes a file with it (the pictures draw with its artists: axes, patches, text). The figure
is made without ``pyplot``, so no global state is shared between threads or requests,
and no display backend is needed (the canvas is chosen by the format when the file is
written).

- **Formats**: :data:`FORMATS` — SVG (text kept as ``<text>`` elements, so names can be read,
  searched and translated in the file), PNG (:data:`DPI`), PDF (fonts embedded).
- **Deterministic**: no creation date or software stamp and a fixed SVG id salt, so the same
  input gives the same bytes and a picture can be cached by content.
- **Bounded**: :func:`figure` clamps the size to :data:`MAX_INCHES`, whatever the input; the
  drawing functions shrink their fonts and cells to fit instead of growing without end.
- **Colours** come from :mod:`models.palette`, shared with the workbooks and the slides.
"""

from __future__ import annotations

import io
import textwrap
from typing import Any, Literal, get_args

from matplotlib import rc_context
from matplotlib.figure import Figure

PictureFormat = Literal["svg", "png", "pdf"]
FORMATS: tuple[PictureFormat, ...] = get_args(PictureFormat)
MEDIA_TYPES: dict[PictureFormat, str] = {
    "svg": "image/svg+xml",
    "png": "image/png",
    "pdf": "application/pdf",
}
DPI = 150
#: the largest picture in inches (width, height): 30 × 40 in is 4,500 × 6,000 pixels at DPI
MAX_INCHES = (30.0, 40.0)
#: the smallest font any picture uses, in points (legible when printed at full size)
MIN_FONT = 5.0

_METADATA: dict[PictureFormat, dict[str, Any]] = {
    "svg": {"Date": None, "Creator": None},
    "png": {"Software": None},
    "pdf": {"CreationDate": None, "Creator": None, "Producer": None},
}
_RC: Any = {"svg.fonttype": "none", "svg.hashsalt": "gremium", "pdf.fonttype": 42}


def figure(width: float, height: float) -> Figure:
    """A new figure of ``width`` × ``height`` inches, clamped to :data:`MAX_INCHES` (and to
    at least 2 × 1.5 in)."""
    w = min(max(width, 2.0), MAX_INCHES[0])
    h = min(max(height, 1.5), MAX_INCHES[1])
    return Figure(figsize=(w, h), dpi=DPI, layout=None)


def picture(fig: Figure, fmt: PictureFormat) -> bytes:
    """The bytes of ``fig`` as an SVG, PNG or PDF file (module docstring)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown picture format {fmt!r}: one of {', '.join(FORMATS)}")
    buffer = io.BytesIO()
    with rc_context(_RC):
        fig.savefig(buffer, format=fmt, dpi=DPI, metadata=_METADATA[fmt], facecolor="white")
    return buffer.getvalue()


def wrap(text: str, width: int) -> str:
    """``text`` broken into lines of at most ``width`` characters (a word longer than that
    stays whole)."""
    return "\n".join(textwrap.wrap(text, width, break_long_words=False)) or text


def note(fig: Figure, title: str, lines: list[str], width: int = 110) -> Figure:
    """``fig`` showing ``title`` and ``lines`` of text instead of a chart (for a result
    without one: the verdict, the diagnosis), each line wrapped at ``width`` characters."""
    body = "\n".join(wrap(line, width) for line in lines)
    _, height = fig.get_size_inches()
    fig.text(0.3 / 11.0, 1 - 0.3 / height, title, fontsize=14, fontweight="bold", va="top")
    fig.text(0.3 / 11.0, 1 - 0.75 / height, body, fontsize=10, va="top", linespacing=1.5)
    return fig


def note_size(lines: list[str], width: int = 110) -> tuple[float, float]:
    """The size in inches a :func:`note` of ``lines`` needs."""
    count = sum(wrap(line, width).count("\n") + 1 for line in lines)
    return 11.0, 1.1 + 0.21 * count
