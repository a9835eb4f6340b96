"""A typed client of the Gremium API for consultants' scripts and notebooks (httpx; sync and async).

    >>> from service.client import Client
    >>> with Client("http://127.0.0.1:8000", api_key="...") as gremium:  # doctest: +SKIP
    ...     answer = gremium.solve("csmo-ceo", variant="hub-and-spoke")
    ...     print(answer.results[0].status, answer.results[0].matrix["strategy"])

Requests and results are the domain's own types and the wire types of :mod:`service.schemas`,
none of which loads the web framework or the solvers. Each call is described once
(:class:`Call`) and sent by either client, so the two cannot drift apart.

What a call can raise::

    Exception
    └── GremiumClientError          anything this client raises about the service
        ├── ProblemError            the server answered with problem details (RFC 9457);
        │                           .problem carries them — also a 429 or 503 still refused
        │                           after the retries
        └── GremiumUnavailable      no answer at all: the connection failed or timed out
                                    (.__cause__ is httpx's error)

A 429 (rate limited) or 503 (overloaded, worker lost) that carries ``Retry-After`` is tried
again after it, within :class:`Retry`'s bounds: at most ``attempts`` tries and ``max_wait``
seconds of waiting in all; a ``Retry-After`` beyond what is left is not waited for. A 503
without one (a request whose time budget ran out) is not retried: the server did not ask for
it, and the same work would likely run out again. ``Retry(attempts=1)`` never retries.
"""

from __future__ import annotations

import asyncio
import email.utils
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Concatenate, Generic, Literal, ParamSpec, Self, TypeVar

import httpx
import msgspec

from models.core import Matrix
from models.discussion.types import (
    Discussion,
    InterventionOptions,
    InterventionResult,
    Model,
    MonteCarloOptions,
    MonteCarloResult,
    SimulationResult,
)
from models.governance.types import Edit, StabilityDepth, WhatIf
from models.labels import DEFAULT_LANG, Lang
from models.raci.types import LintOptions, LintReport, MatrixDiff, Scenario, SolveOptions, Variant

from .schemas import (
    API_KEY_HEADER,
    PROBLEM_JSON,
    XLSX,
    DiffRequest,
    Health,
    InterventionRequest,
    LintRequest,
    MonteCarloRequest,
    ProblemDetails,
    RecommendRequest,
    ScenarioEntry,
    ScenarioList,
    SimulateRequest,
    SolveRequest,
    SolveResponse,
    StoredRecommendation,
    WhatIfRequest,
)

T = TypeVar("T")
P = ParamSpec("P")
TextFormat = Literal["text/csv", "text/markdown"]


class GremiumClientError(Exception):
    """The base of what this client raises about the service (the tree: module docstring)."""


class ProblemError(GremiumClientError):
    """The server answered with problem details (RFC 9457)."""

    def __init__(self, problem: ProblemDetails) -> None:
        self.problem = problem
        super().__init__(f"{problem.status} {problem.title}: {problem.detail}")


class GremiumUnavailable(GremiumClientError):
    """The service did not answer: the connection failed or timed out."""


@dataclass(frozen=True)
class Retry:
    """How often and how long to retry an answer the server asks to retry (429, 503)."""

    attempts: int = 3
    max_wait: float = 30.0
    statuses: frozenset[int] = frozenset({429, 503})

    def delay(self, response: httpx.Response, attempt: int, waited: float) -> float | None:
        """Seconds to wait before try ``attempt + 1`` after ``response`` (try ``attempt``,
        ``waited`` seconds waited so far), or None: do not retry."""
        if response.status_code not in self.statuses or attempt >= self.attempts:
            return None
        seconds = _retry_after(response.headers.get("retry-after"))
        if seconds is None:
            return None
        return seconds if waited + seconds <= self.max_wait else None


def _retry_after(value: str | None) -> float | None:
    """``Retry-After`` in seconds: delay-seconds or an HTTP date (RFC 9110 §10.2.3)."""
    if value is None:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


@dataclass(frozen=True)
class Call(Generic[T]):
    """One API call: what to send and what type the answer decodes into (``str`` for text,
    ``bytes`` for a file such as a workbook), and the language of its labels."""

    method: str
    path: str
    result: type[T]
    body: msgspec.Struct | None = None
    params: dict[str, str] | None = None
    accept: str = "application/json"
    lang: Lang = DEFAULT_LANG


def _decode(call: Call[T], response: httpx.Response) -> T:
    if response.is_error:
        if response.headers.get("content-type", "").startswith(PROBLEM_JSON):
            raise ProblemError(msgspec.json.decode(response.content, type=ProblemDetails))
        response.raise_for_status()
    if call.result is str:
        text: Any = response.text
        return text  # type: ignore[no-any-return]
    if call.result is bytes:
        content: Any = response.content
        return content  # type: ignore[no-any-return]
    return msgspec.json.decode(response.content, type=call.result)


def _request(call: Call[Any]) -> dict[str, Any]:
    headers = {"Accept": call.accept, "Accept-Language": call.lang}
    content = None
    if call.body is not None:
        headers["Content-Type"] = "application/json"
        content = msgspec.json.encode(call.body)
    return {"headers": headers, "content": content, "params": call.params}


def _solve(
    scenario: Scenario | str,
    variant: Variant | Literal["all"] = "all",
    options: SolveOptions | None = None,
) -> Call[SolveResponse]:
    """Propose RACI matrices for a scenario (inline or a built-in id), per governance model."""
    body = SolveRequest(scenario=scenario, variant=variant, options=options or SolveOptions())
    return Call("POST", "/v1/raci/solve", SolveResponse, body)


def _solve_text(
    scenario: Scenario | str,
    variant: Variant | Literal["all"] = "all",
    media_type: TextFormat = "text/csv",
    options: SolveOptions | None = None,
    lang: Lang = DEFAULT_LANG,
) -> Call[str]:
    """The same as CSV (Excel's dialect) or Markdown, ready for a slide or a spreadsheet."""
    body = SolveRequest(scenario=scenario, variant=variant, options=options or SolveOptions())
    return Call("POST", "/v1/raci/solve", str, body, accept=media_type, lang=lang)


def _solve_workbook(
    scenario: Scenario | str,
    variant: Variant | Literal["all"] = "all",
    options: SolveOptions | None = None,
    lang: Lang = DEFAULT_LANG,
) -> Call[bytes]:
    """The same as an Excel workbook: the bytes of an .xlsx file."""
    body = SolveRequest(scenario=scenario, variant=variant, options=options or SolveOptions())
    return Call("POST", "/v1/raci/solve", bytes, body, accept=XLSX, lang=lang)


def _lint(
    matrix: Matrix, scenario: Scenario | str | None = None, options: LintOptions | None = None
) -> Call[LintReport]:
    """Lint a RACI matrix, optionally against its scenario."""
    body = LintRequest(matrix=matrix, scenario=scenario, options=options or LintOptions())
    return Call("POST", "/v1/raci/lint", LintReport, body)


def _diff(
    scenario: Scenario | str, variant: Variant, current: Matrix, proposed: Matrix
) -> Call[MatrixDiff]:
    """Compare a current matrix with a proposal under one governance model."""
    body = DiffRequest(scenario=scenario, variant=variant, current=current, proposed=proposed)
    return Call("POST", "/v1/raci/diff", MatrixDiff, body)


def _simulate(discussion: Discussion | str, model: Model | None = None) -> Call[SimulationResult]:
    """Simulate a discussion (inline or a built-in id)."""
    body = SimulateRequest(discussion=discussion, model=model)
    return Call("POST", "/v1/discussions/simulate", SimulationResult, body)


def _monte_carlo(
    discussion: Discussion | str,
    options: MonteCarloOptions | None = None,
    model: Model | None = None,
) -> Call[MonteCarloResult]:
    """Probability that the discussion's proposal passes under uncertain inputs."""
    body = MonteCarloRequest(discussion=discussion, options=options, model=model)
    return Call("POST", "/v1/discussions/monte-carlo", MonteCarloResult, body)


def _intervene(
    discussion: Discussion | str,
    options: InterventionOptions | None = None,
    model: Model | None = None,
) -> Call[InterventionResult]:
    """The least-effort briefing plan that makes the proposal pass."""
    body = InterventionRequest(discussion=discussion, options=options, model=model)
    return Call("POST", "/v1/discussions/intervention", InterventionResult, body)


def _what_if(
    scenario: Scenario | str,
    edits: Sequence[Edit] = (),
    variant: Variant | Literal["all"] = "all",
    discussion: Discussion | str | None = None,
    options: SolveOptions | None = None,
) -> Call[WhatIf]:
    """Edit a scenario and see which cells flip and whether the recommendation changes."""
    body = WhatIfRequest(
        scenario=scenario,
        edits=tuple(edits),
        variant=variant,
        discussion=discussion,
        options=options or SolveOptions(),
    )
    return Call("POST", "/v1/raci/what-if", WhatIf, body)


def _recommend(
    scenario: Scenario | str,
    discussion: Discussion | str | None = None,
    options: SolveOptions | None = None,
    stability: StabilityDepth = "winner",
) -> Call[StoredRecommendation]:
    """Rank every governance model for a scenario and store the result under a stable id."""
    body = RecommendRequest(
        scenario=scenario,
        discussion=discussion,
        options=options or SolveOptions(),
        stability=stability,
    )
    return Call("POST", "/v1/recommendations", StoredRecommendation, body)


def _recommendation(recommendation_id: str) -> Call[StoredRecommendation]:
    """A stored recommendation by id."""
    return Call("GET", f"/v1/recommendations/{recommendation_id}", StoredRecommendation)


def _recommendation_html(recommendation_id: str, lang: Lang = DEFAULT_LANG) -> Call[str]:
    """A stored recommendation as the portal's ready HTML fragment."""
    path = f"/v1/recommendations/{recommendation_id}"
    return Call("GET", path, str, accept="text/html", lang=lang)


def _recommendation_workbook(recommendation_id: str, lang: Lang = DEFAULT_LANG) -> Call[bytes]:
    """A stored recommendation as an Excel workbook: the bytes of an .xlsx file."""
    return Call("GET", f"/v1/recommendations/{recommendation_id}", bytes, accept=XLSX, lang=lang)


def _scenarios(kind: Literal["all", "raci", "discussion"] = "all") -> Call[ScenarioList]:
    """List the built-in scenarios."""
    return Call("GET", "/v1/scenarios", ScenarioList, params={"kind": kind})


def _scenario(scenario_id: str) -> Call[ScenarioEntry]:
    """A built-in scenario by id."""
    return Call("GET", f"/v1/scenarios/{scenario_id}", ScenarioEntry)


def _health() -> Call[Health]:
    """Liveness."""
    return Call("GET", "/healthz", Health)


def _ready() -> Call[Health]:
    """Readiness: the solver is available."""
    return Call("GET", "/readyz", Health)


def _unavailable(base_url: httpx.URL, exc: httpx.TransportError) -> GremiumUnavailable:
    return GremiumUnavailable(f"Gremium at {base_url} did not answer: {type(exc).__name__}: {exc}")


def _headers(api_key: str | None) -> dict[str, str]:
    return {API_KEY_HEADER: api_key} if api_key else {}


def _blocking(call: Callable[P, Call[T]]) -> Callable[Concatenate[Client, P], T]:
    def method(self: Client, /, *args: P.args, **kwargs: P.kwargs) -> T:
        return self.send(call(*args, **kwargs))

    method.__doc__ = call.__doc__
    return method


def _awaitable(call: Callable[P, Call[T]]) -> Callable[Concatenate[AsyncClient, P], Awaitable[T]]:
    async def method(self: AsyncClient, /, *args: P.args, **kwargs: P.kwargs) -> T:
        return await self.send(call(*args, **kwargs))

    method.__doc__ = call.__doc__
    return method


class Client:
    """Blocking client: ``with Client(url, api_key=...) as gremium: gremium.solve(...)``."""

    def __init__(
        self,
        base_url: str = "http://127.0.0.1:8000",
        *,
        api_key: str | None = None,
        timeout: float = 120.0,
        transport: httpx.BaseTransport | None = None,
        retry: Retry = Retry(),
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._http = httpx.Client(
            base_url=base_url, headers=_headers(api_key), timeout=timeout, transport=transport
        )
        self._retry, self._sleep = retry, sleep

    def send(self, call: Call[T]) -> T:
        attempt, waited = 1, 0.0
        while True:
            try:
                response = self._http.request(call.method, call.path, **_request(call))
            except httpx.TransportError as exc:
                raise _unavailable(self._http.base_url, exc) from exc
            delay = self._retry.delay(response, attempt, waited)
            if delay is None:
                return _decode(call, response)
            self._sleep(delay)
            attempt, waited = attempt + 1, waited + delay

    solve = _blocking(_solve)
    solve_text = _blocking(_solve_text)
    solve_workbook = _blocking(_solve_workbook)
    lint = _blocking(_lint)
    diff = _blocking(_diff)
    simulate = _blocking(_simulate)
    monte_carlo = _blocking(_monte_carlo)
    intervene = _blocking(_intervene)
    recommend = _blocking(_recommend)
    what_if = _blocking(_what_if)
    recommendation = _blocking(_recommendation)
    recommendation_html = _blocking(_recommendation_html)
    recommendation_workbook = _blocking(_recommendation_workbook)
    scenarios = _blocking(_scenarios)
    scenario = _blocking(_scenario)
    health = _blocking(_health)
    ready = _blocking(_ready)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


class AsyncClient:
    """The same calls for asyncio: ``async with AsyncClient(url) as gremium: ...``."""

    def __init__(
        self,
        base_url: str = "http://127.0.0.1:8000",
        *,
        api_key: str | None = None,
        timeout: float = 120.0,
        transport: httpx.AsyncBaseTransport | None = None,
        retry: Retry = Retry(),
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._http = httpx.AsyncClient(
            base_url=base_url, headers=_headers(api_key), timeout=timeout, transport=transport
        )
        self._retry, self._sleep = retry, sleep

    async def send(self, call: Call[T]) -> T:
        attempt, waited = 1, 0.0
        while True:
            try:
                response = await self._http.request(call.method, call.path, **_request(call))
            except httpx.TransportError as exc:
                raise _unavailable(self._http.base_url, exc) from exc
            delay = self._retry.delay(response, attempt, waited)
            if delay is None:
                return _decode(call, response)
            await self._sleep(delay)
            attempt, waited = attempt + 1, waited + delay

    solve = _awaitable(_solve)
    solve_text = _awaitable(_solve_text)
    solve_workbook = _awaitable(_solve_workbook)
    lint = _awaitable(_lint)
    diff = _awaitable(_diff)
    simulate = _awaitable(_simulate)
    monte_carlo = _awaitable(_monte_carlo)
    intervene = _awaitable(_intervene)
    recommend = _awaitable(_recommend)
    what_if = _awaitable(_what_if)
    recommendation = _awaitable(_recommendation)
    recommendation_html = _awaitable(_recommendation_html)
    recommendation_workbook = _awaitable(_recommendation_workbook)
    scenarios = _awaitable(_scenarios)
    scenario = _awaitable(_scenario)
    health = _awaitable(_health)
    ready = _awaitable(_ready)

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()
