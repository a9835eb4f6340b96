"""Size limits the server enforces on valid input, each named after its setting.

The body size is capped by Litestar itself (413); these checks run on decoded requests, after
a scenario has been completed from the catalogue, so the limit counts what will be solved.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

import msgspec

from models.core import Matrix
from models.discussion.types import Discussion, InterventionOptions, MonteCarloOptions
from models.errors import LimitExceeded
from models.raci.types import Scenario, SolveOptions

from .settings import Settings

Options = TypeVar("Options", SolveOptions, InterventionOptions)


def _at_most(limit: str, allowed: float, got: float) -> None:
    if got > allowed:
        raise LimitExceeded(limit, allowed, got)


def check_scenario(scenario: Scenario, settings: Settings) -> None:
    _at_most("max_roles", settings.max_roles, len(scenario.roles))
    _at_most("max_activities", settings.max_activities, len(scenario.activities))


def check_matrices(matrices: Iterable[Matrix], settings: Settings) -> None:
    for matrix in matrices:
        _at_most("max_activities", settings.max_activities, len(matrix))
        roles = {role for row in matrix.values() for role in row}
        _at_most("max_roles", settings.max_roles, len(roles))


def check_discussion(discussion: Discussion, settings: Settings) -> None:
    _at_most("max_stakeholders", settings.max_stakeholders, len(discussion.stakeholders))
    _at_most("max_rounds", settings.max_rounds, discussion.max_rounds)


def check_trajectory(discussion: Discussion, settings: Settings) -> None:
    """The least a simulation records: stakeholders × issues × 2 (the first and the last
    round). More rounds than ``max_cells`` holds are thinned, not refused
    (:func:`models.discussion.simulation.simulate`)."""
    cells = len(discussion.stakeholders) * len(discussion.issues) * 2
    _at_most("max_cells", settings.max_cells, cells)


def check_draws(discussion: Discussion, options: MonteCarloOptions, settings: Settings) -> None:
    """The draws, and the numbers they draw: draws × stakeholders × issues."""
    _at_most("max_draws", settings.max_draws, options.draws)
    cells = options.draws * len(discussion.stakeholders) * len(discussion.issues)
    _at_most("max_cells", settings.max_cells, cells)


def capped(options: Options, settings: Settings) -> Options:
    """The options with the time limit cut to the server's cap (a request may ask for less)."""
    if options.time_limit <= settings.max_time_limit:
        return options
    return msgspec.structs.replace(options, time_limit=settings.max_time_limit)
