"""The embedded store of recommendations: stdlib sqlite3, one table, ids derived from content.

A recommendation's id is the first 16 hex digits of the SHA-256 of the canonical JSON (sorted
keys, no whitespace) of the request that produced it, with built-in references resolved: the
same request gives the same id, so storing is idempotent and the portal's links stay stable.

Beside each recommendation the store keeps the request it answers (the resolved scenario,
discussion and options), so that a person's formats (the HTML fragment, the workbook) can use
the scenario's names; a recommendation stored before that shows ids.

One connection, opened on first use (an app that never stores creates no file) and shared by
every thread behind a lock; ``":memory:"`` keeps the store in memory for the process's life.

A store that cannot be used — a file that is not a database or is damaged, a directory or file
that cannot be written, a full disk — raises :class:`StoreUnavailable` with SQLite's or the
system's reason (a 503 at the edge). :meth:`Store.check` finds out without storing anything:
``gremium serve`` calls it before listening, ``/readyz`` on every probe, and a recommendation
before its solve, so that minutes of solving are not lost to a store that cannot keep them.
After a failure the connection is dropped, so a store the operator repairs works again.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from time import time
from typing import Any

import msgspec

from models.discussion.types import Discussion
from models.governance.types import Recommendation
from models.raci.types import Scenario, SolveOptions

MEMORY = ":memory:"
ID_PATTERN = r"^[0-9a-f]{16}$"

_encoder = msgspec.json.Encoder(order="sorted")
_decoder = msgspec.json.Decoder(Recommendation)


class StoredRequest(msgspec.Struct, frozen=True):
    """The part of a stored request that the store reads back: what a person's formats need
    (the scenario's names; the deck also solves and simulates again)."""

    scenario: Scenario
    discussion: Discussion | None = None
    options: SolveOptions = SolveOptions()


_inputs = msgspec.json.Decoder(StoredRequest)


def content_id(request: Any) -> str:
    """The stable id of ``request`` (any msgspec-encodable value): 16 hex digits of SHA-256."""
    return hashlib.sha256(_encoder.encode(request)).hexdigest()[:16]


def _reason(exc: Exception) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.filename}: {exc.strerror}" if exc.filename else exc.strerror
    return str(exc)


class StoreUnavailable(Exception):
    """The store cannot be read or written; the message names the file and the reason."""


class Store:
    """Recommendations by id, in the SQLite database at ``path`` (or in memory)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._connection: sqlite3.Connection | None = None
        self._lock = threading.Lock()

    def _connect(self) -> sqlite3.Connection:
        if self._connection is None:
            if self.path != MEMORY:
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(self.path, check_same_thread=False)
            self._connection = connection
            connection.execute(
                "CREATE TABLE IF NOT EXISTS recommendations (id TEXT PRIMARY KEY, body BLOB)"
            )
            connection.execute(
                "CREATE TABLE IF NOT EXISTS requests (id TEXT PRIMARY KEY, body BLOB)"
            )
            connection.execute("CREATE TABLE IF NOT EXISTS probe (id INTEGER PRIMARY KEY, at REAL)")
            connection.commit()
        return self._connection

    @contextmanager
    def _using(self) -> Iterator[sqlite3.Connection]:
        """The connection, under the lock; SQLite's and the system's errors as
        :class:`StoreUnavailable`."""
        with self._lock:
            try:
                yield self._connect()
            except (sqlite3.Error, OSError) as exc:
                self._drop()
                reason = _reason(exc)
                raise StoreUnavailable(f"store {self.path}: {reason}") from None

    def _drop(self) -> None:
        if self._connection is not None:
            with suppress(sqlite3.Error):
                self._connection.close()
            self._connection = None

    def check(self, thorough: bool = False) -> None:
        """Read the schema and write one probe row, as a recommendation would; ``thorough``
        also checks the integrity of every page (at start: it reads the whole file)."""
        with self._using() as connection:
            connection.execute("SELECT count(*) FROM recommendations").fetchone()
            if thorough:
                (verdict,) = connection.execute("PRAGMA quick_check(1)").fetchone()
                if verdict != "ok":
                    raise sqlite3.DatabaseError(f"damaged: {verdict}")
            connection.execute("INSERT OR REPLACE INTO probe (id, at) VALUES (1, ?)", (time(),))
            connection.commit()

    def save(self, request: Any, recommendation: Recommendation) -> str:
        """Store ``recommendation`` under the id of ``request`` (a second save keeps the first);
        returns the id."""
        key = content_id(request)
        with self._using() as connection:
            connection.execute(
                "INSERT OR IGNORE INTO recommendations (id, body) VALUES (?, ?)",
                (key, _encoder.encode(recommendation)),
            )
            connection.execute(
                "INSERT OR IGNORE INTO requests (id, body) VALUES (?, ?)",
                (key, _encoder.encode(request)),
            )
            connection.commit()
        return key

    def get(self, key: str) -> Recommendation | None:
        """The recommendation stored under ``key``, or None."""
        with self._using() as connection:
            row = connection.execute(
                "SELECT body FROM recommendations WHERE id = ?", (key,)
            ).fetchone()
        return None if row is None else _decoder.decode(row[0])

    def scenario(self, key: str) -> Scenario | None:
        """The scenario of the request stored under ``key`` (None: unknown, or stored before
        requests were kept)."""
        request = self.request(key)
        return None if request is None else request.scenario

    def request(self, key: str) -> StoredRequest | None:
        """The request stored under ``key`` (None: unknown, or stored before requests were
        kept)."""
        with self._using() as connection:
            row = connection.execute("SELECT body FROM requests WHERE id = ?", (key,)).fetchone()
        return None if row is None else _inputs.decode(row[0])

    def close(self) -> None:
        with self._lock:
            self._drop()
