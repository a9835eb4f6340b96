"""A recommendation as a self-contained HTML fragment for the internal portal to embed, and
the optional default stylesheet that makes it look finished.

One ``<section lang=…>``: a heading (the organisation's name, at a level the portal chooses,
``<h2>`` by default), the recommendation in one sentence, the ranking table (fit, score and its
parts, the models that dominate each), the trade-offs, the stability and the staged path, the
recommended RACI matrix (the scenario's role and activity names when a
:class:`~models.raci.render.View` has them, an activity's per-unit rows together) and a legend
of its letters (S is consent: the role must agree before introduction), labelled in the view's
language. A model without a matrix shows its status and why in the ranking (a model the
organisation cannot run: "Ranked last, not-applicable: <reason> — <remedy>").

Structure for assistive technology and for styling: column headers are ``<th scope="col">``,
each row's name (the model in the ranking, the activity in the matrix) a ``<th
scope="row">``; every table stands in a ``<div class="gremium-scroll">`` (a focusable,
labelled region) so a wide matrix scrolls inside the portal's column instead of overflowing
it; every letter cell has ``class="gremium-cell gremium-letter-<letter>"`` and
``data-letter="<letter>"`` (``gremium-letter-none`` and ``data-letter=""`` for no letter), and
the legend (``<dl class="gremium-legend">``, one ``gremium-legend-entry`` per letter) shows
each letter the matrix uses the same way.

No scripts, no inline styles, no external assets; every class name starts with ``gremium-`` so
the portal styles it without clashes, and every text is escaped with :func:`html.escape`.
:func:`stylesheet` is a starting point the service serves: the letters coloured with the
workbook's :data:`~models.palette.PALETTE`, the tables compact, the matrix's activity
column kept in view while it scrolls sideways.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from models.core import LETTERS, Matrix
from models.palette import PALETTE
from models.raci.render import PLAIN, View, grouped, header, meaning, role_order

from .types import RankedVariant, Recommendation

#: The heading levels a portal may ask for (``<h1>`` … ``<h6>``).
HEADING_LEVELS = range(1, 7)
DEFAULT_HEADING = 2
EMPTY = "·"


def letter_class(letter: str) -> str:
    """The class of a cell holding ``letter``: ``gremium-letter-a-r`` for A/R,
    ``gremium-letter-none`` for an empty cell.

    >>> letter_class("A/R"), letter_class("S"), letter_class("")
    ('gremium-letter-a-r', 'gremium-letter-s', 'gremium-letter-none')
    """
    return "gremium-letter-" + (letter.lower().replace("/", "-") or "none")


def _cell(letter: str, tag: str = "td") -> str:
    return (
        f'<{tag} class="gremium-cell {letter_class(letter)}" data-letter="{escape(letter)}">'
        f"{escape(letter or EMPTY)}</{tag}>"
    )


def _head(cells: Sequence[str]) -> str:
    return "<tr>" + "".join(f'<th scope="col">{escape(cell)}</th>' for cell in cells) + "</tr>"


def _scrolling(kind: str, caption: str, head: Sequence[str], rows: Sequence[str]) -> str:
    """A table in its scroll container: a focusable region named by the caption, so a keyboard
    can scroll it too."""
    return (
        f'<div class="gremium-scroll" role="region" tabindex="0" aria-label="{escape(caption)}">'
        f'<table class="gremium-table gremium-{kind}"><caption>{escape(caption)}</caption>'
        f"<thead>{_head(head)}</thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def _number(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


PARTS = ("headroom", "spread", "competence", "consultation", "consent", "acceptance")


def ranking_header(view: View) -> list[str]:
    """The ranking's columns: rank, model, status, fit, score, its six parts, the models that
    dominate it, why."""
    keys = ["rank", "model", "status", "fit", "score", *(f"part.{p}" for p in PARTS)]
    return [view.word(key) for key in [*keys, "dominated-by", "reason"]]


def fit_label(entry: RankedVariant, view: View) -> str:
    """The profile's fit in ``view``'s language ("–" for none)."""
    return "–" if entry.fit is None else view.word(f"fit.{entry.fit}")


def _ranking_row(entry: RankedVariant, view: View) -> str:
    score = entry.score
    cells = [
        view.word(f"status.{entry.status}"),
        fit_label(entry, view),
        _number(None if score is None else score.total),
        *(_number(None if score is None else getattr(score, part)) for part in PARTS),
        ", ".join(view.variant(v) for v in entry.dominated_by) or "–",
        entry.reason,
    ]
    return (
        f'<tr><td>{entry.rank}</td><th scope="row">{escape(view.variant(entry.variant))}</th>'
        + "".join(f"<td>{escape(cell)}</td>" for cell in cells)
        + "</tr>"
    )


def _matrix(matrix: Matrix, caption: str, view: View) -> str:
    roles = role_order(matrix, view.roles)
    rows = [
        f'<tr><th scope="row">{escape(view.row(activity))}</th>'
        + "".join(_cell(row.get(role, "")) for role in roles)
        + "</tr>"
        for activity, row in grouped(matrix).items()
    ]
    return _scrolling("raci", caption, header(roles, view), rows)


def legend_html(matrix: Matrix, view: View) -> str:
    """The letters ``matrix`` uses, each shown as its cells are and with its meaning, in the
    order of :data:`~models.core.LETTERS` (empty when it uses none)."""
    used = {letter for row in matrix.values() for letter in row.values()}
    entries = "".join(
        f'<div class="gremium-legend-entry">{_cell(letter, "dt")}'
        f"<dd>{escape(meaning(letter, view.lang))}</dd></div>"
        for letter in LETTERS
        if letter in used
    )
    if not entries:
        return ""
    return f'<dl class="gremium-legend" aria-label="{escape(view.word("legend"))}">{entries}</dl>'


def recommendation_html(
    recommendation: Recommendation,
    recommendation_id: str,
    view: View = PLAIN,
    heading: int = DEFAULT_HEADING,
) -> str:
    """The fragment: ``<section class="gremium-recommendation">`` with the organisation's name
    as an ``<h{heading}>``, the ranking (rank, model, status, fit, score and its parts, the
    models that dominate it, the reason), the trade-offs of the recommended model, its matrix
    (activities as rows, roles as columns, ``·`` for no letter) with the legend of its letters,
    and the ranking rule. ``heading`` outside 1–6 is a :class:`ValueError`."""
    if heading not in HEADING_LEVELS:
        raise ValueError(f"a heading level is 1 to 6, not {heading}")
    ranking = _scrolling(
        "ranking",
        view.word("ranking"),
        ranking_header(view),
        [_ranking_row(entry, view) for entry in recommendation.ranking],
    )
    stability = ""
    if recommendation.stability is not None:
        stability = f'<p class="gremium-stability">{escape(recommendation.stability.summary)}</p>'
    if recommendation.path is not None:
        moved = view.word("cells-move")
        stages = "".join(
            f"<li>{escape(view.variant(stage.variant))}: {stage.moved} {escape(moved)}; "
            f"{escape(stage.trigger)}</li>"
            for stage in recommendation.path.stages
        )
        stability += (
            f'<p class="gremium-path">{escape(recommendation.path.summary)}</p>'
            f'<ol class="gremium-stages">{stages}</ol>'
        )
    trade_offs = "".join(f"<li>{escape(sentence)}</li>" for sentence in recommendation.trade_offs)
    if trade_offs:
        trade_offs = f'<ul class="gremium-trade-offs">{trade_offs}</ul>'
    matrix = ""  # no model has one: infeasible, failed or not applicable, as the ranking says
    if recommendation.recommended is not None:
        model = view.variant(recommendation.recommended)
        matrix = _matrix(recommendation.matrix, f"RACI ({model})", view)
        matrix += legend_html(recommendation.matrix, view)
    title = escape(view.scenario or recommendation.scenario)
    return (
        f'<section class="gremium-recommendation" lang="{view.lang}" '
        f'data-gremium-id="{escape(recommendation_id)}">'
        f'<h{heading} class="gremium-title">{title}</h{heading}>'
        f'<p class="gremium-verdict">{escape(recommendation.summary)}</p>'
        f"{ranking}{trade_offs}{stability}{matrix}"
        f'<p class="gremium-rule">{escape(recommendation.rule)}</p>'
        "</section>"
    )


_BASE_CSS = """\
.gremium-recommendation { font-family: system-ui, sans-serif; line-height: 1.4; color: #1a1a1a; }
.gremium-title { margin: 0 0 0.5em; }
.gremium-verdict { font-weight: 600; }
.gremium-scroll { max-width: 100%; overflow-x: auto; margin: 0.75em 0; }
.gremium-scroll:focus-visible { outline: 2px solid #2b6cb0; outline-offset: 2px; }
.gremium-table { border-collapse: collapse; font-size: 0.875rem; }
.gremium-table caption { text-align: left; font-weight: 600; padding: 0.25em 0; }
.gremium-table th, .gremium-table td { border: 1px solid #d0d0d0; padding: 0.25em 0.5em;
  vertical-align: top; }
.gremium-table thead th { background-color: #f3f3f3; vertical-align: bottom; }
.gremium-table tbody th { text-align: left; font-weight: normal; }
.gremium-ranking td:last-child { min-width: 28em; }
.gremium-raci thead th { min-width: 5em; }
.gremium-raci tbody th { position: sticky; left: 0; min-width: 14em; background-color: #ffffff; }
.gremium-cell { text-align: center; font-weight: 600; min-width: 2.5em; }
.gremium-letter-none { color: #9a9a9a; font-weight: normal; }
.gremium-legend { display: flex; flex-wrap: wrap; gap: 0.25em 1em; margin: 0.5em 0; }
.gremium-legend-entry { display: flex; align-items: center; gap: 0.4em; }
.gremium-legend-entry dt { padding: 0.1em 0.4em; border-radius: 0.2em; }
.gremium-legend-entry dd { margin: 0; }
.gremium-rule { font-size: 0.8125rem; color: #555555; }
"""


def stylesheet() -> str:
    """The default stylesheet of the fragment: layout, the scroll container, and each letter in
    the colours of :data:`~models.palette.PALETTE` (the workbook's), every selector a
    ``gremium-`` class so it styles nothing else on the portal's page."""
    letters = "".join(
        f".{letter_class(letter)} {{ background-color: {fill}; color: {font}; }}\n"
        for letter, (fill, font) in PALETTE.items()
    )
    return _BASE_CSS + letters
