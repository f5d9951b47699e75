"""Hearth: a private AI assistant that runs on the user's own computer."""

from desktop_app._version import find_version

APP_NAME = "Hearth"

__version__ = find_version()
