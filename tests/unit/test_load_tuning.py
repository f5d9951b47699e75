"""How the KV cache and compute passes are set up for the hardware."""

from __future__ import annotations

import pytest

from desktop_app.core.engine.base import EngineError
from desktop_app.core.engine.llama_engine import (
    LoadParams,
    kv_cache_type,
    ubatch_size,
    window_intact,
)

WITH_BF16 = "CPU : AVX2 = 1 | AVX512 = 1 | AVX512_BF16 = 1 | OPENMP = 1 |"
WITHOUT_BF16 = "CPU : AVX2 = 1 | AVX512 = 1 | AVX512_BF16 = 0 | OPENMP = 1 |"
# The engine asks with the layer count its offload plan chose; 0 is a CPU load.


def test_auto_is_bf16_on_a_cpu_that_computes_in_it() -> None:
    assert kv_cache_type(LoadParams(n_gpu_layers=0), WITH_BF16) == "bf16"


def test_auto_keeps_f16_elsewhere() -> None:
    assert kv_cache_type(LoadParams(n_gpu_layers=0), WITHOUT_BF16) == "f16"
    assert kv_cache_type(LoadParams(n_gpu_layers=-1), WITH_BF16) == "f16", "a GPU load"
    assert kv_cache_type(LoadParams(flash_attn=True), WITH_BF16) == "f16"


def test_an_explicit_choice_wins() -> None:
    assert kv_cache_type(LoadParams(kv_cache_type="f16"), WITH_BF16) == "f16"
    assert kv_cache_type(LoadParams(kv_cache_type="bf16"), WITHOUT_BF16) == "bf16"


def test_an_unknown_type_is_a_clear_error() -> None:
    with pytest.raises(EngineError, match="Unknown KV cache type 'q3'"):
        kv_cache_type(LoadParams(kv_cache_type="q3"), WITH_BF16)


def test_cpu_loads_compute_in_smaller_passes() -> None:
    assert ubatch_size(LoadParams(n_gpu_layers=0)) == 256
    assert ubatch_size(LoadParams(n_gpu_layers=-1)) == 512


def test_all_gpu_layers_on_a_build_without_gpu_offload_count_as_cpu() -> None:
    everything = LoadParams(n_gpu_layers=-1)
    assert kv_cache_type(everything, WITH_BF16, gpu_offload=False) == "bf16"
    assert ubatch_size(everything, gpu_offload=False) == 256


def test_going_back_past_a_sliding_window_cache_is_refused() -> None:
    # A 768-cell window cache after 909 tokens holds positions 141..908.
    assert window_intact(cached=900, pos_min=141, n_swa=512), "the next turn"
    assert not window_intact(cached=209, pos_min=141, n_swa=512), "regenerating a long answer"
    assert window_intact(cached=209, pos_min=0, n_swa=512)
    assert not window_intact(cached=209, pos_min=-1, n_swa=512), "an empty cache"
    assert window_intact(cached=209, pos_min=141, n_swa=0), "no sliding window"
    assert window_intact(cached=5, pos_min=-1, n_swa=0), "no sliding window, empty cache"
    assert not window_intact(cached=10, pos_min=-1, n_swa=1), "a window of one token"
    assert not window_intact(cached=100, pos_min=1, n_swa=512), "position 0 is gone"
