"""User settings, declared once as data and saved atomically as JSON in the config folder.

Every setting is declared exactly once: its name, type (with bounds or choices),
default, label and description live together in the field's declaration below (like
qutebrowser's ``configdata``). The settings dialog builds its forms from
``declarations()``, the loader validates with the same types, and the CLI checks its
options with them too.

Keys that were renamed or removed migrate by declaration (``RENAMED``, ``DELETED``,
like qutebrowser's ``renamed:``/``deleted:``); what the window remembers rather than
what the user chose (the last model) lives in the window state file instead
(``desktop_app.core.window_state``).

A missing file means defaults. A file that cannot be read or parsed, or carries an
unknown version, is moved aside (never deleted) and the defaults are used. A file
with some bad values keeps its other settings: each bad one goes back to its default
with a message naming it, a copy of the file as it was is kept aside, and the
repaired file is written. ``load_settings`` returns the message to show once.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from desktop_app.core.engine.base import GenerationParams
from desktop_app.core.engine.load_params import DEFAULT_CONTEXT, GPU_LAYERS_AUTO, LoadParams
from desktop_app.core.files import copy_aside, keep_aside, write_json_atomically
from desktop_app.core.setting_types import (
    QT_TRANSLATE_NOOP,
    Bool,
    Choice,
    Float,
    Int,
    OptionalInt,
    SettingError,
    SettingType,
    Text,
    TextList,
)

SETTINGS_FILE = "settings.json"
SETTINGS_VERSION = 1

GENERAL = "general"
GENERATION = "generation"
HARDWARE = "hardware"
HIDDEN = ""
"""Page names: where the settings dialog shows a setting; HIDDEN ones are kept, not shown."""

# Labels and descriptions are marked in the "Settings" context: the UI translates each in
# the context it was marked with (see QT_TRANSLATE_NOOP).


@dataclass(frozen=True)
class Declaration:
    """One setting: ``key`` is dotted for nested values (``generation.temperature``)."""

    key: str
    type: SettingType
    default: Any
    label: str
    description: str
    page: str


def _setting(
    default: Any, kind: SettingType, label: str, description: str, page: str = HIDDEN
) -> Any:
    meta = {"type": kind, "label": label, "description": description, "page": page}
    return field(default=default, metadata=meta)


LANGUAGES = Choice(
    (
        ("system", QT_TRANSLATE_NOOP("Settings", "Same as the system")),
        ("en", "English"),
        ("zh_CN", "简体中文"),
    )
)
THEMES = Choice(
    (
        ("system", QT_TRANSLATE_NOOP("Settings", "Same as the system")),
        ("light", QT_TRANSLATE_NOOP("Settings", "Light")),
        ("dark", QT_TRANSLATE_NOOP("Settings", "Dark")),
    )
)
SEND_KEYS = Choice(
    (
        ("enter", QT_TRANSLATE_NOOP("Settings", "Enter (Shift+Enter for a new line)")),
        ("ctrl+enter", QT_TRANSLATE_NOOP("Settings", "Ctrl+Enter (Enter for a new line)")),
    )
)
OVERFLOW_DROP_OLDEST = "drop_oldest"
OVERFLOW_STOP = "stop"
OVERFLOW_STRATEGIES = Choice(
    (
        (OVERFLOW_DROP_OLDEST, QT_TRANSLATE_NOOP("Settings", "Leave out the oldest messages")),
        (OVERFLOW_STOP, QT_TRANSLATE_NOOP("Settings", "Stop and ask me")),
    )
)


@dataclass(frozen=True)
class Settings:
    language: str = _setting(
        "system",
        LANGUAGES,
        QT_TRANSLATE_NOOP("Settings", "Language"),
        QT_TRANSLATE_NOOP("Settings", "The language of the window. Takes effect after a restart."),
        GENERAL,
    )
    theme: str = _setting(
        "system",
        THEMES,
        QT_TRANSLATE_NOOP("Settings", "Theme"),
        QT_TRANSLATE_NOOP("Settings", "Light or dark colours, or follow the system."),
        GENERAL,
    )
    font_size: int = _setting(
        0,
        Int(0, 48, special=((0, QT_TRANSLATE_NOOP("Settings", "System default")),)),
        QT_TRANSLATE_NOOP("Settings", "Font size"),
        QT_TRANSLATE_NOOP("Settings", "Text size in points for the chat; 0 uses the system size."),
        GENERAL,
    )
    send_key: str = _setting(
        "enter",
        SEND_KEYS,
        QT_TRANSLATE_NOOP("Settings", "Send with"),
        QT_TRANSLATE_NOOP("Settings", "Which key sends a message."),
        GENERAL,
    )
    models_dir: str = _setting(
        "",
        Text(max_length=4096, folder=True),
        QT_TRANSLATE_NOOP("Settings", "Models folder"),
        QT_TRANSLATE_NOOP(
            "Settings", "Where downloaded models are kept; empty uses Hearth's folder."
        ),
        GENERAL,
    )
    system_prompt: str = _setting(
        "",
        Text(multiline=True),
        QT_TRANSLATE_NOOP("Settings", "System prompt"),
        QT_TRANSLATE_NOOP(
            "Settings", "Instructions that new chats start with (a preset may replace it)."
        ),
        GENERATION,
    )
    context_length: int = _setting(
        DEFAULT_CONTEXT,
        Int(0, 1_048_576, special=((0, QT_TRANSLATE_NOOP("Settings", "Model's maximum")),)),
        QT_TRANSLATE_NOOP("Settings", "Context length"),
        QT_TRANSLATE_NOOP(
            "Settings",
            "Tokens the model can see at once; more needs more memory. 0: the model's own.",
        ),
        HARDWARE,
    )
    n_threads: int = _setting(
        0,
        Int(0, 512, special=((0, QT_TRANSLATE_NOOP("Settings", "Automatic")),)),
        QT_TRANSLATE_NOOP("Settings", "CPU threads"),
        QT_TRANSLATE_NOOP("Settings", "Threads used to generate; 0 lets Hearth choose."),
        HARDWARE,
    )
    """0 lets Hearth choose."""
    n_gpu_layers: int = _setting(
        GPU_LAYERS_AUTO,
        Int(
            GPU_LAYERS_AUTO,
            1000,
            special=(
                (GPU_LAYERS_AUTO, QT_TRANSLATE_NOOP("Settings", "Automatic")),
                (-1, QT_TRANSLATE_NOOP("Settings", "All")),
            ),
        ),
        QT_TRANSLATE_NOOP("Settings", "GPU layers"),
        QT_TRANSLATE_NOOP(
            "Settings",
            "Layers to run on the GPU. Automatic: as many as fit in its free memory; 0: CPU only.",
        ),
        HARDWARE,
    )
    n_batch: int = _setting(
        512,
        Int(1, 16_384),
        QT_TRANSLATE_NOOP("Settings", "Batch size"),
        QT_TRANSLATE_NOOP(
            "Settings", "Prompt tokens processed per step; larger is faster, uses more."
        ),
        HARDWARE,
    )
    flash_attn: bool = _setting(
        False,
        Bool(),
        QT_TRANSLATE_NOOP("Settings", "Flash attention"),
        QT_TRANSLATE_NOOP(
            "Settings", "A faster, leaner attention kernel where the hardware has one."
        ),
        HARDWARE,
    )
    resume_cache_mb: int = _setting(
        1024,
        Int(0, 262_144, special=((0, QT_TRANSLATE_NOOP("Settings", "Off")),)),
        QT_TRANSLATE_NOOP("Settings", "Memory for resuming chats (MB)"),
        QT_TRANSLATE_NOOP(
            "Settings",
            "Keeps the model's work on recent chats so that going back to one answers at "
            "once. 0 turns it off.",
        ),
        HARDWARE,
    )
    resume_cache_on_disk: bool = _setting(
        False,
        Bool(),
        QT_TRANSLATE_NOOP("Settings", "Also keep it on disk"),
        QT_TRANSLATE_NOOP(
            "Settings",
            "Write it next to your chats too, so that it survives a restart (uses disk).",
        ),
        HARDWARE,
    )
    generation: GenerationParams = field(default_factory=GenerationParams)

    def load_params(self) -> LoadParams:
        return LoadParams(
            n_ctx=self.context_length,
            n_threads=self.n_threads or None,
            n_gpu_layers=self.n_gpu_layers,
            n_batch=self.n_batch,
            flash_attn=self.flash_attn,
        )

    def value(self, key: str) -> Any:
        """The value of a declared setting by its dotted key."""
        if key.startswith("generation."):
            return getattr(self.generation, key.removeprefix("generation."))
        return getattr(self, key)

    def with_value(self, key: str, value: Any) -> Settings:
        """A copy with ``key`` set to ``value``; raises ``SettingError`` if it is not valid."""
        declaration = DECLARATIONS.get(key)
        if declaration is None:
            raise SettingError(key, "is not a setting")
        return self._with_checked(key, declaration.type.check(key, value))

    def with_text(self, key: str, text: str) -> Settings:
        """A copy with ``key`` set to the value ``text`` stands for (the type's ``from_str``)."""
        declaration = DECLARATIONS.get(key)
        if declaration is None:
            raise SettingError(key, "is not a setting")
        return self._with_checked(key, declaration.type.from_str(key, text))

    def text(self, key: str) -> str:
        """The value of ``key`` as text that ``with_text`` reads back (the type's ``to_str``)."""
        return DECLARATIONS[key].type.to_str(self.value(key))

    def _with_checked(self, key: str, checked: Any) -> Settings:
        if key.startswith("generation."):
            name = key.removeprefix("generation.")
            return replace(self, generation=replace(self.generation, **{name: checked}))
        return replace(self, **{key: checked})


def resume_cache_config(settings: Settings, data_dir: Path | None) -> tuple[int, Path | None]:
    """Bytes of KV state to keep for instant resume, and the folder for it (or None).

    The folder is ``kv-cache`` in the data folder; without a data folder (``None``)
    the cache stays in memory, whatever the setting says.
    """
    folder = None
    if settings.resume_cache_on_disk and data_dir is not None:
        folder = data_dir / "kv-cache"
    return settings.resume_cache_mb << 20, folder


def _generation_declarations() -> list[Declaration]:
    """Sampling settings; their defaults are the engine contract's (``GenerationParams``)."""
    defaults = GenerationParams()
    table: list[tuple[str, SettingType, str, str, str]] = [
        (
            "temperature",
            Float(0.0, 2.0),
            QT_TRANSLATE_NOOP("Settings", "Temperature"),
            QT_TRANSLATE_NOOP(
                "Settings", "Higher is more varied, lower more focused; 0 is greedy."
            ),
            GENERATION,
        ),
        (
            "top_p",
            Float(0.0, 1.0),
            QT_TRANSLATE_NOOP("Settings", "Top P"),
            QT_TRANSLATE_NOOP(
                "Settings", "Sample only from the most likely words that add up to P."
            ),
            GENERATION,
        ),
        (
            "top_k",
            Int(0, 1000, special=((0, QT_TRANSLATE_NOOP("Settings", "Off")),)),
            QT_TRANSLATE_NOOP("Settings", "Top K"),
            QT_TRANSLATE_NOOP(
                "Settings", "Sample only from the K most likely words; 0 turns it off."
            ),
            GENERATION,
        ),
        (
            "min_p",
            Float(0.0, 1.0),
            QT_TRANSLATE_NOOP("Settings", "Min P"),
            QT_TRANSLATE_NOOP("Settings", "Drop words less likely than P times the likeliest one."),
            GENERATION,
        ),
        (
            "repeat_penalty",
            Float(0.5, 2.0),
            QT_TRANSLATE_NOOP("Settings", "Repeat penalty"),
            QT_TRANSLATE_NOOP("Settings", "Above 1 discourages repeating recent words."),
            GENERATION,
        ),
        (
            "max_tokens",
            Int(1, 1_048_576),
            QT_TRANSLATE_NOOP("Settings", "Maximum answer length"),
            QT_TRANSLATE_NOOP("Settings", "The longest answer, in tokens."),
            GENERATION,
        ),
        (
            "seed",
            OptionalInt(0, 2**31 - 1),
            QT_TRANSLATE_NOOP("Settings", "Seed"),
            QT_TRANSLATE_NOOP(
                "Settings", "A fixed seed repeats answers exactly; random varies them."
            ),
            GENERATION,
        ),
        (
            "context_overflow",
            OVERFLOW_STRATEGIES,
            QT_TRANSLATE_NOOP("Settings", "When a chat outgrows the context"),
            QT_TRANSLATE_NOOP(
                "Settings",
                "Leave out the oldest messages (the system prompt is always kept), "
                "or stop and let me decide.",
            ),
            GENERATION,
        ),
        ("stop", TextList(), "Stop strings", "Texts that end an answer.", HIDDEN),
        ("ignore_eos", Bool(), "Ignore end of turn", "For benchmarks only.", HIDDEN),
    ]
    return [
        Declaration(f"generation.{name}", kind, getattr(defaults, name), label, text, page)
        for name, kind, label, text, page in table
    ]


def _declare() -> dict[str, Declaration]:
    found: dict[str, Declaration] = {}
    for item in fields(Settings):
        if item.name == "generation":
            found.update((d.key, d) for d in _generation_declarations())
            continue
        meta = item.metadata
        found[item.name] = Declaration(
            item.name, meta["type"], item.default, meta["label"], meta["description"], meta["page"]
        )
    return found


DECLARATIONS: dict[str, Declaration] = _declare()


def declarations(page: str | None = None) -> list[Declaration]:
    """Every declared setting in declaration order, or those of one page."""
    return [d for d in DECLARATIONS.values() if page is None or d.page == page]


RENAMED: dict[str, str] = {
    "context_overflow": "generation.context_overflow",
}
"""Old key → new key: a value saved under the old key is read as the new one."""

DELETED: frozenset[str] = frozenset(
    {
        "last_model_path",  # moved to the window state file: core/window_state.py
    }
)
"""Keys that are no longer settings; dropped without a warning when the file is read."""


def _flatten(data: dict[str, Any]) -> dict[str, Any]:
    """The file's mapping with dotted keys (``generation: {seed: 1}`` → ``generation.seed``)."""
    flat: dict[str, Any] = {}
    for key, value in data.items():
        if key == "generation" and isinstance(value, dict):
            flat.update((f"generation.{name}", item) for name, item in value.items())
        else:
            flat[key] = value
    return flat


def migrate(data: dict[str, Any]) -> dict[str, Any]:
    """Apply ``RENAMED`` and ``DELETED`` to a flat mapping; a new key wins over its old name."""
    migrated: dict[str, Any] = {}
    for key, value in data.items():
        if key in DELETED:
            continue
        new = RENAMED.get(key)
        if new is None:
            migrated[key] = value
        elif new not in data:
            migrated[new] = value
    return migrated


def settings_from_dict(data: dict[str, Any]) -> tuple[Settings, list[SettingError]]:
    """Validate a saved mapping, one setting at a time.

    Unknown keys are ignored; each bad value leaves its setting at the default and
    is reported in the list of errors, while the good values are kept.
    """
    errors: list[SettingError] = []
    if "generation" in data and not isinstance(data["generation"], dict):
        errors.append(SettingError("generation", "must be an object"))
    settings = Settings()
    for key, value in migrate(_flatten(data)).items():
        if key not in DECLARATIONS:
            continue
        try:
            settings = settings.with_value(key, value)
        except SettingError as exc:
            errors.append(exc)
    return settings, errors


def settings_to_dict(settings: Settings) -> dict[str, Any]:
    data = asdict(settings)
    data["generation"]["stop"] = list(settings.generation.stop)
    return {"version": SETTINGS_VERSION, **data}


def read_settings_file(config_dir: Path) -> dict[str, Any] | None:
    """The settings file's raw JSON object, or None when it is missing or not an object.

    For migrations of values that moved elsewhere (the window state); never raises.
    """
    try:
        data = json.loads((config_dir / SETTINGS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def load_settings(config_dir: Path) -> tuple[Settings, str | None]:
    """The saved settings (or defaults) and a warning to show if the file was bad."""
    path = config_dir / SETTINGS_FILE
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Settings(), None
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "it is not UTF-8 text"
        return Settings(), f"Could not read {path} ({reason}); using default settings."
    try:
        data = json.loads(raw)
        if not isinstance(data, dict):
            raise ValueError("the file does not hold a JSON object")
        version = data.get("version", SETTINGS_VERSION)
        if version != SETTINGS_VERSION:
            raise ValueError(f"unknown settings version {version!r}")
    except ValueError as exc:
        aside = keep_aside(path)
        return Settings(), (
            f"The settings file was unreadable ({exc}); it was kept as {aside.name} "
            "and default settings are in use."
        )
    settings, errors = settings_from_dict(data)
    if not errors:
        return settings, None
    return settings, _repair(config_dir, settings, errors)


def _repair(config_dir: Path, settings: Settings, errors: list[SettingError]) -> str:
    """Keep a copy of the file as it was, write the repaired one; the message says what."""
    path = config_dir / SETTINGS_FILE
    aside = copy_aside(path)
    reset = "; ".join(str(error) for error in errors)
    names = ", ".join(error.key for error in errors)
    message = f"Some settings were not valid ({reset}). {names} went back to the default"
    if aside is None:
        return message + "; the settings file could not be copied, so it was left as it was."
    try:
        save_settings(config_dir, settings)
    except OSError:
        return message + f" for this session; the file was kept as {aside.name}."
    return message + f"; the file as it was is kept as {aside.name}."


def save_settings(config_dir: Path, settings: Settings) -> None:
    """Write atomically: a temporary file, fsync, then replace the old file."""
    write_json_atomically(config_dir / SETTINGS_FILE, settings_to_dict(settings))
