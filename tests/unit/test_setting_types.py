"""Every setting type parses and prints its own text: a round trip, and only typed errors.

Property tests with hypothesis over every declared setting (and so over every type in
use): ``from_str(to_str(v)) == v`` for every valid value, and any text at all either
parses to a valid value or raises ``SettingError`` naming the setting, never another
exception.
"""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.core.setting_types import (
    Bool,
    Choice,
    Float,
    Int,
    OptionalInt,
    SettingError,
    SettingType,
    Text,
    TextList,
)
from desktop_app.core.settings import DECLARATIONS

KEYS = sorted(DECLARATIONS)
PROPERTY = settings(deadline=None, max_examples=60)


def valid_values(kind: SettingType) -> st.SearchStrategy[Any]:
    """Every value the type accepts (a new type must add its own strategy here)."""
    if isinstance(kind, Bool):
        return st.booleans()
    if isinstance(kind, Int):
        return st.integers(kind.minimum, kind.maximum)
    if isinstance(kind, OptionalInt):
        return st.none() | st.integers(kind.minimum, kind.maximum)
    if isinstance(kind, Float):
        return st.floats(kind.minimum, kind.maximum, allow_nan=False)
    if isinstance(kind, Choice):
        return st.sampled_from(kind.values)
    if isinstance(kind, Text):
        alphabet = st.characters(exclude_characters="" if kind.multiline else "\r\n")
        return st.text(alphabet, max_size=min(kind.max_length, 300))
    if isinstance(kind, TextList):
        return st.lists(st.text(max_size=40), max_size=kind.max_items).map(tuple)
    raise AssertionError(f"no strategy for {type(kind).__name__}: add one")


def texts_near(kind: SettingType) -> st.SearchStrategy[str]:
    """Texts a person might type: anything, numbers out of range, words, JSON."""
    numbers = st.integers(-(10**40), 10**40).map(str) | st.floats().map(repr)
    words = st.sampled_from(["", " ", "true", "no", "random", "null", "nan", "-inf", "1e999"])
    return st.text(max_size=60) | numbers | words | st.just('["a", 1]') | st.just("[[[[")


@pytest.mark.parametrize("key", KEYS)
@PROPERTY
@given(data=st.data())
def test_every_valid_value_survives_to_str_and_from_str(key: str, data: st.DataObject) -> None:
    kind = DECLARATIONS[key].type
    value = data.draw(valid_values(kind))
    assert kind.check(key, value) == value
    text = kind.to_str(value)
    assert isinstance(text, str)
    back = kind.from_str(key, text)
    assert back == value and type(back) is type(value)


@pytest.mark.parametrize("key", KEYS)
@PROPERTY
@given(data=st.data())
def test_any_text_gives_a_valid_value_or_a_setting_error(key: str, data: st.DataObject) -> None:
    kind = DECLARATIONS[key].type
    text = data.draw(texts_near(kind))
    try:
        value = kind.from_str(key, text)
    except SettingError as exc:
        message = str(exc)
        assert message.startswith(f"'{key}' ") and "\n" not in message
        assert exc.key == key
        return
    assert kind.check(key, value) == value
    if isinstance(value, float):
        assert not math.isnan(value)


@pytest.mark.parametrize(
    ("key", "text", "message"),
    [
        ("generation.temperature", "5", "must be a number from 0 to 2, not 5"),
        ("generation.temperature", "warm", "must be a number from 0 to 2, not 'warm'"),
        ("generation.seed", "-7", "must be random or a whole number from 0 to 2147483647"),
        ("generation.top_k", "2.5", "must be a whole number from 0 to 1000, not '2.5'"),
        ("flash_attn", "maybe", "must be true or false, not 'maybe'"),
        ("theme", "pink", "must be one of 'system', 'light', 'dark', not 'pink'"),
        ("generation.stop", "END", 'must be a list of texts in JSON, like ["END"]'),
        ("models_dir", "a\nb", "must be a single line"),
    ],
)
def test_bad_text_names_the_setting_and_what_it_accepts(key: str, text: str, message: str) -> None:
    with pytest.raises(SettingError) as caught:
        DECLARATIONS[key].type.from_str(key, text)
    assert str(caught.value).startswith(f"'{key}' {message}")


@pytest.mark.parametrize(
    ("key", "text", "value"),
    [
        ("system_prompt", "42", "42"),
        ("generation.seed", "random", None),
        ("generation.seed", "7", 7),
        ("flash_attn", "Yes", True),
        ("generation.temperature", "1", 1.0),
        ("generation.stop", '["END", "###"]', ("END", "###")),
        ("generation.stop", "", ()),
    ],
)
def test_text_means_what_a_person_typed(key: str, text: str, value: object) -> None:
    assert DECLARATIONS[key].type.from_str(key, text) == value
