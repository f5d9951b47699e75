"""Markdown as plain text (for "Copy as plain text") and the source of its code blocks."""

from __future__ import annotations

from markdown_it.token import Token

from desktop_app.core.markdown.parser import markdown_parser


def code_blocks(text: str) -> list[str]:
    """The contents of every code block in ``text``, in order (as numbered in Copy links)."""
    return [
        token.content
        for token in markdown_parser().parse(text)
        if token.type in ("fence", "code_block")
    ]


def _inline_text(children: list[Token]) -> str:
    parts: list[str] = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif child.type == "image":
            parts.append(_inline_text(child.children or []))
        elif child.type == "html_inline" and "task-list-item-checkbox" in child.content:
            parts.append("[x]" if 'checked="checked"' in child.content else "[ ]")
        elif child.type == "html_inline":
            parts.append(child.content)
    return "".join(parts)


def to_plain_text(text: str) -> str:
    """What a reader sees, without Markdown syntax: paragraphs, list items, table rows
    (cells separated by tabs) and code, separated by blank lines."""
    blocks: list[str] = []
    list_stack: list[list[int]] = []
    """For each open list: [is_ordered, next number]."""
    row: list[str] | None = None
    quote_depth = 0
    pending_bullet = ""
    for token in markdown_parser().parse(text):
        kind = token.type
        if kind == "bullet_list_open":
            list_stack.append([0, 0])
        elif kind == "ordered_list_open":
            list_stack.append([1, int(token.attrGet("start") or 1)])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            list_stack.pop()
        elif kind == "list_item_open" and list_stack:
            ordered, number = list_stack[-1]
            indent = "  " * (len(list_stack) - 1)
            pending_bullet = f"{indent}{number}. " if ordered else f"{indent}• "
            list_stack[-1][1] = number + 1
        elif kind == "blockquote_open":
            quote_depth += 1
        elif kind == "blockquote_close":
            quote_depth -= 1
        elif kind == "tr_open":
            row = []
        elif kind == "tr_close" and row is not None:
            blocks.append("\t".join(row))
            row = None
        elif kind == "inline":
            content = _inline_text(token.children or [])
            if row is not None:
                row.append(content)
                continue
            prefix = "> " * quote_depth
            content = prefix + pending_bullet + content.replace("\n", "\n" + prefix)
            pending_bullet = ""
            blocks.append(content)
        elif kind in ("fence", "code_block"):
            blocks.append(token.content.rstrip("\n"))
        elif kind == "hr":
            blocks.append("―" * 10)
    return _join(blocks, text)


def _join(blocks: list[str], source: str) -> str:
    # List items and table rows read best one per line; other blocks apart.
    lines: list[str] = []
    for block in blocks:
        tight = block.lstrip().startswith(("• ",)) or "\t" in block or block[:1].isdigit()
        if lines and not tight:
            lines.append("")
        lines.append(block)
    return "\n".join(lines) if source.strip() else ""
