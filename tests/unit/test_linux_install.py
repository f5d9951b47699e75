"""packaging/linux/install.sh puts an unpacked release into the user's XDG folders."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_app import APP_ID

ROOT = Path(__file__).resolve().parents[2]
LINUX = ROOT / "packaging" / "linux"

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux installer")


@pytest.fixture
def release(tmp_path: Path) -> Path:
    """An unpacked archive, laid out as build.sh lays it out, with a stand-in bundle."""
    folder = tmp_path / "hearth-1.0-linux-x86_64"
    (folder / "hearth" / "_internal").mkdir(parents=True)
    app = folder / "hearth" / "hearth"
    app.write_text('#!/bin/sh\necho stand-in hearth "$@"\n', encoding="utf-8")
    app.chmod(0o755)
    for kind, name in (("applications", ".desktop"), ("metainfo", ".metainfo.xml")):
        (folder / "share" / kind).mkdir(parents=True)
        shutil.copy(LINUX / f"{APP_ID}{name}", folder / "share" / kind)
    icon = folder / "share" / "icons" / "hicolor" / "48x48" / "apps" / f"{APP_ID}.png"
    icon.parent.mkdir(parents=True)
    icon.write_bytes(b"png")
    shutil.copy(LINUX / "install.sh", folder / "install.sh")
    return folder


def run_installer(release: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home)}
    return subprocess.run(
        ["sh", str(release / "install.sh"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_install_then_uninstall(release: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    data = home / ".local" / "share"
    (data / "Hearth").mkdir(parents=True)  # the user's conversations: never touched
    result = run_installer(release, home)
    assert result.returncode == 0, result.stderr
    assert "Hearth is installed" in result.stdout

    app = data / "hearth" / "app" / "hearth"
    command = home / ".local" / "bin" / "hearth"
    assert subprocess.run([command, "--version"], capture_output=True, text=True).stdout == (
        "stand-in hearth --version\n"
    )
    desktop = (data / "applications" / f"{APP_ID}.desktop").read_text(encoding="utf-8")
    assert f'Exec="{app}"' in desktop.splitlines()
    assert (data / "metainfo" / f"{APP_ID}.metainfo.xml").is_file()
    assert (data / "icons" / "hicolor" / "48x48" / "apps" / f"{APP_ID}.png").is_file()

    assert run_installer(release, home).returncode == 0, "installing again upgrades in place"

    result = run_installer(release, home, "--uninstall")
    assert result.returncode == 0, result.stderr
    assert not command.exists() and not app.exists()
    assert not (data / "applications" / f"{APP_ID}.desktop").exists()
    assert not (data / "icons" / "hicolor" / "48x48" / "apps" / f"{APP_ID}.png").exists()
    assert (data / "Hearth").is_dir()


def test_refuses_to_run_outside_an_archive(release: Path, tmp_path: Path) -> None:
    shutil.rmtree(release / "hearth")
    result = run_installer(release, tmp_path / "home")
    assert result.returncode == 1
    assert "run me from the unpacked Hearth archive" in result.stderr


def test_install_says_what_to_install_when_the_window_would_not_open(
    release: Path, tmp_path: Path
) -> None:
    line = (
        "hearth: the window cannot open: Qt's xcb platform plugin needs libxcb-cursor.so.0, "
        "which is not installed; install with: sudo apt install libxcb-cursor0"
    )
    app = release / "hearth" / "hearth"
    app.write_text(
        f'#!/bin/sh\n[ "$1" = --check-window ] && {{ echo "{line}"; exit 1; }}\nexit 0\n',
        encoding="utf-8",
    )
    result = run_installer(release, tmp_path / "home")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1] == line
