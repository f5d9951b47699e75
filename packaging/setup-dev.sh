#!/usr/bin/env bash
# Set up Hearth from a source checkout: system libraries (Debian/Ubuntu, when run as
# root), a virtual environment in .venv and the project with its test tools.
# Safe to run again; it only installs what is missing. Usage: packaging/setup-dev.sh
set -euo pipefail
cd "$(dirname "$0")/.."

# Qt needs these shared libraries even offscreen; llama-cpp-python builds from source
# with a C/C++ compiler and CMake when pip has no cached wheel.
DEBIAN_PACKAGES=(build-essential cmake libgl1 libegl1 libxkbcommon0 libxkbcommon-x11-0
  libfontconfig1 libfreetype6 libglib2.0-0 libdbus-1-3 fonts-noto-cjk)

# packaging/linux/build.sh validates the menu entry and the AppStream metainfo with these.
PACKAGING_TOOLS=(appstream desktop-file-utils)

if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  missing=()
  for package in "${DEBIAN_PACKAGES[@]}" "${PACKAGING_TOOLS[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" \
      || missing+=("$package")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv with $("$PYTHON" --version)"
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
echo "setup: installing Hearth and its test tools (the first llama.cpp build takes minutes)"
.venv/bin/python -m pip install --quiet --editable ".[test]"
