"""Presets turn collections on for the chats started from them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.core.documents.chat_collections import apply_preset_collections
from desktop_app.core.documents.index import DocumentIndex
from desktop_app.core.presets import PresetError, PresetLibrary, preset_from_dict


@pytest.fixture
def index(tmp_path: Path) -> Iterator[DocumentIndex]:
    opened = DocumentIndex.open(tmp_path / "documents.sqlite3")
    (tmp_path / "notes").mkdir()
    (tmp_path / "laws").mkdir()
    opened.add_collection("notes", tmp_path / "notes")
    opened.add_collection("laws", tmp_path / "laws")
    yield opened
    opened.close()


def _preset(collections: object) -> dict[str, object]:
    return {"id": "lawyer", "name": "Lawyer", "collections": collections}


def test_a_preset_keeps_its_collections_through_save_and_load(tmp_path: Path) -> None:
    preset = preset_from_dict(_preset(["laws", " notes ", "laws"]))
    assert preset.collections == ("laws", "notes")
    library = PresetLibrary(tmp_path / "config")
    exported = tmp_path / "lawyer.json"
    library.import_file(_write(exported, preset.to_dict()))
    loaded = PresetLibrary(tmp_path / "config").get("lawyer")
    assert loaded is not None and loaded.collections == ("laws", "notes")
    assert "collections" not in preset_from_dict(_preset([])).to_dict()


def _write(path: Path, data: dict[str, object]) -> Path:
    import json

    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.mark.parametrize("bad", ["laws", [""], [3], {"laws": 1}])
def test_bad_collections_get_a_clear_message(bad: object) -> None:
    with pytest.raises(PresetError, match="collections must be a list of collection names"):
        preset_from_dict(_preset(bad))


def test_a_new_chat_from_a_preset_answers_from_its_collections(index: DocumentIndex) -> None:
    preset = preset_from_dict(_preset(["laws", "gone"]))
    assert apply_preset_collections(index, 7, preset) == ["laws"]
    assert [c.name for c in index.chat_collections(7)] == ["laws"]
    # A chat whose collections were chosen keeps them.
    index.set_chat_collections(8, ["notes"])
    assert apply_preset_collections(index, 8, preset) == []
    assert [c.name for c in index.chat_collections(8)] == ["notes"]
    assert apply_preset_collections(index, 9, None) == []
    assert index.chat_collections(9) == []
