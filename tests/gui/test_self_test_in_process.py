"""``run_self_test`` turns any failure into its one line, and leaves the environment as it was."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop_app.core.chats.store import Store
from desktop_app.self_test import run_self_test


def test_an_unexpected_error_is_reported_in_one_line(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, hearth_home: Path
) -> None:
    def broken(self: Store, title: str = "", system_prompt: str = "") -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(Store, "create_conversation", broken)
    out = io.StringIO()
    assert run_self_test(None, out) == 1
    assert out.getvalue() == "hearth self-test: FAILED: RuntimeError: disk on fire\n"
    assert os.environ["HEARTH_HOME"] == str(hearth_home)
    assert not hearth_home.exists()
