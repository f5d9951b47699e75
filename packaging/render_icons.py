"""Render Hearth's app icon (resources/icons/hearth.svg) for every platform's packaging.

    python packaging/render_icons.py --hicolor DIR   # DIR/<N>x<N>/apps/<app id>.png + scalable SVG
    python packaging/render_icons.py --ico FILE      # Windows: PNG-compressed sizes 16..256
    python packaging/render_icons.py --icns FILE     # macOS: PNG-compressed sizes 16..1024

Qt's SVG renderer draws each size from the vector source, so small sizes stay sharp.
The ICO and ICNS containers are written here (both are a header, a directory and PNG
payloads), so the macOS and Windows recipes need no ``iconutil`` or ImageMagick.
"""

from __future__ import annotations

import argparse
import os
import shutil
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SVG = ROOT / "resources" / "icons" / "hearth.svg"
APP_ID = "io.github.hearth_app.Hearth"
HICOLOR_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# ICNS entry types holding PNG data, by pixel size (the @2x types share a size with 1x ones).
ICNS_TYPES = (
    (b"icp4", 16),
    (b"ic11", 32),
    (b"icp5", 32),
    (b"ic12", 64),
    (b"ic07", 128),
    (b"ic13", 256),
    (b"ic08", 256),
    (b"ic14", 512),
    (b"ic09", 512),
    (b"ic10", 1024),
)


def render_png(size: int, svg: Path = SVG) -> bytes:
    """The icon drawn at ``size`` x ``size`` pixels, as PNG bytes."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"render_icons: cannot read {svg}")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def write_hicolor(folder: Path) -> None:
    for size in HICOLOR_SIZES:
        target = folder / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(render_png(size))
    scalable = folder / "scalable" / "apps" / f"{APP_ID}.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SVG, scalable)


def write_ico(path: Path) -> None:
    images = [render_png(size) for size in ICO_SIZES]
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    directory = b""
    for size, png in zip(ICO_SIZES, images, strict=True):
        side = size % 256  # 0 means 256 in an ICO directory entry
        directory += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset)
        offset += len(png)
    path.write_bytes(header + directory + b"".join(images))


def write_icns(path: Path) -> None:
    cache: dict[int, bytes] = {}
    entries = b""
    for kind, size in ICNS_TYPES:
        png = cache.setdefault(size, render_png(size))
        entries += kind + struct.pack(">I", 8 + len(png)) + png
    path.write_bytes(b"icns" + struct.pack(">I", 8 + len(entries)) + entries)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--hicolor", type=Path, metavar="DIR")
    parser.add_argument("--ico", type=Path, metavar="FILE")
    parser.add_argument("--icns", type=Path, metavar="FILE")
    args = parser.parse_args(argv)
    if not (args.hicolor or args.ico or args.icns):
        parser.error("nothing to do: give --hicolor, --ico and/or --icns")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    if args.hicolor:
        write_hicolor(args.hicolor)
    if args.ico:
        write_ico(args.ico)
    if args.icns:
        write_icns(args.icns)
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
