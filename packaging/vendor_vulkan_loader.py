"""Put the Vulkan loader (libvulkan.so.1) into a Vulkan build's llama-cpp-python wheel.

``libggml-vulkan.so`` links against the loader, so without one on the system
``import llama_cpp`` would fail and Hearth would not start at all. llama-cpp-python's
libraries look next to themselves first (their RUNPATH is ``$ORIGIN``), so a copy in
``llama_cpp/lib/`` makes the wheel start anywhere; with no Vulkan driver installed the
loader simply finds no device and llama.cpp runs on the CPU. The loader is the
Khronos one (Apache-2.0), as the system has it.

Usage: python packaging/vendor_vulkan_loader.py WHEEL [LOADER]
(LOADER: default, the libvulkan.so.1 the dynamic linker finds.)
"""

from __future__ import annotations

import base64
import ctypes.util
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

TARGET = "llama_cpp/lib/libvulkan.so.1"


def system_loader() -> Path:
    listing = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True).stdout
    for line in listing.splitlines():
        if line.strip().startswith("libvulkan.so.1 ") and "=>" in line:
            return Path(line.split("=>")[-1].strip()).resolve()
    found = ctypes.util.find_library("vulkan")
    if found is None:
        sys.exit(
            "vendor_vulkan_loader: no libvulkan.so.1 on this system (apt-get install libvulkan1)"
        )
    return Path(found).resolve()


def record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def vendor(wheel: Path, loader: Path) -> None:
    data = loader.read_bytes()
    with zipfile.ZipFile(wheel) as source:
        names = source.namelist()
        if TARGET in names:
            print(f"vendor_vulkan_loader: {wheel.name} already has {TARGET}")
            return
        record = next(n for n in names if n.endswith(".dist-info/RECORD"))
        fd, temporary = tempfile.mkstemp(suffix=".whl", dir=wheel.parent)
        os.close(fd)
        with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as target:
            for item in source.infolist():
                if item.filename == record:
                    continue
                target.writestr(item, source.read(item.filename))
            info = zipfile.ZipInfo(TARGET, date_time=(2020, 1, 1, 0, 0, 0))
            info.external_attr = 0o755 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, data)
            lines = [*source.read(record).decode().splitlines(), record_line(TARGET, data)]
            target.writestr(source.getinfo(record), "\n".join(lines) + "\n")
    shutil.move(temporary, wheel)
    print(f"vendor_vulkan_loader: added {loader} to {wheel.name} as {TARGET}")


def main(argv: list[str]) -> int:
    if not 1 <= len(argv) <= 2:
        sys.exit(__doc__)
    vendor(Path(argv[0]), Path(argv[1]).resolve() if len(argv) == 2 else system_loader())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
