"""Load the user interface's translations: Qt's own and every Hearth area's.

Each area of the app keeps its own catalogue, ``resources/translations/<area>_<locale>.qm``
(main, models, settings…); all of them for the chosen language are installed, together
with Qt's ``qtbase_<locale>.qm`` (standard buttons and dialogs) when Qt ships it. Call
``install_translations`` before the widgets are built: strings are translated when a
widget is made.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from desktop_app.resources import resource_path

log = logging.getLogger(__name__)

LANGUAGES = ("system", "en", "zh_CN")
"""Values of the language setting: follow the system, or one of the UI languages."""
TRANSLATED = ("zh_CN",)
"""Languages with a translation (English is the source language)."""


def resolve_language(setting: str = "system", system: QLocale | None = None) -> str:
    """The UI language ``setting`` means: "en" or a code from ``TRANSLATED``.

    "system" picks Simplified Chinese for any Chinese locale written in simplified
    characters (zh_CN, zh_SG, zh_Hans…), English otherwise. Raises ``ValueError`` for
    an unknown setting.
    """
    if setting not in LANGUAGES:
        raise ValueError(f"unknown language {setting!r}: choose one of {', '.join(LANGUAGES)}")
    if setting != "system":
        return setting
    locale = system or QLocale.system()
    preferred = locale.uiLanguages()
    if preferred:  # the user's first choice of UI language, where the system has a list
        locale = QLocale(preferred[0])
    if locale.language() == QLocale.Language.Chinese:
        traditional = locale.script() == QLocale.Script.TraditionalHanScript or (
            locale.territory()
            in (QLocale.Country.Taiwan, QLocale.Country.HongKong, QLocale.Country.Macao)
        )
        if not traditional:
            return "zh_CN"
    return "en"


def translation_files(language: str) -> list[Path]:
    """Hearth's catalogues for ``language``, one per area, in a stable order."""
    folder = resource_path("translations")
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"*_{language}.qm"))


def qt_translation_file(language: str) -> Path | None:
    """Qt's own catalogue for ``language`` (standard dialogs and buttons), if installed."""
    folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    candidate = folder / f"qtbase_{language}.qm"
    return candidate if candidate.is_file() else None


def install_translations(app: QCoreApplication, setting: str = "system") -> list[Path]:
    """Install the translations for ``setting`` (replacing any installed before).

    Returns the files loaded; English loads none. A catalogue that cannot be loaded is
    logged and skipped: the app then shows those strings in English.
    """
    for old in app.findChildren(QTranslator, "hearthTranslator"):
        app.removeTranslator(old)
        old.deleteLater()
    language = resolve_language(setting)
    # Numbers and dates follow the system unless the user chose a language.
    QLocale.setDefault(QLocale.system() if setting == "system" else QLocale(language))
    if language == "en":
        return []
    files = [path for path in [qt_translation_file(language)] if path is not None]
    files += translation_files(language)
    loaded: list[Path] = []
    for path in files:
        translator = QTranslator(app)
        translator.setObjectName("hearthTranslator")
        if translator.load(str(path)):
            app.installTranslator(translator)
            loaded.append(path)
        else:
            log.warning("Could not load the translation %s", path)
            translator.deleteLater()
    return loaded


def ui_language(setting: str) -> str:
    """The preset language for a language setting ("system" follows the system locale)."""
    try:
        return resolve_language(setting)
    except ValueError:
        return "en"
