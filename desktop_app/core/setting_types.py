"""Typed values for declared settings and presets: each type validates and explains itself.

Like qutebrowser's ``configtypes``: a declaration names its type once, and the same
type checks a value read from a file, a value typed in the settings dialog and a
value given on the command line. A bad value raises ``SettingError`` with a one-line
message that names the setting and what it accepts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any


class SettingError(ValueError):
    """A value that a setting does not accept; the message is meant for the user."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(f"'{key}' {message}")
        self.key = key


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Mark ``text`` for Qt's translation tools without importing Qt into core.

    ``pyside6-lupdate`` finds calls by this name; the UI translates the text at
    display time with ``QCoreApplication.translate(context, text)``.
    """
    del context
    return text


@dataclass(frozen=True)
class SettingType:
    """Base of every setting type; ``check`` returns the value in its canonical form."""

    def check(self, key: str, value: Any) -> Any:
        raise NotImplementedError

    def describe(self) -> str:
        raise NotImplementedError


@dataclass(frozen=True)
class Bool(SettingType):
    def check(self, key: str, value: Any) -> bool:
        if not isinstance(value, bool):
            raise SettingError(key, f"must be true or false, not {value!r}")
        return value

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
        return Int(self.minimum, self.maximum).check(key, value)

    def describe(self) -> str:
        return f"{self.none_label} (null) or a whole number from {self.minimum} to {self.maximum}"


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

    def describe(self) -> str:
        return "a folder path" if self.folder else "text"


@dataclass(frozen=True)
class TextList(SettingType):
    max_items: int = 16

    def check(self, key: str, value: Any) -> tuple[str, ...]:
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            raise SettingError(key, f"must be a list of texts, not {value!r}")
        if len(value) > self.max_items:
            raise SettingError(key, f"must hold at most {self.max_items} items")
        return tuple(value)

    def describe(self) -> str:
        return "a list of texts"
