"""The Linux packaging metadata agrees with the app: one ID, one version, one icon name."""

from __future__ import annotations

import configparser
import xml.etree.ElementTree as ET
from pathlib import Path

from desktop_app import APP_ID, __version__

LINUX = Path(__file__).resolve().parents[2] / "packaging" / "linux"


def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case-sensitive in .desktop files
    parser.read(LINUX / f"{APP_ID}.desktop", encoding="utf-8")
    return parser["Desktop Entry"]


def test_the_menu_entry_runs_hearth_with_its_icon() -> None:
    entry = desktop_entry()
    assert entry["Exec"] == "hearth"  # install.sh rewrites it to the installed path
    assert entry["Icon"] == APP_ID
    assert entry["Name"] == "Hearth"


def test_the_metainfo_describes_this_app_and_this_version() -> None:
    component = ET.parse(LINUX / f"{APP_ID}.metainfo.xml").getroot()
    assert component.findtext("id") == APP_ID
    assert component.findtext("launchable") == f"{APP_ID}.desktop"
    assert component.findtext("provides/binary") == "hearth"
    released = [release.get("version") for release in component.iter("release")]
    assert __version__ in released, "add a <release> for the new version to the metainfo"
