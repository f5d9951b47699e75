"""Which shared libraries a binary (a Qt platform plugin) cannot find, and how to get them.

Qt's xcb and wayland plugins link against X11/Wayland libraries that a minimal Linux
install lacks; when one is missing, Qt prints a paragraph and aborts the process. The
window checks first (``desktop_app.window_check``) and says, in one line, which library
is missing and which Debian/Ubuntu package installs it.

``ldd`` lists every missing library at once without loading anything into this
process; where it does not exist, ``dlopen`` names the first missing one.
"""

from __future__ import annotations

import ctypes
import os
import re
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path

DEBIAN_PACKAGES: dict[str, str] = {
    # What Qt 6's xcb plugin and its GL integrations need (ldd on libqxcb.so,
    # libqxcb-glx-integration.so and libqxcb-egl-integration.so, mapped with dpkg -S).
    "libxcb.so.1": "libxcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-glx.so.0": "libxcb-glx0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xinerama.so.0": "libxcb-xinerama0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libX11.so.6": "libx11-6",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libXau.so.6": "libxau6",
    "libXdmcp.so.6": "libxdmcp6",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    # The wayland plugin and its EGL client integration.
    "libwayland-client.so.0": "libwayland-client0",
    "libwayland-cursor.so.0": "libwayland-cursor0",
    "libwayland-egl.so.1": "libwayland-egl1",
    # Shared by both, and by QtGui itself.
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libGLX.so.0": "libglx0",
    "libOpenGL.so.0": "libopengl0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libdbus-1.so.3": "libdbus-1-3",
}

_NOT_FOUND = re.compile(r"^\s*(\S+)\s+=>\s+not found", re.MULTILINE)
_DLOPEN_MISSING = re.compile(r"^(\S+?): cannot open shared object file")


def parse_ldd(output: str) -> list[str]:
    """The libraries ``ldd`` reports as not found, each once, in its order."""
    return list(dict.fromkeys(_NOT_FOUND.findall(output)))


def missing_libraries(binary: Path, env: Mapping[str, str] | None = None) -> list[str]:
    """The shared libraries ``binary`` needs that the dynamic loader cannot find."""
    ldd = shutil.which("ldd")
    if ldd is not None:
        try:
            done = subprocess.run(
                [ldd, str(binary)],
                capture_output=True,
                text=True,
                errors="replace",
                env=dict(os.environ if env is None else env),
                timeout=30,
                check=False,
            )
        except (OSError, subprocess.SubprocessError):
            pass
        else:
            return parse_ldd(done.stdout)
    try:
        ctypes.CDLL(str(binary))
    except OSError as exc:
        found = _DLOPEN_MISSING.match(str(exc))
        return [found.group(1)] if found else []
    return []


def install_hint(libraries: list[str]) -> str:
    """``sudo apt install ...`` for the libraries with a known Debian package, or what to
    look for where there is none (or no apt)."""
    packages = list(
        dict.fromkeys(DEBIAN_PACKAGES[lib] for lib in libraries if lib in DEBIAN_PACKAGES)
    )
    unknown = [lib for lib in libraries if lib not in DEBIAN_PACKAGES]
    if packages and not unknown and shutil.which("apt-get") is not None:
        return "install with: sudo apt install " + " ".join(packages)
    if packages and not unknown:
        return (
            "install the packages that provide them (on Debian/Ubuntu: " + " ".join(packages) + ")"
        )
    return "install the packages that provide " + ", ".join(libraries)
