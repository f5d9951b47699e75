"""Hearth: a private AI assistant that runs on the user's own computer."""

from importlib.metadata import PackageNotFoundError, version

APP_NAME = "Hearth"

try:
    __version__ = version("hearth")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"
