"""What the window remembers between runs, kept apart from the user's settings.

The last model, the window's size and place, the sidebar's width and the last
conversation are not choices a person makes in Settings: they live in ``state.json``
in the data folder, not in ``settings.json``, so resetting or sharing settings never
touches them and a resize never rewrites the settings file. A value that is not
valid is dropped (the window falls back to its default for it); state is never
worth a dialog. The last model used to be the ``last_model_path`` setting: when
there is no state file yet, it is taken over from the settings file.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

from desktop_app.core.files import write_json_atomically
from desktop_app.core.settings import read_settings_file

STATE_FILE = "state.json"
STATE_VERSION = 1
MAX_TEXT = 65_536

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WindowState:
    last_model: str = ""
    """The model loaded at start: an absolute file path or a remote spec."""
    geometry: str = ""
    """The main window's size and place as Qt saves it (base64)."""
    splitter_sizes: tuple[int, ...] = ()
    """Widths of the sidebar and the chat."""
    last_conversation: int | None = None
    """The conversation on screen when the window closed."""


def _valid(name: str, value: Any) -> bool:
    if name in ("last_model", "geometry"):
        return isinstance(value, str) and len(value) <= MAX_TEXT
    if name == "splitter_sizes":
        return (
            isinstance(value, list)
            and len(value) <= 8
            and all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in value)
        )
    if name == "last_conversation":
        return value is None or (isinstance(value, int) and not isinstance(value, bool))
    return False


def state_from_dict(data: dict[str, Any]) -> WindowState:
    """The valid values of a saved mapping; anything else keeps its default."""
    values: dict[str, Any] = {}
    for item in fields(WindowState):
        if item.name in data and _valid(item.name, data[item.name]):
            value = data[item.name]
            values[item.name] = tuple(value) if isinstance(value, list) else value
        elif item.name in data:
            log.info("Ignoring the saved window state's %s", item.name)
    return WindowState(**values)


class StateFile:
    """The window state of one data folder: read once, written atomically on each change.

    Without a data folder (``None``) the state is kept in memory only.
    """

    def __init__(self, data_dir: Path | None, config_dir: Path | None = None) -> None:
        self.path = data_dir / STATE_FILE if data_dir is not None else None
        self.state = self._load(config_dir) if self.path is not None else WindowState()

    def update(self, **changes: Any) -> None:
        """Change some values and save; a failed save is logged, the values stay in memory."""
        state = replace(self.state, **changes)
        if state == self.state:
            return
        self.state = state
        self._save()

    def _save(self) -> None:
        if self.path is None:
            return
        data = {"version": STATE_VERSION, **asdict(self.state)}
        data["splitter_sizes"] = list(self.state.splitter_sizes)
        try:
            write_json_atomically(self.path, data)
        except OSError as exc:
            log.warning("Could not save the window state to %s: %s", self.path, exc)

    def _load(self, config_dir: Path | None) -> WindowState:
        assert self.path is not None
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return self._migrate(config_dir)
        except (OSError, ValueError) as exc:
            log.info("Starting with a fresh window state: %s is unreadable (%s)", self.path, exc)
            return WindowState()
        if not isinstance(data, dict) or data.get("version") != STATE_VERSION:
            log.info("Starting with a fresh window state: %s has an unknown format", self.path)
            return WindowState()
        return state_from_dict(data)

    def _migrate(self, config_dir: Path | None) -> WindowState:
        """Take over what older versions kept in the settings file."""
        old = read_settings_file(config_dir) if config_dir is not None else None
        last_model = old.get("last_model_path") if old else None
        if not isinstance(last_model, str) or not last_model or len(last_model) > MAX_TEXT:
            return WindowState()
        self.state = WindowState(last_model=last_model)
        self._save()
        return self.state
