"""``hearth models …`` run as a user runs it, against the fake Hub."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_app.core.models.fit import format_size
from tests.fake_hub import FakeHub, FakeRepo

pytestmark = pytest.mark.integration
REPO = "someone/Tiny-Chat-GGUF"


def hearth(home: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "HEARTH_HOME": str(home),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
    }
    env.pop("QT_QPA_PLATFORM", None)
    env.pop("HF_TOKEN", None)
    return subprocess.run(
        [sys.executable, "-m", "desktop_app", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        check=False,
    )


def _one_line_error(
    result: subprocess.CompletedProcess[str], text: str, after_progress: bool = False
) -> None:
    """Exit 1, no traceback, one error line (a pull may print its progress before it)."""
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    if after_progress:
        assert all(not line.startswith("hearth: error") for line in lines[:-1])
        lines = lines[-1:]
    assert len(lines) == 1 and lines[0].startswith("hearth: error: ") and text in lines[0]


@pytest.fixture
def hub(fake_hub: FakeHub, tiny_model: Path) -> FakeHub:
    data = tiny_model.read_bytes()
    fake_hub.add_repo(
        FakeRepo(REPO, {"tiny-chat-Q4_K_M.gguf": data, "tiny-chat-Q8_0.gguf": data + b"\0"})
    )
    fake_hub.add_repo(FakeRepo("vendor/Gated-GGUF", {"g-Q4_K_M.gguf": data}, gated=True))
    return fake_hub


def test_search_files_pull_list_info_chat_and_rm(
    hub: FakeHub, tmp_path: Path, tiny_model: Path
) -> None:
    found = hearth(tmp_path, "models", "search", "tiny")
    assert found.returncode == 0, found.stderr
    assert found.stdout.splitlines()[0].startswith(REPO + "\t")

    files = hearth(tmp_path, "models", "files", REPO)
    assert files.returncode == 0, files.stderr
    lines = files.stdout.splitlines()
    assert lines[0].startswith("Q4_K_M\t") and lines[0].endswith("recommended")
    assert "fits" in lines[0]

    pulled = hearth(tmp_path, "models", "pull", f"{REPO}:Q8_0")
    assert pulled.returncode == 0, pulled.stderr
    model_id = pulled.stdout.strip()
    assert model_id == "tiny-chat-q8_0"
    assert "100.0%" in pulled.stderr

    listed = hearth(tmp_path, "models", "list")
    pulled_size = tiny_model.stat().st_size + 1  # the hub's Q8_0 file (see ``hub``)
    assert listed.stdout.splitlines()[0].split("\t")[:4] == [
        model_id,
        format_size(pulled_size),
        "Q8_0",
        REPO,
    ]
    info = hearth(tmp_path, "models", "info", model_id)
    assert "Architecture:\tllama" in info.stdout
    assert "Chat template:\tin the file" in info.stdout

    chat = hearth(tmp_path, "chat", "--model", model_id, "--max-tokens", "4", "Hi")
    assert chat.returncode == 0, chat.stderr

    removed = hearth(tmp_path, "models", "rm", model_id)
    assert removed.returncode == 0
    assert hearth(tmp_path, "models", "list").stdout == ""


def test_import_by_reference_then_chat_by_id(tiny_model: Path, tmp_path: Path) -> None:
    imported = hearth(tmp_path, "models", "import", "--reference", str(tiny_model))
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.strip() == "tiny"
    listed = hearth(tmp_path, "models", "list").stdout.split("\t")
    assert listed[0] == "tiny" and listed[4].strip() == str(tiny_model.resolve())


def test_errors_are_one_line(hub: FakeHub, tmp_path: Path) -> None:
    _one_line_error(hearth(tmp_path, "models", "rm", "nope"), "no installed model with ID 'nope'")
    _one_line_error(hearth(tmp_path, "models", "info", "nope"), "no installed model")
    _one_line_error(
        hearth(tmp_path, "models", "pull", f"{REPO}:Q2_K"), "has no file or quant 'Q2_K'"
    )
    _one_line_error(
        hearth(tmp_path, "models", "pull", "vendor/Gated-GGUF"), "accept its licence", True
    )
    _one_line_error(hearth(tmp_path, "models", "files", "nobody/None"), "not found")
    bad = tmp_path / "bad.gguf"
    bad.write_bytes(b"nonsense" * 20)
    _one_line_error(hearth(tmp_path, "models", "import", str(bad)), "not a usable GGUF")
    _one_line_error(hearth(tmp_path, "chat", "--model", "nope", "Hi"), "not found")


def test_offline_search_says_offline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    _one_line_error(hearth(tmp_path, "models", "search", "qwen"), "Offline mode is on")
