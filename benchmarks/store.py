"""The store's write rate: recommendations (content-hash ids, insert-or-ignore) and jobs (a row
added, marked running, then succeeded with a 20 kB answer), on the embedded SQLite file and, when
one answers, on PostgreSQL at 127.0.0.1:5432 (database ``test``, a schema of its own, dropped).

    python -m benchmarks.store [--count N]

Each write is its own transaction, as the service makes them; one thread, so the figure is the
latency of a commit on this machine, not the database's throughput under many writers.
"""

from __future__ import annotations

import argparse
import secrets
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa

from models.governance.types import Recommendation
from service.store import JobRow, Store

POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
RECOMMENDATION = Recommendation(
    scenario="bench",
    discussion=None,
    recommended="central",
    summary="Recommended: central. " * 20,
    matrix={f"activity-{i}": {"csmo": "A/R", "ceo": "C", "hr": "I"} for i in range(40)},
    ranking=(),
)
ANSWER = b"x" * 20_000


def rate(count: int, write: Callable[[int], None]) -> float:
    started = time.perf_counter()
    for index in range(count):
        write(index)
    return count / (time.perf_counter() - started)


def measure(name: str, store: Store, count: int) -> None:
    store.migrate()
    run = secrets.token_hex(4)
    saves = rate(count, lambda i: store.save({"run": run, "i": i}, RECOMMENDATION) and None)

    def job(i: int) -> None:
        key = f"{run}{i:08x}"
        now = time.time()
        store.add_job(
            JobRow(
                id=key,
                caller="bench",
                operation="solveRaci",
                status="queued",
                owner="bench",
                created=now,
                seen=now,
                budget=60.0,
                media_type="application/json",
            )
        )
        store.update_job(key, status="running", started=time.time())
        store.update_job(key, status="succeeded", finished=time.time(), result=ANSWER)

    jobs = rate(count, job)
    key = store.save({"run": run, "i": 0}, RECOMMENDATION)
    reads = rate(count, lambda i: store.get(key) and None)
    print(
        f"{name:<11} {saves:>9.0f} recommendations/s {jobs:>7.0f} jobs/s (3 writes each) "
        f"{reads:>7.0f} reads/s",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=300)
    count = parser.parse_args().count
    with tempfile.TemporaryDirectory() as folder:
        store = Store(str(Path(folder) / "store.sqlite3"))
        measure("SQLite", store, count)
        store.close()
    admin = sa.create_engine(POSTGRES, poolclass=sa.pool.NullPool)
    schema = f"gremium_bench_{secrets.token_hex(4)}"
    try:
        with admin.begin() as connection:
            connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
    except sa.exc.OperationalError as exc:
        print(f"PostgreSQL  skipped: not reachable at 127.0.0.1:5432 ({str(exc.orig).strip()})")
        return
    try:
        store = Store(f"{POSTGRES}?options=-csearch_path%3D{schema}")
        measure("PostgreSQL", store, count)
        store.close()
    finally:
        with admin.begin() as connection:
            connection.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")


if __name__ == "__main__":
    main()
