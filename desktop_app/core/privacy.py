"""Delete everything Hearth stored about the user: chats, settings, presets, caches.

Downloaded model files are kept unless asked for: they are large, public, and not
personal data. The caller closes the store and stops the engine first.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from desktop_app.core.paths import AppPaths


@dataclass
class DeletionReport:
    removed: list[Path] = field(default_factory=list)
    failed: list[tuple[Path, str]] = field(default_factory=list)


def delete_all_data(paths: AppPaths, *, include_models: bool = False) -> DeletionReport:
    """Remove the config folder and the data folder (except models unless asked)."""
    report = DeletionReport()
    targets: list[Path] = []
    if paths.config_dir.exists():
        targets += list(paths.config_dir.iterdir())
    if paths.data_dir.exists():
        for item in paths.data_dir.iterdir():
            if item.resolve() == paths.models_dir.resolve() and not include_models:
                continue
            targets.append(item)
    if include_models and paths.models_dir.exists() and paths.models_dir not in targets:
        targets.append(paths.models_dir)
    for target in targets:
        try:
            if target.is_dir() and not target.is_symlink():
                shutil.rmtree(target)
            else:
                target.unlink()
            report.removed.append(target)
        except OSError as exc:
            report.failed.append((target, exc.strerror or str(exc)))
    return report
