"""A structured (JSON) answer shown as a readable card, with the raw JSON a click away.

The card reads the answer's fields: a "sentiment"-style label with its confidence and
reasons gets a headline, a bar and a list; any other object becomes a table of its
fields. Everything shown is escaped text: an answer is data, never markup.
"""

from __future__ import annotations

import html
import json
from typing import Any

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

SENTIMENT_COLOURS = {
    "positive": "#2e7d32",
    "negative": "#c62828",
    "neutral": "#546e7a",
    "mixed": "#ef6c00",
}


def parse_structured(text: str) -> dict[str, Any] | None:
    """The answer as a JSON object, or None when it is not one (plain text, cut JSON)."""
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _value_html(value: Any) -> str:
    if isinstance(value, list):
        return "<ul>" + "".join(f"<li>{_value_html(v)}</li>" for v in value) + "</ul>"
    if isinstance(value, dict):
        return card_html(value)
    if isinstance(value, bool) or value is None:
        return html.escape(json.dumps(value))
    return html.escape(str(value))


def card_html(data: dict[str, Any]) -> str:
    """Rich text for one JSON object."""
    parts: list[str] = []
    label = data.get("sentiment")
    if isinstance(label, str):
        colour = SENTIMENT_COLOURS.get(label.lower(), "#37474f")
        parts.append(
            f'<p style="font-size:large; font-weight:bold; color:{colour}">'
            f"{html.escape(label.capitalize())}</p>"
        )
        confidence = data.get("confidence")
        if isinstance(confidence, (int, float)) and not isinstance(confidence, bool):
            percent = max(0, min(100, round(confidence * 100)))
            parts.append(
                f"<p>{percent} %&nbsp;"
                f'<span style="color:{colour}">{"█" * (percent // 10)}</span>'
                f'<span style="color:#cfd8dc">{"█" * (10 - percent // 10)}</span></p>'
            )
    rest = {
        k: v
        for k, v in data.items()
        if not (isinstance(label, str) and k in ("sentiment", "confidence"))
    }
    if rest:
        rows = "".join(
            f'<tr><td style="padding-right:12px; vertical-align:top"><b>'
            f"{html.escape(str(key).replace('_', ' ').capitalize())}</b></td>"
            f"<td>{_value_html(value)}</td></tr>"
            for key, value in rest.items()
        )
        parts.append(f"<table>{rows}</table>")
    return "".join(parts)


class AnswerCard(QWidget):
    """The card for one structured answer, and a button that shows its raw JSON."""

    def __init__(self, data: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.card = QLabel(card_html(data), self)
        self.card.setTextFormat(Qt.TextFormat.RichText)
        self.card.setWordWrap(True)
        self.card.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.toggle = QPushButton(self.tr("Show JSON"), self)
        self.toggle.setCheckable(True)
        self.toggle.setFlat(True)
        self.raw = QPlainTextEdit(json.dumps(data, indent=2, ensure_ascii=False), self)
        self.raw.setReadOnly(True)
        self.raw.setVisible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.card)
        layout.addWidget(self.toggle, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.raw)
        self.toggle.toggled.connect(self._show_raw)

    @Slot(bool)
    def _show_raw(self, shown: bool) -> None:
        self.raw.setVisible(shown)
        self.toggle.setText(self.tr("Hide JSON") if shown else self.tr("Show JSON"))


def answer_card(text: str, parent: QWidget | None = None) -> AnswerCard | None:
    """A card for ``text`` when it is a JSON object, else None (show it as text)."""
    data = parse_structured(text)
    return AnswerCard(data, parent) if data is not None else None
