"""The local API server answers only this machine's host names, no web page unless
allowed, only JSON bodies; and a deeply nested body is a 400, not a crash."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from desktop_app.server.security import AccessPolicy
from tests.serve_helpers import RunningServer, api_server, hearth_serve

pytestmark = pytest.mark.integration

WAIT_S = 60.0
JSON = {"Content-Type": "application/json"}
CHAT = b'{"messages": [{"role": "user", "content": "Hello"}], "max_tokens": 2}'
APP = "http://localhost:3000"


@pytest.fixture(scope="module")
def api(tiny_model: Path) -> Iterator[RunningServer]:
    with api_server(tiny_model, access=AccessPolicy.build("127.0.0.1", ["mybox.lan"])) as running:
        yield running


@pytest.fixture(scope="module")
def web_app_api(tiny_model: Path) -> Iterator[RunningServer]:
    with api_server(tiny_model, access=AccessPolicy.build("127.0.0.1", (), [APP])) as running:
        yield running


def port_of(api: RunningServer) -> str:
    return api.base_url.rsplit(":", 1)[1].split("/")[0]


@pytest.mark.parametrize(
    "host",
    [
        "attacker.example",  # DNS rebinding: the page's own name, now resolving to 127.0.0.1
        "attacker.example:{port}",
        "localhost.attacker.example",
        "127.0.0.1.nip.io:{port}",
        "mybox.lan.attacker.example",
    ],
)
def test_requests_for_other_host_names_are_refused(api: RunningServer, host: str) -> None:
    headers = {"Host": host.replace("{port}", port_of(api))}
    for response in (
        httpx.get(api.base_url + "/models", headers=headers, timeout=WAIT_S),
        httpx.post(
            api.base_url + "/chat/completions",
            content=CHAT,
            headers={**headers, **JSON},
            timeout=WAIT_S,
        ),
    ):
        assert response.status_code == 403
        error = response.json()["error"]
        assert error["code"] == "host_not_allowed"
        assert error["type"] == "invalid_request_error"
        assert "--allowed-host" in error["message"]


@pytest.mark.parametrize(
    "host", ["127.0.0.1:{port}", "localhost:{port}", "LOCALHOST.", "[::1]:{port}", "mybox.lan"]
)
def test_this_machines_names_are_answered(api: RunningServer, host: str) -> None:
    headers = {"Host": host.replace("{port}", port_of(api))}
    response = httpx.get(api.base_url + "/models", headers=headers, timeout=WAIT_S)
    assert response.status_code == 200, response.text


def test_a_web_page_cannot_post_to_the_server(api: RunningServer) -> None:
    """The classic no-preflight cross-site POST: text/plain from another origin."""
    response = httpx.post(
        api.base_url + "/chat/completions",
        content=CHAT,
        headers={"Origin": "http://evil.example", "Content-Type": "text/plain"},
        timeout=WAIT_S,
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "origin_not_allowed"
    assert "access-control-allow-origin" not in response.headers
    read = httpx.get(
        api.base_url + "/models", headers={"Origin": "http://evil.example"}, timeout=WAIT_S
    )
    assert read.status_code == 403


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-www-form-urlencoded"])
def test_a_post_body_must_be_declared_json(api: RunningServer, content_type: str | None) -> None:
    headers = {} if content_type is None else {"Content-Type": content_type}
    response = httpx.post(
        api.base_url + "/chat/completions", content=CHAT, headers=headers, timeout=WAIT_S
    )
    assert response.status_code == 415
    assert "application/json" in response.json()["error"]["message"]
    ok = httpx.post(
        api.base_url + "/chat/completions",
        content=CHAT,
        headers={"Content-Type": "application/json; charset=utf-8"},
        timeout=WAIT_S,
    )
    assert ok.status_code == 200, ok.text


@pytest.mark.parametrize("depth", [100_000, 5_000])
def test_a_deeply_nested_body_is_a_bad_request(api: RunningServer, depth: int) -> None:
    nested = b'{"messages": ' + b"[" * depth + b"]" * depth + b"}"
    response = httpx.post(
        api.base_url + "/chat/completions", content=nested, headers=JSON, timeout=WAIT_S
    )
    assert response.status_code == 400
    assert response.json()["error"]["type"] == "invalid_request_error"


def test_an_allowed_web_app_gets_cors_headers_and_preflights(web_app_api: RunningServer) -> None:
    url = web_app_api.base_url + "/chat/completions"
    preflight = httpx.options(
        url,
        headers={
            "Origin": APP,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type",
        },
        timeout=WAIT_S,
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == APP
    assert "POST" in preflight.headers["access-control-allow-methods"]
    assert "content-type" in preflight.headers["access-control-allow-headers"].lower()
    answer = httpx.post(url, content=CHAT, headers={"Origin": APP, **JSON}, timeout=WAIT_S)
    assert answer.status_code == 200, answer.text
    assert answer.headers["access-control-allow-origin"] == APP
    other = httpx.post(
        url, content=CHAT, headers={"Origin": "http://evil.example", **JSON}, timeout=WAIT_S
    )
    assert other.status_code == 403


def test_hearth_serve_takes_allowed_hosts_and_cors_origins(
    tiny_model: Path, tmp_path: Path
) -> None:
    env = {**os.environ, "HEARTH_HOME": str(tmp_path)}
    env.pop("HEARTH_API_KEY", None)
    with hearth_serve(
        "--port", "0", "--model", str(tiny_model), "--allowed-host", "mybox.lan",
        "--cors-origin", APP + "/", env=env,
    ) as serve:  # fmt: skip
        port = serve.wait_for(r"at http://127\.0\.0\.1:(\d+)/v1").group(1)
        base = f"http://127.0.0.1:{port}/v1/models"
        assert httpx.get(base, headers={"Host": "mybox.lan"}, timeout=WAIT_S).status_code == 200
        assert httpx.get(base, headers={"Host": "evil.lan"}, timeout=WAIT_S).status_code == 403
        allowed = httpx.get(base, headers={"Origin": APP}, timeout=WAIT_S)
        assert allowed.headers["access-control-allow-origin"] == APP
    with hearth_serve("--port", "0", "--model", str(tiny_model), "--cors-origin", "evil",
                      env=env) as bad:  # fmt: skip
        assert bad.process.wait(timeout=WAIT_S) == 1
        bad.wait_for(r"^hearth: error: 'evil' is not a web origin")
