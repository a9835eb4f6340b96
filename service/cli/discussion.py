"""Discussion subcommand: ``gremium simulate SCENARIO``.

Prints final positions, coalitions, influencers and the decision (``--format table``) or the
results as JSON; ``--monte-carlo N`` adds the probability that the proposal passes,
``--intervene`` the least-effort briefing plan against the sandwich, ``--plot`` draws the
opinion trajectories for slides. Exit codes: 0 success, 2 bad input (see ``service.cli.main``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import msgspec

from models.core import problem_of
from models.discussion.codec import decode_discussion
from models.discussion.intervention import intervene
from models.discussion.montecarlo import monte_carlo
from models.discussion.simulation import simulate, with_model
from models.discussion.types import (
    MODEL_KINDS,
    Discussion,
    InterventionResult,
    MonteCarloResult,
    Plan,
    SimulationResult,
)
from models.errors import InvalidInput
from models.raci.render import text_table
from service.library import load_builtin, resolve

PLOT_SUFFIXES = (".png", ".svg")
MAX_LEGEND_ROWS = 20


def builtin_discussions() -> dict[str, Discussion]:
    """The built-in discussions by id."""
    return load_builtin("discussion", decode_discussion)


def load_discussion(reference: str) -> Discussion:
    """A discussion from a file path or a built-in id (see :func:`service.library.resolve`)."""
    return resolve(reference, builtin_discussions(), decode_discussion, "discussion")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "simulate",
        help="simulate a stakeholder discussion and decide its proposal",
        description="Simulate how the stakeholders argue: final positions, coalitions, "
        "influencers and the decision; optionally Monte Carlo, whom to brief, and a plot.",
    )
    parser.add_argument("scenario", metavar="SCENARIO", help="built-in id or .yaml/.json file")
    parser.add_argument("--model", choices=MODEL_KINDS, help="override the scenario's model")
    parser.add_argument(
        "--seed", type=int, metavar="K", help="seed for Deffuant-Weisbuch and Monte Carlo"
    )
    parser.add_argument("--format", choices=("table", "json"), default="table")
    parser.add_argument("--plot", metavar="FILE", help="draw the trajectories (.png or .svg)")
    parser.add_argument("--monte-carlo", type=int, metavar="N", help="N uncertain draws")
    parser.add_argument(
        "--intervene", action="store_true", help="least-effort briefing plan vs the sandwich"
    )
    parser.set_defaults(run=run_simulate)


def run_simulate(args: argparse.Namespace) -> int:
    if args.plot and not args.plot.lower().endswith(PLOT_SUFFIXES):
        raise InvalidInput.single("--plot", "the plot file must end in .png or .svg")
    # checked before simulating, so a typo in the path does not follow a printed report
    if args.plot and not Path(args.plot).parent.is_dir():
        raise InvalidInput.single("--plot", f"no such folder: {Path(args.plot).parent}")
    if args.seed is not None and not 0 <= args.seed < 2**63:
        raise InvalidInput.single("--seed", "must be between 0 and 2**63 - 1")
    discussion = with_model(load_discussion(args.scenario), args.model, args.seed)
    result = simulate(discussion)
    chances = None
    if args.monte_carlo is not None:
        try:
            options = msgspec.convert(
                {**msgspec.to_builtins(discussion.monte_carlo), "draws": args.monte_carlo},
                type(discussion.monte_carlo),
            )
        except msgspec.ValidationError as exc:
            raise InvalidInput.single("--monte-carlo", problem_of(exc).message) from exc
        chances = monte_carlo(discussion, options)
    plan = intervene(discussion) if args.intervene else None
    if args.format == "json":
        report = {"simulation": result, "monte_carlo": chances, "intervention": plan}
        sys.stdout.write(msgspec.json.encode(report).decode() + "\n")
    else:
        sys.stdout.write(render(discussion, result, chances, plan))
    if args.plot:
        plot(discussion, result, args.plot)
    return 0


def _number(value: float) -> str:
    return f"{value:.3f}"


def render(
    discussion: Discussion,
    result: SimulationResult,
    chances: MonteCarloResult | None,
    plan: InterventionResult | None,
) -> str:
    """A readable report: positions, coalitions, influencers, decision, and the options."""
    people = {s.id: s for s in discussion.stakeholders}
    supporters = set(result.decision.supporters) if result.decision else set()
    lines = [
        f"{discussion.name} ({discussion.id})",
        f"model {result.model}: {result.message}",
        "",
    ]
    header = ("stakeholder", "role", *(f"{issue} (start→end)" for issue in result.issues))
    rows = [
        [
            f"{people[s].name}{' *' if s in supporters else ''}",
            people[s].role,
            *(
                f"{start:.2f} → {end:.2f}"
                for start, end in zip(people[s].positions, result.final[s], strict=True)
            ),
        ]
        for s in result.stakeholders
    ]
    lines.append(text_table(header, rows))
    if result.decision:
        lines.append("* supports the proposal\n")
    lines.append("Coalitions")
    lines.append(
        text_table(
            ("members", *result.issues, "weight"),
            [
                [", ".join(c.members), *map(_number, c.position), f"{c.weight:g}"]
                for c in result.coalitions
            ],
        )
    )
    p = result.polarisation
    lines.append(
        f"consensus: {'yes' if result.consensus else 'no'}; polarisation: variance "
        f"{p.variance:.3f}, disagreement {p.disagreement:.3f}, Esteban-Ray {p.esteban_ray:.3f}\n"
    )
    lines.append(f"Influencers (social power, {result.power.method})")
    lines.append(
        text_table(
            ("stakeholder", "share"),
            [[people[i.stakeholder].name, f"{i.share:.1%}"] for i in result.power.shares[:5]],
        )
    )
    d = result.decision
    if d is not None:
        verdict = "PASSES" if d.passes else "FAILS"
        lines.append(
            f"Decision on {d.issue!r} ({d.rule}, support ≥ {d.threshold:g}): {verdict} — "
            f"share {d.share:.1%} against {d.required:.1%} needed, margin {d.margin:+.1%}"
            + (f"; vetoed by {', '.join(d.vetoes)}" if d.vetoes else "")
        )
    if chances is not None:
        low, high = chances.interval
        top = ", ".join(s.stakeholder for s in chances.sensitivity[:3])
        lines.append(
            f"Monte Carlo ({chances.draws} draws, seed {chances.seed}): passes with probability "
            f"{chances.probability:.1%} (95% CI {low:.1%}-{high:.1%}); inputs that matter most: "
            f"{top}"
            + (
                f"; {1.0 - chances.converged_share:.1%} of the draws did not converge "
                "(decided on their last state)"
                if chances.converged_share < 1.0
                else ""
            )
        )
    if plan is not None:
        lines.append(f"Briefing on {plan.issue!r} (planned on the Friedkin-Johnsen equilibrium):")
        lines.extend(_plan_lines(plan.least_effort, people))
        lines.extend(_plan_lines(plan.sandwich, people))
    return "\n".join(lines) + "\n"


def _plan_lines(plan: Plan, people: dict[str, Any]) -> list[str]:
    effort = "" if plan.effort is None else f" (effort {plan.effort:.3f})"
    lines = [f"  {plan.strategy}: {plan.status}{effort}: {plan.message}"]
    lines.extend(
        f"    brief {people[m.stakeholder].name}: {m.before:.2f} → {m.after:.2f}"
        for m in plan.moves
    )
    return lines


def plot(discussion: Discussion, result: SimulationResult, path: str) -> None:
    """Draw each stakeholder's position per round, one panel per issue, for slides."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    names = {s.id: s.name for s in discussion.stakeholders}
    trajectory = np.array(result.trajectory)  # (records, n, m)
    rounds = np.array(result.trajectory_rounds)
    issues = len(result.issues)
    figure, axes = plt.subplots(
        1, issues, figsize=(4.2 * issues + 2.8, 4.8), sharey=True, squeeze=False
    )
    colours = plt.get_cmap("tab10")
    styles = ("-", "--", ":", "-.")
    for p, (axis, issue) in enumerate(zip(axes[0], result.issues, strict=True)):
        for i, stakeholder in enumerate(result.stakeholders):
            axis.plot(
                rounds,
                trajectory[:, i, p],
                color=colours(i % 10),
                linestyle=styles[(i // 10) % len(styles)],
                linewidth=1.8,
                label=names[stakeholder],
            )
        if result.decision is not None and result.decision.issue == issue:
            axis.axhline(result.decision.threshold, color="0.3", linestyle="--", linewidth=1)
            verdict = "passes" if result.decision.passes else "fails"
            axis.set_title(f"{issue}\n(proposal {verdict})")
        else:
            axis.set_title(issue)
        axis.set_xlabel("round")
        axis.set_ylim(-0.02, 1.02)
        axis.grid(alpha=0.3)
    axes[0][0].set_ylabel("position (0 = against, 1 = for)")
    handles, labels = axes[0][0].get_legend_handles_labels()
    figure.legend(
        handles[:MAX_LEGEND_ROWS],
        labels[:MAX_LEGEND_ROWS],
        loc="center right",
        frameon=False,
        fontsize="small",
    )
    status = "" if result.converged else " — not converged"
    figure.suptitle(f"{discussion.name}\n{result.model}, {result.rounds} rounds{status}")
    figure.tight_layout(rect=(0.0, 0.0, 1.0 - 2.6 / figure.get_figwidth(), 1.0))
    figure.savefig(path, dpi=150)
    plt.close(figure)
