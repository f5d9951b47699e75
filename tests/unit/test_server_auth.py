"""The API key guards every route of ``hearth serve``, not only the two the client uses.

This is the boundary that protects ``--host 0.0.0.0``: a request without the key, with
a wrong key, or with the right key under another scheme than ``Bearer`` gets 401 and
never reaches the engine. The app runs over a recording job runner (no model needed).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from desktop_app.core.chats.model import FinishReason
from desktop_app.core.engine.base import Finished, ModelInfo, TextDelta
from desktop_app.server.app import ServerConfig, create_app
from desktop_app.server.engine_thread import JOB_STARTED, Job

KEY = "hearth-test-key-0123456789"
MODEL = "tiny"


class RecordingRunner:
    """Answers every job with "Hi" at once, and keeps the jobs it was given."""

    def __init__(self) -> None:
        self.jobs: list[Job] = []
        self.info = ModelInfo(MODEL, f"/models/{MODEL}.gguf", "llama", 2048, "ChatML")

    def submit(self, job: Job) -> None:
        self.jobs.append(job)
        job.sink(JOB_STARTED)
        job.sink(TextDelta("Hi", 1))
        job.sink(Finished(FinishReason.STOP))


@pytest.fixture
def runner() -> RecordingRunner:
    return RecordingRunner()


@pytest.fixture
def client(runner: RecordingRunner) -> Iterator[TestClient]:
    config = ServerConfig(model_id=MODEL, model_path=Path(f"/models/{MODEL}.gguf"), api_key=KEY)
    with TestClient(create_app(runner, config), base_url="http://127.0.0.1") as made:
        yield made


ROUTES = [
    ("GET", "/v1/models", None),
    ("GET", f"/v1/models/{MODEL}", None),
    ("POST", "/v1/chat/completions", {"messages": [{"role": "user", "content": "Hello"}]}),
    ("POST", "/v1/completions", {"prompt": "Hello"}),
]
ROUTE_IDS = [f"{method} {path}" for method, path, _ in ROUTES]

REFUSED = {
    "no header": {},
    "wrong key": {"Authorization": "Bearer not-the-key"},
    "key without a scheme": {"Authorization": KEY},
    "basic scheme": {"Authorization": f"Basic {KEY}"},
    "token scheme": {"Authorization": f"Token {KEY}"},
    "key as a prefix": {"Authorization": f"Bearer {KEY}x"},
    "empty bearer": {"Authorization": "Bearer "},
}


@pytest.mark.parametrize(("method", "path", "body"), ROUTES, ids=ROUTE_IDS)
@pytest.mark.parametrize("headers", list(REFUSED.values()), ids=list(REFUSED))
def test_every_route_refuses_a_missing_or_wrong_key(
    client: TestClient,
    runner: RecordingRunner,
    method: str,
    path: str,
    body: dict[str, object] | None,
    headers: dict[str, str],
) -> None:
    """Guards: every route checks ``Authorization: Bearer <key>``; nothing is generated."""
    response = client.request(method, path, json=body, headers=headers)
    assert response.status_code == 401, response.text
    assert response.json()["error"]["code"] == "invalid_api_key"
    assert runner.jobs == [], "a refused request reached the engine"


@pytest.mark.parametrize(("method", "path", "body"), ROUTES, ids=ROUTE_IDS)
@pytest.mark.parametrize("scheme", ["Bearer", "bearer"])
def test_every_route_answers_the_right_key(
    client: TestClient,
    runner: RecordingRunner,
    method: str,
    path: str,
    body: dict[str, object] | None,
    scheme: str,
) -> None:
    """Guards: the right key is accepted (the scheme's case does not matter, RFC 7235)."""
    response = client.request(method, path, json=body, headers={"Authorization": f"{scheme} {KEY}"})
    assert response.status_code == 200, response.text
    assert len(runner.jobs) == (1 if method == "POST" else 0)
