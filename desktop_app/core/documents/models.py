"""Which installed model embeds documents.

An embedding model is recognised by its GGUF header: an encoder architecture (BERT and
its kin, which is what nomic-embed and bge-m3 are) or a declared pooling type. The
first such model in the library is used unless one is named.
"""

from __future__ import annotations

from pathlib import Path

from desktop_app.core.models.gguf_info import GGUFError, GGUFInfo, read_gguf_info
from desktop_app.core.models.library import Library

ENCODER_ARCHITECTURES = frozenset(
    {
        "bert",
        "nomic-bert",
        "nomic-bert-moe",
        "jina-bert-v2",
        "jina-bert-v3",
        "modern-bert",
        "neo-bert",
        "eurobert",
        "gemma-embedding",
        "t5encoder",
    }
)


def is_embedding_model(info: GGUFInfo) -> bool:
    return (
        info.architecture in ENCODER_ARCHITECTURES
        or f"{info.architecture}.pooling_type" in info.metadata
    )


def installed_embedding_model(library: Library) -> Path | None:
    """The first installed model that is an embedding model, if any."""
    for model in library.models():
        if not model.available:
            continue
        try:
            info = read_gguf_info(model.path)
        except (OSError, GGUFError):
            continue
        if is_embedding_model(info):
            return model.path
    return None
