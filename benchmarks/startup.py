"""How fast Hearth's window shows, and what it holds in memory idle, beside a bare window.

Usage (a display is needed; Xvfb will do):
    xvfb-run -s "-screen 0 1280x900x24" python benchmarks/startup.py [--runs 5]

Each run launches ``python -m desktop_app`` with a fresh, empty HEARTH_HOME (no model,
no conversations) and ``HEARTH_REPORT_FIRST_PAINT=1``, which makes the app print the
time of its first paint (``desktop_app/ui/shared/first_paint.py``). Visible = that time
minus the launch time: the window's frame, menus, status bar and its first page, before
the features install. Ready = when the window emits ``ready`` (features installed, the
first conversation shown), minus the launch time. After the window has settled
(--settle seconds) the process's resident memory (RSS, psutil) is read and the app is
closed. A bare PySide6 window (a QApplication and an empty QWidget, same first-paint
hook) runs alternately with it as the reference. Medians of --runs launches; the
machine may be shared, so read the ratio beside the absolute figures. Goals (issue 13):
visible <= 0.5 s, RSS <= 150 MB.
"""

from __future__ import annotations

import argparse
import os
import queue
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
MARK = "hearth-first-paint"
READY_MARK = "hearth-ready"
BARE_WINDOW = f"""
import sys, time
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QWidget

class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            print("{MARK}", f"{{time.time():.6f}}", file=sys.stderr, flush=True)
            QApplication.instance().removeEventFilter(self)
        return False

app = QApplication(sys.argv)
hook = FirstPaint()
app.installEventFilter(hook)
window = QWidget()
window.setWindowTitle("Bare")
window.resize(1000, 700)
window.show()
sys.exit(app.exec())
"""


def _lines(stream, out: queue.Queue[str]) -> None:
    for line in iter(stream.readline, ""):
        out.put(line)
    out.put("")


def launch(command: list[str], env: dict[str, str], settle_s: float, timeout_s: float, ready: bool):
    """(seconds from launch to first paint, to ready (or None), idle RSS in bytes)."""
    started = time.time()
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=_lines, args=(process.stderr, lines), daemon=True).start()
    painted = None
    readied = None
    log: list[str] = []
    try:
        while painted is None or (ready and readied is None):
            line = lines.get(timeout=timeout_s)
            if not line:
                raise RuntimeError("exited before painting:\n" + "".join(log[-20:]))
            log.append(line)
            if line.startswith(MARK):
                painted = float(line.split()[1])
            elif line.startswith(READY_MARK):
                readied = float(line.split()[1])
        time.sleep(settle_s)
        rss = psutil.Process(process.pid).memory_info().rss
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return painted - started, (readied - started if readied else None), rss


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--settle", type=float, default=3.0, help="seconds before RSS is read")
    parser.add_argument("--timeout", type=float, default=60.0)
    args = parser.parse_args()
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        print('no display: run under xvfb-run -s "-screen 0 1280x900x24"', file=sys.stderr)
        return 2
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    env["HEARTH_REPORT_FIRST_PAINT"] = "1"
    hearth: list[tuple[float, float | None, int]] = []
    bare: list[tuple[float, float | None, int]] = []
    for run in range(args.runs):
        with tempfile.TemporaryDirectory(prefix="hearth-startup-") as home:
            hearth_env = dict(env, HEARTH_HOME=home)
            hearth.append(
                launch(
                    [sys.executable, "-m", "desktop_app"],
                    hearth_env,
                    args.settle,
                    args.timeout,
                    ready=True,
                )
            )
        bare.append(
            launch([sys.executable, "-c", BARE_WINDOW], env, args.settle, args.timeout, False)
        )
        (visible, ready, rss), (bare_visible, _, bare_rss) = hearth[-1], bare[-1]
        print(
            f"run {run + 1}: hearth {visible:.3f} s (ready {ready:.3f} s) {rss / 2**20:.0f} MB,"
            f" bare {bare_visible:.3f} s {bare_rss / 2**20:.0f} MB",
            flush=True,
        )
    h_time = statistics.median(t for t, _, _ in hearth)
    h_ready = statistics.median(r for _, r, _ in hearth if r is not None)
    b_time = statistics.median(t for t, _, _ in bare)
    h_rss = statistics.median(m for _, _, m in hearth) / 2**20
    b_rss = statistics.median(m for _, _, m in bare) / 2**20
    print(f"\nmedians of {args.runs} launches       visible    ready     idle RSS")
    print(f"hearth (fresh home, no model)  {h_time:6.3f} s  {h_ready:6.3f} s  {h_rss:7.0f} MB")
    print(f"bare PySide6 window            {b_time:6.3f} s      -     {b_rss:7.0f} MB")
    print(
        f"ratio hearth / bare            {h_time / b_time:6.2f}    {h_ready / b_time:6.2f}"
        f"    {h_rss / b_rss:7.2f}"
    )
    print("goals: visible <= 0.5 s, idle RSS <= 150 MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
