"""Hearth's local API server, driven by the official ``openai`` client, with the tiny model."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import openai
import pytest

from desktop_app.core.chats.model import FinishReason
from tests.serve_helpers import RunningServer, api_server, hearth_serve

pytestmark = pytest.mark.integration

HELLO = [{"role": "user", "content": "Hello there"}]
LONG = {"ignore_eos": True}
WAIT_S = 60.0
JSON = {"Content-Type": "application/json"}


@pytest.fixture(scope="module")
def api(tiny_model: Path) -> Iterator[RunningServer]:
    with api_server(tiny_model, queue_size=1) as running:
        yield running


@pytest.fixture
def client(api: RunningServer) -> Iterator[openai.OpenAI]:
    with openai.OpenAI(base_url=api.base_url, api_key="unused", max_retries=0) as made:
        yield made


def wait_until(condition, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + WAIT_S
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.01)


def test_lists_the_model(client: openai.OpenAI) -> None:
    assert [m.id for m in client.models.list()] == ["tiny"]
    assert client.models.retrieve("tiny").id == "tiny"


def test_chat_without_streaming(client: openai.OpenAI) -> None:
    answer = client.chat.completions.create(
        model="tiny",
        messages=HELLO,
        max_tokens=12,
        seed=5,
        extra_body=LONG,  # type: ignore[arg-type]
    )
    assert answer.object == "chat.completion"
    assert answer.choices[0].finish_reason == "length"
    assert answer.choices[0].message.role == "assistant"
    assert answer.choices[0].message.content
    assert answer.usage is not None and answer.usage.completion_tokens == 12


def test_streaming_gives_the_same_answer_in_pieces(client: openai.OpenAI) -> None:
    whole = client.chat.completions.create(
        model="tiny", messages=HELLO, max_tokens=30, seed=9, temperature=0.8, top_p=0.9,
        extra_body=LONG,  # type: ignore[arg-type]
    )  # fmt: skip
    stream = client.chat.completions.create(
        model="tiny", messages=HELLO, max_tokens=30, seed=9, temperature=0.8, top_p=0.9,
        stream=True, stream_options={"include_usage": True}, extra_body=LONG,  # type: ignore[arg-type]
    )  # fmt: skip
    chunks = list(stream)
    assert chunks[0].choices[0].delta.role == "assistant"
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    finish = [
        c.choices[0].finish_reason for c in chunks if c.choices and c.choices[0].finish_reason
    ]
    assert finish == ["length"]
    assert chunks[-1].usage is not None and chunks[-1].usage.completion_tokens == 30
    assert text == whole.choices[0].message.content


def test_stop_strings_end_the_answer(client: openai.OpenAI) -> None:
    free = (
        client.chat.completions.create(
            model="tiny",
            messages=HELLO,
            max_tokens=60,
            seed=11,
            extra_body=LONG,  # type: ignore[arg-type]
        )
        .choices[0]
        .message.content
    )
    assert free and len(free) > 20
    stop = free[12:15]
    stopped = client.chat.completions.create(
        model="tiny",
        messages=HELLO,
        max_tokens=60,
        seed=11,
        stop=[stop],
        extra_body=LONG,  # type: ignore[arg-type]
    )
    assert stopped.choices[0].finish_reason == "stop"
    assert stopped.choices[0].message.content == free[: free.index(stop)]


def test_text_completion(client: openai.OpenAI) -> None:
    answer = client.completions.create(
        model="tiny", prompt="Once upon a time", max_tokens=6, seed=2, extra_body=LONG
    )
    assert answer.object == "text_completion"
    assert answer.choices[0].finish_reason == "length"
    assert answer.usage is not None and answer.usage.completion_tokens == 6
    pieces = client.completions.create(
        model="tiny", prompt="Once upon a time", max_tokens=6, seed=2, stream=True, extra_body=LONG
    )
    assert "".join(c.choices[0].text for c in pieces) == answer.choices[0].text


def test_concurrent_requests_are_served_one_after_the_other(
    client: openai.OpenAI, api: RunningServer
) -> None:
    order = itertools.count()
    marks: dict[str, int] = {}
    finishes: dict[str, str | None] = {}
    lock = threading.Lock()

    def mark(name: str) -> None:
        with lock:
            marks.setdefault(name, next(order))

    def chat(name: str, tokens: int) -> None:
        stream = client.chat.completions.create(
            model="tiny",
            messages=HELLO,
            max_tokens=tokens,
            stream=True,
            extra_body=LONG,  # type: ignore[arg-type]
        )
        for chunk in stream:
            mark(f"{name} first")
            if chunk.choices and chunk.choices[0].finish_reason:
                finishes[name] = chunk.choices[0].finish_reason
        mark(f"{name} done")

    first = threading.Thread(target=chat, args=("A", 2000))
    first.start()
    wait_until(lambda: "A first" in marks, "the first answer to start")
    before = len(api.engine.completed)
    second = threading.Thread(target=chat, args=("B", 20))
    second.start()
    # B waits in the queue while A holds the engine thread; then it runs.
    wait_until(lambda: api.engine.waiting == 1, "the second request to wait in the queue")
    first.join(WAIT_S)
    second.join(WAIT_S)
    assert finishes == {"A": "length", "B": "length"}
    assert marks["A first"] < marks["B first"]
    assert api.engine.completed[before:] == [FinishReason.LENGTH, FinishReason.LENGTH]
    assert api.engine.waiting == 0


def test_a_full_queue_answers_503(client: openai.OpenAI, api: RunningServer) -> None:
    running = client.chat.completions.create(
        model="tiny",
        messages=HELLO,
        max_tokens=12_000,
        stream=True,
        extra_body=LONG,  # type: ignore[arg-type]
    )
    next(iter(running))
    waiting: list[object] = []
    queued = threading.Thread(
        target=lambda: waiting.append(
            client.chat.completions.create(model="tiny", messages=HELLO, max_tokens=4)  # type: ignore[arg-type]
        )
    )
    queued.start()
    wait_until(lambda: api.engine.waiting == 1, "the second request to queue")
    with pytest.raises(openai.APIStatusError) as refused:
        client.chat.completions.create(model="tiny", messages=HELLO, max_tokens=4)  # type: ignore[arg-type]
    assert refused.value.status_code == 503
    assert "busy" in refused.value.message
    assert refused.value.response.json()["error"]["code"] == "queue_full"
    running.close()  # the client goes away: its answer is cancelled, the queued one runs
    queued.join(WAIT_S)
    assert len(waiting) == 1


def test_a_client_that_disconnects_cancels_its_answer(
    client: openai.OpenAI, api: RunningServer
) -> None:
    before = len(api.engine.completed)
    stream = client.chat.completions.create(
        model="tiny",
        messages=HELLO,
        max_tokens=12_000,
        stream=True,
        extra_body=LONG,  # type: ignore[arg-type]
    )
    pieces = iter(stream)
    for _ in range(3):
        next(pieces)
    stream.close()
    wait_until(lambda: len(api.engine.completed) > before, "the engine to drop the answer")
    assert api.engine.completed[before] is FinishReason.CANCELLED


ASK = '"messages": [{"role": "user", "content": "x"}]'


def body(extra: str = "") -> bytes:
    return ("{" + ASK + extra + "}").encode()


@pytest.mark.parametrize(
    ("path", "body", "status", "param", "fragment"),
    [
        ("/chat/completions", b"{nope", 400, None, "not valid JSON"),
        ("/chat/completions", b"[1, 2]", 400, None, "must be a JSON object"),
        ("/chat/completions", body(', "model": "other"'), 404, "model", "does not exist"),
        ("/chat/completions", b'{"messages": []}', 400, "messages", "non-empty list"),
        ("/chat/completions", body().replace(b"user", b"robot"), 400, "messages[0].role",
         "Unsupported role"),
        ("/chat/completions", body(', "temperature": "hot"'), 400, "temperature",
         "must be a number"),
        ("/chat/completions", body(', "top_p": 1.5'), 400, "top_p", "between 0 and 1"),
        ("/chat/completions", body(', "max_tokens": 0'), 400, "max_tokens", "at least 1"),
        ("/chat/completions", body(', "n": 2'), 400, "n", "Only one choice"),
        ("/chat/completions", body(', "stop": [1]'), 400, "stop", "'stop' must be"),
        ("/chat/completions", body(', "seed": "x"'), 400, "seed", "must be an integer"),
        ("/completions", b'{"prompt": ""}', 400, "prompt", "non-empty string"),
    ],
)  # fmt: skip
def test_bad_requests_get_openai_style_errors(
    api: RunningServer, path: str, body: bytes, status: int, param: str | None, fragment: str
) -> None:
    response = httpx.post(api.base_url + path, content=body, headers=JSON, timeout=WAIT_S)
    assert response.status_code == status
    error = response.json()["error"]
    assert error["param"] == param
    assert fragment in error["message"]
    assert error["type"] == "invalid_request_error"


def test_a_chunked_body_is_counted_whole_against_the_limit(api: RunningServer) -> None:
    """Promise: the 4 MiB limit holds for a body sent in chunks without a Content-Length:
    the server reads it at most 64 KiB at a time, so every piece is under the limit and
    only their sum is over it."""

    def pieces() -> Iterator[bytes]:
        yield b'{"messages": [{"role": "user", "content": "'
        for _ in range(5 * 16):
            yield b"x" * (64 * 1024)
        yield b'"}]}'

    response = httpx.post(
        api.base_url + "/chat/completions", content=pieces(), headers=JSON, timeout=WAIT_S
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "request_too_large"


def test_oversized_bodies_and_unknown_routes(api: RunningServer) -> None:
    huge = b'{"messages": [{"role": "user", "content": "' + b"x" * (5 * 1024 * 1024) + b'"}]}'
    response = httpx.post(
        api.base_url + "/chat/completions", content=huge, headers=JSON, timeout=WAIT_S
    )
    assert response.status_code == 413
    assert "larger than" in response.json()["error"]["message"]
    assert httpx.get(api.base_url + "/nothing", timeout=WAIT_S).status_code == 404
    wrong = httpx.get(api.base_url + "/chat/completions", timeout=WAIT_S)
    assert wrong.status_code == 405
    assert wrong.json()["error"]["code"] == "bad_method"


def _serve_env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("HEARTH_API_KEY", None)
    env["HEARTH_HOME"] = str(home)
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    return env


def test_beyond_loopback_an_api_key_is_required(tiny_model: Path, tmp_path: Path) -> None:
    with hearth_serve(
        "--host", "0.0.0.0", "--port", "0", "--model", str(tiny_model), env=_serve_env(tmp_path)
    ) as serve:
        key = serve.wait_for(r"new API key \(shown once, kept in (.+)\): (\S+)")
        port = serve.wait_for(r"serving tiny .* at http://0\.0\.0\.0:(\d+)/v1").group(1)
        assert key.group(1) == "memory for this run only"
        serve.wait_for("No system keyring is available")
        base = f"http://127.0.0.1:{port}/v1"
        with openai.OpenAI(base_url=base, api_key="wrong", max_retries=0) as stranger:
            with pytest.raises(openai.AuthenticationError):
                stranger.models.list()
            with pytest.raises(openai.AuthenticationError):
                stranger.chat.completions.create(model="tiny", messages=HELLO, max_tokens=2)  # type: ignore[arg-type]
        assert httpx.get(base + "/models", timeout=WAIT_S).status_code == 401
        with openai.OpenAI(base_url=base, api_key=key.group(2), max_retries=0) as owner:
            assert [m.id for m in owner.models.list()] == ["tiny"]
            answer = owner.chat.completions.create(model="tiny", messages=HELLO, max_tokens=3)  # type: ignore[arg-type]
            assert answer.choices[0].finish_reason in ("length", "stop")


def test_serve_reports_bad_input_in_one_line(tiny_model: Path, tmp_path: Path) -> None:
    env = _serve_env(tmp_path)
    with hearth_serve("--model", str(tmp_path / "missing.gguf"), env=env) as serve:
        assert serve.process.wait(timeout=WAIT_S) == 1
        serve.wait_for(r"^hearth: error: no installed model or model file .*missing\.gguf")
    with hearth_serve("--host", "0.0.0.0", "--port", "0", "--model", str(tiny_model),
                      "--api-key", "k", env=env) as first:  # fmt: skip
        port = first.wait_for(r"at http://0\.0\.0\.0:(\d+)/v1").group(1)
        with hearth_serve("--port", port, "--model", str(tiny_model), env=env) as second:
            assert second.process.wait(timeout=WAIT_S) == 1
            second.wait_for(rf"^hearth: error: cannot listen on 127\.0\.0\.1:{port}")


def test_serve_an_installed_model_by_its_id(tiny_model: Path, tmp_path: Path) -> None:
    env = _serve_env(tmp_path)
    imported = subprocess.run(
        [sys.executable, "-m", "desktop_app", "models", "import", str(tiny_model)],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert imported.returncode == 0, imported.stderr
    listed = subprocess.run(
        [sys.executable, "-m", "desktop_app", "models", "list"],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    model_id = listed.stdout.split("\t")[0].strip()
    assert model_id
    with hearth_serve("--port", "0", "--model", model_id, env=env) as serve:
        port = serve.wait_for(rf"serving {model_id} .* at http://127\.0\.0\.1:(\d+)/v1").group(1)
        with openai.OpenAI(
            base_url=f"http://127.0.0.1:{port}/v1", api_key="unused", max_retries=0
        ) as client:
            assert [m.id for m in client.models.list()] == [model_id]
    with hearth_serve("--model", "no-such-model", env=env) as missing:
        assert missing.process.wait(timeout=WAIT_S) == 1
        missing.wait_for(r"^hearth: error: no installed model or model file 'no-such-model'")
