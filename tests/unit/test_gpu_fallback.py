"""A GPU load that fails falls back to fewer layers, then to the CPU, with a notice."""

from __future__ import annotations

import pytest

from desktop_app.core.gpu.fallback import LoadCancelledError, attempts, load_with_fallback

# Each failed GPU attempt and each fallback is logged as a warning, as it should be.
pytestmark = pytest.mark.allow_log("hearth.gpu")


def test_attempts_go_from_the_plan_to_half_to_the_cpu() -> None:
    assert attempts(27, 26) == [27, 13, 0]
    assert attempts(-1, 26) == [-1, 13, 0]
    assert attempts(1, 26) == [1, 0]
    assert attempts(0, 26) == [0]


class FailingGpu:
    """Fails every load with more than ``fits`` layers, like a device that is too small."""

    def __init__(self, fits: int) -> None:
        self.fits = fits
        self.calls: list[tuple[int, bool]] = []

    def __call__(self, layers: int, cpu_only: bool) -> str:
        self.calls.append((layers, cpu_only))
        if layers > self.fits or layers < 0:
            raise ValueError("unable to allocate Vulkan0 buffer")
        return f"model with {layers} layers"


def test_a_load_that_fits_needs_no_fallback() -> None:
    load = FailingGpu(fits=27)
    loaded = load_with_fallback(load, 27, 26)
    assert loaded.n_gpu_layers == 27 and loaded.notice == ""
    assert load.calls == [(27, False)]


def test_too_many_layers_fall_back_to_half(caplog: pytest.LogCaptureFixture) -> None:
    load = FailingGpu(fits=13)
    loaded = load_with_fallback(load, 27, 26)
    assert [r.getMessage() for r in caplog.records] == [
        "GPU load with 27 layers failed: unable to allocate Vulkan0 buffer",
        loaded.notice,
    ]
    assert loaded.value == "model with 13 layers"
    assert loaded.notice == (
        "GPU load failed (unable to allocate Vulkan0 buffer); running with 13 GPU layers instead."
    )


def test_a_gpu_that_takes_nothing_falls_back_to_the_cpu_without_it() -> None:
    load = FailingGpu(fits=0)
    loaded = load_with_fallback(load, -1, 26)
    assert load.calls == [(-1, False), (13, False), (0, True)]
    assert loaded.n_gpu_layers == 0
    assert loaded.notice.endswith("running on the CPU instead.")


def test_a_cpu_failure_reaches_the_caller() -> None:
    def never(_layers: int, _cpu_only: bool) -> str:
        raise ValueError("the file is damaged")

    with pytest.raises(ValueError, match="damaged"):
        load_with_fallback(never, 0, 26)
    with pytest.raises(ValueError, match="damaged"):
        load_with_fallback(never, 27, 26)


def test_a_cancelled_load_is_not_retried() -> None:
    calls = []

    def cancelled(layers: int, _cpu_only: bool) -> str:
        calls.append(layers)
        raise LoadCancelledError

    with pytest.raises(LoadCancelledError):
        load_with_fallback(cancelled, 27, 26)
    assert calls == [27]


@pytest.mark.parametrize(
    "reason",
    [
        "llama_model_load: error loading model: error loading model architecture: "
        "unknown model architecture: 'made-up'",
        "error loading model hyperparameters: key not found in model: llama.context_length",
        "llama_model_load: error loading model: tensor 'blk.0.attn_q.weight' data is not "
        "within the file bounds, model is corrupted or incomplete",
    ],
)
def test_a_model_file_failure_is_not_retried_on_other_devices(reason: str) -> None:
    """Guards: only the GPU's failures fall back. A file llama.cpp cannot read fails the
    same way on the CPU, so retrying it would only make the user wait for three loads
    before hearing what is wrong with the file."""
    calls = []

    def broken_file(layers: int, _cpu_only: bool) -> str:
        calls.append(layers)
        raise ValueError("Failed to load model from file: model.gguf")

    with pytest.raises(ValueError, match="Failed to load model"):
        load_with_fallback(broken_file, 27, 26, failure_reason=lambda _exc: reason)
    assert calls == [27]


def test_a_device_failure_with_a_bland_exception_is_still_retried() -> None:
    """llama-cpp-python's exception names only the file; the reason from llama.cpp's log
    decides, so a device failure behind the same exception still falls back."""
    calls = []

    def small_gpu(layers: int, _cpu_only: bool) -> str:
        calls.append(layers)
        if layers:
            raise ValueError("Failed to load model from file: model.gguf")
        return "on the CPU"

    reason = "ggml_backend_vk_buffer_type_alloc_buffer: unable to allocate Vulkan0 buffer"
    loaded = load_with_fallback(small_gpu, 27, 26, failure_reason=lambda _exc: reason)
    assert calls == [27, 13, 0] and loaded.value == "on the CPU"
