"""Before the window opens: can Qt's platform plugin load on this desktop?

When a library that the xcb (X11) or wayland plugin links against is missing, Qt
prints a paragraph about "xcb-cursor0" and aborts the process. ``window_problem()``
looks first, without creating a QApplication, and returns one line naming what is
missing and how to install it. It imports only QtCore (which needs none of those
libraries), to ask Qt where its plugins and libraries are.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TextIO

from desktop_app.core.system_libs import install_hint, missing_libraries

PLUGIN_FILES = {
    "xcb": ("libqxcb.so",),
    "wayland": ("libqwayland.so", "libqwayland-generic.so", "libqwayland-egl.so"),
}


def candidate_platforms(env: Mapping[str, str]) -> list[str]:
    """The platform plugins Qt will try, in order, that have a display to talk to.

    Qt takes ``QT_QPA_PLATFORM`` (a ``;``-separated list, ``name:options``) or, when it
    is unset, wayland before xcb in a Wayland session and xcb otherwise.
    """
    chosen = env.get("QT_QPA_PLATFORM", "").strip()
    if chosen:
        names = [part.partition(":")[0].strip() for part in chosen.split(";")]
    elif env.get("XDG_SESSION_TYPE") == "wayland":
        names = ["wayland", "xcb"]
    else:
        names = ["xcb"]
    has_display = {"xcb": bool(env.get("DISPLAY")), "wayland": bool(env.get("WAYLAND_DISPLAY"))}
    return [name for name in names if has_display.get(name, False)]


def _qt_paths() -> tuple[Path, Path]:
    from PySide6.QtCore import QLibraryInfo

    plugins = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath))
    libraries = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.LibrariesPath))
    return plugins, libraries


def plugin_file(platform: str, env: Mapping[str, str], plugins: Path) -> Path | None:
    """The plugin Qt would load: ``QT_QPA_PLATFORM_PLUGIN_PATH`` first, as Qt does."""
    folders = [Path(p) for p in env.get("QT_QPA_PLATFORM_PLUGIN_PATH", "").split(os.pathsep) if p]
    folders.append(plugins / "platforms")
    for folder in folders:
        for name in PLUGIN_FILES.get(platform, ()):
            if (folder / name).is_file():
                return folder / name
    return None


def _loads(plugin: Path) -> bool:
    """Whether the dynamic loader finds everything ``plugin`` needs, loading it here.

    The common case, answered without running ``ldd`` (25 ms of every start, measured
    under Xvfb); Qt loads the same plugin a moment later anyway. When it does not load,
    ``missing_libraries`` names what is missing.
    """
    try:
        ctypes.CDLL(str(plugin))
    except OSError:
        return False
    return True


def window_problem(
    env: Mapping[str, str] | None = None, platforms: list[str] | None = None
) -> str | None:
    """One line saying why Qt cannot open a window here, or None when it can (or when
    this is not a Linux desktop session this check knows about).

    ``platforms`` overrides the ones the session would use (``--check-window`` checks
    xcb where there is no display, as over ssh or in an installer)."""
    env = os.environ if env is None else env
    if not sys.platform.startswith("linux"):
        return None
    platforms = candidate_platforms(env) if platforms is None else platforms
    if not platforms:
        return None
    plugins, libraries = _qt_paths()
    search = [str(libraries)]
    if getattr(sys, "frozen", False):
        search.append(getattr(sys, "_MEIPASS", ""))
    search.append(env.get("LD_LIBRARY_PATH", ""))
    loader_env = {**env, "LD_LIBRARY_PATH": os.pathsep.join(p for p in search if p)}
    problems: list[tuple[str, list[str]]] = []
    for platform in platforms:
        plugin = plugin_file(platform, env, plugins)
        if plugin is None:
            return None  # Qt reports a missing plugin itself, and may fall back
        if _loads(plugin):
            return None
        missing = missing_libraries(plugin, loader_env)
        if not missing:
            return None
        problems.append((platform, missing))
    platform, missing = problems[0]
    names = ", ".join(missing)
    verb = "is" if len(missing) == 1 else "are"
    return (
        f"the window cannot open: Qt's {platform} platform plugin needs {names}, which "
        f"{verb} not installed; {install_hint(missing)}"
    )


def check_window(out: TextIO = sys.stdout) -> int:
    """``hearth --check-window``: report whether the window's system libraries are here."""
    env = os.environ
    platforms = candidate_platforms(env) or ["xcb"]
    problem = window_problem(env, platforms)
    if problem is None:
        print(f"hearth: the window's libraries are installed ({', '.join(platforms)})", file=out)
        return 0
    print(f"hearth: {problem}", file=out)
    return 1
