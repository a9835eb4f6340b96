"""The store on SQLite and on a real PostgreSQL (127.0.0.1:5432, trust authentication, database
``test``; each test gets a fresh schema, dropped afterwards): migrations from an empty database
and from the schema before Alembic with its rows, concurrent identical writes, two "replicas"
(two Store instances) sharing recommendations and jobs, a database that goes away and comes
back. The PostgreSQL cases skip, saying why, when no server answers."""

from __future__ import annotations

import os
import secrets
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import msgspec
import pytest
import sqlalchemy as sa
from litestar.testing import TestClient

from models.governance.types import Recommendation
from service.app import create_app
from service.catalogue import Catalogue
from service.migrations import head
from service.store import JobRow, Store, StoreUnavailable, content_id

from .conftest import settings_for

POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"
RECOMMENDATION = Recommendation(
    scenario="csmo-ceo",
    discussion=None,
    recommended="central",
    summary="Recommended: central.",
    matrix={"strategy": {"csmo": "A/R", "ceo": "C"}},
    ranking=(),
)


def postgres_reason() -> str | None:
    """Why PostgreSQL cannot be used here, or None."""
    engine = sa.create_engine(POSTGRES.replace("postgresql:", "postgresql+psycopg:"))
    try:
        with engine.connect():
            return None
    except sa.exc.OperationalError as exc:
        return f"PostgreSQL not reachable at 127.0.0.1:5432 ({str(exc.orig).strip()})"
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def unreachable() -> str | None:
    return postgres_reason()


@pytest.fixture(params=["sqlite", "postgresql"])
def location(
    request: pytest.FixtureRequest, tmp_path: Path, unreachable: str | None
) -> Iterator[str]:
    """A fresh, empty database: a SQLite file, or a new PostgreSQL schema."""
    if request.param == "sqlite":
        yield str(tmp_path / "store.sqlite3")
        return
    if unreachable is not None:
        pytest.skip(unreachable)
    schema = f"gremium_test_{secrets.token_hex(6)}"
    admin = sa.create_engine(
        POSTGRES.replace("postgresql:", "postgresql+psycopg:"), poolclass=sa.pool.NullPool
    )
    with admin.begin() as connection:
        connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
    try:
        # the application name tells this test's connections from any other's
        yield f"{POSTGRES}?options=-csearch_path%3D{schema}&application_name={schema}"
    finally:
        with admin.begin() as connection:
            connection.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()


def tables(store: Store) -> set[str]:
    engine = sa.create_engine(store.url)
    try:
        with engine.connect() as connection:
            return set(sa.inspect(connection).get_table_names())
    finally:
        engine.dispose()


def raw(store: Store, sql: str) -> list[tuple[object, ...]]:
    """Rows read past the Store, with a connection of its own."""
    engine = sa.create_engine(store.url)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.exec_driver_sql(sql)]
    finally:
        engine.dispose()


def test_an_empty_database_is_migrated_to_the_newest_revision(location: str) -> None:
    store = Store(location)
    assert store.migrate() == head() == "0002"
    assert {"recommendations", "requests", "probe", "jobs", "alembic_version"} <= tables(store)
    assert raw(store, "SELECT version_num FROM alembic_version") == [("0002",)]
    store.close()
    again = Store(location)
    assert again.migrate() == "0002"  # nothing to do
    again.close()


def test_the_schema_before_alembic_is_carried_forward_with_its_rows(
    location: str, catalogue: Catalogue
) -> None:
    request = {"scenario": catalogue.raci["csmo-ceo"], "options": {"time_limit": 5}}
    key = content_id(request)
    body, inputs = msgspec.json.encode(RECOMMENDATION), msgspec.json.encode(request)
    # the three tables exactly as the store before Alembic created them, with a row each
    binary = "BLOB" if location.endswith(".sqlite3") else "BYTEA"
    statements = [
        f"CREATE TABLE recommendations (id TEXT PRIMARY KEY, body {binary})",
        f"CREATE TABLE requests (id TEXT PRIMARY KEY, body {binary})",
        "CREATE TABLE probe (id INTEGER PRIMARY KEY, at REAL)",
    ]
    if location.endswith(".sqlite3"):
        with sqlite3.connect(location) as connection:
            for statement in statements:
                connection.execute(statement)
            connection.execute("INSERT INTO recommendations VALUES (?, ?)", (key, body))
            connection.execute("INSERT INTO requests VALUES (?, ?)", (key, inputs))
    else:
        engine = sa.create_engine(Store(location).url)
        with engine.begin() as connection:
            for statement in statements:
                connection.exec_driver_sql(statement)
            connection.exec_driver_sql("INSERT INTO recommendations VALUES (%s, %s)", (key, body))
            connection.exec_driver_sql("INSERT INTO requests VALUES (%s, %s)", (key, inputs))
        engine.dispose()
    store = Store(location)
    assert store.get(key) == RECOMMENDATION
    assert store.scenario(key) == catalogue.raci["csmo-ceo"]
    assert raw(store, "SELECT version_num FROM alembic_version") == [("0002",)]
    assert "jobs" in tables(store)
    store.close()


def test_concurrent_identical_writes_keep_one_row(location: str) -> None:
    replicas = [Store(location) for _ in range(6)]
    replicas[0].migrate()  # before the race: the writes are what is tested
    request = {"scenario": "csmo-ceo", "nonce": secrets.token_hex(4)}
    start = threading.Barrier(len(replicas))
    ids: list[str] = []
    errors: list[BaseException] = []

    def write(store: Store) -> None:
        start.wait()
        try:
            ids.append(store.save(request, RECOMMENDATION))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(store,)) for store in replicas]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert set(ids) == {content_id(request)}
    assert raw(replicas[0], "SELECT count(*) FROM recommendations") == [(1,)]
    for store in replicas:
        store.close()


def test_two_replicas_share_recommendations_and_jobs(location: str) -> None:
    one, other = Store(location), Store(location)
    key = one.save({"scenario": "csmo-ceo"}, RECOMMENDATION)
    assert other.get(key) == RECOMMENDATION
    now = time.time()
    job = JobRow(
        id="00112233aabbccdd",
        caller="key-1",
        operation="solveRaci",
        status="queued",
        owner="replica-one",
        created=now,
        seen=now,
        budget=60.0,
        media_type="text/csv",
    )
    one.add_job(job)
    assert other.job(job.id) == job
    assert other.unfinished_jobs("key-1", now - 1) == 1
    assert one.update_job(job.id, status="running", started=now + 1)
    assert one.update_job(job.id, progress=0.5)
    assert other.job(job.id).progress == 0.5  # type: ignore[union-attr]
    # the other replica cancels it: the owner hears of it on its next heartbeat
    assert other.update_job(job.id, status="cancelled", finished=now + 2)
    assert one.heartbeat("replica-one", now + 3) == {job.id}
    assert not one.update_job(job.id, status="succeeded")  # an ended job stays as it ended
    finished = JobRow(
        **{
            **job.__dict__,
            "id": "ffeeddccbbaa0099",
            "status": "succeeded",
            "result": b"a;b\r\n1;2\r\n",
            "headers": {"Content-Disposition": 'attachment; filename="x.csv"'},
            "status_code": 200,
        }
    )
    one.add_job(finished)
    assert other.job(finished.id) == finished
    assert other.unfinished_jobs("key-1", now - 1) == 0
    # retention: what ended before the cut goes, with its result; what runs never does
    one.update_job(finished.id, only_if=("succeeded",), finished=now - 86_400)
    running = JobRow(**{**job.__dict__, "id": "0123012301230123", "status": "running"})
    one.add_job(running)
    assert other.delete_jobs(now - 3600) == 1
    assert one.job(finished.id) is None
    assert one.job(job.id) is not None  # cancelled at now + 2: after the cut
    assert one.job(running.id) is not None
    one.close()
    other.close()


def test_a_database_that_goes_away_is_unavailable_and_then_recovers(
    location: str, unreachable: str | None
) -> None:
    if location.endswith(".sqlite3"):
        pytest.skip("a SQLite file has no server to lose (test_store.py breaks the file)")
    store = Store(location)
    store.check()
    # the server drops every connection of the store, as a restart of PostgreSQL would
    name = store.url.query["application_name"]
    killed = raw(
        store,
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        f"WHERE pid <> pg_backend_pid() AND application_name = '{name}'",
    )
    assert killed
    assert all(ok for (ok,) in killed)
    store.check()  # the pool notices the dead connections and opens new ones
    key = store.save({"after": "restart"}, RECOMMENDATION)
    assert store.get(key) == RECOMMENDATION
    store.close()
    nowhere = Store("postgresql://postgres@127.0.0.1:1/test")
    with pytest.raises(StoreUnavailable, match=r"127\.0\.0\.1.*(refused|connect)"):
        nowhere.check()


def test_readyz_and_a_recommendation_answer_503_while_the_database_is_unreachable(
    catalogue: Catalogue,
) -> None:
    app = create_app(
        settings_for(),
        catalogue=catalogue,
        store=Store("postgresql://postgres@127.0.0.1:1/test"),
        log=None,
    )
    with TestClient(app) as client:
        for response in (
            client.get("/readyz"),
            client.post("/v1/recommendations", json={"scenario": "csmo-ceo"}),
        ):
            assert response.status_code == 503
            problem = response.json()
            assert problem["type"] == "/problems/store-unavailable"
            assert "127.0.0.1" in problem["detail"]


def test_gremium_migrate_names_the_store_and_its_revision(tmp_path: Path) -> None:
    store = tmp_path / "data" / "store.sqlite3"
    environ = {**os.environ, "GREMIUM_STORE": str(store)}
    environ.pop("GREMIUM_DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "service.cli", "migrate"],
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (done.returncode, done.stderr) == (
        0,
        f"gremium: store {store} at schema revision 0002\n",
    )
    assert raw(Store(str(store)), "SELECT version_num FROM alembic_version") == [("0002",)]
    store.write_bytes(b"not a database " * 300)
    broken = subprocess.run(
        [sys.executable, "-m", "service.cli", "migrate"],
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert broken.returncode == 2
    assert broken.stderr == f"gremium: error: store {store}: file is not a database\n"
