"""The vocabulary's UTF-8 classes (for constrained answers) are found while the model
loads, so the first constrained answer does not scan the vocabulary."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop_app.core.engine.base import ChatTurn, GenerationParams, TextDelta
from desktop_app.core.engine.llama_engine import LlamaEngine
from desktop_app.core.structured import sampling
from desktop_app.core.structured.schema import compile_schema

pytestmark = pytest.mark.integration


def test_the_scan_happens_at_load_not_on_the_first_constrained_answer(
    tiny_model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scans: list[int] = []
    real = sampling.utf8_classes

    def counting(n_vocab: int, token_bytes):  # type: ignore[no-untyped-def]
        scans.append(n_vocab)
        return real(n_vocab, token_bytes)

    monkeypatch.setattr(sampling, "utf8_classes", counting)
    engine = LlamaEngine(tiny_model)
    try:
        assert len(scans) == 1  # during the load
        schema = {"type": "object", "properties": {"ok": {"type": "boolean"}}, "required": ["ok"]}
        params = GenerationParams(max_tokens=60, seed=5, grammar=compile_schema(schema).grammar)
        text = "".join(
            event.text
            for event in engine.stream_chat([ChatTurn("user", "ok?")], params)
            if isinstance(event, TextDelta)
        )
        assert isinstance(json.loads(text)["ok"], bool)
        assert len(scans) == 1  # the answer found them ready
    finally:
        engine.close()
