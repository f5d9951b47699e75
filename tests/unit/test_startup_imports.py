"""The window starts without the heavy modules of features not used yet (issue 13).

numpy and llama.cpp load on the engine thread with the first model, httpx with the
first remote request or download, Starlette and uvicorn when the local server starts,
keyring when a secret is first needed, huggingface_hub when the Hub is searched,
markdown-it and Pygments with the first message shown, jsonschema with the first schema
checked, the MCP SDK (and anyio) with the first MCP server a chat starts. A subprocess
builds and shows the window (fresh home, no model, offscreen), waits until its features
are in, and reports which of them it imported. Measured by benchmarks/startup.py; no
clock here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = (
    "numpy",
    "llama_cpp",
    "starlette",
    "uvicorn",
    "httpx",
    "keyring",
    "huggingface_hub",
    "markdown_it",
    "pygments",
    "jsonschema",
    "anyio",
    "mcp",
)

SHOW_WINDOW = f"""
import json, sys
from desktop_app.app import _configure_application, build
from desktop_app.core.paths import app_paths

app = _configure_application(sys.argv)
hearth = build(app_paths(), preferences=True)
hearth.window.show()
while not hearth.window.is_ready:  # features install after the first paint
    app.processEvents()
hearth.window.restore_model(None)
app.processEvents()
loaded = [name for name in {HEAVY!r} if name in sys.modules]
hearth.close()
print(json.dumps(loaded))
"""


def _loaded(code: str, home: Path) -> list[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HEARTH_HOME=str(home))
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_importing_the_app_loads_no_heavy_module(tmp_path: Path) -> None:
    code = (
        "import json, sys, desktop_app.app\n"
        f"print(json.dumps([name for name in {HEAVY!r} if name in sys.modules]))"
    )
    assert _loaded(code, tmp_path) == []


def test_the_shown_window_has_loaded_no_heavy_module(tmp_path: Path) -> None:
    assert _loaded(SHOW_WINDOW, tmp_path) == []
