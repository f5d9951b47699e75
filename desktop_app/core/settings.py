"""User settings: one typed dataclass, saved atomically as JSON in the config folder.

A missing file means defaults. A file that cannot be read or parsed is moved aside
(never deleted) and the defaults are used; ``load_settings`` returns a warning that
the UI and CLI show once.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from desktop_app.core.engine.base import GenerationParams
from desktop_app.core.engine.llama_engine import DEFAULT_CONTEXT, LoadParams

SETTINGS_FILE = "settings.json"
SETTINGS_VERSION = 1


@dataclass(frozen=True)
class Settings:
    last_model_path: str = ""
    context_length: int = DEFAULT_CONTEXT
    n_threads: int = 0
    """0 lets Hearth choose."""
    n_gpu_layers: int = 0
    system_prompt: str = ""
    models_dir: str = ""
    """Where installed models live; empty means the default models folder."""
    generation: GenerationParams = field(default_factory=GenerationParams)

    def load_params(self) -> LoadParams:
        return LoadParams(
            n_ctx=self.context_length,
            n_threads=self.n_threads or None,
            n_gpu_layers=self.n_gpu_layers,
        )


def _from_dict(data: dict[str, Any]) -> Settings:
    generation_data = data.get("generation", {})
    if not isinstance(generation_data, dict):
        raise ValueError("'generation' must be an object")
    known = {f.name: f.type for f in fields(GenerationParams)}
    generation = GenerationParams()
    for key, value in generation_data.items():
        if key in known:
            generation = replace(
                generation, **{key: _checked(key, value, getattr(generation, key))}
            )
    settings = Settings(generation=generation)
    for key, value in data.items():
        if key in ("generation", "version"):
            continue
        if hasattr(settings, key):
            settings = replace(settings, **{key: _checked(key, value, getattr(settings, key))})
    return settings


def _checked(key: str, value: Any, default: Any) -> Any:
    if default is None or isinstance(default, tuple):
        return tuple(value) if isinstance(default, tuple) else value
    if isinstance(default, bool) or not isinstance(default, (int, float)):
        if not isinstance(value, type(default)):
            raise ValueError(f"'{key}' must be {type(default).__name__}, not {value!r}")
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"'{key}' must be a number, not {value!r}")
    return type(default)(value)


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
        return _from_dict(data), None
    except ValueError as exc:
        aside = _keep_aside(path)
        return Settings(), (
            f"The settings file was unreadable ({exc}); it was kept as {aside.name} "
            "and default settings are in use."
        )


def _keep_aside(path: Path) -> Path:
    """Rename a bad file to a name that does not exist yet, so nothing is overwritten."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.stem}.bad-{stamp}{path.suffix}")
    counter = 1
    while aside.exists():
        counter += 1
        aside = path.with_name(f"{path.stem}.bad-{stamp}-{counter}{path.suffix}")
    os.replace(path, aside)
    return aside


def save_settings(config_dir: Path, settings: Settings) -> None:
    """Write atomically: a temporary file, fsync, then replace the old file."""
    config_dir.mkdir(parents=True, exist_ok=True)
    data = {"version": SETTINGS_VERSION, **asdict(settings)}
    fd, temp_name = tempfile.mkstemp(prefix=".settings-", suffix=".tmp", dir=config_dir)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=2, ensure_ascii=False)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, config_dir / SETTINGS_FILE)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
