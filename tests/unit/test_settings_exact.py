"""Settings, word for word: the ranges, messages and file layout a person sees.

These tests pin what the settings layer shows and writes exactly, because a message
that names the wrong setting, or a range printed wrong, passes every test that only
checks "some error happened". Found by mutation testing (``benchmarks/mutation.py
settings``): each test names the promise it guards.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import pickle
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from types import ModuleType

import pytest

from desktop_app.core import settings as settings_module
from desktop_app.core.setting_types import (
    Bool,
    Float,
    Int,
    OptionalInt,
    SettingError,
    Text,
    TextList,
)
from desktop_app.core.settings import (
    HIDDEN,
    SETTINGS_FILE,
    Settings,
    load_settings,
    read_settings_file,
    resume_cache_config,
    save_settings,
    settings_from_dict,
    settings_to_dict,
)

TRANSLATIONS = Path(__file__).parents[2] / "resources" / "translations" / "settings_zh_CN.ts"


def _message(call, *args) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(SettingError) as caught:
        call(*args)
    return str(caught.value)


def test_the_sampling_settings_offer_the_documented_ranges() -> None:
    """Promise: `hearth settings list` and the dialog offer each sampling setting with
    its documented range and default. Built afresh (not the import-time table) so that
    a changed bound in the declaration table is seen."""
    table = {
        d.key: (d.type.describe(), d.default, d.page)
        for d in settings_module._declare().values()
        if d.key.startswith("generation.")
    }
    assert table == {
        "generation.temperature": ("a number from 0 to 2", 0.7, "generation"),
        "generation.top_p": ("a number from 0 to 1", 0.95, "generation"),
        "generation.top_k": ("a whole number from 0 to 1000", 40, "generation"),
        "generation.min_p": ("a number from 0 to 1", 0.05, "generation"),
        "generation.repeat_penalty": ("a number from 0.5 to 2", 1.1, "generation"),
        "generation.max_tokens": ("a whole number from 1 to 1048576", 1024, "generation"),
        "generation.seed": ("random or a whole number from 0 to 2147483647", None, "generation"),
        "generation.context_overflow": (
            "one of 'drop_oldest', 'stop'",
            "drop_oldest",
            "generation",
        ),
        "generation.stop": ('a list of texts in JSON, like ["END"]', (), HIDDEN),
        "generation.ignore_eos": ("true or false", False, HIDDEN),
    }
    top = {
        d.key: (d.default, d.page, d.type.describe())
        for d in settings_module._declare().values()
        if not d.key.startswith("generation.")
    }
    assert top["language"] == ("system", "general", "one of 'system', 'en', 'zh_CN'")
    assert top["n_gpu_layers"] == (-2, "hardware", "a whole number from -2 to 1000")
    assert top["resume_cache_on_disk"] == (False, "hardware", "true or false")
    assert top["system_prompt"] == ("", "generation", "text")
    special = {d.key: d.type for d in settings_module._generation_declarations()}
    assert special["generation.top_k"].special == ((0, "Off"),)


def _imported_afresh() -> ModuleType:
    """A new copy of the settings module, its class body run again now.

    The ``Settings`` fields and their metadata are built once, when the module is first
    imported; running the module again here checks what the declarations build today.
    ``sys.modules`` keeps the copy everything else uses.
    """
    spec = importlib.util.find_spec("desktop_app.core.settings")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_top_level_setting_is_declared_with_its_default_label_and_page() -> None:
    """Promise: the settings window and `hearth settings list` offer each setting of the
    ``Settings`` class under its label, on its page, starting from its documented
    default (the metadata each field's declaration builds)."""
    fresh = _imported_afresh()
    table = {
        d.key: (d.default, d.label, d.page, d.description != "")
        for d in fresh._declare().values()
        if not d.key.startswith("generation.")
    }
    assert table == {
        "language": ("system", "Language", "general", True),
        "theme": ("system", "Theme", "general", True),
        "font_size": (0, "Font size", "general", True),
        "send_key": ("enter", "Send with", "general", True),
        "models_dir": ("", "Models folder", "general", True),
        "system_prompt": ("", "System prompt", "generation", True),
        "context_length": (4096, "Context length", "hardware", True),
        "n_threads": (0, "CPU threads", "hardware", True),
        "n_gpu_layers": (-2, "GPU layers", "hardware", True),
        "n_batch": (512, "Batch size", "hardware", True),
        "flash_attn": (False, "Flash attention", "hardware", True),
        "resume_cache_mb": (1024, "Memory for resuming chats (MB)", "hardware", True),
        "resume_cache_on_disk": (False, "Also keep it on disk", "hardware", True),
    }


def _finished_translations() -> dict[str, str]:
    """Source text -> finished Chinese translation, in the "Settings" context of the .ts."""
    root = ElementTree.parse(TRANSLATIONS).getroot()
    found: dict[str, str] = {}
    for context in root.iter("context"):
        if context.findtext("name") != "Settings":
            continue
        for message in context.iter("message"):
            translation = message.find("translation")
            source = message.findtext("source")
            if translation is not None and translation.get("type") is None and source:
                found[source] = translation.text or ""
    return found


def test_every_visible_setting_label_and_description_is_translated(qapp: object) -> None:
    """Promise: the settings window is fully translated into Chinese. Every label,
    description, choice and special value shown on a page goes through the window's
    own translation (``tr_setting``) with the zh_CN catalogue installed and comes out
    as its finished translation — which needs the context each declaration marks its
    text with (``QT_TRANSLATE_NOOP("Settings", ...)``) to be the catalogue's."""
    from PySide6.QtCore import QCoreApplication, QTranslator

    from desktop_app.resources import resource_path
    from desktop_app.ui.settings.dialog import tr_setting

    chinese = _finished_translations()
    translator = QTranslator()
    assert translator.load(str(resource_path("translations", "settings_zh_CN.qm")))
    QCoreApplication.installTranslator(translator)
    try:
        for declaration in _imported_afresh()._declare().values():
            if declaration.page == HIDDEN:
                continue
            for text in (declaration.label, declaration.description):
                assert text in chinese, f"{declaration.key}: {text!r} is not translated"
                assert tr_setting(text) == chinese[text], f"{declaration.key}: {text!r}"
            kind = declaration.type
            labels = [label for _, label in getattr(kind, "choices", ())]
            labels += [label for _, label in getattr(kind, "special", ())]
            for label in labels:
                # A language's own name ("简体中文") is shown as it is.
                assert tr_setting(label) == chinese.get(label, label), (
                    f"{declaration.key}: {label!r}"
                )
    finally:
        QCoreApplication.removeTranslator(translator)


def test_a_file_that_is_not_utf8_is_named_with_the_reason(tmp_path: Path) -> None:
    """Promise: a bad settings file gets a one-line message saying why it was not read."""
    (tmp_path / SETTINGS_FILE).write_bytes(b'{"theme": "\xff"}')
    settings, warning = load_settings(tmp_path)
    assert settings == Settings()
    assert warning == (
        f"Could not read {tmp_path / SETTINGS_FILE} (it is not UTF-8 text); using default settings."
    )


def test_a_non_ascii_value_is_read_as_utf8(tmp_path: Path) -> None:
    """Promise: a settings file is UTF-8 whatever the system's locale."""
    save_settings(tmp_path, Settings().with_value("system_prompt", "Réponds en français ✓"))
    assert load_settings(tmp_path)[0].system_prompt == "Réponds en français ✓"
    raw = read_settings_file(tmp_path)
    assert raw is not None and raw["system_prompt"] == "Réponds en français ✓"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("[1, 2]", "the file does not hold a JSON object"),
        ('{"version": 7}', "unknown settings version 7"),
    ],
)
def test_an_unreadable_file_says_why_and_where_it_went(
    tmp_path: Path, content: str, reason: str
) -> None:
    """Promise: an unreadable file is kept aside and the message says why and where."""
    (tmp_path / SETTINGS_FILE).write_text(content, encoding="utf-8")
    settings, warning = load_settings(tmp_path)
    assert settings == Settings()
    kept = [p.name for p in tmp_path.iterdir() if p.name != SETTINGS_FILE]
    assert len(kept) == 1
    assert warning == (
        f"The settings file was unreadable ({reason}); it was kept as {kept[0]} "
        "and default settings are in use."
    )


def test_a_file_without_a_version_is_read_as_the_current_one(tmp_path: Path) -> None:
    """Promise: a hand-written settings file needs no "version" key."""
    (tmp_path / SETTINGS_FILE).write_text('{"theme": "dark"}', encoding="utf-8")
    assert load_settings(tmp_path) == (Settings().with_value("theme", "dark"), None)


def test_read_settings_file_gives_none_for_a_list(tmp_path: Path) -> None:
    """Promise: the window-state migration never trips over a file that is not an object."""
    (tmp_path / SETTINGS_FILE).write_text("[1]", encoding="utf-8")
    assert read_settings_file(tmp_path) is None


def test_several_bad_values_are_all_named_in_one_message(tmp_path: Path) -> None:
    """Promise: every bad value is reported (joined in one line) and the good ones kept."""
    (tmp_path / SETTINGS_FILE).write_text(
        json.dumps({"theme": "pink", "font_size": 99, "send_key": "ctrl+enter"}),
        encoding="utf-8",
    )
    settings, warning = load_settings(tmp_path)
    assert settings == Settings().with_value("send_key", "ctrl+enter")
    kept = [p.name for p in tmp_path.iterdir() if p.name != SETTINGS_FILE]
    assert warning == (
        "Some settings were not valid ('theme' must be one of 'system', 'light', 'dark', "
        "not 'pink'; 'font_size' must be a whole number from 0 to 48, not 99). "
        f"theme, font_size went back to the default; the file as it was is kept as {kept[0]}."
    )


def test_a_repaired_file_that_cannot_be_written_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Promise: when the repaired file cannot be saved, the message says the repair
    holds for this session only and names the copy."""
    (tmp_path / SETTINGS_FILE).write_text('{"theme": "pink"}', encoding="utf-8")

    def refuse(config_dir: Path, settings: Settings) -> None:
        raise OSError("read-only")

    monkeypatch.setattr(settings_module, "save_settings", refuse)
    _, warning = load_settings(tmp_path)
    kept = [p.name for p in tmp_path.iterdir() if p.name != SETTINGS_FILE]
    assert warning is not None
    assert warning.endswith(
        f"theme went back to the default for this session; the file was kept as {kept[0]}."
    )


def test_a_settings_file_that_cannot_be_copied_is_left_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Promise: a bad file that cannot be copied aside is not overwritten, and the
    message says so."""
    (tmp_path / SETTINGS_FILE).write_text('{"theme": "pink"}', encoding="utf-8")
    monkeypatch.setattr(settings_module, "copy_aside", lambda path: None)
    _, warning = load_settings(tmp_path)
    assert warning is not None
    assert warning.endswith(
        "theme went back to the default; the settings file could not be copied, "
        "so it was left as it was."
    )
    assert (tmp_path / SETTINGS_FILE).read_text(encoding="utf-8") == '{"theme": "pink"}'


def test_a_settings_path_that_cannot_be_read_names_the_system_reason(tmp_path: Path) -> None:
    """Promise: an unreadable settings file (here a folder) gets the system's reason."""
    (tmp_path / SETTINGS_FILE).mkdir()
    settings, warning = load_settings(tmp_path)
    assert settings == Settings()
    assert warning == (
        f"Could not read {tmp_path / SETTINGS_FILE} (Is a directory); using default settings."
    )


def test_generation_that_is_not_an_object_is_reported_by_name() -> None:
    """Promise: a "generation" entry that is not an object is named in the message."""
    settings, errors = settings_from_dict({"generation": 3, "theme": "dark"})
    assert settings == Settings().with_value("theme", "dark")
    assert [str(e) for e in errors] == ["'generation' must be an object"]
    assert errors[0].key == "generation"


def test_an_object_under_another_key_is_not_unpacked() -> None:
    """Promise: only "generation" holds nested settings; an object elsewhere is a bad value."""
    _, errors = settings_from_dict({"theme": {"temperature": 1.0}})
    assert [e.key for e in errors] == ["theme"]


def test_the_file_layout_has_a_version_and_stop_as_a_list() -> None:
    """Promise: the saved file is versioned and its stop strings are a JSON list."""
    data = settings_to_dict(Settings().with_value("generation.stop", ["END"]))
    assert data["version"] == 1
    assert data["generation"]["stop"] == ["END"]
    json.dumps(data)


def test_an_unknown_key_typed_is_named() -> None:
    """Promise: `hearth settings set nope x` says which key is not a setting."""
    assert _message(Settings().with_text, "nope", "x") == "'nope' is not a setting"


def test_resume_cache_size_and_folder() -> None:
    """Promise: the resume cache gets the configured megabytes and a kv-cache folder
    only when it is asked to live on disk and there is a data folder."""
    on_disk = Settings().with_value("resume_cache_on_disk", True).with_value("resume_cache_mb", 3)
    assert resume_cache_config(on_disk, Path("/data")) == (3 * 1024 * 1024, Path("/data/kv-cache"))
    assert resume_cache_config(on_disk, None) == (3 * 1024 * 1024, None)
    assert resume_cache_config(Settings(), Path("/data")) == (1024 * 1024 * 1024, None)


def test_load_params_keep_the_gpu_layers() -> None:
    """Promise: the GPU layers setting reaches the model loader."""
    assert Settings().with_value("n_gpu_layers", 7).load_params().n_gpu_layers == 7


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        (Text(), 3, "'k' must be text, not 3"),
        (Text(max_length=3), "abcd", "'k' must be at most 3 characters long"),
        (Text(), "a\rb", "'k' must be a single line"),
        (Float(0, 1), True, "'k' must be a number, not True"),
        (TextList(), "END", "'k' must be a list of texts, not 'END'"),
        (TextList(max_items=1), ["a", "b"], "'k' must hold at most 1 items"),
        (OptionalInt(0, 9), 10, "'k' must be random or a whole number from 0 to 9, not 10"),
        (OptionalInt(0, 9), "x", "'k' must be random or a whole number from 0 to 9, not 'x'"),
    ],
)
def test_each_type_names_the_setting_and_the_bad_value(kind, value, message) -> None:  # type: ignore[no-untyped-def]
    """Promise: every bad value gets a one-line message naming the setting."""
    assert _message(kind.check, "k", value) == message
    with pytest.raises(SettingError) as caught:
        kind.check("k", value)
    assert caught.value.key == "k"


def test_text_at_its_length_limit_is_accepted() -> None:
    """Promise: the length limit is inclusive."""
    assert Text(max_length=3).check("k", "abc") == "abc"


def test_a_whole_float_is_read_as_a_whole_number() -> None:
    """Promise: a hand-edited file may write 14.0 for a whole-number setting."""
    assert Int(0, 48).check("k", 14.0) == 14
    assert type(Int(0, 48).check("k", 14.0)) is int


@pytest.mark.parametrize(
    ("kind", "accepts"),
    [
        (Text(), "text on one line"),
        (Text(multiline=True), "text"),
        (Text(folder=True), "a folder path on one line"),
        (Text(folder=True, multiline=True), "a folder path"),
        (Bool(), "true or false"),
    ],
)
def test_types_describe_what_they_accept(kind, accepts: str) -> None:  # type: ignore[no-untyped-def]
    """Promise: `hearth settings list` says what each setting accepts."""
    assert kind.describe() == accepts


def test_special_values_by_name() -> None:
    """Promise: special values are typed by name in any case, and "auto" for
    "Automatic"; a plain number still works."""
    kind = Int(-2, 10, special=((-2, "Automatic"), (-1, "All")))
    assert kind.from_str("k", " AUTO ") == -2
    assert kind.from_str("k", "automatic") == -2
    assert kind.from_str("k", "All") == -1
    assert kind.from_str("k", "3") == 3
    assert Int(0, 9, special=((0, "Off"),)).from_str("k", "off") == 0
    assert _message(Int(0, 9, special=((0, "Off"),)).from_str, "k", "auto") == (
        "'k' must be a whole number from 0 to 9, not 'auto'"
    )


@pytest.mark.parametrize("text", ["", "  ", "random", "NULL", "None"])
def test_a_seed_left_empty_or_named_is_random(text: str) -> None:
    """Promise: a seed typed as nothing, "random", "null" or "none" means random."""
    assert OptionalInt(0, 9).from_str("k", text) is None


def test_the_seed_message_says_what_it_accepts() -> None:
    """Promise: a seed typed wrong says it takes random or a whole number."""
    assert _message(OptionalInt(0, 9).from_str, "k", "x") == (
        "'k' must be random or a whole number from 0 to 9, not 'x'"
    )


def test_printed_values_read_back() -> None:
    """Promise: `hearth settings get` prints booleans as true/false and stop strings
    as readable JSON (not escaped), and long bad texts are cut at 40 characters."""
    assert (Bool().to_str(True), Bool().to_str(False)) == ("true", "false")
    assert TextList().to_str(("终", "END")) == '["终", "END"]'
    forty = "x" * 40
    assert _message(Bool().from_str, "k", forty) == f"'k' must be true or false, not '{forty}'"
    assert _message(Bool().from_str, "k", forty + "y") == (
        f"'k' must be true or false, not '{forty}…'"
    )


def test_a_marked_text_keeps_its_context_when_copied_or_pickled() -> None:
    """Promise: a label stays translatable in its own context wherever it travels — a
    deep copy (``dataclasses.asdict`` of a declaration) or a pickle keeps the context
    and the text, not just the text."""
    label = settings_module.QT_TRANSLATE_NOOP("Settings", "Temperature")
    for copied in (copy.deepcopy(label), pickle.loads(pickle.dumps(label))):
        assert (copied, type(copied), copied.context) == ("Temperature", type(label), "Settings")
