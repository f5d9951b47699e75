"""Check that the bundle's window plugins find every library they need in the bundle.

    python packaging/linux/check_bundle_libs.py dist/hearth

Runs ``ldd`` on Qt's xcb and wayland platform plugins inside the bundle (and the GL,
EGL and shell integrations they load), with the loader path the bundle runs with. Each
library must come from the bundle itself, or be one of ``BASE_SYSTEM``: libraries
every Linux desktop that can show a window has (glibc, the GPU driver's GL stack, the
core X11/Wayland client libraries and the font and D-Bus libraries that GTK and Qt
desktops are built on). A library resolved from the build machine's /usr/lib that is
not on that list (libxcb-cursor, libxcb-icccm...) would be missing on a fresh desktop,
so it fails the check: the machine building the bundle resolves it, a user's may not.
Prints one line per problem and a summary; exit status 1 on any problem.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

PLUGIN_PATTERNS = (
    "plugins/platforms/libqxcb.so",
    "plugins/platforms/libqwayland*.so",
    "plugins/xcbglintegrations/*.so",
    "plugins/wayland-graphics-integration-client/*.so",
    "plugins/wayland-shell-integration/*.so",
    "plugins/wayland-decoration-client/*.so",
)

BASE_SYSTEM = frozenset(
    {
        # glibc and the C++ runtime
        "linux-vdso.so.1",
        "ld-linux-x86-64.so.2",
        "ld-linux-aarch64.so.1",
        "libc.so.6",
        "libm.so.6",
        "libdl.so.2",
        "libpthread.so.0",
        "librt.so.1",
        "libresolv.so.2",
        "libgcc_s.so.1",
        "libstdc++.so.6",
        # the GPU driver's GL stack: it must match the installed driver, never bundled
        "libGL.so.1",
        "libEGL.so.1",
        "libGLX.so.0",
        "libGLdispatch.so.0",
        "libOpenGL.so.0",
        "libdrm.so.2",
        "libgbm.so.1",
        # the core client libraries of a running X server or Wayland compositor
        "libX11.so.6",
        "libxcb.so.1",
        "libXau.so.6",
        "libXdmcp.so.6",
        "libwayland-client.so.0",
        "libbsd.so.0",
        "libmd.so.0",
        "libffi.so.8",
        # fonts, GLib and D-Bus, under every desktop
        "libfontconfig.so.1",
        "libfreetype.so.6",
        "libexpat.so.1",
        "libz.so.1",
        "libpng16.so.16",
        "libbrotlidec.so.1",
        "libbrotlicommon.so.1",
        "libglib-2.0.so.0",
        "libgthread-2.0.so.0",
        "libpcre2-8.so.0",
        "libdbus-1.so.3",
        "libsystemd.so.0",
        "libcap.so.2",
        "libgcrypt.so.20",
        "libgpg-error.so.0",
        "liblz4.so.1",
        "liblzma.so.5",
        "libzstd.so.1",
    }
)

_LINE = re.compile(r"^\s*(\S+)(?:\s+=>\s+(not found|\S+))?")


def parse_ldd(output: str) -> dict[str, str | None]:
    """soname -> resolved path (None: not found)."""
    found: dict[str, str | None] = {}
    for line in output.splitlines():
        match = _LINE.match(line)
        if not match or line.strip().startswith("statically"):
            continue
        name, where = match.group(1), match.group(2)
        if where is None:  # the loader itself, by absolute path, or the vdso
            found[Path(name).name] = name
        elif where == "not found":
            found[name] = None
        else:
            found[name] = where
    return found


def problems_for(plugin: str, resolved: dict[str, str | None], bundle: Path) -> Iterable[str]:
    for name, where in sorted(resolved.items()):
        if where is None:
            yield f"{plugin}: needs {name}, which is neither in the bundle nor on this system"
        elif not Path(where).resolve().is_relative_to(bundle) and name not in BASE_SYSTEM:
            yield (
                f"{plugin}: needs {name}, found only on the build machine ({where}); "
                "a desktop without it could not open the window"
            )


def plugins_in(bundle: Path) -> list[Path]:
    found: list[Path] = []
    for pattern in PLUGIN_PATTERNS:
        found.extend(sorted(bundle.rglob(pattern)))
    return found


def loader_path(bundle: Path) -> str:
    """What the bundle's bootloader puts first on the loader path: its library folder."""
    internal = bundle / "_internal"
    folders = [internal if internal.is_dir() else bundle]
    folders += sorted(p for p in bundle.rglob("Qt/lib") if p.is_dir())
    return os.pathsep.join(str(p) for p in folders)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("bundle", type=Path, help="the one-folder bundle (dist/hearth)")
    args = parser.parse_args(argv)
    bundle = args.bundle.resolve()
    plugins = plugins_in(bundle)
    if not any(p.name == "libqxcb.so" for p in plugins):
        print(f"bundle-libs: FAILED: no xcb platform plugin under {bundle}")
        return 1
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LD_LIBRARY_PATH": loader_path(bundle)}
    problems: list[str] = []
    from_bundle: set[str] = set()
    from_system: set[str] = set()
    for plugin in plugins:
        done = subprocess.run(
            ["ldd", str(plugin)], capture_output=True, text=True, env=env, check=False
        )
        resolved = parse_ldd(done.stdout)
        label = str(plugin.relative_to(bundle))
        problems.extend(problems_for(label, resolved, bundle))
        for name, where in resolved.items():
            if where is not None and Path(where).resolve().is_relative_to(bundle):
                from_bundle.add(name)
            elif where is not None:
                from_system.add(name)
    for problem in problems:
        print(f"bundle-libs: {problem}")
    verdict = "FAILED" if problems else "ok"
    print(
        f"bundle-libs: {verdict}: {len(plugins)} window plugins; {len(from_bundle)} "
        f"libraries from the bundle, {len(from_system & BASE_SYSTEM)} from the base system"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
