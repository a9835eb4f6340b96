"""Settings from an injected environment mapping."""

from __future__ import annotations

import socket

import pytest

from models.errors import InvalidInput
from service.server import describe
from service.settings import VARIABLES, Settings, env_name


def test_defaults_without_variables() -> None:
    settings = Settings.from_env({})
    assert settings == Settings()
    assert settings.api_keys == ()
    assert settings.pool_capacity == 2 * settings.pool_workers


def test_every_variable_is_read() -> None:
    environ = {
        "GREMIUM_HOST": "0.0.0.0",
        "GREMIUM_PORT": "9000",
        "GREMIUM_API_KEYS": "a" * 16 + ", " + "b" * 20,
        "GREMIUM_CORS_ORIGINS": "https://portal.example.com",
        "GREMIUM_MAX_TIME_LIMIT": "2.5",
        "GREMIUM_POOL": "thread",
        "GREMIUM_POOL_WORKERS": "3",
        "GREMIUM_POOL_QUEUE": "0",
        "GREMIUM_ACCESS_LOG": "off",
        "OTHER": "ignored",
    }
    settings = Settings.from_env(environ)
    assert (settings.host, settings.port) == ("0.0.0.0", 9000)
    assert settings.api_keys == ("a" * 16, "b" * 20)
    assert settings.cors_origins == ("https://portal.example.com",)
    assert settings.max_time_limit == 2.5
    assert (settings.pool, settings.pool_workers, settings.pool_capacity) == ("thread", 3, 3)
    assert settings.access_log is False


def test_every_bad_variable_is_named_at_once() -> None:
    environ = {
        "GREMIUM_PORT": "eighty",
        "GREMIUM_MAX_ROLES": "0",
        "GREMIUM_API_KEYS": "short",
        "GREMIUM_POOL": "fibers",
        "GREMIUM_MAX_TIME_LIMIT": "nan",
    }
    with pytest.raises(InvalidInput) as error:
        Settings.from_env(environ)
    assert sorted(p.pointer for p in error.value.problems) == sorted(environ)
    assert "short" not in str(error.value)  # a key, even a bad one, is not echoed


def test_every_setting_is_documented() -> None:
    from dataclasses import fields

    assert [f.name for f in fields(Settings)] == list(VARIABLES)
    assert env_name("max_roles") == "GREMIUM_MAX_ROLES"


def test_a_misspelt_variable_is_named_with_the_closest_setting() -> None:
    with pytest.raises(InvalidInput) as error:
        Settings.from_env({"GREMIUM_RATE_LIMT": "5", "GREMIUM_PORT": "9000", "GREMIUMX": "1"})
    [problem] = error.value.problems
    assert problem.pointer == "GREMIUM_RATE_LIMT"
    assert problem.message == "no such setting; did you mean GREMIUM_RATE_LIMIT?"


def test_the_edge_settings_are_read_and_a_redis_url_is_not_echoed() -> None:
    settings = Settings.from_env(
        {
            "GREMIUM_TRUSTED_PROXIES": "10.0.0.1, 192.168.0.0/16",
            "GREMIUM_REDIS_URL": "redis://:secret@127.0.0.1:6379/0",
            "GREMIUM_READ_TIMEOUT": "2.5",
            "GREMIUM_MAX_CONNECTIONS": "50",
        }
    )
    assert settings.trusted_proxies == ("10.0.0.1", "192.168.0.0/16")
    assert settings.redis_url == "redis://:secret@127.0.0.1:6379/0"
    assert "secret" not in repr(settings)
    assert (settings.read_timeout, settings.max_connections) == (2.5, 50)
    with pytest.raises(InvalidInput) as error:
        Settings.from_env({"GREMIUM_REDIS_URL": "http://:secret@example.com"})
    assert "secret" not in str(error.value)


def test_the_cluster_settings_are_read_checked_and_masked() -> None:
    settings = Settings.from_env(
        {
            "GREMIUM_CLUSTER": "scheduler:8786",
            "GREMIUM_DATABASE_URL": "postgresql://gremium:secret@db:5432/gremium",
            "GREMIUM_REPLICA": "api-7",
        }
    )
    assert settings.cluster == "tcp://scheduler:8786"  # the scheme Dask assumes, made explicit
    assert settings.replica == "api-7"
    assert "secret" not in repr(settings)
    printed = describe(settings, 1)
    assert "GREMIUM_DATABASE_URL=postgresql://gremium:****@db:5432/gremium" in printed
    assert "GREMIUM_CLUSTER=tcp://scheduler:8786" in printed
    assert Settings.from_env({}).replica == socket.gethostname()
    with pytest.raises(InvalidInput) as error:
        Settings.from_env({"GREMIUM_CLUSTER": "http://scheduler", "GREMIUM_DATABASE_URL": "x"})
    assert [p.pointer for p in error.value.problems] == ["GREMIUM_DATABASE_URL", "GREMIUM_CLUSTER"]


@pytest.mark.parametrize(
    ("raw", "origins"),
    [
        ("https://portal.example.com/", ("https://portal.example.com",)),
        ("HTTPS://Portal.Example.com:443", ("https://portal.example.com",)),
        ("http://localhost:8080/, http://localhost:8080", ("http://localhost:8080",)),
        ("http://[::1]:3000", ("http://[::1]:3000",)),
        ("*", ("*",)),
    ],
)
def test_cors_origins_are_read_as_browsers_send_them(raw: str, origins: tuple[str, ...]) -> None:
    assert Settings.from_env({"GREMIUM_CORS_ORIGINS": raw}).cors_origins == origins


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("https://portal.example.com/app", "has no path, query or fragment (did you mean "
         "https://portal.example.com?)"),
        ("https://portal.example.com?x=1", "has no path, query or fragment"),
        ("portal.example.com", "expected http(s)://host[:port]"),
        ("ftp://portal.example.com", "expected http(s)://host[:port]"),
        ("https://user:pw@portal.example.com", "no user or password"),
        ("https://portal.example.com:99999", "is not an origin"),
        ("*, https://portal.example.com", "list origins or '*', not both"),
    ],
)  # fmt: skip
def test_a_bad_cors_origin_stops_the_start_with_one_line(raw: str, message: str) -> None:
    with pytest.raises(InvalidInput) as error:
        Settings.from_env({"GREMIUM_CORS_ORIGINS": raw})
    [problem] = error.value.problems
    assert problem.pointer == "GREMIUM_CORS_ORIGINS"
    assert message in problem.message
    assert "\n" not in str(problem)


def test_read_keys_need_full_keys_and_differ_from_them() -> None:
    full, read = "f" * 16, "r" * 16
    settings = Settings.from_env({"GREMIUM_API_KEYS": full, "GREMIUM_READ_KEYS": read})
    assert (settings.api_keys, settings.read_keys) == ((full,), (read,))
    assert read not in repr(settings)
    for environ, message in (
        ({"GREMIUM_READ_KEYS": read}, "read keys need GREMIUM_API_KEYS too"),
        ({"GREMIUM_API_KEYS": full, "GREMIUM_READ_KEYS": full}, "either a full key"),
        ({"GREMIUM_API_KEYS": full, "GREMIUM_READ_KEYS": "short"}, "16 characters"),
    ):
        with pytest.raises(InvalidInput) as error:
            Settings.from_env(environ)
        [problem] = error.value.problems
        assert (problem.pointer, message in problem.message) == ("GREMIUM_READ_KEYS", True)
