"""Markdown for the chat view, without Qt: model output to HTML that QTextDocument shows.

Model output is untrusted. Raw HTML is shown as text, images become links that are
never fetched, and only the renderer's own ``hearth-*:`` anchors carry actions.

The names below load their module on first use (PEP 562), so that importing the
package for its schemes or ``split_thoughts`` does not load markdown-it and Pygments
before the window shows.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from desktop_app.core.markdown.plain import code_blocks, to_plain_text
    from desktop_app.core.markdown.render import CodeTheme, MarkdownRenderer, code_theme
    from desktop_app.core.markdown.schemes import COPY_SCHEME, THOUGHTS_SCHEME
    from desktop_app.core.markdown.stream import StreamingMarkdown, StreamUpdate
    from desktop_app.core.markdown.thoughts import Thoughts, split_thoughts

_HOMES = {
    "COPY_SCHEME": "schemes",
    "THOUGHTS_SCHEME": "schemes",
    "CodeTheme": "render",
    "MarkdownRenderer": "render",
    "code_theme": "render",
    "StreamUpdate": "stream",
    "StreamingMarkdown": "stream",
    "Thoughts": "thoughts",
    "split_thoughts": "thoughts",
    "code_blocks": "plain",
    "to_plain_text": "plain",
}

__all__ = [
    "COPY_SCHEME",
    "THOUGHTS_SCHEME",
    "CodeTheme",
    "MarkdownRenderer",
    "StreamUpdate",
    "StreamingMarkdown",
    "Thoughts",
    "code_blocks",
    "code_theme",
    "split_thoughts",
    "to_plain_text",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{home}"), name)
