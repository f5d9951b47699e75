"""Markdown for the chat view, without Qt: model output to HTML that QTextDocument shows.

Model output is untrusted. Raw HTML is shown as text, images become links that are
never fetched, and only the renderer's own ``hearth-*:`` anchors carry actions.
"""

from desktop_app.core.markdown.plain import code_blocks, to_plain_text
from desktop_app.core.markdown.render import (
    COPY_SCHEME,
    THOUGHTS_SCHEME,
    CodeTheme,
    MarkdownRenderer,
    code_theme,
)
from desktop_app.core.markdown.stream import StreamingMarkdown, StreamUpdate
from desktop_app.core.markdown.thoughts import Thoughts, split_thoughts

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
