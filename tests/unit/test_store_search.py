"""Full-text search: English words and Chinese words inside sentences, snippets, titles."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.core.chats.model import FinishReason, GenerationStats
from desktop_app.core.chats.search import index_text, make_snippet, match_expression
from desktop_app.core.chats.store import Store


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(tmp_path / "hearth.sqlite3")


def _exchange(store: Store, question: str, answer: str) -> tuple[int, int, int]:
    conversation = store.create_conversation()
    asked = store.add_user_message(conversation.id, question)
    answer_id = store.begin_answer(conversation.id, "Tiny")
    store.finish_answer(answer_id, answer, FinishReason.STOP, GenerationStats())
    return conversation.id, asked.id, answer_id


def test_a_two_character_chinese_word_is_found_inside_a_sentence(store: Store) -> None:
    conversation_id, question_id, _ = _exchange(store, "今天天气很好", "是的")
    _exchange(store, "天空很蓝", "气温不高")  # 天 and 气 appear, but never as 天气

    hits = store.search("天气")

    assert [(h.conversation_id, h.message_id) for h in hits if h.message_id] == [
        (conversation_id, question_id)
    ]
    message_hit = next(h for h in hits if h.message_id)
    assert message_hit.snippet.marked() == "今天[天气]很好"


def test_single_chinese_characters_and_longer_words_match(store: Store) -> None:
    _, question_id, _ = _exchange(store, "我喜欢北京的秋天", "好")
    assert question_id in {h.message_id for h in store.search("秋")}
    assert question_id in {h.message_id for h in store.search("北京的秋天")}
    assert question_id not in {h.message_id for h in store.search("北京秋天")}


def test_an_english_word_inside_a_sentence_is_found_by_its_prefix(store: Store) -> None:
    _, _, answer_id = _exchange(store, "hi", "The quick brown fox jumps over the lazy dog.")
    assert [h.message_id for h in store.search("BROWN")] == [answer_id]
    assert [h.message_id for h in store.search("bro")] == [answer_id]
    assert [h.message_id for h in store.search("lazy fox")] == [answer_id]
    assert store.search("lazy cat") == []
    assert store.search("row") == []  # a prefix of a word, never the middle of one


def test_mixed_text_and_titles(store: Store) -> None:
    conversation_id, question_id, _ = _exchange(store, "用Python写一个排序算法", "ok")
    store.rename_conversation(conversation_id, "Sorting 算法")
    hits = store.search("python 排序")
    assert [h.message_id for h in hits] == [question_id]
    title_hits = store.search("sorting")
    assert [(h.conversation_id, h.message_id) for h in title_hits] == [(conversation_id, None)]
    assert title_hits[0].snippet.marked() == "[Sorting] 算法"


def test_a_streaming_answer_is_indexed_when_it_finishes(store: Store) -> None:
    conversation = store.create_conversation()
    store.add_user_message(conversation.id, "count")
    answer_id = store.begin_answer(conversation.id, "Tiny")
    store.update_answer(answer_id, "one two three")
    assert store.search("three") == []
    store.finish_answer(answer_id, "one two three four", FinishReason.STOP, GenerationStats())
    assert [h.message_id for h in store.search("three")] == [answer_id]
    assert [h.message_id for h in store.search("four")] == [answer_id]


def test_deleted_messages_and_conversations_leave_the_index(store: Store) -> None:
    conversation_id, question_id, answer_id = _exchange(store, "penguins", "penguins swim")
    store.delete_message(answer_id)
    assert [h.message_id for h in store.search("penguins") if h.message_id] == [question_id]
    store.delete_conversation(conversation_id)
    assert store.search("penguins") == []


def test_queries_with_operators_or_quotes_are_plain_words(store: Store) -> None:
    _, question_id, _ = _exchange(store, 'say "AND" or NOT', "ok")
    hits = store.search('"AND" OR (NOT')
    assert [h.message_id for h in hits if h.message_id] == [question_id]
    assert store.search('"*()') == []
    assert match_expression("  ") is None


def test_index_text_writes_cjk_as_bigrams_and_single_characters() -> None:
    assert index_text("hello world") == "hello world"
    assert index_text("今天天气") == "今天 天天 天气 今 天 天 气"
    assert index_text("GPT模型") == "GPT 模型 模 型"


def test_a_snippet_is_cut_from_the_original_text_around_the_match() -> None:
    text = "word " * 100 + "needle in a haystack " + "tail " * 100
    snippet = make_snippet(text, "needle")
    assert snippet.text.startswith("…") and snippet.text.endswith("…")
    assert len(snippet.text) < 100
    [(start, end)] = snippet.highlights
    assert snippet.text[start:end] == "needle"
