"""The API server's Host and Origin allow-lists."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from desktop_app.server.app import ServerConfig, create_app
from desktop_app.server.security import AccessPolicy, PolicyError, normalize_origin, split_list


@pytest.mark.parametrize(
    ("bound", "host", "allowed"),
    [
        ("127.0.0.1", "127.0.0.1:8321", True),
        ("127.0.0.1", "127.8.9.10", True),
        ("127.0.0.1", "localhost:8321", True),
        ("127.0.0.1", "[::1]:8321", True),
        ("127.0.0.1", "192.168.1.20:8321", False),
        ("127.0.0.1", "rebind.attacker.example", False),
        ("127.0.0.1", "localhost.attacker.example", False),
        ("192.168.1.20", "192.168.1.20:8321", True),
        ("192.168.1.20", "10.0.0.7", False),
        ("0.0.0.0", "10.0.0.7:8321", True),
        ("0.0.0.0", "[fe80::1]:8321", True),
        ("0.0.0.0", "mybox.lan", False),
        ("::", "rebind.attacker.example:8321", False),
    ],
)
def test_hosts(bound: str, host: str, allowed: bool) -> None:
    assert AccessPolicy.build(bound).host_allowed(host) is allowed


def test_allowed_host_names_are_added_without_port_or_case() -> None:
    policy = AccessPolicy.build("0.0.0.0", ["MyBox.lan:8321", "[fd00::5]"])
    assert policy.host_allowed("mybox.lan")
    assert policy.host_allowed("mybox.lan.:8321")
    assert not policy.host_allowed("other.lan")
    with pytest.raises(PolicyError):
        AccessPolicy.build("127.0.0.1", ["http://mybox.lan/"])


@pytest.mark.parametrize(
    ("given", "normal"),
    [
        ("http://localhost:3000/", "http://localhost:3000"),
        ("HTTPS://App.Example:443", "https://app.example"),
        ("http://[::1]:8080", "http://[::1]:8080"),
    ],
)
def test_origins_are_normalized(given: str, normal: str) -> None:
    assert normalize_origin(given) == normal


@pytest.mark.parametrize(
    "bad", ["evil", "file:///x", "http://app.example/path", "null", "http://:80"]
)
def test_bad_origins_are_refused(bad: str) -> None:
    with pytest.raises(PolicyError):
        normalize_origin(bad)


def test_origins_match_only_when_allowed() -> None:
    policy = AccessPolicy.build("127.0.0.1", (), ["http://localhost:3000"])
    assert policy.origin_allowed("http://localhost:3000")
    assert not policy.origin_allowed("http://localhost:3001")
    assert not policy.origin_allowed("null")
    assert not AccessPolicy.build("127.0.0.1").origin_allowed("http://localhost:3000")


def test_lists_typed_in_one_field() -> None:
    assert split_list(" a.lan, b.lan  c.lan,") == ["a.lan", "b.lan", "c.lan"]


class NoModel:
    """A job runner with nothing loaded: every route that reaches it answers 503."""

    info = None

    def submit(self, job: object) -> None:
        raise AssertionError("no job may be submitted")


@pytest.fixture
def client() -> Iterator[TestClient]:
    app = create_app(NoModel(), ServerConfig("", Path()))
    with TestClient(app, base_url="http://127.0.0.1:8321", raise_server_exceptions=False) as made:
        yield made


def test_the_app_refuses_a_rebound_host_before_any_route(client: TestClient) -> None:
    assert client.get("/v1/models").status_code == 503
    refused = client.get("/v1/models", headers={"Host": "attacker.example:8321"})
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "host_not_allowed"


def test_the_app_refuses_a_cross_site_text_post(client: TestClient) -> None:
    response = client.post(
        "/v1/chat/completions",
        content=b'{"messages": [{"role": "user", "content": "Hi"}]}',
        headers={"Origin": "http://evil.example", "Content-Type": "text/plain"},
    )
    assert response.status_code == 403
    plain = client.post(
        "/v1/chat/completions", content=b"{}", headers={"Content-Type": "text/plain"}
    )
    assert plain.status_code == 415


def test_a_deeply_nested_body_is_a_400(client: TestClient) -> None:
    nested = b'{"messages": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    response = client.post(
        "/v1/chat/completions", content=nested, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert "too deeply" in response.json()["error"]["message"]
