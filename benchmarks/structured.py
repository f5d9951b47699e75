"""Structured output: tokens/s under a JSON-schema grammar against free text, and the
cost of compiling a schema.

Usage: python benchmarks/structured.py --model PATH|tiny|gemma [--runs 5]

Each run generates greedily from the same prompt, in turn:

- free: no grammar, ``ignore_eos``, as many tokens as the constrained answer had;
- constrained: the answer under the grammar of a schema that yields a long answer
  (a list of 3 records with bounded strings), sampled as Hearth does it (the chain
  first, the grammar asked about the chosen token, a full mask only when it refuses);
- masked (``--masked``): the same, with the grammar applied to the whole vocabulary on
  every token (what putting the grammar in llama-cpp-python's sampler chain costs).

Rates are decode rates (first to last token, prefill excluded) from the engine's own
stats; the last lines print medians and the ratios constrained / free and masked /
free. Compile cost: the converter (schema → GBNF, uncached) and llama.cpp parsing the
grammar into a sampler, medians over 20 compilations of each schema.
"""

from __future__ import annotations

import argparse
import ctypes
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._models import resolve_model
from desktop_app.core.engine import sequence as sequence_module
from desktop_app.core.engine.base import ChatTurn, Finished, GenerationParams, TextDelta
from desktop_app.core.engine.llama_engine import LlamaEngine, LoadParams
from desktop_app.core.presets import builtin_presets
from desktop_app.core.structured import sampling
from desktop_app.core.structured.schema import _grammar_for, compile_schema

PROMPT = (
    "List three famous books as JSON records with a title, an author, the year and a "
    "one-sentence summary."
)
LONG_SCHEMA: dict[str, Any] = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {
            "title": {"type": "string", "maxLength": 60},
            "author": {"type": "string", "maxLength": 40},
            "year": {"type": "integer"},
            "summary": {"type": "string", "maxLength": 200},
        },
        "required": ["title", "author", "year", "summary"],
    },
    "minItems": 3,
    "maxItems": 3,
}


class FullMask(sampling.GrammarSampling):
    """The grammar applied to every candidate on every token, then the chain."""

    def sample(self, chain: Any, ctx: Any, index: int) -> int:
        lib = self._lib
        candidates = self._candidates(ctx, index)
        lib.llama_sampler_apply(self._grammar, ctypes.byref(candidates))
        lib.llama_sampler_apply(chain, ctypes.byref(candidates))
        token = int(self._data["id"][candidates.selected])
        self.sampled += 1
        lib.llama_sampler_accept(self._grammar, token)
        lib.llama_sampler_accept(chain, token)
        return token


def run(engine: LlamaEngine, params: GenerationParams) -> tuple[str, Finished]:
    parts: list[str] = []
    finished = None
    for event in engine.stream_chat([ChatTurn("user", PROMPT)], params):
        if isinstance(event, TextDelta):
            parts.append(event.text)
        else:
            finished = event
    assert finished is not None
    return "".join(parts), finished


def compile_costs(engine: LlamaEngine, schemas: dict[str, Any], repeats: int = 20) -> None:
    import json

    import llama_cpp

    vocab = llama_cpp.llama_model_get_vocab(engine._llm._model.model)
    for name, schema in schemas.items():
        convert, parse = [], []
        for _ in range(repeats):
            started = time.perf_counter()
            grammar = _grammar_for.__wrapped__(json.dumps(schema))
            convert.append(time.perf_counter() - started)
            started = time.perf_counter()
            made = llama_cpp.llama_sampler_init_grammar(vocab, grammar.encode(), b"root")
            parse.append(time.perf_counter() - started)
            llama_cpp.llama_sampler_free(made)
        print(
            f"compile {name:<10} convert_ms={statistics.median(convert) * 1000:.2f} "
            f"grammar_init_ms={statistics.median(parse) * 1000:.2f} "
            f"rules={grammar.count('::=')}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="tiny")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--masked", action="store_true", help="also time a full mask per token")
    args = parser.parse_args()
    path = resolve_model(args.model)
    engine = LlamaEngine(path, LoadParams(n_ctx=4096))
    print(f"model: {path.name}, vocabulary {engine._llm.n_vocab()} tokens")
    grammar = compile_schema(LONG_SCHEMA).grammar
    started = time.perf_counter()
    sampling.utf8_classes(engine._llm.n_vocab(), engine._token_bytes)
    print(
        f"utf8 classes (once per model, part of the load): "
        f"{(time.perf_counter() - started) * 1000:.0f} ms"
    )
    made: list[sampling.GrammarSampling] = []
    original = sequence_module.grammar_sampler

    def counting(kind: type[sampling.GrammarSampling]) -> Any:
        def build(lib: Any, llm: Any, text: str | None, token_bytes: Any) -> Any:
            if not text:
                return None
            original(lib, llm, text, token_bytes).close()  # finds the UTF-8 classes once
            vocab = lib.llama_model_get_vocab(llm._model.model)
            sampler = kind(lib, vocab, llm.n_vocab(), text, sampling._CLASSES[llm])
            made.append(sampler)
            return sampler

        return build

    rates: dict[str, list[float]] = {"free": [], "constrained": [], "masked": []}
    resampled: list[float] = []
    full_masks: list[int] = []
    tokens = 0
    for index in range(args.runs):
        sequence_module.grammar_sampler = counting(sampling.GrammarSampling)
        params = GenerationParams(max_tokens=3000, temperature=0.0, seed=1, grammar=grammar)
        text, finished = run(engine, params)
        tokens = finished.stats.generated_tokens
        rates["constrained"].append(finished.stats.tokens_per_s or 0.0)
        resampled.append(made[-1].resampled / max(1, made[-1].sampled))
        full_masks.append(made[-1].full_masks)
        if index == 0:
            print("constrained answer begins:", text[:200].replace("\n", " "))
        if args.masked:
            sequence_module.grammar_sampler = counting(FullMask)
            _, masked = run(engine, params)
            rates["masked"].append(masked.stats.tokens_per_s or 0.0)
        sequence_module.grammar_sampler = original
        free_params = GenerationParams(max_tokens=tokens, temperature=0.0, seed=1, ignore_eos=True)
        _, free = run(engine, free_params)
        rates["free"].append(free.stats.tokens_per_s or 0.0)
        print(
            f"run {index + 1}: tokens={tokens} free={rates['free'][-1]:.1f} "
            f"constrained={rates['constrained'][-1]:.1f} tok/s reason={finished.reason.value} "
            f"resampled={resampled[-1]:.1%} full_masks={full_masks[-1]}"
            + (f" masked={rates['masked'][-1]:.1f} tok/s" if args.masked else "")
        )
    sentiment = next(p for p in builtin_presets() if p.id == "sentiment").response_schema
    compile_costs(engine, {"long": LONG_SCHEMA, "sentiment": dict(sentiment or {})})
    free, constrained = (statistics.median(rates[k]) for k in ("free", "constrained"))
    masked = f" masked_ratio={statistics.median(rates['masked']) / free:.2f}" if args.masked else ""
    print(
        f"free_tok_s={free:.1f} constrained_tok_s={constrained:.1f} "
        f"ratio={constrained / free:.2f}{masked} resampled={statistics.median(resampled):.1%}"
    )
    engine.close()


if __name__ == "__main__":
    main()
