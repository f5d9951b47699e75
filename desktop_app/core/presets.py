"""Presets (personas): a system prompt plus sampling defaults, in English and Chinese.

Built-in presets are data files in ``resources/presets/`` (found through
``resource_path``); the user's own presets live in one JSON file in the config folder,
written atomically. Every preset, built in, saved or imported, is validated the same
way: names and prompts are checked as text, and each sampling value by the declared
type of the matching generation setting (``desktop_app.core.settings``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from desktop_app.core.engine.base import GenerationParams
from desktop_app.core.files import keep_aside, write_json_atomically
from desktop_app.core.setting_types import SettingError
from desktop_app.core.settings import DECLARATIONS
from desktop_app.resources import resource_path

PRESET_VERSION = 1
USER_PRESETS_FILE = "presets.json"
LANGUAGES = ("en", "zh_CN")
SAMPLING_KEYS = ("temperature", "top_p", "top_k", "min_p", "repeat_penalty", "max_tokens", "seed")
MAX_NAME_LENGTH = 80
MAX_PROMPT_LENGTH = 20_000


class PresetError(ValueError):
    """A preset or preset file that cannot be used; the message is meant for the user."""


@dataclass(frozen=True)
class Preset:
    id: str
    name: Mapping[str, str]
    """Name per language code ("en", "zh_CN"); at least one."""
    system_prompt: Mapping[str, str]
    description: Mapping[str, str] = field(default_factory=dict)
    sampling: Mapping[str, Any] = field(default_factory=dict)
    """Generation settings this preset sets (names of ``GenerationParams`` fields)."""
    builtin: bool = False
    response_schema: Mapping[str, Any] | None = None
    """A JSON schema every answer must follow (constrained decoding), or None."""
    collections: tuple[str, ...] = ()
    """Document collections a chat started from this preset answers from (by name)."""
    tools: tuple[str, ...] = ()
    """Tools a chat started from this preset may call (as ``ChatOverrides.tools``)."""

    def name_for(self, language: str) -> str:
        return _pick(self.name, language)

    def system_prompt_for(self, language: str) -> str:
        return _pick(self.system_prompt, language)

    def description_for(self, language: str) -> str:
        return _pick(self.description, language)

    def generation_params(self, base: GenerationParams) -> GenerationParams:
        """``base`` with this preset's sampling values (and its answer schema)."""
        params = replace(base, **dict(self.sampling))
        if self.response_schema is None:
            return params
        from desktop_app.core.structured.apply import with_schema

        return with_schema(params, dict(self.response_schema), self.id)

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": PRESET_VERSION,
            "id": self.id,
            "name": dict(self.name),
            "description": dict(self.description),
            "system_prompt": dict(self.system_prompt),
            "sampling": dict(self.sampling),
            **({"response_schema": dict(self.response_schema)} if self.response_schema else {}),
            **({"collections": list(self.collections)} if self.collections else {}),
            **({"tools": list(self.tools)} if self.tools else {}),
        }


def _pick(texts: Mapping[str, str], language: str) -> str:
    """The text in ``language`` (zh_CN also matches zh), else English, else any."""
    for code in (language, language.split("_")[0], "en"):
        if texts.get(code):
            return texts[code]
    return next((text for text in texts.values() if text), "")


def _texts(data: Any, what: str, limit: int, required: bool) -> dict[str, str]:
    if isinstance(data, str):
        data = {"en": data}
    if data is None and not required:
        return {}
    if not isinstance(data, dict):
        raise PresetError(f"{what} must be a text or an object of texts per language")
    texts: dict[str, str] = {}
    for language, text in data.items():
        if not isinstance(language, str) or not re.fullmatch(r"[a-z]{2}(_[A-Z]{2})?", language):
            raise PresetError(f"{what}: {language!r} is not a language code like 'en' or 'zh_CN'")
        if not isinstance(text, str):
            raise PresetError(f"{what} ({language}) must be text")
        if len(text) > limit:
            raise PresetError(f"{what} ({language}) is longer than {limit} characters")
        texts[language] = text.strip() if what == "name" else text
    if required and not any(texts.values()):
        raise PresetError(f"{what} must not be empty")
    return texts


def preset_from_dict(data: Any, *, builtin: bool = False) -> Preset:
    """Validate a preset mapping (from a file or an import); raises ``PresetError``."""
    if not isinstance(data, dict):
        raise PresetError("a preset must be a JSON object")
    version = data.get("version", PRESET_VERSION)
    if version != PRESET_VERSION:
        raise PresetError(f"unknown preset version {version!r}")
    preset_id = data.get("id")
    if not isinstance(preset_id, str) or not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,63}", preset_id):
        raise PresetError(f"preset id {preset_id!r} must be lowercase letters, digits, - or _")
    name = _texts(data.get("name"), "name", MAX_NAME_LENGTH, required=True)
    prompt = _texts(data.get("system_prompt", ""), "system_prompt", MAX_PROMPT_LENGTH, False)
    description = _texts(data.get("description"), "description", 500, required=False)
    sampling_data = data.get("sampling", {})
    if not isinstance(sampling_data, dict):
        raise PresetError("sampling must be an object")
    sampling: dict[str, Any] = {}
    for key, value in sampling_data.items():
        if key not in SAMPLING_KEYS:
            raise PresetError(f"sampling: {key!r} is not one of {', '.join(SAMPLING_KEYS)}")
        declared = f"generation.{key}"
        try:
            sampling[key] = DECLARATIONS[declared].type.check(declared, value)
        except SettingError as exc:
            raise PresetError(f"sampling: {exc}") from exc
    schema = data.get("response_schema")
    if schema is not None:
        from desktop_app.core.structured.schema import SchemaError, check_schema, check_supported

        try:
            # Hearth's own files skip the metaschema pass: it imports jsonschema, which
            # costs a third of a second at every start; the unit tests run the full
            # check over every built-in preset instead.
            if builtin:
                check_supported(schema)
            else:
                check_schema(schema)
        except SchemaError as exc:
            raise PresetError(f"response_schema: {exc}") from exc
    tools = data.get("tools", [])
    if not isinstance(tools, list) or not all(isinstance(t, str) and t for t in tools):
        raise PresetError("tools must be a list of tool names")
    return Preset(
        preset_id,
        name,
        prompt,
        description,
        sampling,
        builtin,
        schema,
        _collections(data),
        tuple(tools),
    )


def _collections(data: dict[str, Any]) -> tuple[str, ...]:
    names = data.get("collections", [])
    if not isinstance(names, list) or not all(
        isinstance(name, str) and name.strip() for name in names
    ):
        raise PresetError("collections must be a list of collection names")
    return tuple(dict.fromkeys(name.strip() for name in names))


def builtin_presets(folder: Path | None = None) -> list[Preset]:
    """The presets shipped with Hearth, in file-name order."""
    folder = folder or resource_path("presets")
    presets = []
    for path in sorted(folder.glob("*.json")):
        try:
            presets.append(preset_from_dict(_read_json(path), builtin=True))
        except PresetError as exc:
            raise PresetError(f"{path.name}: {exc}") from exc
    return presets


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise PresetError(f"{path.name} is not valid JSON ({exc.msg}, line {exc.lineno})") from exc
    except UnicodeDecodeError as exc:
        raise PresetError(f"{path.name} is not UTF-8 text") from exc


def slug(text: str) -> str:
    """An id made from a name: lowercase ASCII words joined by '-' (or 'preset')."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    return "-".join(words)[:48] or "preset"


class PresetLibrary:
    """Built-in and user presets; user changes are saved at once, atomically.

    A damaged user file is moved aside (never deleted) and reported by ``warning``.
    """

    def __init__(self, config_dir: Path, builtin_folder: Path | None = None) -> None:
        self._path = config_dir / USER_PRESETS_FILE
        self._builtin = builtin_presets(builtin_folder)
        self.warning: str | None = None
        self._user = self._load_user()

    @property
    def path(self) -> Path:
        return self._path

    def presets(self) -> list[Preset]:
        """Built-in presets first, then the user's, in the order they were made."""
        return [*self._builtin, *self._user]

    def get(self, preset_id: str) -> Preset | None:
        return next((p for p in self.presets() if p.id == preset_id), None)

    def create(
        self,
        name: str,
        system_prompt: str,
        sampling: Mapping[str, Any] | None = None,
        language: str = "en",
        description: str = "",
    ) -> Preset:
        data = {
            "id": self._free_id(slug(name)),
            "name": {language: name},
            "system_prompt": {language: system_prompt},
            "description": {language: description} if description else {},
            "sampling": dict(sampling or {}),
        }
        preset = preset_from_dict(data)
        self._save([*self._user, preset])
        return preset

    def update(self, preset: Preset) -> Preset:
        """Replace the user preset with ``preset.id``; built-in presets cannot change."""
        checked = preset_from_dict(preset.to_dict())
        index = self._user_index(preset.id)
        user = list(self._user)
        user[index] = checked
        self._save(user)
        return checked

    def delete(self, preset_id: str) -> None:
        index = self._user_index(preset_id)
        self._save([p for i, p in enumerate(self._user) if i != index])

    def duplicate(self, preset_id: str, copy_suffix: str = " (copy)") -> Preset:
        """A new user preset with the same texts and sampling, named "… (copy)"."""
        original = self.get(preset_id)
        if original is None:
            raise PresetError(f"no preset {preset_id!r}")
        names = {
            lang: name[: MAX_NAME_LENGTH - len(copy_suffix)] + copy_suffix
            for lang, name in original.name.items()
        }
        copy = replace(
            original,
            id=self._free_id(f"{original.id}-copy"),
            name=names,
            builtin=False,
        )
        self._save([*self._user, copy])
        return copy

    def export(self, preset_ids: list[str], path: Path) -> None:
        """Write the chosen presets to ``path`` as one JSON file (atomically)."""
        chosen = []
        for preset_id in preset_ids:
            preset = self.get(preset_id)
            if preset is None:
                raise PresetError(f"no preset {preset_id!r}")
            chosen.append(preset.to_dict())
        write_json_atomically(path, {"version": PRESET_VERSION, "presets": chosen})

    def import_file(self, path: Path) -> list[Preset]:
        """Add every preset in ``path`` as a user preset; all or nothing.

        Accepts an export file or a single preset object. An id already in use gets a
        fresh one, so an import never replaces an existing preset.
        """
        try:
            data = _read_json(path)
        except OSError as exc:
            raise PresetError(f"cannot read {path.name}: {exc.strerror or exc}") from exc
        items = data.get("presets") if isinstance(data, dict) and "presets" in data else [data]
        if isinstance(data, dict) and data.get("version", PRESET_VERSION) != PRESET_VERSION:
            raise PresetError(f"{path.name}: unknown preset version {data.get('version')!r}")
        if not isinstance(items, list) or not items:
            raise PresetError(f"{path.name} holds no presets")
        imported: list[Preset] = []
        taken = {p.id for p in self.presets()}
        for number, item in enumerate(items, start=1):
            try:
                preset = preset_from_dict(item)
            except PresetError as exc:
                raise PresetError(f"{path.name}, preset {number}: {exc}") from exc
            fresh = self._free_id(preset.id, taken)
            taken.add(fresh)
            imported.append(replace(preset, id=fresh))
        self._save([*self._user, *imported])
        return imported

    def _user_index(self, preset_id: str) -> int:
        for index, preset in enumerate(self._user):
            if preset.id == preset_id:
                return index
        if any(p.id == preset_id for p in self._builtin):
            raise PresetError("built-in presets cannot be changed; duplicate it first")
        raise PresetError(f"no preset {preset_id!r}")

    def _free_id(self, wanted: str, taken: set[str] | None = None) -> str:
        taken = taken if taken is not None else {p.id for p in self.presets()}
        candidate, counter = wanted, 1
        while candidate in taken:
            counter += 1
            candidate = f"{wanted}-{counter}"
        return candidate

    def _load_user(self) -> list[Preset]:
        if not self._path.exists():
            return []
        try:
            data = _read_json(self._path)
            if not isinstance(data, dict) or data.get("version") != PRESET_VERSION:
                raise PresetError("unknown format or version")
            items = data.get("presets")
            if not isinstance(items, list):
                raise PresetError("'presets' must be a list")
            return [preset_from_dict(item) for item in items]
        except (PresetError, OSError) as exc:
            aside = keep_aside(self._path)
            self.warning = f"Your presets file was unreadable ({exc}); it was kept as {aside.name}."
            return []

    def _save(self, user: list[Preset]) -> None:
        data = {"version": PRESET_VERSION, "presets": [p.to_dict() for p in user]}
        write_json_atomically(self._path, data)
        self._user = user
