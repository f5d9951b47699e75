"""Presets: the built-in personas, and the user's own with create, edit, delete, export, import."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from desktop_app.core.engine.base import GenerationParams
from desktop_app.core.presets import (
    Preset,
    PresetError,
    PresetLibrary,
    builtin_presets,
    preset_from_dict,
)
from desktop_app.core.structured.schema import check_schema


@pytest.fixture
def library(tmp_path: Path) -> PresetLibrary:
    return PresetLibrary(tmp_path / "config")


def test_the_built_in_presets_cover_the_seed_tasks_in_both_languages() -> None:
    presets = builtin_presets()
    assert [p.id for p in presets] == [
        "general",
        "translator",
        "summariser",
        "sentiment",
        "explainer",
        "writer",
    ]
    for preset in presets:
        assert preset.builtin
        for language in ("en", "zh_CN"):
            assert preset.name_for(language) and preset.system_prompt_for(language)
        assert preset.name_for("en") != preset.name_for("zh_CN")
    translator = presets[1]
    assert "Detect the language" in translator.system_prompt_for("en")
    assert translator.name_for("zh_CN") == "翻译（中文 ⇄ 英文）"
    sentiment = presets[3]
    assert '"sentiment"' in sentiment.system_prompt_for("en")
    assert sentiment.response_schema is not None
    assert sentiment.response_schema["required"] == ["sentiment", "confidence", "reasons"]


def test_every_built_in_schema_passes_the_full_check() -> None:
    """Built-in presets skip the metaschema pass at start (it imports jsonschema)."""
    schemas = [p.response_schema for p in builtin_presets() if p.response_schema is not None]
    assert schemas
    for schema in schemas:
        check_schema(schema)


def test_a_preset_with_a_schema_constrains_its_answers() -> None:
    sentiment = next(p for p in builtin_presets() if p.id == "sentiment")
    params = sentiment.generation_params(GenerationParams())
    assert params.grammar and "positive" in params.grammar
    assert params.response_format["json_schema"]["schema"] == sentiment.response_schema
    assert sentiment.to_dict()["response_schema"] == sentiment.response_schema


def test_a_preset_schema_the_grammar_cannot_express_is_refused() -> None:
    data = {"id": "x", "name": "X", "response_schema": {"type": "integer", "minimum": 0}}
    with pytest.raises(PresetError, match="'minimum'"):
        preset_from_dict(data)


def test_a_preset_sets_its_sampling_on_top_of_the_defaults() -> None:
    translator = next(p for p in builtin_presets() if p.id == "translator")
    params = translator.generation_params(GenerationParams(max_tokens=77))
    assert params.temperature == 0.2
    assert params.max_tokens == 77


def test_create_edit_duplicate_delete_survive_a_restart(
    library: PresetLibrary, tmp_path: Path
) -> None:
    mine = library.create("Haiku poet", "Answer in haiku.", {"temperature": 1.2})
    assert mine.id == "haiku-poet" and not mine.builtin
    library.update(Preset(mine.id, {"en": "Haiku master"}, {"en": "Only haiku."}))
    copy = library.duplicate("translator")
    assert copy.name_for("en") == "Translator (Chinese ⇄ English) (copy)"
    assert copy.name_for("zh_CN").endswith(" (copy)") and not copy.builtin
    again = PresetLibrary(tmp_path / "config")
    assert [p.id for p in again.presets()][-2:] == ["haiku-poet", "translator-copy"]
    assert again.get("haiku-poet").system_prompt_for("en") == "Only haiku."  # type: ignore[union-attr]
    again.delete("haiku-poet")
    assert PresetLibrary(tmp_path / "config").get("haiku-poet") is None


def test_built_in_presets_cannot_be_edited_or_deleted(library: PresetLibrary) -> None:
    with pytest.raises(PresetError, match="duplicate it first"):
        library.delete("general")
    with pytest.raises(PresetError, match="duplicate it first"):
        library.update(Preset("writer", {"en": "Mine"}, {"en": "x"}))


def test_bad_presets_are_refused_with_a_reason(library: PresetLibrary) -> None:
    with pytest.raises(PresetError, match="name must not be empty"):
        library.create("   ", "x")
    with pytest.raises(PresetError, match=re.escape("'generation.temperature' must be a number")):
        library.create("Hot", "x", {"temperature": 5})
    with pytest.raises(PresetError, match="'mirostat' is not one of"):
        library.create("Odd", "x", {"mirostat": 2})
    assert [p for p in library.presets() if not p.builtin] == []


def test_export_then_import_elsewhere(library: PresetLibrary, tmp_path: Path) -> None:
    mine = library.create("Lawyer", "Explain legal terms simply.", {"top_k": 10})
    exported = tmp_path / "mine.json"
    library.export([mine.id, "sentiment"], exported)
    other = PresetLibrary(tmp_path / "elsewhere")
    imported = other.import_file(exported)
    assert [p.id for p in imported] == ["lawyer", "sentiment-2"]
    assert imported[0].sampling == {"top_k": 10}
    assert imported[1].system_prompt_for("zh_CN").startswith("你负责分析文本的情感倾向")
    assert not any(p.builtin for p in imported)


def test_an_import_with_one_bad_preset_imports_nothing(
    library: PresetLibrary, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.json"
    good = {"id": "ok", "name": "OK", "system_prompt": "fine"}
    bad.write_text(
        json.dumps({"version": 1, "presets": [good, {"id": "x", "name": 3}]}), encoding="utf-8"
    )
    with pytest.raises(PresetError, match=re.escape("bad.json, preset 2: name must be a text")):
        library.import_file(bad)
    (tmp_path / "junk.json").write_text("{oops", encoding="utf-8")
    with pytest.raises(PresetError, match=re.escape("junk.json is not valid JSON")):
        library.import_file(tmp_path / "junk.json")
    assert [p for p in library.presets() if not p.builtin] == []


def test_a_damaged_user_file_is_kept_aside(tmp_path: Path) -> None:
    config = tmp_path / "config"
    config.mkdir()
    (config / "presets.json").write_text("[1, 2", encoding="utf-8")
    library = PresetLibrary(config)
    (aside,) = config.glob("presets.bad-*.json")
    assert library.warning is not None and aside.name in library.warning
    assert aside.read_text(encoding="utf-8") == "[1, 2"
    assert not (config / "presets.json").exists()
    assert len(library.presets()) == 6
