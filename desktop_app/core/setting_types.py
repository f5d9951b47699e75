"""Typed values for declared settings and presets: each type validates, parses and prints.

Like qutebrowser's ``configtypes``: a declaration names its type once, and the same
type checks a value read from the settings file (``check``, a JSON value), parses
the text typed in the settings dialog or given on the command line (``from_str``)
and prints a value as that text again (``to_str``), so that
``from_str(key, to_str(value)) == value`` for every valid value. A bad value raises
``SettingError`` with a one-line message that names the setting and what it
accepts; no other exception ever comes out of ``check`` or ``from_str``.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any


class SettingError(ValueError):
    """A value that a setting does not accept; the message is meant for the user."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(f"'{key}' {message}")
        self.key = key


_WHOLE = re.compile(r"[+-]?[0-9]{1,30}")
_TRUE = ("true", "yes", "on", "1")
_FALSE = ("false", "no", "off", "0")


def _shown(text: str, limit: int = 40) -> str:
    """A bad text as the message quotes it: repr, cut short."""
    return repr(text if len(text) <= limit else text[:limit] + "…")


def _whole_number(key: str, text: str, accepts: str) -> int:
    if not _WHOLE.fullmatch(text.strip()):
        raise SettingError(key, f"must be {accepts}, not {_shown(text)}")
    return int(text.strip())


class Translatable(str):
    """A text marked for translation that remembers the Qt context it was marked in.

    It is the text itself (compares, prints and saves as a plain ``str``); the UI
    translates it in ``context``, so the context a declaration names is the one its
    translation is looked up in, and a wrong one shows the text untranslated.
    """

    context: str

    def __new__(cls, context: str, text: str) -> Translatable:
        made = super().__new__(cls, text)
        made.context = context
        return made

    def __getnewargs__(self) -> tuple[str, str]:  # type: ignore[override]
        """Copies and pickles keep the context."""
        return (self.context, str(self))


def QT_TRANSLATE_NOOP(context: str, text: str) -> Translatable:
    """Mark ``text`` for Qt's translation tools without importing Qt into core.

    ``pyside6-lupdate`` finds calls by this name and files the text under ``context``;
    the UI translates it at display time with
    ``QCoreApplication.translate(text.context, text)``.
    """
    return Translatable(context, text)


@dataclass(frozen=True)
class SettingType:
    """Base of every setting type; ``check`` returns the value in its canonical form."""

    def check(self, key: str, value: Any) -> Any:
        """The value as stored (a JSON value) in canonical form, or ``SettingError``."""
        raise NotImplementedError

    def from_str(self, key: str, text: str) -> Any:
        """The value that ``text`` (typed by a person) stands for, or ``SettingError``."""
        raise NotImplementedError

    def to_str(self, value: Any) -> str:
        """``value`` as the text that ``from_str`` reads back to the same value."""
        return str(value)

    def describe(self) -> str:
        """What the type accepts, for messages and ``hearth settings list``."""
        raise NotImplementedError


@dataclass(frozen=True)
class Bool(SettingType):
    def check(self, key: str, value: Any) -> bool:
        if not isinstance(value, bool):
            raise SettingError(key, f"must be true or false, not {value!r}")
        return value

    def from_str(self, key: str, text: str) -> bool:
        word = text.strip().lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
        raise SettingError(key, f"must be true or false, not {_shown(text)}")

    def to_str(self, value: Any) -> str:
        return "true" if value else "false"

    def describe(self) -> str:
        return "true or false"


@dataclass(frozen=True)
class Int(SettingType):
    minimum: int
    maximum: int
    special: tuple[tuple[int, str], ...] = ()
    """Values with a meaning of their own (0 = automatic…), shown by name in the UI."""

    def check(self, key: str, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            else:
                raise SettingError(key, f"must be a whole number, not {value!r}")
        if not self.minimum <= value <= self.maximum:
            raise SettingError(key, f"must be {self.describe()}, not {value}")
        return value

    def from_str(self, key: str, text: str) -> int:
        word = text.strip().lower()
        for value, label in self.special:
            # A special value by its name too: "auto" or "automatic", "all", "off"…
            if word == label.lower() or (word == "auto" and label.lower() == "automatic"):
                return value
        return self.check(key, _whole_number(key, text, self.describe()))

    def describe(self) -> str:
        return f"a whole number from {self.minimum} to {self.maximum}"


@dataclass(frozen=True)
class Float(SettingType):
    minimum: float
    maximum: float
    decimals: int = 2

    def check(self, key: str, value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise SettingError(key, f"must be a number, not {value!r}")
        value = float(value)
        if math.isnan(value) or not self.minimum <= value <= self.maximum:
            raise SettingError(key, f"must be {self.describe()}, not {value:g}")
        return value

    def from_str(self, key: str, text: str) -> float:
        try:
            value = float(text.strip())
        except ValueError:
            raise SettingError(key, f"must be {self.describe()}, not {_shown(text)}") from None
        return self.check(key, value)

    def to_str(self, value: Any) -> str:
        return repr(float(value))

    def describe(self) -> str:
        return f"a number from {self.minimum:g} to {self.maximum:g}"


@dataclass(frozen=True)
class OptionalInt(SettingType):
    """A whole number or nothing (a seed: nothing means a new random one each time)."""

    minimum: int
    maximum: int
    none_label: str = "random"

    def check(self, key: str, value: Any) -> int | None:
        if value is None:
            return None
        try:
            return Int(self.minimum, self.maximum).check(key, value)
        except SettingError:
            shown = value if isinstance(value, int) else repr(value)
            raise SettingError(key, f"must be {self.describe()}, not {shown}") from None

    def from_str(self, key: str, text: str) -> int | None:
        if text.strip().lower() in ("", self.none_label, "null", "none"):
            return None
        return self.check(key, _whole_number(key, text, self.describe()))

    def to_str(self, value: Any) -> str:
        return self.none_label if value is None else str(value)

    def describe(self) -> str:
        return f"{self.none_label} or a whole number from {self.minimum} to {self.maximum}"


@dataclass(frozen=True)
class Choice(SettingType):
    choices: tuple[tuple[str, str], ...]
    """(stored value, label) pairs; labels are marked for translation."""

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(value for value, _ in self.choices)

    def check(self, key: str, value: Any) -> str:
        if value not in self.values:
            raise SettingError(key, f"must be {self.describe()}, not {value!r}")
        return value

    def from_str(self, key: str, text: str) -> str:
        if text.strip() not in self.values:
            raise SettingError(key, f"must be {self.describe()}, not {_shown(text)}")
        return text.strip()

    def describe(self) -> str:
        return "one of " + ", ".join(repr(v) for v in self.values)


@dataclass(frozen=True)
class Text(SettingType):
    max_length: int = 100_000
    multiline: bool = False
    folder: bool = False
    """A folder path (the UI offers a Browse button; empty means the default folder)."""

    def check(self, key: str, value: Any) -> str:
        if not isinstance(value, str):
            raise SettingError(key, f"must be text, not {value!r}")
        if len(value) > self.max_length:
            raise SettingError(key, f"must be at most {self.max_length} characters long")
        if not self.multiline and ("\n" in value or "\r" in value):
            raise SettingError(key, "must be a single line")
        return value

    def from_str(self, key: str, text: str) -> str:
        """Any text is taken as it is (``42`` is the text "42", not a number)."""
        return self.check(key, text)

    def describe(self) -> str:
        kind = "a folder path" if self.folder else "text"
        return kind if self.multiline else f"{kind} on one line"


@dataclass(frozen=True)
class TextList(SettingType):
    max_items: int = 16

    def check(self, key: str, value: Any) -> tuple[str, ...]:
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            raise SettingError(key, f"must be a list of texts, not {value!r}")
        if len(value) > self.max_items:
            raise SettingError(key, f"must hold at most {self.max_items} items")
        return tuple(value)

    def from_str(self, key: str, text: str) -> tuple[str, ...]:
        """A JSON list of texts, like ``["END", "###"]``; an empty text is the empty list."""
        if not text.strip():
            return ()
        try:
            value = json.loads(text)
        except (ValueError, RecursionError):
            raise SettingError(key, f"must be {self.describe()}, not {_shown(text)}") from None
        return self.check(key, value)

    def to_str(self, value: Any) -> str:
        return json.dumps(list(value), ensure_ascii=False)

    def describe(self) -> str:
        return 'a list of texts in JSON, like ["END"]'
