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


class _Without:
    """An import hook under which the named top-level packages are not installed."""

    def __init__(self, *names: str) -> None:
        self.names = names

    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        if name.split(".")[0] in self.names:
            raise ModuleNotFoundError(f"No module named '{name}'", name=name)


def test_a_bundle_without_a_features_dependency_fails_the_self_test(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, hearth_home: Path
) -> None:
    """Guards the bundle: MCP's client needs pydantic, which the PyInstaller recipe once
    left out, so every MCP server failed in the bundle while its self-test passed."""
    import sys

    for name in list(sys.modules):
        if name.split(".")[0] in ("mcp", "pydantic", "pydantic_core"):
            monkeypatch.delitem(sys.modules, name)
    monkeypatch.setattr(sys, "meta_path", [_Without("pydantic"), *sys.meta_path])
    out = io.StringIO()
    assert run_self_test(None, out) == 1
    assert out.getvalue().startswith(
        "hearth self-test: FAILED: the MCP tools feature cannot load mcp: "
        "ModuleNotFoundError: No module named 'pydantic"
    )
