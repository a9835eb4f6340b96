"""Domain errors cross the service's process pool by pickle and must arrive whole."""

from __future__ import annotations

import pickle

from models.errors import InvalidInput, LimitExceeded, Problem


def test_invalid_input_keeps_every_problem_through_pickle() -> None:
    sent = InvalidInput([Problem("/roles/0/id", "duplicate"), Problem("/rules/2", "unknown")])
    received = pickle.loads(pickle.dumps(sent))
    assert type(received) is InvalidInput
    assert received.problems == sent.problems
    assert str(received) == "/roles/0/id: duplicate; /rules/2: unknown"


def test_limit_exceeded_keeps_its_numbers_through_pickle() -> None:
    received = pickle.loads(pickle.dumps(LimitExceeded("max_roles", 100, 120)))
    assert (received.limit, received.allowed, received.got) == ("max_roles", 100, 120)
    assert str(received) == "max_roles: at most 100 allowed, got 120"
