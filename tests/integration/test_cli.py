"""The hearth command, run as a user runs it: a subprocess with its own HEARTH_HOME."""

from __future__ import annotations

import ctypes
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from desktop_app import __version__
from desktop_app.core.chats.model import FinishReason, Role
from desktop_app.core.chats.store import Store

pytestmark = pytest.mark.integration


PR_CAPBSET_DROP = 24
FILE_OVERRIDE_CAPABILITIES = (1, 2)
"""CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH: what lets root read a file it has no
permission for (linux/capability.h)."""


def drop_file_override() -> None:
    """Run in a child before it executes: drop the capabilities that let root ignore
    file permissions, so the program runs as root without them. (Switching to ``nobody``
    would not do where the interpreter lives in root's private home.)"""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in FILE_OVERRIDE_CAPABILITIES:
        if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


def hearth(
    home: Path,
    *args: str,
    stdin: str | None = None,
    timeout: float = 120,
    preexec_fn: Callable[[], None] | None = None,
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HEARTH_HOME": str(home)}
    env.pop("QT_QPA_PLATFORM", None)
    return subprocess.run(
        [sys.executable, "-m", "desktop_app", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        check=False,
        preexec_fn=preexec_fn,
    )


def open_store(home: Path) -> Store:
    return Store.open(home / "data" / "hearth.sqlite3")


def test_version(tmp_path: Path) -> None:
    result = hearth(tmp_path, "--version")
    assert (result.returncode, result.stdout.strip()) == (0, f"hearth {__version__}")


def test_chat_streams_an_answer_and_saves_the_exchange(tiny_model: Path, tmp_path: Path) -> None:
    result = hearth(
        tmp_path, "chat", "--model", str(tiny_model), "--seed", "4", "--max-tokens", "30",
        "--system", "Be brief.", "--verbose", "Hello there",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "prompt format: the model's own chat template" in result.stderr
    store = open_store(tmp_path)
    [conversation] = store.conversations()
    assert conversation.system_prompt == "Be brief."
    question, answer = store.messages(conversation.id)
    assert (question.role, question.content) == (Role.USER, "Hello there")
    assert answer.role is Role.ASSISTANT
    assert answer.finish_reason in (FinishReason.STOP, FinishReason.LENGTH)
    assert result.stdout == answer.content + "\n"
    assert answer.model == "Hearth Tiny Test Model"


def test_prompt_from_stdin_and_continuing_a_conversation(tiny_model: Path, tmp_path: Path) -> None:
    first = hearth(tmp_path, "chat", "--model", str(tiny_model), "--max-tokens", "5", "-",
                   stdin="Question from a pipe\n")  # fmt: skip
    assert first.returncode == 0, first.stderr
    [conversation] = open_store(tmp_path).conversations()
    again = hearth(tmp_path, "chat", "--model", str(tiny_model), "--max-tokens", "5",
                   "--conversation", str(conversation.id), "Second question")  # fmt: skip
    assert again.returncode == 0, again.stderr
    messages = open_store(tmp_path).messages(conversation.id)
    assert [m.content for m in messages if m.role is Role.USER] == [
        "Question from a pipe\n",
        "Second question",
    ]


def test_interactive_chat_reads_prompts_until_end_of_input(
    tiny_model: Path, tmp_path: Path
) -> None:
    result = hearth(tmp_path, "chat", "--model", str(tiny_model), "--max-tokens", "5",
                    stdin="first line\n\nsecond line\n/exit\n")  # fmt: skip
    assert result.returncode == 0, result.stderr
    [conversation] = open_store(tmp_path).conversations()
    users = [m.content for m in open_store(tmp_path).messages(conversation.id)]
    assert users[0::2] == ["first line", "second line"]


@pytest.mark.parametrize("stdin", ["", "first line\n"], ids=["nothing", "one line"])
def test_interactive_chat_ends_cleanly_at_end_of_input(
    tiny_model: Path, tmp_path: Path, stdin: str
) -> None:
    """Guards: Ctrl+D (end of input, with or without prompts before it) quits with 0."""
    result = hearth(tmp_path, "chat", "--model", str(tiny_model), "--max-tokens", "5",
                    stdin=stdin)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    [conversation] = open_store(tmp_path).conversations()
    users = [m.content for m in open_store(tmp_path).messages(conversation.id)][0::2]
    assert users == stdin.splitlines()


def test_chats_list_and_export(tiny_model: Path, tmp_path: Path) -> None:
    hearth(tmp_path, "chat", "--model", str(tiny_model), "--max-tokens", "5", "你好，Hearth")
    listing = hearth(tmp_path, "chats", "list")
    assert listing.returncode == 0
    conversation_id, *_rest, title = listing.stdout.strip().split("\t")
    assert title == "你好，Hearth"

    exported = hearth(tmp_path, "chats", "export", conversation_id, "--format", "json")
    document = json.loads(exported.stdout)
    assert document["messages"][0]["content"] == "你好，Hearth"

    markdown_file = tmp_path / "out.md"
    hearth(tmp_path, "chats", "export", conversation_id, "--format", "md", "-o", str(markdown_file))
    assert markdown_file.read_text(encoding="utf-8").startswith("# 你好，Hearth")

    missing = hearth(tmp_path, "chats", "export", "999", "--format", "json")
    assert missing.returncode == 1
    assert (
        missing.stderr.strip()
        == "hearth: error: no conversation with ID 999 (see 'hearth chats list')"
    )


def _bad_files(tiny_model: Path, folder: Path) -> dict[str, Path]:
    truncated = folder / "truncated.gguf"
    truncated.write_bytes(tiny_model.read_bytes()[: tiny_model.stat().st_size // 2])
    renamed = folder / "notes.gguf"
    renamed.write_text("These are my notes, not a model.\n" * 20, encoding="utf-8")
    unreadable = folder / "secret.gguf"
    unreadable.write_bytes(tiny_model.read_bytes())
    unreadable.chmod(0)
    folder_named_like_a_model = folder / "folder.gguf"
    folder_named_like_a_model.mkdir()
    return {
        "folder": folder_named_like_a_model,
        "missing": folder / "nope.gguf",
        "truncated": truncated,
        "renamed": renamed,
        "unreadable": unreadable,
    }


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("missing", "Model file not found"),
        ("truncated", "truncated.gguf is not a usable GGUF model: the file is truncated"),
        ("renamed", "notes.gguf is not a usable GGUF model: it is not a GGUF model file"),
        ("unreadable", "permission denied"),
        ("folder", "folder.gguf is not a usable GGUF model: it is a folder"),
    ],
)
def test_bad_model_files_exit_1_with_one_line(
    tiny_model: Path, tmp_path: Path, case: str, message: str
) -> None:
    """Guards: each bad model file ends the command with one line saying what is wrong.

    Root reads any file, so as root (how CI runs) the command runs without the
    capabilities that override file permissions, and permission denied is still tested."""
    as_root = case == "unreadable" and os.geteuid() == 0
    path = _bad_files(tiny_model, tmp_path)[case]
    try:
        result = hearth(
            tmp_path / "home", "chat", "--model", str(path), "hi",
            preexec_fn=drop_file_override if as_root else None,
        )  # fmt: skip
    except subprocess.SubprocessError as exc:  # a container that forbids dropping them
        pytest.skip(f"cannot drop root's file-override capabilities here: {exc}")
    assert result.returncode == 1
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("hearth: error: ")
    assert message in line
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("chat", "--max-tokens", "zero", "hi"),
        ("chat", "--conversation", "latest", "hi"),
        ("chats", "export"),
        ("frobnicate",),
    ],
)
def test_bad_usage_exits_2(tmp_path: Path, args: tuple[str, ...]) -> None:
    result = hearth(tmp_path, *args)
    assert result.returncode == 2
    assert "usage: hearth" in result.stderr
    assert "Traceback" not in result.stderr


def test_chat_without_any_model_is_a_usage_error(tmp_path: Path) -> None:
    result = hearth(tmp_path, "chat", "hi")
    assert result.returncode == 2
    assert "--model" in result.stderr


def _saved_answer_text(database: Path) -> str:
    """The answer text another process has committed so far ('' if none yet)."""
    if not database.exists():
        return ""
    try:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=1) as db:
            row = db.execute(
                "SELECT content FROM messages WHERE role = 'assistant' ORDER BY id DESC"
            ).fetchone()
    except sqlite3.OperationalError:  # the schema is still being created
        return ""
    return row[0] if row else ""


@pytest.mark.parametrize("delay_s", [0.0, 0.3, 0.7])
def test_sigkill_mid_stream_keeps_the_partial_answer_and_a_sound_database(
    tiny_model: Path, tmp_path: Path, delay_s: float
) -> None:
    """Guards: after kill -9 the saved answer is the text that was streamed, up to the
    last flush: at least what the test saw saved before the kill, and a prefix of (or
    one flush ahead of) what the terminal showed."""
    env = {**os.environ, "HEARTH_HOME": str(tmp_path)}
    shown_file = tmp_path / "stdout.txt"
    with shown_file.open("wb") as shown_out:
        process = subprocess.Popen(
            [sys.executable, "-m", "desktop_app", "chat", "--model", str(tiny_model),
             "--ctx-size", "32768", "--max-tokens", "32000", "--ignore-eos", "--seed", "1",
             "Write forever"],
            stdout=shown_out,
            stderr=subprocess.DEVNULL,
            env=env,
        )  # fmt: skip
    database = tmp_path / "data" / "hearth.sqlite3"
    deadline = time.monotonic() + 60
    while not _saved_answer_text(database) and process.poll() is None:
        assert time.monotonic() < deadline, "no partial answer was saved within 60 s"
        time.sleep(0.02)
    first = _saved_answer_text(database)
    # Wait for a second flush too: the first one alone cannot tell the whole text so
    # far from the latest piece of it.
    while (observed := _saved_answer_text(database)) == first and process.poll() is None:
        assert time.monotonic() < deadline, "the partial answer was saved only once in 60 s"
        time.sleep(0.02)
    assert observed.startswith(first), "a later flush did not extend the text saved before"
    time.sleep(delay_s)
    observed = _saved_answer_text(database)
    still_running = process.poll() is None
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert still_running, "the answer finished before the kill; the test proves nothing"
    # Bytes, not read_text: newline translation would turn a streamed "\r" into "\n".
    shown = shown_file.read_bytes().decode("utf-8", errors="replace")

    raw = sqlite3.connect(database)
    assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    raw.close()
    store = open_store(tmp_path)
    question, answer = store.messages(store.conversations()[0].id)
    assert question.content == "Write forever"
    assert answer.content, "the partial answer was lost"
    assert answer.content.startswith(observed), "text seen saved before the kill is gone"
    _assert_same_stream(answer.content, shown)
    assert answer.is_streaming
    assert store.mark_interrupted_answers(stale_after_s=0) == 1
    assert store.message(answer.id).finish_reason is FinishReason.INTERRUPTED


def test_the_window_without_a_display_is_a_one_line_error(tmp_path: Path) -> None:
    env = {**os.environ, "HEARTH_HOME": str(tmp_path)}
    for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
        env.pop(name, None)
    result = subprocess.run(
        [sys.executable, "-m", "desktop_app"], capture_output=True, text=True, env=env,
        timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.startswith("hearth: error: no display")
    assert len(result.stderr.splitlines()) == 1


def _assert_same_stream(saved: str, shown: str) -> None:
    """The saved text and the text the terminal showed are two cuts of one stream: one
    is a prefix of the other (the store may be one delta ahead of the terminal, or the
    terminal up to one flush interval ahead of the store)."""
    common = min(len(saved), len(shown))
    assert saved[:common] == shown[:common], "the saved answer is not the text that was shown"
    assert common > 0


def _streaming_text(database: Path) -> str:
    """The text so far of an answer still being written ('' if none)."""
    try:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=5) as db:
            row = db.execute(
                "SELECT content FROM messages WHERE finish_reason IS NULL AND content != ''"
            ).fetchone()
    except sqlite3.OperationalError:
        return ""
    return row[0] if row else ""


def _finished_messages(database: Path) -> dict[int, tuple[str, str]]:
    """Every finished message another process has committed: id -> (content, reason)."""
    if not database.exists():
        return {}
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=5) as db:
        rows = db.execute(
            "SELECT id, content, finish_reason FROM messages WHERE finish_reason IS NOT NULL"
        ).fetchall()
    return {row[0]: (row[1], row[2]) for row in rows}


def test_twenty_kills_at_random_points_lose_no_finished_message(
    tiny_model: Path, tmp_path: Path
) -> None:
    """kill -9 at a random moment (loading, asking, streaming, finishing) 20 times over."""
    rng = random.Random(20)
    store = open_store(tmp_path)
    conversation_id = store.create_conversation().id
    store.close()
    database = tmp_path / "data" / "hearth.sqlite3"
    env = {**os.environ, "HEARTH_HOME": str(tmp_path)}
    seen: dict[int, tuple[str, str]] = {}
    killed_mid_answer = 0
    for run in range(20):
        # Three runs in four end at a random moment (loading, asking, streaming or
        # after a short answer finished); every fourth is a long answer killed while
        # it streams, so the test always covers both.
        streaming_kill = run % 4 == 3
        tokens = 30_000 if streaming_kill else rng.choice([5, 50, 400])
        process = subprocess.Popen(
            [sys.executable, "-m", "desktop_app", "chat", "--model", str(tiny_model),
             "--conversation", str(conversation_id), "--ctx-size", "32768", "--ignore-eos",
             "--seed", str(run), "--max-tokens", str(tokens), f"Question {run}"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
        )  # fmt: skip
        if streaming_kill:
            deadline = time.monotonic() + 60
            while process.poll() is None and not _streaming_text(database):
                assert time.monotonic() < deadline, "no partial answer was saved within 60 s"
                seen.update(_finished_messages(database))
                time.sleep(0.01)
            time.sleep(rng.uniform(0.0, 0.6))
            observed = _streaming_text(database)
        else:
            observed = ""
            deadline = time.monotonic() + rng.uniform(0.2, 3.0)
            while time.monotonic() < deadline and process.poll() is None:
                seen.update(_finished_messages(database))
                time.sleep(0.01)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)

        raw = sqlite3.connect(database)
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok", f"run {run}"
        raw.close()
        after = _finished_messages(database)
        lost = {key: value for key, value in seen.items() if after.get(key) != value}
        assert not lost, f"run {run} lost finished messages: {lost}"
        store = open_store(tmp_path)
        streaming = [m for m in store.all_messages(conversation_id) if m.is_streaming]
        assert len(streaming) <= 1
        assert store.mark_interrupted_answers(stale_after_s=0) == len(streaming)
        killed_mid_answer += len(streaming)
        if streaming_kill and observed:
            assert [m.content[: len(observed)] for m in streaming] == [observed], (
                f"run {run}: the text saved before the kill is not what survived"
            )
        for message in streaming:
            marked = store.message(message.id)
            assert marked is not None
            assert (marked.content, marked.finish_reason) == (
                message.content,
                FinishReason.INTERRUPTED,
            )
        assert store.integrity_check() == "ok"
        store.close()
        seen = _finished_messages(database)
    finished = _finished_messages(database)
    print(f"{killed_mid_answer} kills mid-answer, {len(finished)} finished messages kept")
    assert killed_mid_answer >= 5, "too few kills landed while an answer streamed"
    assert len(finished) >= 10, "too few runs got as far as saving their question"
