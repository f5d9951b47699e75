"""The terminal approval asker of ``hearth chat --tools``: answers read from the
terminal, which is opened for each question and closed after it (no leaked handle)."""

from __future__ import annotations

import gc
import io
import warnings
from pathlib import Path

import pytest

from desktop_app.cli import tools as cli_tools
from desktop_app.core.tools.approval import Decision
from desktop_app.core.tools.calls import ToolCall

CALL = ToolCall("calculator", {"expression": "1+1"})


def test_the_terminal_is_closed_after_each_question(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tty = tmp_path / "tty"
    tty.write_text("maybe\na\n", encoding="utf-8")
    monkeypatch.setattr(cli_tools, "TTY_PATH", str(tty))
    out = io.StringIO()
    ask = cli_tools.terminal_asker(out=out)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        assert ask(CALL) is Decision.ALLOW_ALWAYS  # "maybe" is asked again
        gc.collect()
    assert [w for w in caught if issubclass(w.category, ResourceWarning)] == []
    assert out.getvalue().count("allow?") == 2


def test_no_terminal_denies_and_says_why(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli_tools, "TTY_PATH", str(tmp_path / "missing" / "tty"))
    out = io.StringIO()
    assert cli_tools.terminal_asker(out=out)(CALL) is Decision.DENY
    assert "no terminal to ask on" in out.getvalue()


def test_answers_from_standard_input_are_not_closed() -> None:
    answers = io.StringIO("n\ny\n")
    ask = cli_tools.terminal_asker(answers, io.StringIO())
    assert ask(CALL) is Decision.DENY
    assert ask(CALL) is Decision.ALLOW_ONCE
    assert not answers.closed
