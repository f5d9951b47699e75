"""Hearth: a private AI assistant that runs on the user's own computer."""

from desktop_app._version import find_version

APP_NAME = "Hearth"
APP_ID = "io.github.hearth_app.Hearth"
"""Reverse-DNS ID: the .desktop file's and AppStream metainfo's name, Wayland's app_id."""

__version__ = find_version()
