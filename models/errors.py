"""The errors Gremium's domain raises.

    GremiumError                 base of everything raised on purpose
    ├── InvalidInput             the caller's data is wrong; carries every Problem found
    │                            (field as a JSON pointer + message)
    ├── LimitExceeded            the input is valid but larger than a configured limit
    ├── BudgetExhausted          the time budget ended before any usable result existed
    └── SolverFailure            the solver itself broke (not: infeasible, which is a result)

An infeasible scenario, a simulation that did not converge or a budget that cut the work short
(but left a result: a gap, fewer draws) is *not* an error: it is a result
with a status. The service maps each class once, at the edge, to an HTTP problem type; the CLI
maps them to a message and exit code 2.
"""

from __future__ import annotations

from collections.abc import Iterable

import msgspec


class Problem(msgspec.Struct, frozen=True):
    """One thing wrong with an input: where (a JSON pointer, ``/roles/2/capacity``) and what."""

    pointer: str
    message: str

    def __str__(self) -> str:
        return f"{self.pointer or '/'}: {self.message}"


class GremiumError(Exception):
    """Base class of the errors Gremium raises on purpose."""


class InvalidInput(GremiumError, ValueError):
    """The input is malformed or contradictory; ``problems`` lists every offending field."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(str(p) for p in self.problems) or "invalid input")

    @classmethod
    def single(cls, pointer: str, message: str) -> InvalidInput:
        return cls([Problem(pointer, message)])

    def within(self, prefix: str) -> InvalidInput:
        """The same problems, re-pointed at where the value sits in a larger document."""
        return InvalidInput(Problem(prefix + p.pointer, p.message) for p in self.problems)

    def __reduce__(self) -> tuple[type[InvalidInput], tuple[tuple[Problem, ...]]]:
        # pickle (the service's process pool) must rebuild from problems, not from str(self)
        return (type(self), (self.problems,))


class LimitExceeded(GremiumError):
    """The input is valid but exceeds a configured limit (``limit`` names it)."""

    def __init__(self, limit: str, allowed: float, got: float) -> None:
        self.limit, self.allowed, self.got = limit, allowed, got
        super().__init__(f"{limit}: at most {allowed:g} allowed, got {got:g}")

    def __reduce__(self) -> tuple[type[LimitExceeded], tuple[str, float, float]]:
        return (type(self), (self.limit, self.allowed, self.got))


class BudgetExhausted(GremiumError):
    """The time budget ended before the work had any result to report."""


class SolverFailure(GremiumError):
    """The solver crashed or is unavailable; an infeasible model is not a failure."""
