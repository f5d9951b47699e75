"""Before the window opens: a missing X11/Wayland library is named, with its package."""

from __future__ import annotations

import _ctypes
import shutil
from pathlib import Path

import pytest

from desktop_app import window_check
from desktop_app.core import system_libs

LDD_OUTPUT = """\
\tlinux-vdso.so.1 (0x00007ffd)
\tlibQt6XcbQpa.so.6 => /venv/PySide6/Qt/lib/libQt6XcbQpa.so.6 (0x00007f)
\tlibxcb-cursor.so.0 => not found
\tlibxcb-icccm.so.4 => not found
\tlibxcb-icccm.so.4 => not found
\tlibX11.so.6 => /lib/x86_64-linux-gnu/libX11.so.6 (0x00007f)
\t/lib64/ld-linux-x86-64.so.2 (0x00007f)
"""


def test_ldd_output_gives_each_missing_library_once() -> None:
    assert system_libs.parse_ldd(LDD_OUTPUT) == ["libxcb-cursor.so.0", "libxcb-icccm.so.4"]


def test_the_hint_names_the_debian_packages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(system_libs.shutil, "which", lambda name: f"/usr/bin/{name}")
    hint = system_libs.install_hint(["libxcb-cursor.so.0", "libxcb-icccm.so.4"])
    assert hint == "install with: sudo apt install libxcb-cursor0 libxcb-icccm4"
    monkeypatch.setattr(system_libs.shutil, "which", lambda name: None)
    assert "libxcb-cursor0" in system_libs.install_hint(["libxcb-cursor.so.0"])
    assert system_libs.install_hint(["libodd.so.3"]) == (
        "install the packages that provide libodd.so.3"
    )


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"DISPLAY": ":0"}, ["xcb"]),
        ({}, []),
        ({"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"}, []),
        ({"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "wayland"},
         ["wayland", "xcb"]),
        ({"WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "wayland"}, ["wayland"]),
        ({"DISPLAY": ":0", "QT_QPA_PLATFORM": "xcb:nograb;wayland"}, ["xcb"]),
    ],
)  # fmt: skip
def test_the_platforms_qt_would_try(env: dict[str, str], expected: list[str]) -> None:
    assert window_check.candidate_platforms(env) == expected


@pytest.fixture
def plugins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A Qt plugin folder with xcb and wayland plugins (their contents do not matter:
    ``missing_libraries`` is replaced)."""
    platforms = tmp_path / "plugins" / "platforms"
    platforms.mkdir(parents=True)
    for name in ("libqxcb.so", "libqwayland.so"):
        (platforms / name).write_bytes(b"")
    monkeypatch.setattr(window_check, "_qt_paths", lambda: (platforms.parent, tmp_path / "lib"))
    monkeypatch.setattr(window_check.sys, "platform", "linux")
    return platforms


def fake_missing(monkeypatch: pytest.MonkeyPatch, by_plugin: dict[str, list[str]]) -> list[dict]:
    seen: list[dict] = []

    def missing(binary: Path, env: dict[str, str]) -> list[str]:
        seen.append({"binary": binary, "env": env})
        return by_plugin.get(binary.name, [])

    monkeypatch.setattr(window_check, "missing_libraries", missing)
    return seen


def test_a_missing_xcb_library_gives_one_line_with_the_install_command(
    plugins: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(system_libs.shutil, "which", lambda name: f"/usr/bin/{name}")
    seen = fake_missing(monkeypatch, {"libqxcb.so": ["libxcb-cursor.so.0"]})
    problem = window_check.window_problem({"DISPLAY": ":0"})
    assert problem == (
        "the window cannot open: Qt's xcb platform plugin needs libxcb-cursor.so.0, which is "
        "not installed; install with: sudo apt install libxcb-cursor0"
    )
    assert "\n" not in problem
    assert seen[0]["binary"] == plugins / "libqxcb.so"
    assert seen[0]["env"]["LD_LIBRARY_PATH"].startswith(str(plugins.parent.parent / "lib"))


def test_qt_falls_back_so_one_working_platform_is_enough(
    plugins: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_missing(monkeypatch, {"libqwayland.so": ["libwayland-cursor.so.0"]})
    env = {"DISPLAY": ":0", "WAYLAND_DISPLAY": "w", "XDG_SESSION_TYPE": "wayland"}
    assert window_check.window_problem(env) is None
    fake_missing(
        monkeypatch,
        {"libqwayland.so": ["libwayland-cursor.so.0"], "libqxcb.so": ["libxcb-xkb.so.1"]},
    )
    problem = window_check.window_problem(env) or ""
    assert "wayland platform plugin needs libwayland-cursor.so.0" in problem


def test_the_plugin_path_qt_is_told_to_use_comes_first(
    plugins: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / "libqxcb.so").write_bytes(b"")
    seen = fake_missing(monkeypatch, {})
    env = {"DISPLAY": ":0", "QT_QPA_PLATFORM_PLUGIN_PATH": str(other)}
    assert window_check.window_problem(env) is None
    assert seen[0]["binary"] == other / "libqxcb.so"


def test_no_display_or_offscreen_needs_no_check(
    plugins: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = fake_missing(monkeypatch, {"libqxcb.so": ["libxcb-cursor.so.0"]})
    assert window_check.window_problem({}) is None
    assert window_check.window_problem({"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"}) is None
    assert seen == []


def test_a_plugin_that_loads_is_not_given_to_ldd(
    plugins: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The common case costs no ``ldd`` run: the loader found everything the plugin needs."""
    shutil.copyfile(_ctypes.__file__, plugins / "libqxcb.so")  # any library that loads
    seen = fake_missing(monkeypatch, {"libqxcb.so": ["libxcb-cursor.so.0"]})
    assert window_check.window_problem({"DISPLAY": ":0"}) is None
    assert seen == []
