"""``hearth chat --json-schema/--tools/--mcp`` and ``hearth tools``, run as a user runs
them: a subprocess with its own HEARTH_HOME, the tiny model, no terminal."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

pytestmark = pytest.mark.integration

ROOT = Path(__file__).parents[2]
RAN = re.compile(r"hearth: current_time (done|failed) in")
SCHEMA = {
    "type": "object",
    "properties": {
        "mood": {"enum": ["calm", "stormy"]},
        "words": {"type": "array", "items": {"type": "string", "maxLength": 6}, "maxItems": 3},
    },
    "required": ["mood", "words"],
}


def hearth(home: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """The command in a new session: no controlling terminal to ask on."""
    env = {**os.environ, "HEARTH_HOME": str(home), "PYTHONPATH": str(ROOT)}
    env.pop("QT_QPA_PLATFORM", None)
    return subprocess.run(
        [sys.executable, "-m", "desktop_app", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=240,
        check=False,
        start_new_session=True,
    )


def test_json_schema_answer_validates(tiny_model: Path, tmp_path: Path) -> None:
    schema_file = tmp_path / "mood.json"
    schema_file.write_text(json.dumps(SCHEMA))
    for seed in ("1", "2"):
        result = hearth(
            tmp_path, "chat", "--model", str(tiny_model), "--json-schema", str(schema_file),
            "--seed", seed, "--temperature", "1", "--max-tokens", "300", "How is the sea?",
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        jsonschema.validate(json.loads(result.stdout), SCHEMA)


def test_json_schema_problems_are_one_line_errors(tiny_model: Path, tmp_path: Path) -> None:
    schema_file = tmp_path / "bad.json"
    schema_file.write_text(json.dumps({"type": "array", "uniqueItems": True, "items": {}}))
    result = hearth(
        tmp_path, "chat", "--model", str(tiny_model), "--json-schema", str(schema_file), "x"
    )
    assert result.returncode == 1
    assert "'uniqueItems'" in result.stderr and result.stderr.startswith("hearth: error:")
    short = tmp_path / "short.json"
    short.write_text(json.dumps(SCHEMA))
    result = hearth(
        tmp_path, "chat", "--model", str(tiny_model), "--json-schema", str(short),
        "--max-tokens", "3", "x",
    )  # fmt: skip
    assert result.returncode == 1
    assert "token limit (3) before its JSON was complete" in result.stderr


def test_tool_call_runs_with_yes(tiny_model: Path, tmp_path: Path) -> None:
    result = hearth(
        tmp_path, "chat", "--model", str(tiny_model), "--tools", "calculator,time",
        "--tool-choice", "current_time", "--yes", "--seed", "3", "--max-tokens", "120",
        "What time is it?",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "hearth: calling current_time(" in result.stderr
    assert RAN.search(result.stderr)  # done, or failed on the random model's time zone


def test_tool_calls_need_consent(tiny_model: Path, tmp_path: Path) -> None:
    args = (
        "chat", "--model", str(tiny_model), "--tools", "time", "--tool-choice", "required",
        "--seed", "3", "--max-tokens", "120", "What time is it?",
    )  # fmt: skip
    denied = hearth(tmp_path, *args, stdin="n\n")
    assert "the model wants to call current_time(" in denied.stderr
    assert "current_time denied" in denied.stderr
    assert "calling current_time" not in denied.stderr
    allowed = hearth(tmp_path, *args, stdin="y\n")
    assert RAN.search(allowed.stderr)
    nobody = hearth(tmp_path, *args[:-1], "-", stdin="What time is it?")
    assert "no terminal to ask on (use --yes)" in nobody.stderr
    assert "calling current_time" not in nobody.stderr


def test_tools_commands_configure_mcp_servers(tmp_path: Path) -> None:
    server = [sys.executable, "-m", "tests.mcp_test_server"]
    added = hearth(
        tmp_path, "tools", "add", "test", "--env", f"PYTHONPATH={ROOT}", "--command", *server
    )
    assert added.returncode == 0, added.stderr
    listed = hearth(tmp_path, "tools", "list", "--connect")
    assert listed.returncode == 0, listed.stderr
    assert "calculator" in listed.stdout and "test" in listed.stdout
    assert "- add: Add two integers." in listed.stdout
    assert hearth(tmp_path, "tools", "disable", "test").returncode == 0
    assert "[off]" in hearth(tmp_path, "tools", "list").stdout
    assert hearth(tmp_path, "tools", "remove", "test").returncode == 0
    missing = hearth(tmp_path, "tools", "remove", "test")
    assert missing.returncode == 1 and "no MCP server is called 'test'" in missing.stderr


def test_mcp_tool_from_the_chat(tiny_model: Path, tmp_path: Path) -> None:
    server = [sys.executable, "-m", "tests.mcp_test_server"]
    hearth(tmp_path, "tools", "add", "test", "--env", f"PYTHONPATH={ROOT}", "--command", *server)
    result = hearth(
        tmp_path, "chat", "--model", str(tiny_model), "--mcp", "test", "--tool-choice", "add",
        "--yes", "--seed", "2", "--max-tokens", "120", "Add 2 and 3",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "hearth: add done in" in result.stderr
