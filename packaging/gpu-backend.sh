# Shared by setup-dev.sh and linux/build.sh (sourced, not run): choosing the llama.cpp
# backend, building llama-cpp-python for it once, and checking the result.

# The llama-cpp-python versions Hearth accepts: the range in pyproject.toml.
HEARTH_LLAMA_SPEC=$(sed -n 's/^ *"\(llama-cpp-python[<>=!~][^"]*\)",*$/\1/p' pyproject.toml | head -n 1)
HEARTH_WHEEL_CACHE=${HEARTH_WHEEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/hearth/wheels}
# Vulkan headers at least this new compile the llama.cpp that llama-cpp-python vendors
# (Debian 12's 1.3.239 lacks vk::LayerSettingEXT).
HEARTH_VULKAN_MIN_HEADER=275

hearth_has_vulkan_gpu_driver() {
  # A Vulkan loader, and a driver for a real GPU: vulkaninfo's word where it is installed,
  # else an installed driver (ICD) other than Mesa's CPU one (lavapipe) and a GPU device
  # node (Mesa installs its GPU drivers' ICDs on machines without those GPUs too).
  ldconfig -p 2>/dev/null | grep -q 'libvulkan\.so\.1 ' || return 1
  if command -v vulkaninfo >/dev/null 2>&1; then
    vulkaninfo --summary 2>/dev/null \
      | grep -q 'deviceType *= *PHYSICAL_DEVICE_TYPE_\(DISCRETE\|INTEGRATED\|VIRTUAL\)_GPU'
    return
  fi
  compgen -G "/dev/dri/renderD*" >/dev/null || compgen -G "/dev/nvidia[0-9]*" >/dev/null \
    || return 1
  local dir icd
  for dir in /usr/share/vulkan/icd.d /etc/vulkan/icd.d /usr/local/share/vulkan/icd.d; do
    for icd in "$dir"/*.json; do
      [ -e "$icd" ] || continue
      case "$(basename "$icd")" in lvp_icd*) ;; *) return 0 ;; esac
    done
  done
  return 1
}

# Prints the backend for HEARTH_GPU's value (auto|cpu|vulkan|cuda|metal).
hearth_gpu_backend() {
  case "$1" in
    cpu|vulkan|cuda|metal) echo "$1" ;;
    auto)
      if [ "$(uname -s)" = Darwin ]; then
        echo metal
      elif command -v nvcc >/dev/null 2>&1 && command -v nvidia-smi >/dev/null 2>&1 \
          && nvidia-smi -L >/dev/null 2>&1; then
        echo cuda
      elif hearth_has_vulkan_gpu_driver; then
        echo vulkan
      else
        echo cpu
      fi
      ;;
    *)
      echo "HEARTH_GPU must be auto, cpu, vulkan, cuda or metal (got '$1')" >&2
      return 2
      ;;
  esac
}

# Vulkan headers new enough for llama.cpp: the system's when they are, else Debian 13's
# libvulkan-dev and spirv-headers unpacked into a private prefix (the system's apt
# sources and packages stay untouched). Prints the extra CMake arguments.
hearth_vulkan_cmake_args() {
  local header=/usr/include/vulkan/vulkan_core.h version
  version=$(sed -n 's/^#define VK_HEADER_VERSION \([0-9]*\)$/\1/p' "$header" 2>/dev/null || true)
  if [ -n "$version" ] && [ "$version" -ge "$HEARTH_VULKAN_MIN_HEADER" ] \
      && [ -e /usr/include/spirv/unified1/spirv.hpp ]; then
    return 0
  fi
  local prefix=$HEARTH_WHEEL_CACHE/../vulkan-sdk
  if [ ! -e "$prefix/usr/include/vulkan/vulkan.hpp" ]; then
    if ! command -v apt-get >/dev/null 2>&1; then
      echo "setup: Vulkan headers 1.3.$HEARTH_VULKAN_MIN_HEADER or newer are needed" \
        "(install the Vulkan SDK, glslc and SPIR-V headers)" >&2
      return 1
    fi
    echo "setup: system Vulkan headers are ${version:-missing}; fetching Debian 13's" \
      "libvulkan-dev and spirv-headers into $prefix" >&2
    local apt_dir
    apt_dir=$(mktemp -d)
    mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$prefix"
    echo "deb http://deb.debian.org/debian trixie main" >"$apt_dir/sources.list"
    local apt_opts=(-o "Dir::Etc::sourcelist=$apt_dir/sources.list" -o "Dir::Etc::sourceparts=-"
      -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache"
      -o "APT::Sandbox::User=root" -o "Debug::NoLocking=1")
    apt-get "${apt_opts[@]}" update -qq >&2
    (cd "$apt_dir" && apt-get "${apt_opts[@]}" download libvulkan-dev spirv-headers >&2)
    local deb
    for deb in "$apt_dir"/*.deb; do dpkg -x "$deb" "$prefix"; done
    rm -rf "$apt_dir"
  fi
  prefix=$(cd "$prefix" && pwd)
  local loader
  loader=$(ldconfig -p | sed -n 's/.*libvulkan\.so\.1 (libc6,x86-64) => //p' | head -n 1)
  echo "-DVulkan_INCLUDE_DIR=$prefix/usr/include -DCMAKE_PREFIX_PATH=$prefix/usr${loader:+ -DVulkan_LIBRARY=$loader}"
}

# Installs llama-cpp-python built for the backend into the venv of python $1, from the
# Hearth wheel cache when a fitting wheel is there, else building it (minutes).
hearth_install_llama() {
  local python=$1 backend=$2 cache=$HEARTH_WHEEL_CACHE/$2 cmake_args
  mkdir -p "$cache"
  if hearth_check_backend "$python" "$backend" --quiet 2>/dev/null; then
    echo "setup: llama-cpp-python for $backend is already installed"
    return 0
  fi
  if "$python" -m pip install --quiet --no-index --find-links "$cache" --no-deps \
      --force-reinstall "$HEARTH_LLAMA_SPEC" 2>/dev/null; then
    echo "setup: installed llama-cpp-python for $backend from $cache"
    return 0
  fi
  case "$backend" in
    cpu) cmake_args="-DGGML_VULKAN=off -DGGML_CUDA=off" ;;
    vulkan) cmake_args="-DGGML_VULKAN=on $(hearth_vulkan_cmake_args)" ;;
    cuda) cmake_args="-DGGML_CUDA=on" ;;
    metal) cmake_args="-DGGML_METAL=on" ;;
  esac
  echo "setup: building llama-cpp-python for $backend (CMAKE_ARGS=$cmake_args ${CMAKE_ARGS:-});" \
    "this takes minutes (Vulkan: 10-30)"
  local started=$SECONDS
  CMAKE_ARGS="$cmake_args ${CMAKE_ARGS:-}" "$python" -m pip wheel --quiet --no-cache-dir \
    --no-deps --no-binary llama-cpp-python --wheel-dir "$cache" "$HEARTH_LLAMA_SPEC"
  echo "setup: built llama-cpp-python for $backend in $((SECONDS - started)) s"
  if [ "$backend" = vulkan ] && [ "$(uname -s)" = Linux ]; then
    # So that Hearth starts where no Vulkan loader is installed (CPU then).
    local wheel
    for wheel in "$cache"/llama_cpp_python-*.whl; do
      "$python" packaging/vendor_vulkan_loader.py "$wheel"
    done
  fi
  "$python" -m pip install --quiet --no-index --find-links "$cache" --no-deps \
    --force-reinstall "$HEARTH_LLAMA_SPEC"
  # Its own dependencies (numpy, jinja2...) come with Hearth's editable install.
  "$python" -m pip install --quiet "$HEARTH_LLAMA_SPEC"
}

# Checks that the installed llama.cpp has the backend (and only GPU code when asked for).
hearth_check_backend() {
  local python=$1 backend=$2 quiet=${3:-}
  "$python" - "$backend" "$quiet" <<'PY'
import sys

backend, quiet = sys.argv[1], sys.argv[2] == "--quiet"
try:
    import llama_cpp
    from desktop_app.core.hardware import built_backends
except ImportError as error:
    if not quiet:
        print(f"setup: cannot check llama.cpp's backend: {error}", file=sys.stderr)
    sys.exit(1)
names = built_backends()
# The registry, not llama_supports_gpu_offload(): that one is also False for a GPU build
# on a machine without a GPU device (CI on lavapipe, which llama.cpp skips by default).
gpu_names = {"Vulkan", "CUDA", "Metal"} & set(names)
want = {"cpu": None, "vulkan": "Vulkan", "cuda": "CUDA", "metal": "Metal"}[backend]
ok = not gpu_names if want is None else want in gpu_names
if not quiet:
    state = "ok" if ok else "MISMATCH"
    print(f"setup: llama.cpp {llama_cpp.__version__} backends: {', '.join(names)} "
          f"(asked for {backend}): {state}")
sys.exit(0 if ok else 1)
PY
}

# Prints the backend of the llama.cpp installed for python $1 (cpu when none is known).
hearth_installed_backend() {
  "$1" - <<'PY' 2>/dev/null || echo cpu
from desktop_app.core.hardware import built_backends

names = built_backends()
print(next((b.lower() for b in ("CUDA", "Vulkan", "Metal") if b in names), "cpu"))
PY
}
