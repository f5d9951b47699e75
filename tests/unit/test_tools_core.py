"""Built-in tools, the approval policy and the tools configuration file."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from desktop_app.core.tools.approval import ApprovalPolicy, Decision
from desktop_app.core.tools.base import ToolError
from desktop_app.core.tools.builtins import DateTime, ReadAttachedFile, builtin_tools
from desktop_app.core.tools.calculator import CalculatorError, calculate
from desktop_app.core.tools.calls import ToolCall
from desktop_app.core.tools.config import (
    ToolsConfigError,
    load_tools_config,
    save_tools_config,
    server_from_dict,
)


@pytest.mark.parametrize(
    ("expression", "value"),
    [("(3 + 4) * 2 / 7", 2.0), ("2^10", 1024), ("sqrt(16) + abs(-2)", 6.0), ("-pi < 0", None)],
)
def test_calculator(expression: str, value: float | None) -> None:
    if value is None:
        with pytest.raises(CalculatorError):
            calculate(expression)
    else:
        assert calculate(expression) == value


@pytest.mark.parametrize(
    "expression",
    [
        "__import__('os').system('true')",
        "().__class__",
        "open('/etc/passwd')",
        "9**9**9",
        "1/0",
        "x + 1",
        "'a' * 10",
    ],
)
def test_calculator_refuses_what_is_not_bounded_arithmetic(expression: str) -> None:
    with pytest.raises(CalculatorError):
        calculate(expression)


def test_time_tool_names_the_zone() -> None:
    fixed = datetime(2026, 3, 1, 12, 30, tzinfo=ZoneInfo("Europe/Paris"))
    tool = DateTime(now=lambda zone: fixed)
    assert tool.run({"timezone": "Europe/Paris"}, 1) == "Sunday 2026-03-01 12:30:00 CET (UTC+0100)"
    with pytest.raises(ToolError, match="unknown time zone"):
        tool.run({"timezone": "Mars/Olympus"}, 1)


def test_read_file_reads_only_attached_files(tmp_path: Path) -> None:
    attached = tmp_path / "notes.txt"
    attached.write_text("café", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("no", encoding="utf-8")
    tool = ReadAttachedFile((attached,))
    assert tool.run({"name": "notes.txt"}, 1) == "café"
    with pytest.raises(ToolError, match="no attached file"):
        tool.run({"name": str(tmp_path / "secret.txt")}, 1)


def test_unknown_builtin_is_named() -> None:
    with pytest.raises(ValueError, match="unknown built-in tool 'shell'"):
        builtin_tools(["calculator", "shell"])


def test_policy_asks_remembers_always_and_denies() -> None:
    asked: list[str] = []
    answers = iter([Decision.ALLOW_ALWAYS, Decision.DENY, Decision.ALLOW_ONCE])

    def ask(call: ToolCall) -> Decision:
        asked.append(call.name)
        return next(answers)

    policy = ApprovalPolicy(ask)
    assert policy.approve(ToolCall("calculator", {})) is Decision.ALLOW_ALWAYS
    assert policy.approve(ToolCall("calculator", {})) is Decision.ALLOW_ALWAYS
    assert policy.approve(ToolCall("read_file", {})) is Decision.DENY
    assert policy.approve(ToolCall("read_file", {})) is Decision.ALLOW_ONCE
    assert asked == ["calculator", "read_file", "read_file"]


def test_config_round_trip_and_bad_entries(tmp_path: Path) -> None:
    config, warning = load_tools_config(tmp_path)
    assert warning is None and config.servers == ()
    server = server_from_dict({"name": "files", "command": ["npx", "fs-server"], "env": {"A": "1"}})
    config = config.with_server(server)
    save_tools_config(tmp_path, config)
    loaded, warning = load_tools_config(tmp_path)
    assert warning is None
    assert loaded.server("files") == server
    for bad, message in [
        ({"name": "x"}, "either a 'command'"),
        ({"name": "x", "url": "ftp://h"}, "http"),
        ({"name": "bad name", "url": "http://h"}, "name"),
    ]:
        with pytest.raises(ToolsConfigError, match=message):
            server_from_dict(bad)


def test_damaged_config_is_kept_aside(tmp_path: Path) -> None:
    (tmp_path / "tools.json").write_text(json.dumps({"mcp_servers": "nope"}))
    config, warning = load_tools_config(tmp_path)
    assert config.servers == ()
    assert warning and "unusable" in warning
    assert not (tmp_path / "tools.json").exists()
