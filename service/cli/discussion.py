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
from models.messages import number, say
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
    parser.add_argument(
        "--format",
        choices=("table", "json"),
        default="table",
        help="json: {simulation, monte_carlo, intervention}, each the API's answer or null",
    )
    parser.add_argument("--plot", metavar="FILE", help="draw the trajectories (.svg, .png or .pdf)")
    parser.add_argument(
        "--network", metavar="FILE", help="draw who sways whom (.svg, .png or .pdf)"
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
    parser.add_argument(
        "--lang",
        choices=LANGS,
        default=DEFAULT_LANG,
        help="sentences and the pictures' labels in English or German",
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
    return number(value, ".3f")


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
        say("sim.model", model=result.model, message=result.message),
        "",
    ]
    header = (
        say("sim.stakeholder"),
        say("sim.role"),
        *(say("sim.start-end", issue=issue) for issue in result.issues),
    )
    rows = [
        [
            f"{people[s].name}{' *' if s in supporters else ''}",
            people[s].role,
            *(
                f"{number(start, '.2f')} → {number(end, '.2f')}"
                for start, end in zip(people[s].positions, result.final[s], strict=True)
            ),
        ]
        for s in result.stakeholders
    ]
    lines.append(text_table(header, rows))
    if result.decision:
        lines.append(say("sim.supports"))
    lines.append(say("sim.coalitions"))
    lines.append(
        text_table(
            (say("sim.members"), *result.issues, say("sim.weight")),
            [
                [", ".join(c.members), *map(_number, c.position), number(c.weight, "g")]
                for c in result.coalitions
            ],
        )
    )
    p = result.polarisation
    lines.append(
        say(
            "sim.polarisation",
            consensus=say("sim.yes" if result.consensus else "sim.no"),
            variance=p.variance,
            disagreement=p.disagreement,
            esteban_ray=p.esteban_ray,
        )
    )
    lines.append(say("sim.influencers", method=result.power.method))
    lines.append(
        text_table(
            (say("sim.stakeholder"), say("sim.share")),
            [[people[i.stakeholder].name, number(i.share, ".1%")] for i in result.power.shares[:5]],
        )
    )
    d = result.decision
    if d is not None:
        lines.append(
            say(
                "sim.decision",
                issue=d.issue,
                model=NAMES[result.model],
                rule=d.rule,
                threshold=d.threshold,
                verdict=say("sim.passes" if d.passes else "sim.fails"),
                share=d.share,
                required=d.required,
                margin=d.margin,
                vetoes=say("sim.vetoed", names=", ".join(d.vetoes)) if d.vetoes else "",
            )
        )
    if result.agreement is not None:
        lines.append(say("sim.each-model", statement=result.agreement.statement))
        if chances is None:  # else the Monte Carlo table shows them with their odds
            lines.append(_models_table(result.agreement, people))
    if chances is not None:
        low, high = chances.interval
        top = ", ".join(s.stakeholder for s in chances.sensitivity[:3])
        lines.append(
            say(
                "sim.monte-carlo",
                draws=chances.draws,
                seed=chances.seed,
                probability=percent(chances.probability),
                low=percent(low),
                high=percent(high),
                agreement=say("sim.agree" if chances.agreement.unanimous else "sim.disagree"),
                top=top,
                unconverged=(
                    say("sim.unconverged", share=1.0 - chances.converged_share)
                    if chances.converged_share < 1.0
                    else ""
                ),
            )
        )
        lines.append(_models_table(chances.agreement, people))
    if plan is not None:
        lines.append(
            say(
                "sim.briefing",
                issue=plan.issue,
                model=NAMES[plan.planned_on],
                target=plan.target,
                chance=_chance(plan.baseline_probability),
            )
        )
        lines.append(
            say(
                "sim.sandwich",
                top=", ".join(people[i].name for i in plan.top) or say("sim.nobody"),
                base=", ".join(people[i].name for i in plan.base) or say("sim.nobody"),
            )
        )
        lines.extend(_plan_lines(plan.least_effort, people))
        lines.extend(_plan_lines(plan.sandwich, people))
    return "\n".join(lines) + "\n"


def _chance(odds: Chance) -> str:
    low, high = odds.interval
    return say(
        "sim.chance", probability=percent(odds.probability), low=percent(low), high=percent(high)
    )


def _models_table(agreement: Agreement, people: dict[str, Any]) -> str:
    rows = [
        [
            e.name + (say("sim.own") if e.own else ""),
            say(
                "sim.parameters.none"
                if isinstance(e.model, DeGroot)
                else "sim.parameters.defaults"
                if e.defaults
                else "sim.parameters.given"
            ),
            say(f"sim.status.{e.status}"),
            say("sim.model-passes" if e.decision.passes else "sim.fails")
            + (
                say(
                    "sim.model-vetoed",
                    names=", ".join(people[v].name for v in e.decision.vetoes),
                )
                if e.decision.vetoes
                else ""
            ),
            number(e.decision.margin, "+.1%"),
            "" if e.probability is None else percent(e.probability),
        ]
        for e in agreement.models
    ]
    header: tuple[str, ...] = tuple(
        say(f"sim.head.{key}")
        for key in ("model", "parameters", "run", "decision", "margin", "chance")
    )
    if all(e.probability is None for e in agreement.models):
        header, rows = header[:-1], [row[:-1] for row in rows]
    return text_table(header, rows)


def _plan_lines(plan: Plan, people: dict[str, Any]) -> list[str]:
    effort = "" if plan.effort is None else say("sim.effort", effort=plan.effort)
    margin = "" if plan.margin is None else say("sim.margin", margin=plan.margin)
    lines = [f"  {plan.strategy}: {plan.status}{effort}{margin}"]
    if plan.probability is not None and plan.remeasured is not None:
        lines.append(
            say(
                "sim.remeasured",
                chance=_chance(plan.probability),
                seed=plan.probability.seed,
                again=_chance(plan.remeasured),
                again_seed=plan.remeasured.seed,
            )
        )
    else:
        lines.append(f"    {plan.message}")
    lines.extend(
        say(
            "sim.brief",
            name=people[m.stakeholder].name,
            before=m.before,
            after=m.after,
            effort=m.effort,
        )
        for m in plan.moves
    )
    if plan.status == "target-not-reached":
        lines.append(f"    {plan.message}")
    if plan.agreement is not None and plan.moves:
        lines.append(say("sim.after-briefing", statement=plan.agreement.statement))
    return lines
