#!/usr/bin/env bash
# Set up Hearth from a source checkout: system libraries (Debian/Ubuntu, when run as
# root), a virtual environment in .venv and the project with its test tools.
# Safe to run again; it only installs what is missing.
#
#   packaging/setup-dev.sh        libraries, packaging tools, .venv
#   packaging/setup-dev.sh --ci   also Xvfb and xauth, for .ci/run's real-window check
#   HEARTH_GPU=auto|cpu|vulkan|cuda|metal packaging/setup-dev.sh
#
# Without HEARTH_GPU, a .venv that already has llama.cpp keeps the backend it was built
# with (so the README's test command never swaps a Vulkan build for a CPU one), and a new
# one gets auto: CUDA where nvcc and an NVIDIA driver (nvidia-smi) exist, Vulkan where a
# Vulkan loader and a GPU driver for it exist, Metal on macOS, else the CPU.
# llama-cpp-python is built once per backend and kept as a wheel in
# ${HEARTH_WHEEL_CACHE:-~/.cache/hearth/wheels}/<backend>/ (pip's own wheel cache ignores
# CMAKE_ARGS, so it would hand a CPU wheel to a GPU build); after every install the script
# checks that llama.cpp really has the backend asked for.
set -euo pipefail
cd "$(dirname "$0")/.."
source packaging/gpu-backend.sh

case "${1:-}" in
  --ci) ci=1 ;;
  "") ci=0 ;;
  *) echo "usage: $0 [--ci]" >&2; exit 2 ;;
esac

# Qt needs these shared libraries even offscreen; llama-cpp-python builds from source
# with a C/C++ compiler and CMake.
DEBIAN_PACKAGES=(build-essential cmake libgl1 libegl1 libxkbcommon0 libxkbcommon-x11-0
  libfontconfig1 libfreetype6 libglib2.0-0 libdbus-1-3 fonts-noto-cjk)

# What Qt's xcb (X11) and wayland platform plugins link against, found with ldd on
# PySide6/Qt/plugins/platforms/libqxcb.so and libqwayland.so (and their GL and EGL
# integrations) and mapped to packages with dpkg -S; desktop_app/core/system_libs.py
# holds the same map, to name a missing one. Without them the window aborts at start.
WINDOW_PACKAGES=(libx11-6 libx11-xcb1 libxcb1 libxcb-cursor0 libxcb-glx0 libxcb-icccm4
  libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render0 libxcb-render-util0
  libxcb-shape0 libxcb-shm0 libxcb-sync1 libxcb-util1 libxcb-xfixes0 libxcb-xinerama0
  libxcb-xkb1 libwayland-client0 libwayland-cursor0 libwayland-egl1)

# packaging/linux/build.sh validates the menu entry and the AppStream metainfo with these.
PACKAGING_TOOLS=(appstream desktop-file-utils)

# .ci/run opens the window on a virtual X server (xvfb-run needs xauth).
CI_TOOLS=()
[ "$ci" = 1 ] && CI_TOOLS=(xvfb xauth)

if [ -z "${HEARTH_GPU:-}" ] && [ -x .venv/bin/python ] \
    && .venv/bin/python -c "import llama_cpp" >/dev/null 2>&1; then
  backend=$(hearth_installed_backend .venv/bin/python)
  echo "setup: llama.cpp backend: $backend (the one .venv has; set HEARTH_GPU to change it)"
else
  backend=$(hearth_gpu_backend "${HEARTH_GPU:-auto}")
  echo "setup: llama.cpp backend: $backend (HEARTH_GPU=${HEARTH_GPU:-auto})"
fi
case "$backend" in
  # The shader compiler and the loader to build against; lavapipe (mesa-vulkan-drivers)
  # is a Vulkan driver on the CPU that the GPU tests run on where there is no GPU.
  vulkan) DEBIAN_PACKAGES+=(glslc libvulkan1 mesa-vulkan-drivers vulkan-tools) ;;
esac

if command -v apt-get >/dev/null 2>&1 && command -v dpkg-query >/dev/null 2>&1; then
  missing=()
  for package in "${DEBIAN_PACKAGES[@]}" "${WINDOW_PACKAGES[@]}" "${PACKAGING_TOOLS[@]}" \
    "${CI_TOOLS[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" \
      || missing+=("$package")
  done
  if [ ${#missing[@]} -gt 0 ] && [ "$(id -u)" != 0 ]; then
    echo "setup: missing system packages; install them with:" >&2
    echo "  sudo apt-get install --no-install-recommends ${missing[*]}" >&2
  elif [ ${#missing[@]} -gt 0 ]; then
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
hearth_install_llama .venv/bin/python "$backend"
echo "setup: installing Hearth and its test tools"
.venv/bin/python -m pip install --quiet --editable ".[test]"
hearth_check_backend .venv/bin/python "$backend"
