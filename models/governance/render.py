"""A recommendation as a self-contained HTML fragment for the internal portal to embed.

One ``<section lang=…>``: a heading (the organisation's name), the recommendation in one
sentence, the ranking table (fit, score and its parts, the models that dominate each), the
trade-offs, the stability and the staged path, the recommended RACI matrix (the scenario's
role and activity names when a :class:`~models.raci.render.View` has them, an activity's
per-unit rows together) and a
legend of its letters (S is consent: the role must agree before introduction), labelled in
the view's language. A model without a matrix shows its status
and why in the ranking (a model the organisation cannot run: "Ranked last, not-applicable:
<reason> — <remedy>"). No scripts, no styles, no external assets; every class name starts
with ``gremium-`` so the portal styles it without clashes, and every text is escaped with
:func:`html.escape`.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from models.raci.render import PLAIN, View, header, legend, matrix_rows, role_order

from .types import RankedVariant, Recommendation


def _row(cells: Sequence[str], tag: str = "td") -> str:
    return "<tr>" + "".join(f"<{tag}>{escape(cell)}</{tag}>" for cell in cells) + "</tr>"


def _table(kind: str, caption: str, header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    return (
        f'<table class="gremium-table gremium-{kind}"><caption>{escape(caption)}</caption>'
        f"<thead>{_row(header, 'th')}</thead>"
        f"<tbody>{''.join(_row(row) for row in rows)}</tbody></table>"
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


def recommendation_html(
    recommendation: Recommendation, recommendation_id: str, view: View = PLAIN
) -> str:
    """The fragment: ``<section class="gremium-recommendation">`` with the ranking (rank,
    model, status, fit, score and its parts, the models that dominate it, the reason), the
    trade-offs of the recommended model, its matrix (activities as rows, roles as columns,
    ``·`` for no letter) with the legend of its letters, and the ranking rule."""
    ranking = _table(
        "ranking",
        view.word("ranking"),
        ranking_header(view),
        [
            (
                str(entry.rank),
                view.variant(entry.variant),
                view.word(f"status.{entry.status}"),
                fit_label(entry, view),
                _number(None if entry.score is None else entry.score.total),
                *(
                    _number(None if entry.score is None else getattr(entry.score, part))
                    for part in PARTS
                ),
                ", ".join(view.variant(v) for v in entry.dominated_by) or "–",
                entry.reason,
            )
            for entry in recommendation.ranking
        ],
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
        roles = role_order(recommendation.matrix, view.roles)
        matrix = _table(
            "raci",
            f"RACI ({model})",
            header(roles, view),
            matrix_rows(recommendation.matrix, roles, view, "·"),
        )
        if key := legend(recommendation.matrix, view.lang):
            matrix += f'<p class="gremium-legend">{escape(key)}</p>'

    return (
        f'<section class="gremium-recommendation" lang="{view.lang}" '
        f'data-gremium-id="{escape(recommendation_id)}">'
        f'<h2 class="gremium-title">{escape(view.scenario or recommendation.scenario)}</h2>'
        f'<p class="gremium-verdict">{escape(recommendation.summary)}</p>'
        f"{ranking}{trade_offs}{stability}{matrix}"
        f'<p class="gremium-rule">{escape(recommendation.rule)}</p>'
        "</section>"
    )
