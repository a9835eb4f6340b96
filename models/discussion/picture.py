"""The discussion as pictures: how positions move, and who sways whom.

:func:`trajectory_picture` draws each stakeholder's position per round, one panel per issue,
titled with the issue's name (:func:`issue_name`); the panel of the proposal's issue carries
the support threshold as a labelled line and whether the proposal passes. Panels wrap into a
grid of at most :data:`COLUMNS` columns, so the figure stays within
:data:`models.figures.MAX_INCHES` however many issues there are; the legend names the
stakeholders (the first :data:`MAX_LEGEND` of them, then how many more) after the threshold line.

:func:`network_picture` draws the influence network ``W`` (:func:`~models.discussion.network.
influence_matrix`): an arrow from j to i when i listens to j (j sways i), as wide as ``W[i][j]``;
each stakeholder a disc sized by social power (:attr:`SimulationResult.power`), coloured by
the final position on the proposal's issue (the first issue without a proposal) from against
(red) to for (blue), ringed when the stakeholder holds a veto. The layout is networkx's spring
layout with a fixed seed (:data:`SEED`), so the same discussion is drawn the same way.

Labels are in English or German (:mod:`models.labels`); the stakeholders' names as written.
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Circle, FancyArrowPatch

from models.figures import PictureFormat, figure, picture, wrap
from models.labels import DEFAULT_LANG, LABELS, Lang, label
from models.palette import MUTED, POSITIONS

from .agreement import NAMES
from .network import influence_matrix
from .types import Discussion, SimulationResult

COLUMNS = 3
PANEL = (4.4, 3.2)  # inches per panel at full size
MAX_LEGEND = 20
SEED = 7
WIDE = 1.6  # the network's width to its height
STYLES = ("-", "--", ":", "-.")


def issue_name(discussion: Discussion, issue: str, lang: Lang = DEFAULT_LANG) -> str:
    """What a person calls an issue: a governance model's name when the issue is one
    (``hub-and-spoke``), the proposal's description for the proposal's issue, else the id
    in words.

    >>> from models.discussion.types import Stakeholder
    >>> d = Discussion(id="d", name="d", issues=("central", "reports-to-board"),
    ...     stakeholders=(Stakeholder(id="a", name="A", role="x", positions=(0.5, 0.5)),))
    >>> issue_name(d, "central", "de"), issue_name(d, "reports-to-board")
    ('Zentral', 'Reports to board')
    """
    if f"variant.{issue}" in LABELS:
        return label(f"variant.{issue}", lang)
    proposal = discussion.proposal
    if proposal is not None and proposal.issue == issue and proposal.description:
        return proposal.description.rstrip(".")
    words = issue.replace("-", " ").replace("_", " ")
    return words[:1].upper() + words[1:]


def trajectory_picture(
    discussion: Discussion,
    result: SimulationResult,
    fmt: PictureFormat = "svg",
    lang: Lang = DEFAULT_LANG,
    columns: int = COLUMNS,
) -> bytes:
    """Each stakeholder's position per round, a panel per issue (module docstring), at most
    ``columns`` panels side by side (a slide takes two, for larger panels)."""
    names = {s.id: s.name for s in discussion.stakeholders}
    trajectory = np.array(result.trajectory)  # (records, n, m)
    rounds = np.array(result.trajectory_rounds)
    count = len(result.issues)
    columns = max(1, min(count, columns))
    rows = math.ceil(count / columns)
    legend_width = 2.9
    fig = figure(PANEL[0] * columns + legend_width, PANEL[1] * rows + 1.0)
    width, height = fig.get_size_inches()
    grid = fig.add_gridspec(
        rows,
        columns,
        left=0.6 / width,
        right=1 - (legend_width + 0.1) / width,
        top=1 - 0.85 / height,
        bottom=0.5 / height,
        hspace=0.55,
        wspace=0.12,
    )
    palette = [fig_colour(i) for i in range(len(result.stakeholders))]
    decision = result.decision
    first = threshold = None
    for p, issue in enumerate(result.issues):
        axes = fig.add_subplot(grid[p // columns, p % columns], sharey=first)
        first = first or axes
        for i, stakeholder in enumerate(result.stakeholders):
            axes.plot(
                rounds,
                trajectory[:, i, p],
                color=palette[i],
                linestyle=STYLES[(i // 10) % len(STYLES)],
                linewidth=1.6,
                label=names[stakeholder],
            )
        title = wrap(issue_name(discussion, issue, lang), 44)
        if decision is not None and decision.issue == issue:
            threshold = axes.axhline(
                decision.threshold,
                color="black",
                linestyle=(0, (5, 3)),
                linewidth=1.2,
                label="_threshold",  # not among the stakeholders: added to the legend first
            )
            verdict = label("proposal-passes" if decision.passes else "proposal-fails", lang)
            title += f"\n({verdict})"
        axes.set_title(title, fontsize=9.5)
        axes.set_ylim(-0.02, 1.02)
        axes.grid(alpha=0.3)
        axes.tick_params(labelsize=7.5)
        if p % columns:
            axes.tick_params(labelleft=False)
        else:
            axes.set_ylabel(wrap(label("position", lang), 24), fontsize=8)
        if p // columns == rows - 1 or p + columns >= count:
            axes.set_xlabel(label("round", lang), fontsize=8)
    handles, labels = fig.axes[0].get_legend_handles_labels()
    hidden = len(labels) - MAX_LEGEND
    handles, entries = handles[:MAX_LEGEND], [wrap(name, 30) for name in labels[:MAX_LEGEND]]
    if threshold is not None and decision is not None:
        handles.insert(0, threshold)
        entries.insert(0, f"{label('threshold', lang)} {decision.threshold:g}")
    legend = fig.legend(
        handles,
        entries,
        loc="upper left",
        frameon=False,
        fontsize=7.5,
        bbox_to_anchor=(1 - legend_width / width, 1 - 0.85 / height),
    )
    if hidden > 0:
        legend.set_title(
            f"+ {hidden} {label('more-stakeholders', lang)}", prop=FontProperties(size=7.5)
        )
    status = "" if result.converged else f" — {label('not-converged', lang)}"
    subtitle = f"{NAMES[result.model]}, {result.rounds} {label('rounds', lang)}{status}"
    fig.text(
        0.6 / width,
        1 - 0.2 / height,
        wrap(discussion.name, 90),
        fontsize=12,
        fontweight="bold",
        va="top",
    )
    fig.text(0.6 / width, 1 - 0.5 / height, subtitle, fontsize=8.5, color=MUTED, va="top")
    return picture(fig, fmt)


def fig_colour(i: int) -> str:
    """The colour of the i-th stakeholder's line: matplotlib's ten categorical colours (the
    line style changes every ten)."""
    return f"C{i % 10}"


def _fill(layout: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The layout stretched to fill a box of :data:`WIDE` × 1 (a slide's shape): each axis
    scaled on its own to [-WIDE, WIDE] and [-1, 1]."""
    points = np.array(list(layout.values()), dtype=float).reshape(-1, 2)
    low, high = points.min(axis=0), points.max(axis=0)
    half = np.where(high > low, (high - low) / 2, 1.0)
    scaled = (points - (low + high) / 2) / half * np.array([WIDE, 1.0])
    return dict(zip(layout, scaled, strict=True))


def network_picture(
    discussion: Discussion,
    result: SimulationResult,
    fmt: PictureFormat = "svg",
    lang: Lang = DEFAULT_LANG,
) -> bytes:
    """The influence network: who sways whom, sized by power, coloured by position."""
    ids = list(result.stakeholders)
    people = {s.id: s for s in discussion.stakeholders}
    influence = influence_matrix(discussion)
    graph = nx.DiGraph()
    graph.add_nodes_from(ids)
    for i, listener in enumerate(ids):
        for j, speaker in enumerate(ids):
            if i != j and influence[i, j] > 0:
                graph.add_edge(speaker, listener, weight=float(influence[i, j]))
    # the layout pulls together those who listen to each other, in either direction
    layout = nx.spring_layout(graph.to_undirected(), seed=SEED, weight="weight")
    layout = _fill(layout)
    issue = result.decision.issue if result.decision is not None else result.issues[0]
    p = result.issues.index(issue)
    share = {s.stakeholder: s.share for s in result.power.shares}
    biggest = max(share.values(), default=1.0) or 1.0
    radius = {s: 0.05 + 0.13 * math.sqrt(share.get(s, 0.0) / biggest) for s in ids}
    colours = ScalarMappable(Normalize(0.0, 1.0), POSITIONS)

    side = min(12.0, 5.0 + 0.2 * len(ids))
    fig = figure(WIDE * side + 1.6, side + 0.9)
    width, height = fig.get_size_inches()
    axes = fig.add_axes((0.3 / width, 0.6 / height, WIDE * side / width, (side - 0.5) / height))
    axes.set_aspect("equal")
    axes.axis("off")
    points = {s: np.array(layout[s], dtype=float) for s in ids}
    for speaker, listener, data in graph.edges(data=True):
        a, b = points[speaker], points[listener]
        distance = float(np.linalg.norm(b - a)) or 1.0
        unit = (b - a) / distance
        axes.add_patch(
            FancyArrowPatch(
                a + unit * radius[speaker],
                b - unit * radius[listener],
                arrowstyle="-|>",
                mutation_scale=8 + 10 * data["weight"],
                linewidth=0.4 + 4.0 * data["weight"],
                color="0.45",
                alpha=0.75,
                connectionstyle="arc3,rad=0.12",
                shrinkA=0,
                shrinkB=0,
            )
        )
    font = max(7.0, 11.0 - 0.1 * len(ids))
    for s in ids:
        veto = people[s].veto
        axes.add_patch(
            Circle(
                tuple(points[s]),
                radius[s],
                facecolor=colours.cmap(result.final[s][p]),
                edgecolor="black",
                linewidth=2.6 if veto else 0.6,
                zorder=3,
            )
        )
        axes.text(
            float(points[s][0]),
            float(points[s][1]),
            wrap(people[s].name, 18),
            ha="center",
            va="center",
            fontsize=font,
            zorder=4,
            # a pale box, not a stroke: a path effect would turn the name into shapes in SVG
            bbox={
                "boxstyle": "round,pad=0.15",
                "facecolor": "white",
                "alpha": 0.7,
                "edgecolor": "none",
            },
        )
    xs = [float(v[0]) for v in points.values()]
    ys = [float(v[1]) for v in points.values()]
    pad = 0.25
    axes.set_xlim(min(xs) - pad, max(xs) + pad)
    axes.set_ylim(min(ys) - pad, max(ys) + pad)
    bar = fig.colorbar(colours, ax=axes, fraction=0.04, pad=0.02, shrink=0.6)
    bar.set_label(
        f"{label('final-position', lang)} {issue_name(discussion, issue, lang)}", fontsize=8
    )
    title = f"{discussion.name} — {label('network', lang)}"
    fig.text(
        0.3 / width, 1 - 0.2 / height, wrap(title, 100), fontsize=12, fontweight="bold", va="top"
    )
    fig.text(
        0.3 / width, 0.25 / height, wrap(label("network-key", lang), 150), fontsize=7.5, color=MUTED
    )
    return picture(fig, fmt)
