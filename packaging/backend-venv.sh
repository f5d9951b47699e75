#!/usr/bin/env bash
# A second Python environment that is the project's .venv with another llama.cpp
# backend: DIR gets its own llama-cpp-python, built for BACKEND (or taken from the wheel
# cache setup-dev.sh keeps), and sees everything else through .venv's site-packages.
# Prints DIR's python. Used to compare two backends' answers side by side, e.g. the GPU
# tests' "same greedy answer as a CPU-only build":
#
#   HEARTH_CPU_PYTHON=$(packaging/backend-venv.sh cpu build/cpu-venv) .venv/bin/python -m pytest tests/gpu
set -euo pipefail
cd "$(dirname "$0")/.."
source packaging/gpu-backend.sh

if [ $# -ne 2 ]; then
  echo "usage: $0 cpu|vulkan|cuda|metal DIR" >&2
  exit 2
fi
backend=$(hearth_gpu_backend "$1")
dir=$2
[ -x .venv/bin/python ] || { echo "backend-venv: no .venv; run packaging/setup-dev.sh" >&2; exit 1; }

base=$(.venv/bin/python -c 'import sys; print(sys._base_executable)')
shared=$(.venv/bin/python -c 'import os, sysconfig; print(os.path.realpath(sysconfig.get_paths()["purelib"]))')
rm -rf "$dir"
"$base" -m venv "$dir"
own=$("$dir/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
# After DIR's own site-packages, and with its .pth files (the editable install) read.
echo "import site; site.addsitedir('$shared')" >"$own/zz-hearth-shared.pth"
hearth_install_llama "$dir/bin/python" "$backend" >&2
hearth_check_backend "$dir/bin/python" "$backend" >&2
echo "$dir/bin/python"
