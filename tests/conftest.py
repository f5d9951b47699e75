"""Fixtures shared by every test layer."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.tiny_embedder import write_tiny_embedder
from tests.tiny_model import write_tiny_model

pytest_plugins = ["tests.fake_hub", "tests.logfail", "pytester"]

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
# No test reaches the user's real keyring, and a backend class that a test defines
# (keyring registers every subclass) can never become the default for later tests.
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny random-weight GGUF with a real BPE tokenizer and a ChatML template."""
    return write_tiny_model(tmp_path_factory.mktemp("models") / "tiny.gguf")


@pytest.fixture(scope="session")
def tiny_model_without_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_tiny_model(
        tmp_path_factory.mktemp("models") / "tiny-no-template.gguf", chat_template=None
    )


@pytest.fixture(scope="session")
def tiny_embedder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny random-weight BERT embedding GGUF (mean pooling) with the same tokenizer."""
    return write_tiny_embedder(tmp_path_factory.mktemp("models") / "tiny-embed.gguf")


@pytest.fixture
def hearth_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private HEARTH_HOME for one test: config, data and models all under it."""
    home = tmp_path / "hearth-home"
    monkeypatch.setenv("HEARTH_HOME", str(home))
    return home
