"""A recommendation as a self-contained HTML fragment for the internal portal to embed.

One ``<section>``: a heading, the ranking table, the recommended RACI matrix (an activity's
per-unit rows together, shown as ``content @ bu-a``) and a legend of its letters (S is
consent: the role must agree before introduction). A model without a matrix shows its status
and why in the ranking (a model the organisation cannot run: "Ranked last, not-applicable:
<reason> — <remedy>"). No scripts, no styles, no external assets; every class name starts
with ``gremium-`` so the portal styles it without clashes, and every text is escaped with
:func:`html.escape`.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from models.raci.render import grouped, legend, role_order, row_label

from .types import Recommendation


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


def recommendation_html(recommendation: Recommendation, recommendation_id: str) -> str:
    """The fragment: ``<section class="gremium-recommendation">`` with the ranking (rank,
    model, status, fit, score and its parts, the models that dominate it, the reason), the
    trade-offs of the recommended model, its matrix (activities as rows, roles as columns,
    ``·`` for no letter) with the legend of its letters, and the ranking rule."""
    ranking = _table(
        "ranking",
        "Governance models, best first",
        ("rank", "model", "status", "fit", "score", *PARTS, "dominated by", "why"),
        [
            (
                str(entry.rank),
                entry.variant,
                entry.status,
                entry.fit or "–",
                _number(None if entry.score is None else entry.score.total),
                *(
                    _number(None if entry.score is None else getattr(entry.score, part))
                    for part in PARTS
                ),
                ", ".join(entry.dominated_by) or "–",
                entry.reason,
            )
            for entry in recommendation.ranking
        ],
    )
    stability = ""
    if recommendation.stability is not None:
        stability = f'<p class="gremium-stability">{escape(recommendation.stability.summary)}</p>'
    if recommendation.path is not None:
        stages = "".join(
            f"<li>{escape(stage.variant)}: {stage.moved} cell(s) move; {escape(stage.trigger)}</li>"
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
        roles = role_order(recommendation.matrix)
        matrix = _table(
            "raci",
            f"RACI matrix ({recommendation.recommended})",
            ("activity", *roles),
            [
                (row_label(activity), *(row.get(role, "·") for role in roles))
                for activity, row in grouped(recommendation.matrix).items()
            ],
        )
        if legend(recommendation.matrix):
            matrix += f'<p class="gremium-legend">{escape(legend(recommendation.matrix))}</p>'

    return (
        f'<section class="gremium-recommendation" data-gremium-id="{escape(recommendation_id)}">'
        f'<h2 class="gremium-title">{escape(recommendation.scenario)}</h2>'
        f'<p class="gremium-verdict">{escape(recommendation.summary)}</p>'
        f"{ranking}{trade_offs}{stability}{matrix}"
        f'<p class="gremium-rule">{escape(recommendation.rule)}</p>'
        "</section>"
    )
