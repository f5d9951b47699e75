"""Hearth's own small files: written whole or not at all; a bad one is kept aside."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop_app.core.files import keep_aside, write_json_atomically


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "settings.json"
    write_json_atomically(target, {"theme": "dark", "name": "炉火"})
    assert json.loads(target.read_text(encoding="utf-8")) == {"theme": "dark", "name": "炉火"}
    with pytest.raises(TypeError):
        write_json_atomically(target, {"bad": object()})
    assert json.loads(target.read_text(encoding="utf-8"))["theme"] == "dark"
    assert [p.name for p in tmp_path.iterdir()] == ["settings.json"]


def test_keeping_aside_never_overwrites_an_earlier_bad_file(tmp_path: Path) -> None:
    names = set()
    for text in ("first {", "second {"):
        bad = tmp_path / "endpoints.json"
        bad.write_text(text, encoding="utf-8")
        names.add(keep_aside(bad).name)
    assert len(names) == 2
    kept = sorted(p.read_text(encoding="utf-8") for p in tmp_path.iterdir())
    assert kept == ["first {", "second {"]


def test_a_bad_file_in_a_folder_that_cannot_be_written_stays_put(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "settings.json"
    bad.write_text("{", encoding="utf-8")

    def read_only(src: object, dst: object) -> None:
        raise PermissionError(30, "Read-only file system")

    monkeypatch.setattr("desktop_app.core.files.os.replace", read_only)
    assert keep_aside(bad) == bad
    assert bad.read_text(encoding="utf-8") == "{"
