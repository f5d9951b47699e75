"""Take the README's screenshot of the real window.

Run under a virtual X server so the window is drawn by the real platform plugin:

    xvfb-run -s "-screen 0 1280x800x24" .venv/bin/python packaging/take_screenshots.py \
        --model PATH [--out resources/screenshots]

It starts Hearth in a throwaway HEARTH_HOME, loads the model, asks a few questions
(English and Chinese) and saves ``main-window.png``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = (
    "Explain in two sentences why the sky is blue.",
    "把这句话翻译成英文：今天天气很好。",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True, type=Path)
    parser.add_argument("--out", type=Path, default=ROOT / "resources" / "screenshots")
    parser.add_argument("--max-tokens", type=int, default=60)
    args = parser.parse_args()
    os.environ["HEARTH_HOME"] = tempfile.mkdtemp(prefix="hearth-shots-")
    sys.path.insert(0, str(ROOT))

    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtGui import QGuiApplication

    from desktop_app.app import _configure_application, build
    from desktop_app.core.engine.base import GenerationParams
    from desktop_app.core.paths import app_paths
    from desktop_app.ui.composer import Composer

    app = _configure_application(sys.argv[:1])

    def spin(ms: int) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    params = GenerationParams(max_tokens=args.max_tokens, temperature=0.7, seed=7)
    hearth = build(app_paths(), generation_params=params)
    window = hearth.window
    window.resize(1000, 700)
    window.show()
    window.open_model(str(args.model))
    while hearth.bridge.model is None:
        spin(50)
    composer = window.findChild(Composer, "composer")
    for question in QUESTIONS:
        composer.setPlainText(question)
        composer.submit()
        spin(50)
        while hearth.bridge.is_busy:
            spin(20)
    spin(300)
    args.out.mkdir(parents=True, exist_ok=True)
    target = args.out / "main-window.png"
    if QGuiApplication.platformName() == "xcb":
        picture = window.screen().grabWindow(window.winId())
    else:
        picture = window.grab()
    picture.save(str(target))
    print(f"saved {target}")
    hearth.close()
    app.quit()


if __name__ == "__main__":
    main()
