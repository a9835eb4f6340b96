"""Server-side limits: counted on what will be solved, named when exceeded, time capped."""

from __future__ import annotations

import pytest

from models.discussion.types import InterventionOptions
from models.errors import LimitExceeded
from models.raci.types import SolveOptions
from service.limits import capped, check_matrices
from service.settings import Settings


def test_the_time_limit_is_capped_to_the_budget_not_refused() -> None:
    assert capped(SolveOptions(time_limit=100.0), 5.0).time_limit == 5.0
    assert capped(SolveOptions(time_limit=2.0), 5.0).time_limit == 2.0
    assert capped(InterventionOptions(time_limit=60.0), 5.0).time_limit == 5.0


def test_a_matrix_counts_distinct_roles_across_activities() -> None:
    matrix = {"a": {"r1": "A", "r2": "R"}, "b": {"r2": "A/R", "r3": "C"}}
    check_matrices([matrix], Settings(max_roles=3, max_activities=2))
    with pytest.raises(LimitExceeded) as roles:
        check_matrices([matrix], Settings(max_roles=2))
    assert (roles.value.limit, roles.value.allowed, roles.value.got) == ("max_roles", 2, 3)
    with pytest.raises(LimitExceeded) as activities:
        check_matrices([{}, matrix], Settings(max_activities=1))
    assert activities.value.limit == "max_activities"
