"""packaging/render_icons.py draws the app icon at every size each platform asks for."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage, QImageReader
from pytestqt.qtbot import QtBot

ROOT = Path(__file__).resolve().parents[2]
APP_ID = "io.github.hearth_app.Hearth"


def sizes_in(path: Path) -> list[int]:
    reader = QImageReader(str(path))
    found = []
    for index in range(reader.imageCount()):
        reader.jumpToImage(index)
        image = reader.read()
        assert image.width() == image.height()
        found.append(image.width())
    return found


def test_hicolor_ico_and_icns(qtbot: QtBot, tmp_path: Path) -> None:
    script = ROOT / "packaging" / "render_icons.py"
    outputs = ["--hicolor", tmp_path / "hicolor", "--ico", tmp_path / "hearth.ico"]
    outputs += ["--icns", tmp_path / "hearth.icns"]
    subprocess.run([sys.executable, script, *outputs], check=True, timeout=120)
    for size in (16, 22, 24, 32, 48, 64, 128, 256, 512):
        image = QImage(str(tmp_path / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"))
        assert (image.width(), image.height()) == (size, size)
        assert image.pixelColor(size // 2, size // 2).alpha() == 255  # the flame, drawn
        assert image.pixelColor(0, 0).alpha() == 0  # the rounded corner, transparent
    assert (tmp_path / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg").is_file()
    assert sizes_in(tmp_path / "hearth.ico") == [16, 24, 32, 48, 64, 128, 256]
    assert sorted(set(sizes_in(tmp_path / "hearth.icns"))) == [16, 32, 64, 128, 256, 512, 1024]
