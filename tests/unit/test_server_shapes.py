"""The OpenAI-compatible answers of ``hearth serve``, field by field, without a model.

OpenAI clients parse these objects strictly: a chunk without ``finish_reason``, a
``text_completion`` that says ``chat.completion``, or a stream without ``[DONE]``
breaks them. The app runs over a scripted job runner; each test pins the exact objects
(ids and times aside). Found by mutation testing (``benchmarks/mutation.py server``);
each test names the promise it guards.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from desktop_app.core.chats.model import FinishReason, GenerationStats
from desktop_app.core.engine.base import Finished, ModelInfo, TextDelta
from desktop_app.server.app import ServerConfig, create_app
from desktop_app.server.engine_thread import JOB_STARTED, Job, QueueFull
from desktop_app.server.protocol import ApiError

MODEL = "tiny"
STATS = GenerationStats(
    prompt_tokens=7,
    generated_tokens=2,
    time_to_first_token_s=0.25,
    tokens_per_s=12.345,
    cached_prompt_tokens=3,
)
USAGE = {
    "prompt_tokens": 7,
    "completion_tokens": 2,
    "total_tokens": 9,
    "prompt_tokens_details": {"cached_tokens": 3},
}
TIMINGS = {"load_s": 0.0, "time_to_first_token_s": 0.25, "tokens_per_s": 12.35, "cached_tokens": 3}


class ScriptedRunner:
    """Answers every job with "Hel" + "lo" (or the given pieces) and the given finish,
    keeping the jobs."""

    def __init__(
        self, finish: Finished | None = None, pieces: tuple[str, ...] = ("Hel", "lo")
    ) -> None:
        self.pieces = pieces
        self.jobs: list[Job] = []
        self.finish = finish or Finished(FinishReason.STOP, STATS)
        self.busy = False
        self.info: ModelInfo | None = ModelInfo(
            MODEL, f"/models/{MODEL}.gguf", "llama", 2048, "ChatML"
        )

    def submit(self, job: Job) -> None:
        if self.busy:
            raise QueueFull()
        self.jobs.append(job)
        job.sink(JOB_STARTED)
        for index, piece in enumerate(self.pieces):
            job.sink(TextDelta(piece, index + 1))
        job.sink(self.finish)


@pytest.fixture
def runner() -> ScriptedRunner:
    return ScriptedRunner()


def _client(runner: ScriptedRunner, **config: Any) -> TestClient:
    made = ServerConfig(model_id=MODEL, model_path=Path(f"/models/{MODEL}.gguf"), **config)
    return TestClient(create_app(runner, made), base_url="http://127.0.0.1")


@pytest.fixture
def client(runner: ScriptedRunner) -> Iterator[TestClient]:
    with _client(runner) as made:
        yield made


JSON = {"content-type": "application/json"}
CHAT = {"messages": [{"role": "user", "content": "Hi"}]}
PROMPT = {"prompt": "Hi"}


def _without_id_and_time(item: dict[str, Any], prefix: str) -> dict[str, Any]:
    assert item.pop("id").startswith(prefix + "-")
    assert isinstance(item.pop("created"), int)
    return item


def _events(response: Any) -> list[Any]:
    """The server-sent events of a stream; it must end with the literal ``[DONE]``."""
    assert response.text.endswith("data: [DONE]\n\n")
    lines = [line for line in response.text.split("\n\n") if line]
    assert all(line.startswith("data: ") for line in lines), lines
    payloads = [line.removeprefix("data: ") for line in lines]
    return [p if p == "[DONE]" else json.loads(p) for p in payloads]


def test_a_chat_answer_is_one_chat_completion(client: TestClient) -> None:
    """Promise: POST /v1/chat/completions answers with OpenAI's chat.completion object."""
    response = client.post("/v1/chat/completions", json=CHAT)
    assert response.status_code == 200
    assert _without_id_and_time(response.json(), "chatcmpl") == {
        "object": "chat.completion",
        "model": MODEL,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": "Hello"},
                "finish_reason": "stop",
            }
        ],
        "usage": USAGE,
        "timings": TIMINGS,
    }


def test_a_text_completion_is_one_text_completion(client: TestClient) -> None:
    """Promise: POST /v1/completions answers with OpenAI's text_completion object."""
    response = client.post("/v1/completions", json=PROMPT)
    assert _without_id_and_time(response.json(), "cmpl") == {
        "object": "text_completion",
        "model": MODEL,
        "choices": [{"index": 0, "text": "Hello", "logprobs": None, "finish_reason": "stop"}],
        "usage": USAGE,
        "timings": TIMINGS,
    }


def test_a_chat_stream_is_role_text_finish_usage_and_done(client: TestClient) -> None:
    """Promise: a streamed chat answer is OpenAI's chunk sequence: the role, the text,
    a last chunk with the finish reason, the usage when asked, then [DONE]."""
    body = {**CHAT, "stream": True, "stream_options": {"include_usage": True}}
    response = client.post("/v1/chat/completions", json=body)
    assert response.headers["content-type"].startswith("text/event-stream")
    assert response.headers["cache-control"] == "no-cache"
    events = _events(response)
    assert events[-1] == "[DONE]"
    chunks = [_without_id_and_time(e, "chatcmpl") for e in events[:-1]]
    base = {"object": "chat.completion.chunk", "model": MODEL}
    assert chunks[0] == {
        **base,
        "choices": [
            {"index": 0, "delta": {"role": "assistant", "content": ""}, "finish_reason": None}
        ],
    }
    text = "".join(c["choices"][0]["delta"].get("content", "") for c in chunks[1:-2])
    assert text == "Hello"
    assert all(c["choices"][0]["finish_reason"] is None for c in chunks[1:-2])
    assert chunks[-2] == {
        **base,
        "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}],
        "timings": TIMINGS,
    }
    assert chunks[-1] == {**base, "choices": [], "usage": USAGE}


def test_a_text_stream_has_texts_and_no_role(client: TestClient) -> None:
    """Promise: a streamed text completion carries plain texts, no role chunk, and no
    usage chunk unless asked."""
    response = client.post("/v1/completions", json={**PROMPT, "stream": True})
    events = _events(response)
    assert events[-1] == "[DONE]"
    chunks = [_without_id_and_time(e, "cmpl") for e in events[:-1]]
    assert "".join(c["choices"][0]["text"] for c in chunks) == "Hello"
    assert chunks[-1] == {
        "object": "text_completion",
        "model": MODEL,
        "choices": [{"index": 0, "text": "", "logprobs": None, "finish_reason": "stop"}],
        "timings": TIMINGS,
    }
    assert all(c["object"] == "text_completion" for c in chunks)


def test_a_cut_answer_says_length() -> None:
    """Promise: an answer cut by max_tokens finishes with "length", streamed or not."""
    runner = ScriptedRunner(Finished(FinishReason.LENGTH, STATS))
    with _client(runner) as client:
        whole = client.post("/v1/chat/completions", json=CHAT).json()
        assert whole["choices"][0]["finish_reason"] == "length"
        events = _events(client.post("/v1/completions", json={**PROMPT, "stream": True}))
        assert events[-2]["choices"][0]["finish_reason"] == "length"


def test_a_failed_generation_is_a_server_error() -> None:
    """Promise: a generation that fails answers 500 with the engine's reason, and a
    failed stream ends with an error object and [DONE]."""
    runner = ScriptedRunner(Finished(FinishReason.ERROR, STATS, error="out of memory"))
    with _client(runner) as client:
        response = client.post("/v1/chat/completions", json=CHAT)
        assert response.status_code == 500
        assert response.json() == {
            "error": {
                "message": "out of memory",
                "type": "server_error",
                "param": None,
                "code": None,
            }
        }
        events = _events(client.post("/v1/chat/completions", json={**CHAT, "stream": True}))
        assert events[-2:] == [
            {
                "error": {
                    "message": "out of memory",
                    "type": "server_error",
                    "param": None,
                    "code": None,
                }
            },
            "[DONE]",
        ]


def test_a_busy_server_says_retry(runner: ScriptedRunner, client: TestClient) -> None:
    """Promise: when the queue is full the client gets 503 and Retry-After: 1."""
    runner.busy = True
    response = client.post("/v1/completions", json=PROMPT)
    assert response.status_code == 503
    assert response.headers["retry-after"] == "1"
    assert response.json()["error"]["code"] == "queue_full"
    assert response.json()["error"]["type"] == "server_error"


def test_the_model_list_and_entry(client: TestClient) -> None:
    """Promise: GET /v1/models lists the served model; GET /v1/models/{id} shows it and
    names what is offered when asked for another."""
    listing = client.get("/v1/models").json()
    assert listing["object"] == "list"
    assert [{k: v for k, v in entry.items() if k != "created"} for entry in listing["data"]] == [
        {"id": MODEL, "object": "model", "owned_by": "hearth"}
    ]
    entry = client.get(f"/v1/models/{MODEL}").json()
    assert (entry["id"], entry["object"], entry["owned_by"]) == (MODEL, "model", "hearth")
    assert entry["created"] == listing["data"][0]["created"]
    missing = client.get("/v1/models/other")
    assert missing.status_code == 404
    assert missing.json()["error"] == {
        "message": "The model 'other' does not exist here; this server offers 'tiny' "
        "(see GET /v1/models).",
        "type": "invalid_request_error",
        "param": "model",
        "code": "model_not_found",
    }


def test_a_request_for_another_model_is_refused(client: TestClient) -> None:
    """Promise: a generation naming a model that is not served gets 404 and no job."""
    response = client.post("/v1/chat/completions", json={**CHAT, "model": "other"})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "model_not_found"


def test_a_served_file_without_a_configured_id_is_named_by_its_stem(
    runner: ScriptedRunner,
) -> None:
    """Promise: serving the window's model (no --model id) names it by its file stem."""
    config = ServerConfig(model_id="", model_path=Path("/unused"))
    with TestClient(create_app(runner, config), base_url="http://127.0.0.1") as client:
        answer = client.post("/v1/completions", json=PROMPT).json()
        assert answer["model"] == MODEL
        assert client.get("/v1/models").json()["data"][0]["id"] == MODEL


def test_no_model_loaded_is_a_clear_503(runner: ScriptedRunner, client: TestClient) -> None:
    """Promise: with no model loaded the API says so (503), it does not crash."""
    runner.info = None
    response = client.post("/v1/chat/completions", json=CHAT)
    assert response.status_code == 503
    assert response.json()["error"] == {
        "message": "No model is loaded in Hearth. Load one in the window, then try again.",
        "type": "server_error",
        "param": None,
        "code": "model_not_loaded",
    }


@pytest.mark.parametrize(
    ("content", "status", "message"),
    [
        (b"[1]", 400, "The request body must be a JSON object."),
        (b"[" * 100_000, 400, "The request body nests JSON too deeply."),
        (b"x" * 2000, 413, "The request body is larger than 1000 bytes."),
    ],
)
def test_bad_bodies_get_clear_errors(
    runner: ScriptedRunner, content: bytes, status: int, message: str
) -> None:
    """Promise: a body that is not a JSON object, nests too deeply or is too large gets
    a 4xx with a sentence saying what is wrong, and never reaches the engine."""
    with _client(runner, max_body_bytes=1000 if status == 413 else 200_000) as client:
        response = client.post("/v1/chat/completions", content=content, headers=JSON)
    assert response.status_code == status
    assert response.json()["error"]["message"] == message
    assert runner.jobs == []


def test_a_body_that_is_not_json_says_where(client: TestClient) -> None:
    """Promise: invalid JSON is refused with the parser's reason."""
    response = client.post("/v1/completions", content=b"{nope", headers=JSON)
    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith("The request body is not valid JSON (")


def test_a_streamed_body_over_the_limit_is_refused(runner: ScriptedRunner) -> None:
    """Promise: the size limit holds for a body sent without a Content-Length."""

    def chunks() -> Iterator[bytes]:
        yield b'{"prompt": "'
        yield b"x" * 2000
        yield b'"}'

    with _client(runner, max_body_bytes=1000) as client:
        response = client.post("/v1/completions", content=chunks(), headers=JSON)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "request_too_large"


def test_unknown_paths_and_methods_get_openai_errors(client: TestClient) -> None:
    """Promise: a wrong path or method gets an OpenAI error object, not HTML."""
    missing = client.get("/v1/nothing")
    assert missing.status_code == 404
    assert missing.json()["error"] == {
        "message": "There is no /v1/nothing here.",
        "type": "invalid_request_error",
        "param": None,
        "code": "not_found",
    }
    wrong = client.get("/v1/chat/completions")
    assert wrong.status_code == 405
    assert wrong.json()["error"]["message"] == "GET is not allowed on /v1/chat/completions."
    assert wrong.json()["error"]["code"] == "bad_method"


@pytest.mark.allow_log("desktop_app.server.app")
def test_an_unexpected_failure_is_a_500_with_the_reason(runner: ScriptedRunner) -> None:
    """Promise: a bug inside a handler answers 500 with an OpenAI error naming it."""

    def broken(job: Job) -> None:
        raise RuntimeError("boom")

    runner.submit = broken  # type: ignore[method-assign]
    with _client(runner) as client:
        client_no_raise = TestClient(client.app, raise_server_exceptions=False)
        response = client_no_raise.post("http://127.0.0.1/v1/completions", json=PROMPT)
    assert response.status_code == 500
    assert response.json()["error"] == {
        "message": "Internal error: RuntimeError: boom",
        "type": "server_error",
        "param": None,
        "code": None,
    }


def test_the_request_reaches_the_engine(runner: ScriptedRunner, client: TestClient) -> None:
    """Promise: a chat request's messages and a completion's prompt are what the job gets."""
    client.post("/v1/chat/completions", json=CHAT)
    client.post("/v1/completions", json=PROMPT)
    chat, text = runner.jobs
    assert [(t.role, t.content) for t in chat.turns or []] == [("user", "Hi")]
    assert chat.prompt is None
    assert text.prompt == "Hi"
    assert text.turns is None


class _Source:
    def __init__(self, model_id: str, remote: bool = False) -> None:
        self.id = model_id
        self.remote = remote


class ScriptedPool:
    """A ModelPool stand-in: two models, "tiny" loaded; requests route to a runner."""

    def __init__(self) -> None:
        self.runner = ScriptedRunner()
        self.info = self.runner.info
        self.routed: list[str | None] = []

    def route(self, requested: str | None) -> tuple[str, int, ScriptedRunner]:
        self.routed.append(requested)
        return requested or MODEL, 2048, self.runner

    def find(self, requested: str | None) -> _Source:
        if requested == "lazy":
            return _Source("lazy")
        raise ApiError(404, f"no {requested}", code="model_not_found")

    def listing(self) -> list[_Source]:
        return [_Source(MODEL), _Source("far", remote=True)]

    def loaded(self) -> list[dict[str, Any]]:
        return [{"id": MODEL, "state": "loaded"}]


def test_models_on_demand_are_listed_found_and_routed() -> None:
    """Promise: with models loaded on demand, GET /v1/models lists every model with its
    state, GET /v1/models/{id} shows a listed or findable one (404 otherwise), and a
    request is routed to the model it names."""
    pool = ScriptedPool()
    config = ServerConfig(model_id="", model_path=Path("/unused"))
    with TestClient(create_app(pool, config), base_url="http://127.0.0.1") as client:
        listing = client.get("/v1/models").json()["data"]
        assert [(e["id"], e["owned_by"], e["remote"], e["state"]) for e in listing] == [
            (MODEL, "hearth", False, "loaded"),
            ("far", "remote", True, "unloaded"),
        ]
        far = client.get("/v1/models/far").json()
        assert (far["id"], far["state"], far["created"]) == (
            "far",
            "unloaded",
            listing[1]["created"],
        )
        lazy = client.get("/v1/models/lazy").json()
        assert (lazy["id"], lazy["object"], lazy["created"]) == (
            "lazy",
            "model",
            listing[0]["created"],
        )
        assert client.get("/v1/models/none").status_code == 404
        answer = client.post("/v1/chat/completions", json={**CHAT, "model": "far"}).json()
        assert answer["model"] == "far"
        client.post("/v1/completions", json={**PROMPT, "model": 3})
    assert pool.routed == ["far", None]


def test_the_refusal_messages_say_what_to_do(runner: ScriptedRunner) -> None:
    """Promise: a refused key and a full queue each get a sentence saying what to do."""
    with _client(runner, api_key="k") as client:
        refused = client.post("/v1/completions", json=PROMPT, headers={"Authorization": "Bearer x"})
        assert refused.json()["error"]["message"] == (
            "Missing or wrong API key. Send 'Authorization: Bearer <key>' with the key "
            "hearth serve printed when it created it."
        )
        runner.busy = True
        busy = client.post("/v1/completions", json=PROMPT, headers={"Authorization": "Bearer k"})
        assert busy.json()["error"]["message"] == (
            "The server is busy: too many requests are waiting for the model. Try again shortly."
        )


def test_a_failure_without_a_reason_says_generation_failed() -> None:
    """Promise: an engine failure without a message still says what happened."""
    runner = ScriptedRunner(Finished(FinishReason.ERROR, STATS))
    with _client(runner) as client:
        whole = client.post("/v1/completions", json=PROMPT)
        assert whole.json()["error"]["message"] == "Generation failed."
        events = _events(client.post("/v1/completions", json={**PROMPT, "stream": True}))
        assert events[-2]["error"]["message"] == "Generation failed."


@pytest.mark.parametrize("declared", [True, False])
def test_a_body_of_exactly_the_limit_is_accepted(runner: ScriptedRunner, declared: bool) -> None:
    """Promise: the body limit is inclusive, with or without a Content-Length."""
    body = json.dumps({"prompt": "x"}).encode()
    body += b" " * (100 - len(body))

    def chunks() -> Iterator[bytes]:
        yield body[:50]
        yield body[50:]

    with _client(runner, max_body_bytes=100) as client:
        content = body if declared else chunks()
        response = client.post("/v1/completions", content=content, headers=JSON)
    assert response.status_code == 200


def test_embeddings_without_a_model_say_how_to_start_one(runner: ScriptedRunner) -> None:
    """Promise: POST /v1/embeddings is routed, checks the key, and without an embedding
    model says how to start one (503), never a crash."""
    with _client(runner, api_key="k") as client:
        refused = client.post("/v1/embeddings", json={"input": "hi"})
        assert refused.status_code == 401
        response = client.post(
            "/v1/embeddings", json={"input": "hi"}, headers={"Authorization": "Bearer k"}
        )
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "model_not_loaded"


def test_operations_report_the_served_model_behind_the_key(runner: ScriptedRunner) -> None:
    """Promise: /health answers without a key; /v1/ps and /metrics need it and name the
    served model."""
    with _client(runner, api_key="k") as client:
        assert client.get("/health").json() == {"status": "ok"}
        assert client.get("/v1/ps").status_code == 401
        assert client.get("/metrics").status_code == 401
        key = {"Authorization": "Bearer k"}
        rows = client.get("/v1/ps", headers=key).json()["data"]
        assert [(row["id"], row["state"]) for row in rows] == [(MODEL, "ready")]
        metrics = client.get("/metrics", headers=key)
    assert metrics.status_code == 200
    assert MODEL in metrics.text


def test_a_model_is_found_by_its_configured_id_and_its_file(runner: ScriptedRunner) -> None:
    """Promise: `hearth serve --model-id ID` serves requests that name the model by that
    id, as well as by its file name; any other name is refused."""
    config = ServerConfig(model_id="my-model", model_path=Path(f"/models/{MODEL}.gguf"))
    with TestClient(create_app(runner, config), base_url="http://127.0.0.1") as client:
        for name in ("my-model", f"{MODEL}.gguf"):
            answer = client.post("/v1/completions", json={**PROMPT, "model": name})
            assert (answer.status_code, answer.json()["model"]) == (200, "my-model")
        assert client.get("/v1/models/my-model").json()["id"] == "my-model"
        assert client.post("/v1/completions", json={**PROMPT, "model": "x"}).status_code == 404


def test_a_served_remote_model_is_named_by_its_model_name(runner: ScriptedRunner) -> None:
    """Promise: serving the window's remote model (no --model id) names it by the remote
    model's name, not by the last part of its ``remote:`` address."""
    runner.info = ModelInfo("qwen2.5:7b", "remote:http://127.0.0.1:9/v1/qwen2.5:7b", "", 8192, "")
    config = ServerConfig(model_id="", model_path=Path("/unused"))
    with TestClient(create_app(runner, config), base_url="http://127.0.0.1") as client:
        assert client.get("/v1/models").json()["data"][0]["id"] == "qwen2.5:7b"


def test_the_model_entry_says_when_the_server_started(client: TestClient) -> None:
    """Promise: a model entry's ``created`` is a Unix time (OpenAI clients parse it as
    one), the time the server started."""
    created = client.get("/v1/models").json()["data"][0]["created"]
    assert isinstance(created, int) and 1_600_000_000 < created <= int(time.time())
