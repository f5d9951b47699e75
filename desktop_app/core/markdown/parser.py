"""The one Markdown dialect Hearth speaks: CommonMark plus tables, strikethrough and task lists."""

from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt
from mdit_py_plugins.tasklists import tasklists_plugin


@lru_cache(maxsize=1)
def markdown_parser() -> MarkdownIt:
    """A shared parser. ``html`` is off, so raw HTML in model output stays text."""
    parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    parser.enable(["table", "strikethrough"])
    parser.use(tasklists_plugin)
    return parser
