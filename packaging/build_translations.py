"""Update and compile Hearth's translations.

Each area of the app has its own catalogue, ``resources/translations/<area>_<locale>.ts``,
made from that area's Python files by ``pyside6-lupdate``; every ``.ts`` is then
compiled to the ``.qm`` the app loads, by ``pyside6-lrelease``:

    .venv/bin/python packaging/build_translations.py            # update and compile all
    .venv/bin/python packaging/build_translations.py --compile-only

An area lists its files in ``AREAS`` below (the other areas add theirs there). New
strings appear in the ``.ts`` as unfinished; translate them (Qt Linguist, or by
editing the XML), then run the script again to compile.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TRANSLATIONS = ROOT / "resources" / "translations"
LOCALES = ("zh_CN",)
AREAS: dict[str, list[str]] = {
    "tools": [
        "desktop_app/ui/tools/answer_card.py",
        "desktop_app/ui/tools/approval.py",
        "desktop_app/ui/tools/chat_tools.py",
        "desktop_app/ui/tools/feature.py",
        "desktop_app/ui/tools/settings_page.py",
        "desktop_app/ui/tools/step_links.py",
    ],
    "main": [
        "desktop_app/app.py",
        "desktop_app/ui/chat/model.py",
        "desktop_app/ui/chat/view.py",
        "desktop_app/ui/chat/composer.py",
        "desktop_app/ui/engine/worker.py",
        "desktop_app/ui/main_window.py",
        "desktop_app/ui/chat/message_document.py",
        "desktop_app/ui/shared/shortcuts.py",
        "desktop_app/ui/help/feature.py",
        "desktop_app/ui/chat/welcome.py",
        "desktop_app/ui/shared/banner.py",
        "desktop_app/ui/chat/chat_settings.py",
        "desktop_app/ui/settings/feature.py",
        "desktop_app/ui/status/feature.py",
        "desktop_app/ui/chat/page.py",
        "desktop_app/ui/chat/file_drop.py",
        "desktop_app/ui/engine/opener.py",
        "desktop_app/ui/menus.py",
        "desktop_app/ui/chat/pages.py",
        "desktop_app/ui/status/stats.py",
    ],
    "conversations": [
        "desktop_app/ui/conversations/controller.py",
        "desktop_app/ui/chat/message_actions.py",
        "desktop_app/ui/conversations/search_popup.py",
        "desktop_app/ui/conversations/sidebar.py",
    ],
    "settings": [
        "desktop_app/core/settings.py",
        "desktop_app/ui/chat/settings_dialog.py",
        "desktop_app/ui/chat/preset_picker.py",
        "desktop_app/ui/settings/dialog.py",
    ],
    "models": [
        "desktop_app/ui/models/picker.py",
        "desktop_app/ui/models/hookup.py",
        "desktop_app/ui/models/window.py",
    ],
    "documents": [
        "desktop_app/ui/documents/attachments_bar.py",
        "desktop_app/ui/documents/collection_picker.py",
        "desktop_app/ui/documents/documents_page.py",
        "desktop_app/ui/documents/feature.py",
        "desktop_app/ui/documents/sources.py",
    ],
    "remote": [
        "desktop_app/ui/endpoints/page.py",
        "desktop_app/ui/endpoints/feature.py",
        "desktop_app/ui/server/page.py",
        "desktop_app/ui/server/feature.py",
    ],
    "diagnostics": [
        "desktop_app/ui/shared/error_reports.py",
    ],
}
"""Area name → the files whose strings its catalogue holds (relative to the root)."""


def tool(name: str) -> str:
    """``pyside6-<name>`` next to this Python, or on PATH."""
    beside = Path(sys.executable).parent / f"pyside6-{name}"
    if beside.exists():
        return str(beside)
    found = shutil.which(f"pyside6-{name}")
    if found is None:
        raise SystemExit(f"build_translations: pyside6-{name} not found (install PySide6)")
    return found


def update(area: str, files: list[str], locale: str) -> None:
    target = TRANSLATIONS / f"{area}_{locale}.ts"
    sources = [str(ROOT / file) for file in files]
    subprocess.run(
        [tool("lupdate"), "-locations", "none", "-no-obsolete", *sources, "-ts", str(target)],
        check=True,
    )


def compile_all() -> list[Path]:
    compiled = []
    for source in sorted(TRANSLATIONS.glob("*.ts")):
        target = source.with_suffix(".qm")
        subprocess.run([tool("lrelease"), str(source), "-qm", str(target)], check=True)
        compiled.append(target)
    return compiled


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--compile-only", action="store_true", help="only run lrelease")
    args = parser.parse_args()
    TRANSLATIONS.mkdir(parents=True, exist_ok=True)
    if not args.compile_only:
        for area, files in AREAS.items():
            for locale in LOCALES:
                update(area, files, locale)
    for path in compile_all():
        print(f"compiled {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
