"""Markdown to the subset of HTML that QTextDocument understands.

Code blocks are highlighted with Pygments using inline styles (QTextDocument has no
CSS classes to speak of) in colours picked for the light or the dark theme, and get a
header with the language and a Copy link (``hearth-copy:N``, N counting the message's
code blocks from 0), which the view handles; nothing else in the output is an action.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import TextLexer, get_lexer_by_name
from pygments.util import ClassNotFound

from desktop_app.core.markdown.parser import markdown_parser
from desktop_app.core.markdown.schemes import COPY_SCHEME as COPY_SCHEME
from desktop_app.core.markdown.schemes import SAFE_LINK_SCHEMES as SAFE_LINK_SCHEMES
from desktop_app.core.markdown.schemes import THOUGHTS_SCHEME as THOUGHTS_SCHEME


@dataclass(frozen=True)
class CodeTheme:
    """Colours for one theme."""

    name: str
    pygments_style: str
    code_background: str
    code_border: str
    code_header: str
    inline_code_background: str
    muted: str
    table_border: str
    link: str


_THEMES = {
    "light": CodeTheme(
        name="light",
        pygments_style="default",
        code_background="#f6f8fa",
        code_border="#d8dee4",
        code_header="#eaeef2",
        inline_code_background="#eceff3",
        muted="#59636e",
        table_border="#c8d0d8",
        link="#0b62c4",
    ),
    "dark": CodeTheme(
        name="dark",
        pygments_style="one-dark",
        code_background="#282c34",
        code_border="#3b414d",
        code_header="#30353f",
        inline_code_background="#343944",
        muted="#9aa3ad",
        table_border="#4a515d",
        link="#6cb6ff",
    ),
}


def code_theme(dark: bool) -> CodeTheme:
    return _THEMES["dark" if dark else "light"]


@lru_cache(maxsize=64)
def _lexer(language: str) -> Lexer:
    if language:
        try:
            return get_lexer_by_name(language, stripnl=False, ensurenl=False)
        except ClassNotFound:
            pass
    return TextLexer(stripnl=False, ensurenl=False)


@lru_cache(maxsize=4)
def _formatter(style: str) -> HtmlFormatter:
    return HtmlFormatter(style=style, noclasses=True, nowrap=True)


def highlight_code(code: str, language: str, theme: CodeTheme) -> str:
    """``code`` as HTML spans with inline colours (no wrapper element)."""
    return highlight(code, _lexer(language.lower()), _formatter(theme.pygments_style))


def stylesheet(theme: CodeTheme) -> str:
    """The default style sheet for a message document in ``theme``."""
    return (
        "p, ul, ol, blockquote, pre, table, h1, h2, h3, h4, h5, h6"
        " { margin-top: 0px; margin-bottom: 0px; }"
        " li { margin-bottom: 2px; }"
        " h1 { font-size: x-large; } h2 { font-size: large; } h3 { font-size: medium; }"
        f" code {{ background-color: {theme.inline_code_background}; }}"
        f" a {{ color: {theme.link}; }}"
        f" blockquote {{ color: {theme.muted}; }}"
        " th { font-weight: bold; }"
    )


class _Renderer(RendererHTML):
    """HTML for QTextDocument: highlighted code, inert images, task-list boxes."""

    def __init__(self, theme: CodeTheme) -> None:
        super().__init__()
        self.theme = theme

    def fence(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        token = tokens[idx]
        language = token.info.strip().split(maxsplit=1)[0] if token.info.strip() else ""
        return self._code(token.content, language, env)

    def code_block(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        return self._code(tokens[idx].content, "", env)

    def _code(self, code: str, language: str, env: EnvType) -> str:
        number = env.setdefault("code_index", 0)
        env["code_index"] = number + 1
        theme = self.theme
        body = highlight_code(code.rstrip("\n"), language, theme)
        label = html.escape(language) if language else ""
        copy = html.escape(f"{COPY_SCHEME}:{number}")
        return (
            f'<table width="100%" cellspacing="0" cellpadding="6"'
            f' style="border: 1px solid {theme.code_border}; border-style: solid;'
            f' border-collapse: collapse; margin-top: 2px; margin-bottom: 2px;">'
            f'<tr><td style="background-color: {theme.code_header};'
            f' border: 1px solid {theme.code_border};">'
            f'<table width="100%" cellspacing="0" cellpadding="0"><tr>'
            f'<td><span style="color: {theme.muted};">{label}</span></td>'
            f'<td align="right"><a href="{copy}">{env.get("copy_label", "Copy")}</a></td>'
            f"</tr></table></td></tr>"
            f'<tr><td style="background-color: {theme.code_background};'
            f' border: 1px solid {theme.code_border};">'
            f"<pre>{body}</pre></td></tr></table>\n"
        )

    def code_part(
        self, code: str, language: str, number: int, *, first: bool, last: bool, copy_label: str
    ) -> str:
        """One stretch of a long code block that is shown in several pieces, stacked
        without gaps: the first has the header, none has a border of its own."""
        theme = self.theme
        body = highlight_code(code.rstrip("\n") if last else code[:-1], language, theme)
        rows = ""
        if first:
            label = html.escape(language) if language else ""
            copy = html.escape(f"{COPY_SCHEME}:{number}")
            rows += (
                f'<tr><td style="background-color: {theme.code_header};'
                f' padding: 6px;"><table width="100%" cellspacing="0" cellpadding="0"><tr>'
                f'<td><span style="color: {theme.muted};">{label}</span></td>'
                f'<td align="right"><a href="{copy}">{copy_label}</a></td>'
                f"</tr></table></td></tr>"
            )
        top = 6 if first else 0
        bottom = 6 if last else 0
        rows += (
            f'<tr><td style="background-color: {theme.code_background}; padding-left: 6px;'
            f' padding-right: 6px; padding-top: {top}px; padding-bottom: {bottom}px;">'
            f"<pre>{body}</pre></td></tr>"
        )
        return f'<table width="100%" cellspacing="0" cellpadding="0" border="0">{rows}</table>'

    def code_inline(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        return f"<code>&nbsp;{html.escape(tokens[idx].content)}&nbsp;</code>"

    def image(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        # Never an <img>: QTextDocument would load it. A link the user may choose to open.
        token = tokens[idx]
        alt = self.renderInlineAsText(token.children or [], options, env) or "image"
        source = str(token.attrGet("src") or "")
        text = html.escape(env.get("image_label", "Image: %1").replace("%1", alt))
        if source.lower().startswith(SAFE_LINK_SCHEMES):
            return f'<a href="{html.escape(source)}">[{text}]</a>'
        return f"[{text}]"

    def bullet_list_open(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        # A task list shows its check boxes instead of bullets, not beside them.
        if "contains-task-list" in str(tokens[idx].attrGet("class") or ""):
            return '<ul style="list-style-type: none;">\n'
        return self.renderToken(tokens, idx, options, env)

    def html_inline(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        content = tokens[idx].content
        # With ``html`` off, only the task-list plugin makes these: its check boxes.
        if "task-list-item-checkbox" in content:
            return "&#9745;" if 'checked="checked"' in content else "&#9744;"
        return html.escape(content)

    def html_block(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        return f"<p>{html.escape(tokens[idx].content)}</p>"

    def table_open(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        return (
            f'<table cellspacing="0" cellpadding="5" border="1"'
            f' style="border-collapse: collapse; border-color: {self.theme.table_border};'
            f' border-style: solid;">'
        )


class MarkdownRenderer:
    """Renders Markdown text to QTextDocument HTML for one theme.

    ``copy_label`` and ``image_label`` are the (translated) words the output uses.
    """

    def __init__(
        self, theme: CodeTheme, copy_label: str = "Copy", image_label: str = "Image: %1"
    ) -> None:
        self.theme = theme
        self._parser = markdown_parser()
        self._renderer = _Renderer(theme)
        self._labels = {"copy_label": html.escape(copy_label), "image_label": image_label}

    @property
    def stylesheet(self) -> str:
        return stylesheet(self.theme)

    def render_code_part(
        self, code: str, language: str, number: int, *, first: bool, last: bool
    ) -> str:
        """A stretch of whole lines of code block ``number`` (see ``_Renderer.code_part``)."""
        return self._renderer.code_part(
            code,
            language,
            number,
            first=first,
            last=last,
            copy_label=self._labels["copy_label"],
        )

    def render(self, text: str, first_code_index: int = 0) -> tuple[str, int]:
        """``text`` as HTML, and how many code blocks it holds.

        Code blocks are numbered from ``first_code_index`` in their Copy links.
        """
        env: dict[str, Any] = {"code_index": first_code_index, **self._labels}
        tokens = self._parser.parse(text, env)
        rendered = self._renderer.render(tokens, self._parser.options, env)
        return rendered, int(env["code_index"]) - first_code_index
