#!/usr/bin/env bash
# Build Hearth's Linux bundle and its release archive, in one command.
#
#   packaging/linux/build.sh                # with the project's .venv (made by setup-dev.sh)
#   packaging/linux/build.sh --clean-venv   # in a fresh venv with only Hearth's run-time deps
#   HEARTH_GPU=cpu|vulkan packaging/linux/build.sh   # the llama.cpp backend to ship
#
# HEARTH_GPU unset: the backend the venv already has. Set and different from the
# venv's, llama-cpp-python for it is installed for the build (from the wheel cache
# setup-dev.sh keeps, else built) and the venv's own is put back afterwards.
#
# Produces dist/hearth/ (the PyInstaller one-folder bundle; run dist/hearth/hearth) and
# dist/hearth-<version>-linux-<arch>[-vulkan].tar.gz, which holds the bundle, the .desktop file,
# the icon in the hicolor sizes, the AppStream metainfo and install.sh. Prints the
# bundle's unpacked size and the time the build took. PYTHON=... picks the interpreter
# for --clean-venv (default python3).
set -euo pipefail
cd "$(dirname "$0")/../.."
source packaging/gpu-backend.sh
started=$(date +%s)

APP_ID=io.github.hearth_app.Hearth
SIZE_GOAL_MB=250
VULKAN_SIZE_GOAL_MB=300
LINUX=packaging/linux

case "${1:-}" in
  --clean-venv)
    venv=build/bundle-venv
    rm -rf "$venv"
    echo "build: creating a clean $venv"
    "${PYTHON:-python3}" -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --upgrade pip
    "$venv/bin/python" -m pip install --quiet ".[bundle]"
    ;;
  "")
    venv=.venv
    [ -x "$venv/bin/python" ] || packaging/setup-dev.sh
    # Adds PyInstaller (the 'bundle' extra) to the development install; Hearth stays editable.
    "$venv/bin/python" -m pip install --quiet --editable ".[bundle]"
    ;;
  *)
    echo "usage: $0 [--clean-venv]" >&2
    exit 2
    ;;
esac
python=$venv/bin/python

# The backend to ship: HEARTH_GPU's, or the venv's own.
installed=$(hearth_installed_backend "$python")
backend=$(hearth_gpu_backend "${HEARTH_GPU:-$installed}")
case "$backend" in
  cpu) suffix="" ;;
  vulkan) suffix=-vulkan; SIZE_GOAL_MB=$VULKAN_SIZE_GOAL_MB ;;
  *) echo "build: the Linux bundle ships the cpu or vulkan backend, not $backend" >&2; exit 2 ;;
esac
if [ "$backend" != "$installed" ]; then
  echo "build: the venv has llama.cpp for $installed; installing it for $backend for this build"
  hearth_install_llama "$python" "$backend"
  trap 'echo "build: putting back llama.cpp for $installed"; hearth_install_llama "$python" "$installed"' EXIT
fi
hearth_check_backend "$python" "$backend"

version=$("$python" -c 'from pathlib import Path; from desktop_app._version import version_from_pyproject as v; print(v(Path("pyproject.toml")))')
if ! grep -q "<release version=\"$version\"" "$LINUX/$APP_ID.metainfo.xml"; then
  echo "build: $LINUX/$APP_ID.metainfo.xml has no <release> for version $version; add one" >&2
  exit 1
fi

echo "build: Hearth $version: rendering icons"
rm -rf build/icons
QT_QPA_PLATFORM=offscreen "$python" packaging/render_icons.py --hicolor build/icons/hicolor

echo "build: running PyInstaller (packaging/hearth.spec)"
rm -rf dist/hearth build/pyinstaller  # no cached analysis from an older tree or venv
bundle_started=$(date +%s)
HEARTH_ICON_DIR=build/icons "$python" -m PyInstaller --noconfirm --log-level WARN \
  --distpath dist --workpath build/pyinstaller packaging/hearth.spec
bundle_seconds=$(($(date +%s) - bundle_started))

size_mb=$(du -sm dist/hearth | cut -f1)
echo "build: bundle dist/hearth is ${size_mb} MB unpacked (goal: at most ${SIZE_GOAL_MB} MB)"
if [ "$size_mb" -gt "$SIZE_GOAL_MB" ]; then
  echo "build: warning: the bundle is over the ${SIZE_GOAL_MB} MB goal" >&2
fi

# The release archive: one folder to unpack and run install.sh from.
release=hearth-$version-linux-$(uname -m)$suffix
stage=build/stage/$release
rm -rf build/stage
mkdir -p "$stage/share/applications" "$stage/share/metainfo" "$stage/share/icons"
cp -R dist/hearth "$stage/hearth"
cp "$LINUX/$APP_ID.desktop" "$stage/share/applications/"
cp "$LINUX/$APP_ID.metainfo.xml" "$stage/share/metainfo/"
cp -R build/icons/hicolor "$stage/share/icons/"
cp "$LINUX/install.sh" "$stage/install.sh"
chmod +x "$stage/install.sh"

if command -v appstreamcli >/dev/null 2>&1; then
  appstreamcli validate --no-net "$stage/share/metainfo/$APP_ID.metainfo.xml"
else
  echo "build: appstreamcli not found; metainfo not validated"
fi
if command -v desktop-file-validate >/dev/null 2>&1; then
  desktop-file-validate "$stage/share/applications/$APP_ID.desktop"
fi

rm -f "dist/$release.tar.gz"
tar -C build/stage -czf "dist/$release.tar.gz" "$release"
archive_mb=$(du -m "dist/$release.tar.gz" | cut -f1)
echo "build: archive dist/$release.tar.gz (${archive_mb} MB)"
echo "build: PyInstaller took ${bundle_seconds} s; the whole build $(($(date +%s) - started)) s"
