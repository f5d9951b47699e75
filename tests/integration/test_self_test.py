"""``hearth --self-test``, run as a packager runs it: a subprocess with no display."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_app import __version__

pytestmark = pytest.mark.integration


def self_test(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the self-test with the user's HEARTH_HOME at ``home`` and no display settings."""
    env = {**os.environ, "HEARTH_HOME": str(home)}
    for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
        env.pop(name, None)
    return subprocess.run(
        [sys.executable, "-m", "desktop_app", "--self-test", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


def test_loads_the_model_generates_and_reads_the_store_back(
    tiny_model: Path, tmp_path: Path
) -> None:
    home = tmp_path / "users-home"
    result = self_test(home, "--model", str(tiny_model))
    assert result.returncode == 0, result.stdout + result.stderr
    [line] = result.stdout.splitlines()
    assert line.startswith(f"hearth self-test: ok: Hearth {__version__}; Qt ")
    assert "(offscreen)" in line
    # The model line says where its layers run ("... on the CPU (...)" or "N/N layers on ...").
    assert re.search(
        r"icon rendered; MCP tools, documents, local API, structured output load; "
        r"window opened; model Hearth Tiny Test Model loaded "
        r"\(.*(CPU|layers on).*\); 8 tokens generated",
        line,
    ), line
    assert line.endswith("store wrote and read 2 messages")
    assert not home.exists(), "the self-test must not touch the user's own Hearth folder"


def test_without_a_model_checks_the_window_and_the_store(tmp_path: Path) -> None:
    result = self_test(tmp_path / "home")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().endswith("window opened; store wrote and read 1 message")


def test_a_missing_model_fails_with_the_reason(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.gguf"
    result = self_test(tmp_path / "home", "--model", str(missing))
    assert result.returncode == 1
    assert result.stdout.strip() == f"hearth self-test: FAILED: no model file at {missing}"
    assert "Traceback" not in result.stderr


def test_a_broken_model_fails_with_the_engines_message(tmp_path: Path) -> None:
    broken = tmp_path / "broken.gguf"
    broken.write_bytes(b"GGUF" + bytes(60))
    result = self_test(tmp_path / "home", "--model", str(broken))
    assert result.returncode == 1
    [line] = result.stdout.splitlines()
    assert line.startswith("hearth self-test: FAILED: the model did not load: broken.gguf ")
    assert "Traceback" not in result.stderr
