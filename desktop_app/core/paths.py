"""Where Hearth keeps its files.

``HEARTH_HOME=DIR`` puts everything under one folder (portable installs and tests);
otherwise the platform's standard folders for the app name "Hearth" are used.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from desktop_app import APP_NAME

HOME_ENV = "HEARTH_HOME"


@dataclass(frozen=True)
class AppPaths:
    config_dir: Path
    data_dir: Path
    models_dir: Path

    @property
    def database(self) -> Path:
        return self.data_dir / "hearth.sqlite3"

    def ensure(self) -> AppPaths:
        for folder in (self.config_dir, self.data_dir, self.models_dir):
            folder.mkdir(parents=True, exist_ok=True)
        return self


def app_paths(environ: dict[str, str] | None = None) -> AppPaths:
    """Resolve the folders for this run (nothing is created)."""
    env = os.environ if environ is None else environ
    home = env.get(HOME_ENV, "").strip()
    if home:
        root = Path(home).expanduser().resolve()
        return AppPaths(root / "config", root / "data", root / "models")
    data = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    return AppPaths(
        config_dir=Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
        data_dir=data,
        models_dir=data / "models",
    )
