"""A recommendation as a self-contained HTML fragment for the internal portal to embed.

One ``<section lang=…>``: a heading (the organisation's name), the ranking table, the
recommended RACI matrix (the scenario's role and activity names when a
:class:`~models.raci.render.View` has them, an activity's per-unit rows together) and a
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


def ranking_header(view: View) -> list[str]:
    """The ranking's columns: rank, model, status, score, each criterion, why."""
    criteria = [f"criterion.{c}" for c in ("objective", "profile", "support", "lint")]
    keys = ["rank", "model", "status", "score", *criteria, "reason"]
    return [view.word(key) for key in keys]


def recommendation_html(
    recommendation: Recommendation, recommendation_id: str, view: View = PLAIN
) -> str:
    """The fragment: ``<section class="gremium-recommendation">`` with the ranking (rank,
    variant, status, score and its parts, the reason) and the recommended matrix (activities
    as rows, roles as columns, ``·`` for no letter) with the legend of its letters."""
    ranking = _table(
        "ranking",
        view.word("ranking"),
        ranking_header(view),
        [
            (
                str(entry.rank),
                view.variant(entry.variant),
                view.word(f"status.{entry.status}"),
                _number(entry.score),
                *(
                    ("–", "–", "–", "–")
                    if entry.components is None
                    else (
                        _number(entry.components.objective),
                        _number(entry.components.profile),
                        _number(entry.components.support),
                        _number(entry.components.lint),
                    )
                ),
                entry.reason,
            )
            for entry in recommendation.ranking
        ],
    )
    if recommendation.recommended is None:
        # infeasible, failed, or not applicable to the organisation: each row says which
        verdict = view.word("none-recommended")
        matrix = ""
    else:
        model = view.variant(recommendation.recommended)
        verdict = f"{view.word('recommended')}: {model}."
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
        f'<p class="gremium-verdict">{escape(verdict)}</p>'
        f"{ranking}{matrix}"
        f'<p class="gremium-formula">{escape(recommendation.formula)}</p>'
        "</section>"
    )
