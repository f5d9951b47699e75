"""hearth chats: list, show, search, rename, delete, export and import, as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

from desktop_app.core.chats.model import FinishReason, GenerationStats
from tests.integration.test_cli import hearth, open_store


def _seed(home: Path) -> tuple[int, int]:
    store = open_store(home)
    weather = store.create_conversation()
    store.add_user_message(weather.id, "今天天气很好吗?")
    answer = store.begin_answer(weather.id, "Tiny")
    store.finish_answer(answer, "The weather is lovely.", FinishReason.STOP, GenerationStats())
    other = store.create_conversation()
    store.add_user_message(other.id, "Write a haiku")
    store.close()
    return weather.id, other.id


def test_list_search_rename_delete(tmp_path: Path) -> None:
    weather, other = _seed(tmp_path)

    listing = hearth(tmp_path, "chats", "list")
    assert listing.returncode == 0
    lines = listing.stdout.splitlines()
    assert [line.split("\t")[0] for line in lines] == [str(other), str(weather)]
    assert lines[1].endswith("2 messages\t今天天气很好吗?")

    found = hearth(tmp_path, "chats", "search", "天气")
    assert found.returncode == 0
    assert found.stdout.splitlines()[-1].endswith("今天[天气]很好吗?")
    english = hearth(tmp_path, "chats", "search", "lovely")
    [line] = english.stdout.splitlines()
    assert line.split("\t")[0] == str(weather)
    assert line.endswith("The weather is [lovely].")

    assert hearth(tmp_path, "chats", "rename", str(other), "Poems").returncode == 0
    assert "\tPoems" in hearth(tmp_path, "chats", "list").stdout

    deleted = hearth(tmp_path, "chats", "delete", str(other))
    assert deleted.returncode == 0
    assert [
        line.split("\t")[0] for line in hearth(tmp_path, "chats", "list").stdout.splitlines()
    ] == [str(weather)]
    missing = hearth(tmp_path, "chats", "delete", str(other))
    assert missing.returncode == 1
    assert missing.stderr.strip() == (
        f"hearth: error: no conversation with ID {other} (see 'hearth chats list')"
    )
    empty = hearth(tmp_path, "chats", "rename", str(weather), "  ")
    assert (empty.returncode, empty.stderr.strip()) == (1, "hearth: error: the title is empty")


def test_export_all_then_import_round_trips(tmp_path: Path) -> None:
    _seed(tmp_path / "a")
    export_file = tmp_path / "all.json"
    exported = hearth(
        tmp_path / "a", "chats", "export", "--all", "--format", "json", "-o", str(export_file)
    )
    assert exported.returncode == 0, exported.stderr

    imported = hearth(tmp_path / "b", "chats", "import", str(export_file))
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.startswith("Imported 2 conversations: ")
    again = hearth(tmp_path / "b", "chats", "export", "--all", "--format", "json")

    def without_ids(text: str) -> list[dict]:
        conversations = json.loads(text)["conversations"]
        for conversation in conversations:
            conversation.pop("id")
        return conversations

    assert without_ids(again.stdout) == without_ids(export_file.read_text(encoding="utf-8"))
    markdown = hearth(tmp_path / "b", "chats", "export", "--all", "--format", "md")
    assert "# Write a haiku" in markdown.stdout and "# 今天天气很好吗?" in markdown.stdout


def test_a_malformed_import_names_the_problem_and_imports_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": "hearth.conversation", "version": 2, "title": "x"}))
    result = hearth(tmp_path, "chats", "import", str(bad))
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"hearth: error: {bad}: messages: missing; nothing was imported"
    )
    assert hearth(tmp_path, "chats", "list").stdout == ""
    foreign = hearth(tmp_path, "chats", "import", "-", stdin='{"messages": []}')
    assert foreign.returncode == 1
    assert "not a Hearth export: format is None" in foreign.stderr
    absent = hearth(tmp_path, "chats", "import", str(tmp_path / "nope.json"))
    assert absent.returncode == 1
    assert "cannot read" in absent.stderr and "Traceback" not in absent.stderr
