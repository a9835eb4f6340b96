"""The recommendation as one picture: why the winner wins, and what would change it.

What a partner shows when the client asks "why this model, and how sure are you?":

- **left, the score per model and its parts**: one stacked bar per model with a matrix, in
  the ranking's order (best at the top), the six parts of the score (headroom, spread,
  competence, consultation, consent, acceptance; :mod:`models.governance.recommend`) stacked
  so the bar's length is the score, the total at its end, the model's fit to the
  organisation beside its name, the recommended model marked; models without a matrix below
  with their status (a model that does not fit is ranked by fit first, so a longer bar can
  rank lower: the fit in the label says why);
- **right, where the recommendation holds** (:attr:`Recommendation.stability`): each
  objective weight on a log axis from ¼× to 4×, the range over which the winner holds drawn
  as a bar, beyond it the model it flips to; weights the check did not reach marked as such;
  below, the single profile changes that flip it.

Without a stability check the right side says so. Labels in the view's language
(:mod:`models.labels`); the models' names as the labels give them.
"""

from __future__ import annotations

import math

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from models.figures import PictureFormat, figure, picture, wrap
from models.palette import GRID, MUTED, WINNER
from models.raci.render import View

from .render import PARTS, fit_label
from .stability import FACTORS
from .types import Recommendation, Stability

#: the colours of the score's parts (categorical, apart from the letters' palette)
PART_COLOURS = ("#1B9E77", "#66A61E", "#7570B3", "#E6AB02", "#A6761D", "#E7298A")
LOW, HIGH = FACTORS[0], FACTORS[-1]


def recommendation_picture(
    recommendation: Recommendation, fmt: PictureFormat = "svg", view: View | None = None
) -> bytes:
    """The score per model and the stability of the winner (module docstring), as SVG, PNG
    or PDF bytes."""
    view = view or View()
    stability = recommendation.stability
    weights = len(stability.weights) + len(stability.unchecked) if stability is not None else 0
    flips = len(stability.profile) if stability is not None else 0
    axes_height = 0.5 * max(len(recommendation.ranking), weights, 3)
    below = 0.75 + max(0.55, 0.3 + 0.2 * math.ceil(max(flips, 1) / 2))
    fig = figure(14.0, 1.25 + axes_height + below)
    width, height = fig.get_size_inches()
    box = (below / height, axes_height / height)
    score = fig.add_axes((2.4 / width, box[0], 4.8 / width, box[1]))
    ranges = fig.add_axes((9.0 / width, box[0], 4.6 / width, box[1]))
    _scores(fig, score, recommendation, view)
    _ranges(ranges, stability, view)
    _profile(fig, stability, view, 9.0 / width, (below - 0.7) / height)
    title = view.scenario or recommendation.scenario
    fig.text(0.3 / width, 1 - 0.2 / height, title, fontsize=13, fontweight="bold", va="top")
    summary = wrap(recommendation.summary, 190)
    fig.text(0.3 / width, 1 - 0.5 / height, summary, fontsize=8, color=MUTED, va="top")
    return picture(fig, fmt)


def _scores(fig: Figure, axes: Axes, recommendation: Recommendation, view: View) -> None:
    entries = list(recommendation.ranking)
    names = []
    for y, entry in enumerate(entries):
        name = view.variant(entry.variant)
        if entry.variant == recommendation.recommended:
            name = f"★ {name}"
        if entry.score is None:
            names.append(f"{name}\n({view.word(f'status.{entry.status}')})")
            continue
        names.append(f"{name}\n({fit_label(entry, view)})")
        left = 0.0
        for part, colour in zip(PARTS, PART_COLOURS, strict=True):
            value = getattr(entry.score, part)
            axes.barh(y, value, left=left, color=colour, edgecolor="white", height=0.62)
            left += value
        bold = entry.variant == recommendation.recommended
        axes.text(
            left + 0.05,
            y,
            f"{entry.score.total:.2f}",
            va="center",
            fontsize=9,
            fontweight="bold" if bold else "normal",
        )
    axes.set_yticks(range(len(entries)), names, fontsize=8.5)
    axes.set_ylim(len(entries) - 0.5, -0.5)
    totals = [e.score.total for e in entries if e.score is not None]
    axes.set_xlim(0, min(len(PARTS), max(totals, default=1.0) + 0.6))
    axes.set_xlabel(view.word("score"), fontsize=8.5)
    axes.set_title(view.word("score-by-model"), fontsize=10, loc="left")
    axes.grid(axis="x", color=GRID, alpha=0.5)
    axes.set_axisbelow(True)
    axes.tick_params(labelsize=8)
    handles = [
        Patch(facecolor=colour, label=view.word(f"part.{part}"))
        for part, colour in zip(PARTS, PART_COLOURS, strict=True)
    ]
    x, y = axes.get_position().x0, axes.get_position().y0
    below = 0.55 / fig.get_size_inches()[1]
    fig.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(x, y - below),
        ncols=3,
        frameon=False,
        fontsize=7.5,
    )


def _ranges(axes: Axes, stability: Stability | None, view: View) -> None:
    if stability is None:
        axes.axis("off")
        axes.text(0, 0.5, view.word("not-checked"), fontsize=10, va="center")
        return
    winner = view.variant(stability.winner)
    axes.set_title(view.word("weight-ranges").format(winner=winner), fontsize=10, loc="left")
    checked = {w.weight: w for w in stability.weights}
    names = [*checked, *(w for w in stability.unchecked if w not in checked and w != "cells")]
    for y, name in enumerate(names):
        axes.plot([LOW, HIGH], [y, y], color=GRID, linewidth=6, solid_capstyle="butt")
        weight = checked.get(name)
        if weight is None or name in stability.unchecked:
            axes.text(1.0, y, view.word("unchecked"), ha="center", va="center", fontsize=8)
            continue
        low = weight.low if weight.low is not None else LOW
        high = weight.high if weight.high is not None else HIGH
        axes.plot([low, high], [y, y], color=WINNER, linewidth=10, solid_capstyle="butt")
        flips = ((low, weight.flips_to_below, "right"), (high, weight.flips_to_above, "left"))
        for at, model, side in flips:
            if model is not None:
                axes.text(
                    at / 1.06 if side == "right" else at * 1.06,
                    y - 0.3,
                    f"{view.word('flips-to')} {view.variant(model)}",
                    ha=side,
                    fontsize=7.5,
                    color=MUTED,
                )
    axes.axvline(1.0, color="black", linewidth=0.8, linestyle=":")
    axes.set_xscale("log")
    axes.set_xlim(LOW / 1.25, HIGH * 1.25)
    ticks = [LOW, 0.5, 1.0, 2.0, HIGH]
    axes.set_xticks(ticks, [f"{t:g}×" for t in ticks], fontsize=8)
    axes.minorticks_off()
    axes.set_yticks(range(len(names)), [view.word(f"term.{n}") for n in names], fontsize=8.5)
    axes.set_ylim(max(len(names), 3) - 0.5, -0.5)
    axes.set_xlabel(view.word("factor"), fontsize=8.5)
    for spine in ("top", "right"):
        axes.spines[spine].set_visible(False)


def _profile(fig: Figure, stability: Stability | None, view: View, x: float, y: float) -> None:
    if stability is None:
        return
    flips = [
        f"{view.word(f'attribute.{flip.attribute}')} = {flip.value} → "
        + ("–" if flip.winner is None else view.variant(flip.winner))
        for flip in stability.profile
    ]
    lines = flips or [view.word("no-profile-flips")]
    text = f"{view.word('profile-flips')}:\n" + "\n".join(
        "  · " + "    · ".join(lines[i : i + 2]) for i in range(0, len(lines), 2)
    )
    fig.text(x, y, text, fontsize=8, va="top", linespacing=1.4)
