"""The models feature: File > Models…, the header's model picker, the welcome page's
"Download the recommended model" and "Browse models…", and the models folder setting.

Installed through the plug-in API (``desktop_app.ui.extensions``) by the composition
root, before the features that add entries to the picker (remote endpoints).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from desktop_app.core.engine.base import ModelInfo
from desktop_app.core.settings import Settings
from desktop_app.ui.extensions.api import ChatWindow, Menu, Section, WindowApi
from desktop_app.ui.models.hookup import ModelsHookup
from desktop_app.ui.models.service import ModelsService


class ModelsFeature:
    name = "models"

    def __init__(self, service: ModelsService, default_models_dir: Path) -> None:
        self._service = service
        self._default_models_dir = default_models_dir
        """Where models go when the settings name no folder (``models_dir`` empty)."""
        self.hookup: ModelsHookup | None = None

    def install(self, api: WindowApi) -> None:
        host = api.host
        hookup = ModelsHookup(self._service, api.window)
        self.hookup = hookup
        hookup.open_requested.connect(host.open_model)
        hookup.models_dir_requested.connect(lambda folder: self._set_models_dir(host, folder))
        api.add_menu_action(Menu.FILE, hookup.build_action(api.window), Section.MAIN)
        api.set_model_picker(hookup.picker)
        api.add_welcome_widgets(hookup.build_welcome_widgets)
        api.on_model_loaded(self._on_model_loaded)
        api.on_settings_changed(self._on_settings_changed)
        api.on_close(hookup.close)

    def _on_model_loaded(self, info: ModelInfo) -> None:
        if self.hookup is not None:
            self.hookup.set_current_path(info.path, info.name)

    def _set_models_dir(self, host: ChatWindow, folder: str) -> None:
        """A folder chosen in the Models window: saved as the ``models_dir`` setting."""
        host.save_settings(replace(host.settings, models_dir=folder))
        self._service.set_models_dir(Path(folder))

    def _on_settings_changed(self, previous: Settings, settings: Settings) -> None:
        if settings.models_dir != previous.models_dir:
            from desktop_app.core.models.library import models_dir_for

            self._service.set_models_dir(
                models_dir_for(self._default_models_dir, settings.models_dir)
            )
