"""Discussion subcommand: ``gremium simulate SCENARIO``.

Prints final positions, coalitions, influencers and the decision (``--format table``) or the
results as JSON; ``--monte-carlo N`` adds the probability that the proposal passes,
``--intervene`` the robust least-effort briefing plan against the sandwich, ``--plot`` draws
the opinion trajectories for slides and ``--network`` who sways whom (SVG, PNG or PDF by the
file's suffix; :mod:`models.discussion.picture`). The decision is shown under each standard
model too.
Exit codes: 0 success, 2 bad input (see ``service.cli.main``).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

import msgspec

from models.core import problem_of
from models.discussion.agreement import NAMES, percent
from models.discussion.codec import decode_discussion
from models.discussion.intervention import intervene
from models.discussion.montecarlo import monte_carlo
from models.discussion.picture import network_picture, trajectory_picture
from models.discussion.simulation import simulate, with_model
from models.discussion.types import (
    MODEL_KINDS,
    Agreement,
    Chance,
    DeGroot,
    Discussion,
    InterventionResult,
    MonteCarloResult,
    Plan,
    SimulationResult,
)
from models.errors import InvalidInput
from models.labels import DEFAULT_LANG, LANGS
from models.raci.render import text_table
from service.library import load_builtin, resolve

from .files import picture_format, write_output


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
    parser.add_argument("--plot", metavar="FILE", help="draw the trajectories (.svg, .png or .pdf)")
    parser.add_argument(
        "--network", metavar="FILE", help="draw who sways whom (.svg, .png or .pdf)"
    )
    parser.add_argument(
        "--lang",
        choices=LANGS,
        default=DEFAULT_LANG,
        help="the pictures' labels in English or German (default: %(default)s)",
    )
    parser.add_argument("--monte-carlo", type=int, metavar="N", help="N uncertain draws")
    parser.add_argument(
        "--intervene",
        action="store_true",
        help="robust least-effort briefing plan vs the sandwich (target: --target)",
    )
    parser.add_argument(
        "--target",
        type=float,
        metavar="P",
        help="probability of passing a briefing plan must reach (default 0.8)",
    )
    parser.set_defaults(run=run_simulate)


def run_simulate(args: argparse.Namespace) -> int:
    # checked before simulating, so a typo in the path does not follow a printed report
    pictures = [
        (path, picture_format(path, flag), draw, what)
        for path, flag, draw, what in (
            (args.plot, "--plot", trajectory_picture, "the trajectories"),
            (args.network, "--network", network_picture, "who sways whom"),
        )
        if path is not None
    ]
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
    plan = None
    if args.intervene:
        limits = discussion.intervention
        if args.target is not None:
            try:
                limits = msgspec.convert(
                    {**msgspec.to_builtins(limits), "target": args.target}, type(limits)
                )
            except msgspec.ValidationError as exc:
                raise InvalidInput.single("--target", problem_of(exc).message) from exc
        plan = intervene(discussion, limits)
    if args.format == "json":
        report = {"simulation": result, "monte_carlo": chances, "intervention": plan}
        sys.stdout.write(msgspec.json.encode(report).decode() + "\n")
    else:
        sys.stdout.write(render(discussion, result, chances, plan))
    for path, fmt, draw, what in pictures:
        write_output(draw(discussion, result, fmt, args.lang), path, f"{what} of {discussion.id}")
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
            f"Decision on {d.issue!r} under {NAMES[result.model]} ({d.rule}, support ≥ "
            f"{d.threshold:g}): {verdict} — "
            f"share {d.share:.1%} against {d.required:.1%} needed, margin {d.margin:+.1%}"
            + (f"; vetoed by {', '.join(d.vetoes)}" if d.vetoes else "")
        )
    if result.agreement is not None:
        lines.append(f"Under each standard model: {result.agreement.statement}")
        if chances is None:  # else the Monte Carlo table shows them with their odds
            lines.append(_models_table(result.agreement, people))
    if chances is not None:
        low, high = chances.interval
        top = ", ".join(s.stakeholder for s in chances.sensitivity[:3])
        lines.append(
            f"Monte Carlo ({chances.draws} draws, seed {chances.seed}, every standard model on "
            f"the same draws, each equally likely): passes with probability "
            f"{percent(chances.probability)} (95% CI {percent(low)}-{percent(high)}) — "
            + (
                "the models agree"
                if chances.agreement.unanimous
                else "the models disagree, so the outcome is uncertain"
            )
            + f"; inputs that matter most: {top}"
            + (
                f"; {1.0 - chances.converged_share:.1%} of the draws did not converge "
                "(decided on their last state)"
                if chances.converged_share < 1.0
                else ""
            )
        )
        lines.append(_models_table(chances.agreement, people))
    if plan is not None:
        lines.append(
            f"\nBriefing on {plan.issue!r}, planned on the {NAMES[plan.planned_on]} equilibrium: "
            f"each plan must pass with probability ≥ {plan.target:.0%} (lower 95% bound) under the "
            f"Monte Carlo input uncertainty; without briefing {_chance(plan.baseline_probability)}"
        )
        lines.append(
            f"  sandwich: top {', '.join(people[i].name for i in plan.top) or '(none)'}; "
            f"base {', '.join(people[i].name for i in plan.base) or '(none)'}"
        )
        lines.extend(_plan_lines(plan.least_effort, people))
        lines.extend(_plan_lines(plan.sandwich, people))
    return "\n".join(lines) + "\n"


def _chance(odds: Chance) -> str:
    low, high = odds.interval
    return f"P(pass) {percent(odds.probability)} (95% CI {percent(low)}-{percent(high)})"


def _models_table(agreement: Agreement, people: dict[str, Any]) -> str:
    rows = [
        [
            e.name + (" (the discussion's)" if e.own else ""),
            "none" if isinstance(e.model, DeGroot) else "defaults" if e.defaults else "given",
            e.status,
            ("passes" if e.decision.passes else "FAILS")
            + (
                f", vetoed by {', '.join(people[v].name for v in e.decision.vetoes)}"
                if e.decision.vetoes
                else ""
            ),
            f"{e.decision.margin:+.1%}",
            "" if e.probability is None else percent(e.probability),
        ]
        for e in agreement.models
    ]
    header: tuple[str, ...] = (
        "model",
        "parameters",
        "run",
        "decision as given",
        "margin",
        "P(pass | model)",
    )
    if all(e.probability is None for e in agreement.models):
        header, rows = header[:-1], [row[:-1] for row in rows]
    return text_table(header, rows)


def _plan_lines(plan: Plan, people: dict[str, Any]) -> list[str]:
    effort = "" if plan.effort is None else f", effort {plan.effort:.3f}"
    margin = "" if plan.margin is None else f", margin {plan.margin:.3f}"
    lines = [f"  {plan.strategy}: {plan.status}{effort}{margin}"]
    if plan.probability is not None and plan.remeasured is not None:
        lines.append(
            f"    {_chance(plan.probability)} on seed {plan.probability.seed}; re-measured "
            f"{_chance(plan.remeasured)} on seed {plan.remeasured.seed}"
        )
    else:
        lines.append(f"    {plan.message}")
    lines.extend(
        f"    brief {people[m.stakeholder].name}: {m.before:.2f} → {m.after:.2f} "
        f"(effort {m.effort:.3f})"
        for m in plan.moves
    )
    if plan.status == "target-not-reached":
        lines.append(f"    {plan.message}")
    if plan.agreement is not None and plan.moves:
        lines.append(f"    after briefing, under each standard model: {plan.agreement.statement}")
    return lines
