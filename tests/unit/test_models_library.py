"""The installed-model library and the catalog."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop_app.core.models.catalog import CatalogError, find, load_catalog, recommended
from desktop_app.core.models.fit import GIB, Fit, Machine, estimate, format_size
from desktop_app.core.models.library import Library, LibraryError, shard_paths, split_parts


def test_import_by_copy_lists_the_model_with_an_id_and_sha256(
    tiny_model: Path, tmp_path: Path
) -> None:
    library = Library(tmp_path / "models")
    model = library.import_file(tiny_model)
    assert model.id == "tiny"
    assert model.path.parent == tmp_path / "models" / "tiny"
    assert model.path.read_bytes() == tiny_model.read_bytes()
    assert len(model.files[0].sha256) == 64
    assert not model.referenced
    again = Library(tmp_path / "models").get("tiny")
    assert again == model, "the manifest keeps it across instances"
    assert library.disk_used() == tiny_model.stat().st_size
    assert library.info("tiny").architecture == "llama"


def test_import_by_reference_keeps_the_file_where_it_is(tiny_model: Path, tmp_path: Path) -> None:
    library = Library(tmp_path / "models")
    model = library.import_file(tiny_model, copy=False)
    assert model.referenced and model.path == tiny_model.resolve()
    assert library.disk_used() == 0
    with pytest.raises(LibraryError, match="already installed"):
        library.import_file(tiny_model, copy=False)
    library.remove(model.id)
    assert tiny_model.is_file(), "removing a referenced model never deletes the user's file"
    assert library.models() == []


def test_remove_deletes_copied_files(tiny_model: Path, tmp_path: Path) -> None:
    library = Library(tmp_path / "models")
    model = library.import_file(tiny_model)
    library.remove(model.id)
    assert not model.path.exists() and not (tmp_path / "models" / model.id).exists()
    with pytest.raises(LibraryError, match="no installed model"):
        library.remove(model.id)


def test_a_broken_file_is_refused_with_the_reason(tmp_path: Path) -> None:
    bad = tmp_path / "bad.gguf"
    bad.write_bytes(b"not a model at all" * 10)
    with pytest.raises(LibraryError, match="not a usable GGUF"):
        Library(tmp_path / "models").import_file(bad)
    with pytest.raises(LibraryError, match="no such file"):
        Library(tmp_path / "models").import_file(tmp_path / "missing.gguf")


def test_split_models_are_one_model(tiny_model: Path, tmp_path: Path) -> None:
    first = tmp_path / "big-Q4_K_M-00001-of-00002.gguf"
    assert split_parts(first.name) == ("big-Q4_K_M", 1, 2)
    assert [p.name for p in shard_paths(first)] == [
        "big-Q4_K_M-00001-of-00002.gguf",
        "big-Q4_K_M-00002-of-00002.gguf",
    ]
    first.write_bytes(tiny_model.read_bytes())
    with pytest.raises(LibraryError, match="incomplete: missing big-Q4_K_M-00002-of-00002"):
        Library(tmp_path / "models").import_file(first)
    (tmp_path / "big-Q4_K_M-00002-of-00002.gguf").write_bytes(tiny_model.read_bytes())
    model = Library(tmp_path / "models").import_file(first)
    assert model.id == "big-q4_k_m" and len(model.files) == 2
    assert model.path.name.endswith("00001-of-00002.gguf")


def test_ids_are_unique(tiny_model: Path, tmp_path: Path) -> None:
    library = Library(tmp_path / "models")
    assert library.import_file(tiny_model).id == "tiny"
    assert library.import_file(tiny_model, copy=False).id == "tiny-2"


def test_a_damaged_manifest_lists_nothing_and_is_kept_aside(
    tiny_model: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "models"
    folder.mkdir()
    (folder / "library.json").write_text("{not json", encoding="utf-8")
    library = Library(folder)
    assert library.models() == []
    library.import_file(tiny_model, copy=False)
    # The import wrote a new manifest; the damaged one is still there to recover by hand.
    (aside,) = folder.glob("library.bad-*.json")
    assert aside.read_text(encoding="utf-8") == "{not json"
    assert [model.id for model in library.models()] == ["tiny"]


def test_catalog_entries_are_complete_and_bilingual() -> None:
    entries = load_catalog()
    assert len(entries) >= 10
    for entry in entries:
        assert "/" in entry.repo and entry.files[0].endswith(".gguf")
        assert entry.description("en") and entry.description("zh_CN") != entry.description("en")
        if entry.kind == "chat":
            assert 0.3 <= entry.parameters_b <= 9 and entry.context_length >= 8192
        assert entry.license
    embedders = {entry.id for entry in entries if entry.kind == "embedding"}
    assert {"nomic-embed-text-v1.5", "bge-m3"} <= embedders
    assert find(entries, "qwen2.5-7b-instruct").files[1].endswith("00002-of-00002.gguf")  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("ram_gb", "expected"),
    [
        (1, "qwen2.5-0.5b-instruct"),
        (4, "qwen2.5-1.5b-instruct"),
        (8, "gemma-3-4b-it"),
        (32, "qwen2.5-7b-instruct"),
    ],
)
def test_recommendation_follows_the_machines_ram(ram_gb: int, expected: str) -> None:
    assert recommended(load_catalog(), Machine(ram_gb * GIB)).id == expected


def test_a_malformed_catalog_says_so(tmp_path: Path) -> None:
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps({"models": [{"id": "x"}]}), encoding="utf-8")
    with pytest.raises(CatalogError, match="bad catalog entry 'x'"):
        load_catalog(path)


def test_fit_counts_weights_and_kv_cache() -> None:
    machine = Machine(ram_bytes=8 * GIB)
    small = estimate(1 * GIB, 32 * 1024, 4096, machine)
    assert small.fit is Fit.FITS and small.needed_bytes > 1 * GIB + 4096 * 32 * 1024
    assert estimate(8 * GIB, 128 * 1024, 4096, machine).fit is Fit.TOO_BIG
    assert estimate(6 * GIB, 128 * 1024, 4096, machine).fit is Fit.TIGHT
    gpu = estimate(1 * GIB, 32 * 1024, 4096, Machine(8 * GIB, vram_bytes=12 * GIB))
    assert gpu.where == "GPU"
    assert format_size(1_500_000_000) == "1.5 GB" and format_size(12_000) == "12.0 KB"


def test_gpu_memory_comes_from_nvidia_smi(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop_app.core.models.fit import nvidia_vram_bytes

    monkeypatch.setenv("PATH", str(tmp_path))
    assert nvidia_vram_bytes() == 0, "no nvidia-smi, no GPU"
    tool = tmp_path / "nvidia-smi"
    tool.write_text("#!/bin/sh\nprintf '24576\\n81920\\n'\n", encoding="utf-8")
    tool.chmod(0o755)
    assert nvidia_vram_bytes() == 81920 * 1024**2
    assert Machine.current(with_gpu=True).vram_bytes == 81920 * 1024**2
