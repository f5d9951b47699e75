"""User settings, declared once as data and saved atomically as JSON in the config folder.

Every setting is declared exactly once: its name, type (with bounds or choices),
default, label and description live together in the field's declaration below (like
qutebrowser's ``configdata``). The settings dialog builds its forms from
``declarations()``, the loader validates with the same types, and the CLI checks its
options with them too.

A missing file means defaults. A file that cannot be read or parsed, holds a value of
the wrong type, or carries an unknown version is moved aside (never deleted) and the
defaults are used; ``load_settings`` returns a warning that the UI and CLI show once.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from desktop_app.core.engine.base import GenerationParams
from desktop_app.core.engine.load_params import DEFAULT_CONTEXT, GPU_LAYERS_AUTO, LoadParams
from desktop_app.core.files import keep_aside, write_json_atomically
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

# Labels and descriptions are translated in the "Settings" context (see QT_TRANSLATE_NOOP).


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
    last_model_path: str = _setting(
        "", Text(max_length=4096), "Last model", "The model loaded at start."
    )
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
        checked = declaration.type.check(key, value)
        if key.startswith("generation."):
            name = key.removeprefix("generation.")
            return replace(self, generation=replace(self.generation, **{name: checked}))
        return replace(self, **{key: checked})


def resume_cache_config(settings: Settings, data_dir: Path) -> tuple[int, Path | None]:
    """Bytes of KV state to keep for instant resume, and the folder for it (or None)."""
    folder = data_dir / "kv-cache" if settings.resume_cache_on_disk else None
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


def settings_from_dict(data: dict[str, Any]) -> Settings:
    """Validate a saved mapping; unknown keys are ignored, bad values raise ``SettingError``."""
    generation_data = data.get("generation", {})
    if not isinstance(generation_data, dict):
        raise SettingError("generation", "must be an object")
    settings = Settings()
    for key, value in data.items():
        if key in DECLARATIONS:
            settings = settings.with_value(key, value)
    for key, value in generation_data.items():
        if f"generation.{key}" in DECLARATIONS:
            settings = settings.with_value(f"generation.{key}", value)
    return settings


def settings_to_dict(settings: Settings) -> dict[str, Any]:
    data = asdict(settings)
    data["generation"]["stop"] = list(settings.generation.stop)
    return {"version": SETTINGS_VERSION, **data}


def load_settings(config_dir: Path) -> tuple[Settings, str | None]:
    """The saved settings (or defaults) and a warning to show if the file was bad."""
    path = config_dir / SETTINGS_FILE
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Settings(), None
    except OSError as exc:
        return Settings(), f"Could not read {path} ({exc.strerror}); using default settings."
    try:
        data = json.loads(raw)
        if not isinstance(data, dict):
            raise ValueError("the file does not hold a JSON object")
        version = data.get("version", SETTINGS_VERSION)
        if version != SETTINGS_VERSION:
            raise ValueError(f"unknown settings version {version!r}")
        return settings_from_dict(data), None
    except ValueError as exc:
        aside = keep_aside(path)
        return Settings(), (
            f"The settings file was unreadable ({exc}); it was kept as {aside.name} "
            "and default settings are in use."
        )


def save_settings(config_dir: Path, settings: Settings) -> None:
    """Write atomically: a temporary file, fsync, then replace the old file."""
    write_json_atomically(config_dir / SETTINGS_FILE, settings_to_dict(settings))
