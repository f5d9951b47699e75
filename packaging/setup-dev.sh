#!/usr/bin/env bash
# Set up Hearth from a source checkout: system libraries (Debian/Ubuntu, when run as
# root), a virtual environment in .venv and the project with its test tools.
# Safe to run again; it only installs what is missing.
#
#   packaging/setup-dev.sh                      # HEARTH_GPU=auto: the best backend found
#   HEARTH_GPU=cpu|vulkan|cuda|metal packaging/setup-dev.sh
#
# auto picks CUDA where nvcc and an NVIDIA driver (nvidia-smi) exist, Vulkan where a
# Vulkan loader and a GPU driver for it exist, Metal on macOS, else the CPU.
# llama-cpp-python is built once per backend and kept as a wheel in
# ${HEARTH_WHEEL_CACHE:-~/.cache/hearth/wheels}/<backend>/ (pip's own wheel cache ignores
# CMAKE_ARGS, so it would hand a CPU wheel to a GPU build); after every install the script
# checks that llama.cpp really has the backend asked for.
set -euo pipefail
cd "$(dirname "$0")/.."
source packaging/gpu-backend.sh

# Qt needs these shared libraries even offscreen; llama-cpp-python builds from source
# with a C/C++ compiler and CMake.
DEBIAN_PACKAGES=(build-essential cmake libgl1 libegl1 libxkbcommon0 libxkbcommon-x11-0
  libfontconfig1 libfreetype6 libglib2.0-0 libdbus-1-3 fonts-noto-cjk)

# packaging/linux/build.sh validates the menu entry and the AppStream metainfo with these.
PACKAGING_TOOLS=(appstream desktop-file-utils)

backend=$(hearth_gpu_backend "${HEARTH_GPU:-auto}")
echo "setup: llama.cpp backend: $backend (HEARTH_GPU=${HEARTH_GPU:-auto})"
case "$backend" in
  # The shader compiler and the loader to build against; lavapipe (mesa-vulkan-drivers)
  # is a Vulkan driver on the CPU that the GPU tests run on where there is no GPU.
  vulkan) DEBIAN_PACKAGES+=(glslc libvulkan1 mesa-vulkan-drivers vulkan-tools) ;;
esac

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
hearth_install_llama .venv/bin/python "$backend"
echo "setup: installing Hearth and its test tools"
.venv/bin/python -m pip install --quiet --editable ".[test]"
hearth_check_backend .venv/bin/python "$backend"
