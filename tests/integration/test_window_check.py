"""``hearth`` on a desktop that lacks a library Qt's xcb plugin needs: one line naming
it, instead of Qt's abort. The missing library is simulated with a copy of the real
plugin whose dependency name is changed to one no system has; Qt is pointed at the
copy with its own QT_QPA_PLATFORM_PLUGIN_PATH."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QLibraryInfo

pytestmark = pytest.mark.integration

REAL = "libxcb-cursor.so.0"
GONE = "libxcb-cursor.so.7"


def broken_plugin_folder(folder: Path) -> Path:
    plugins = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath))
    data = (plugins / "platforms" / "libqxcb.so").read_bytes()
    assert data.count(REAL.encode() + b"\0") == 1
    folder.mkdir()
    (folder / "libqxcb.so").write_bytes(data.replace(REAL.encode() + b"\0", GONE.encode() + b"\0"))
    return folder


def run_hearth(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desktop_app", *args],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip


def test_a_missing_xcb_library_is_named_in_one_line(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "HEARTH_HOME": str(tmp_path / "home"),
        "QT_QPA_PLATFORM": "xcb",
        "QT_QPA_PLATFORM_PLUGIN_PATH": str(broken_plugin_folder(tmp_path / "platforms")),
        "DISPLAY": ":97",
    }
    result = run_hearth(env)
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("hearth: error: the window cannot open: Qt's xcb platform plugin")
    assert GONE in lines[0]
    checked = run_hearth(env, "--check-window")
    assert checked.returncode == 1
    assert GONE in checked.stdout


@pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="needs xvfb-run (apt: xvfb xauth)")
def test_the_window_opens_on_a_real_x_server(tmp_path: Path) -> None:
    env = {**os.environ, "HEARTH_HOME": str(tmp_path / "home"), "QT_QPA_PLATFORM": "xcb"}
    result = subprocess.run(
        ["xvfb-run", "-a", sys.executable, "-m", "desktop_app", "--self-test"],
        capture_output=True, text=True, env=env, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "(xcb)" in result.stdout and "window opened" in result.stdout
