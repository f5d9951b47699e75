"""mypy finds nothing in ``desktop_app`` (settings in pyproject's ``[tool.mypy]``).

Among them ``warn_unused_ignores`` and the ``ignore-without-code`` error code: every
``# type: ignore`` must still be needed and name the error it silences.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

api = pytest.importorskip("mypy.api", reason="mypy is in the test extra: pip install -e .[test]")

ROOT = Path(__file__).resolve().parents[2]

HOW_TO_RUN = (
    "mypy found type errors in desktop_app. Run it locally from the repository root:\n"
    "    python -m mypy            (settings and files: [tool.mypy] in pyproject.toml)\n"
    "Fix the code; where a stub is wrong, silence one line with a coded\n"
    "'# type: ignore[code]' (bare or unneeded ignores are errors too).\n\n"
)


def test_mypy_is_clean(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    cache = Path(os.environ.get("MYPY_CACHE_DIR", ROOT / ".mypy_cache"))
    stdout, stderr, status = api.run(["--cache-dir", str(cache)])
    assert status == 0, HOW_TO_RUN + stdout + stderr
