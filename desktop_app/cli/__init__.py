"""The ``hearth`` command line: parser and dispatch in ``parser``, one module per command."""

from desktop_app.cli.parser import build_parser, main

__all__ = ["build_parser", "main"]
