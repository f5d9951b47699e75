"""The remote engine against llama-cpp-python's own OpenAI-compatible server."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.core.chats.model import FinishReason, Role
from desktop_app.core.chats.session import run_turn
from desktop_app.core.chats.store import Store
from desktop_app.core.engine.base import (
    CancelToken,
    ChatTurn,
    Finished,
    GenerationParams,
    TextDelta,
)
from desktop_app.core.engine.remote import RemoteEngine, RemoteError, list_models
from tests.llama_server import MODEL_ALIAS, NO_END_OF_TURN, LlamaServer, free_port, llama_server

pytestmark = pytest.mark.integration

KEY = "sk-hearth-test"
TURNS = [ChatTurn("user", "Tell me a story")]


@pytest.fixture(scope="module")
def server(tiny_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LlamaServer]:
    with llama_server(tiny_model, tmp_path_factory.mktemp("llama-server"), KEY) as running:
        yield running


def engine(server: LlamaServer, key: str | None = KEY) -> RemoteEngine:
    return RemoteEngine(
        server.base_url, MODEL_ALIAS, key, endpoint_name="lab", extra_body=NO_END_OF_TURN
    )


def test_lists_the_servers_model(server: LlamaServer) -> None:
    assert list_models(server.base_url, KEY) == [MODEL_ALIAS]


def test_streams_an_answer(server: LlamaServer) -> None:
    remote = engine(server)
    try:
        events = list(remote.stream_chat(TURNS, GenerationParams(max_tokens=40, seed=1)))
    finally:
        remote.close()
    deltas = [e for e in events if isinstance(e, TextDelta)]
    finished = events[-1]
    assert isinstance(finished, Finished)
    assert finished.reason is FinishReason.LENGTH, finished.error
    assert len(deltas) > 5
    assert [d.tokens for d in deltas] == list(range(1, len(deltas) + 1))
    assert finished.stats.generated_tokens == len(deltas)
    assert finished.stats.time_to_first_token_s is not None
    assert finished.stats.tokens_per_s is not None
    assert remote.info.path == "remote:lab/tiny"


def test_a_wrong_api_key_is_reported(server: LlamaServer) -> None:
    with pytest.raises(RemoteError, match=r"lab rejected the API key \(HTTP 401"):
        engine(server, key="sk-wrong")
    unchecked = RemoteEngine(server.base_url, MODEL_ALIAS, "sk-wrong", check=False)
    try:
        events = list(unchecked.stream_chat(TURNS, GenerationParams(max_tokens=5)))
    finally:
        unchecked.close()
    assert len(events) == 1
    assert isinstance(events[0], Finished) and events[0].reason is FinishReason.ERROR
    assert "rejected the API key (HTTP 401" in (events[0].error or "")


def test_nothing_listening_is_connection_refused() -> None:
    with pytest.raises(RemoteError, match="connection refused; is the server running"):
        RemoteEngine(f"http://127.0.0.1:{free_port()}", "tiny", endpoint_name="gone")


STALLING = GenerationParams(max_tokens=2000, seed=1)
"""llama_cpp.server streams a few pieces of this answer, then works silently for a long time
(its streaming re-decodes the growing answer): the client is left waiting in a read."""


def test_server_killed_mid_answer_keeps_the_partial_text(tiny_model: Path, tmp_path: Path) -> None:
    store = Store.open(tmp_path / "chats.sqlite3")
    with llama_server(tiny_model, tmp_path) as doomed:
        remote = engine(doomed, key=None)
        conversation = store.create_conversation().id
        received: list[str] = []
        finished: Finished | None = None
        for event in run_turn(remote, store, conversation, "Go on", STALLING):
            if isinstance(event, TextDelta):
                received.append(event.text)
                if len(received) == 1:
                    doomed.kill()
            else:
                finished = event
        remote.close()
    assert finished is not None and finished.reason is FinishReason.ERROR
    assert "cut off after" in (finished.error or "")
    answer = store.messages(conversation)[-1]
    assert answer.role is Role.ASSISTANT
    assert answer.finish_reason is FinishReason.ERROR
    assert answer.content == "".join(received)
    assert len(answer.content) > 0
    store.close()


def test_cancel_while_waiting_for_the_server_ends_the_answer(server: LlamaServer) -> None:
    """Runs last on this server: llama_cpp.server keeps working on the abandoned answer."""
    remote = engine(server)
    cancel = CancelToken()
    received: list[object] = []
    threading.Timer(0.5, cancel.cancel).start()
    try:
        received.extend(remote.stream_chat(TURNS, STALLING, cancel))
    finally:
        remote.close()
    finished = received[-1]
    assert isinstance(finished, Finished)
    assert finished.reason is FinishReason.CANCELLED
    assert all(isinstance(e, TextDelta) for e in received[:-1])


def test_endpoints_and_remote_chat_from_the_terminal(tiny_model: Path, tmp_path: Path) -> None:
    env = dict(os.environ)
    env["HEARTH_HOME"] = str(tmp_path / "home")
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"

    def hearth(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "desktop_app", *args],
            input=stdin, capture_output=True, text=True, env=env, timeout=120,
        )  # fmt: skip

    with llama_server(tiny_model, tmp_path) as open_server:
        assert hearth("endpoints", "add", "lab", open_server.base_url).returncode == 0
        keyed = hearth("endpoints", "add", "cloud", "https://api.example.com/v1",
                       "--api-key-stdin", stdin="sk-x\n")  # fmt: skip
        assert keyed.returncode == 0
        assert "kept for this session only" in keyed.stderr
        listed = hearth("endpoints", "list").stdout.splitlines()
        assert listed == [
            f"lab\t{open_server.base_url}\tno key",
            "cloud\thttps://api.example.com/v1\tno key",
        ]
        assert hearth("endpoints", "models", "lab").stdout == "remote:lab/tiny\n"
        chat = hearth("chat", "--model", "remote:lab/tiny", "--max-tokens", "8", "-v", "Hi")
        assert chat.returncode == 0, chat.stderr
        assert chat.stdout.strip()
        assert "remote" in chat.stderr
        shown = hearth("chats", "show", "1").stdout
        assert "Hi" in shown and chat.stdout.strip() in shown
    unknown = hearth("endpoints", "models", "nope")
    assert unknown.returncode == 1
    assert unknown.stderr == "hearth: error: No endpoint named 'nope' (see Settings → Endpoints).\n"
    gone = hearth("chat", "--model", "remote:lab/tiny", "Hi")
    assert gone.returncode == 1
    assert "Cannot connect to lab" in gone.stderr and "connection refused" in gone.stderr
    assert len(gone.stderr.splitlines()) == 1
