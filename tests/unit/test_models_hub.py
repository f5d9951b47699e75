"""Hub search and file listing through the real huggingface_hub client and a fake Hub."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.core.models.hub import (
    HubClient,
    HubNotFound,
    HubOffline,
    RemoteFile,
    group_variants,
    quant_of,
)
from tests.fake_hub import FakeHub, FakeRepo


@pytest.fixture
def hub(fake_hub: FakeHub, tiny_model: Path) -> FakeHub:
    data = tiny_model.read_bytes()
    fake_hub.add_repo(
        FakeRepo(
            "someone/Tiny-Chat-GGUF",
            {
                "README.md": b"# Tiny\n",
                "tiny-chat-Q4_K_M.gguf": data,
                "tiny-chat-Q8_0.gguf": data + b"\0" * 10,
                "tiny-chat-F16-00001-of-00002.gguf": data[:1000],
                "tiny-chat-F16-00002-of-00002.gguf": data[1000:],
                "mmproj-tiny-chat-f16.gguf": b"projector",
            },
            downloads=500,
            likes=3,
        )
    )
    fake_hub.add_repo(FakeRepo("other/Tiny-Chat-Extra-GGUF", {}, downloads=10, likes=90))
    fake_hub.add_repo(FakeRepo("other/Unrelated-GGUF", {}, downloads=9000, likes=1))
    return fake_hub


def test_search_finds_gguf_repos_sorted_by_downloads_or_likes(hub: FakeHub) -> None:
    client = HubClient()
    by_downloads = client.search("tiny-chat")
    assert [repo.id for repo in by_downloads] == [
        "someone/Tiny-Chat-GGUF",
        "other/Tiny-Chat-Extra-GGUF",
    ]
    assert by_downloads[0].downloads == 500
    by_likes = client.search("tiny-chat", sort="likes")
    assert by_likes[0].id == "other/Tiny-Chat-Extra-GGUF"
    searched = [entry for entry in hub.log if entry.path.startswith("/api/models?")]
    assert "filter=gguf" in searched[0].path


def test_files_are_grouped_by_quant_with_sizes_and_sha256(hub: FakeHub, tiny_model: Path) -> None:
    variants = HubClient().files("someone/Tiny-Chat-GGUF")
    by_quant = {variant.quant: variant for variant in variants}
    assert set(by_quant) == {"Q4_K_M", "Q8_0", "F16"}, "README and mmproj are not models"
    size = tiny_model.stat().st_size
    assert by_quant["Q4_K_M"].size == size
    assert by_quant["Q4_K_M"].recommended
    assert not by_quant["Q8_0"].recommended
    split = by_quant["F16"]
    assert split.is_split and split.size == size
    assert split.first_file == "tiny-chat-F16-00001-of-00002.gguf"
    assert all(len(item.sha256) == 64 for variant in variants for item in variant.files)


def test_unknown_repo_and_bad_ids_say_so(hub: FakeHub) -> None:
    with pytest.raises(HubNotFound, match="not found"):
        HubClient().files("nobody/Nothing-GGUF")
    with pytest.raises(HubNotFound, match="OWNER/NAME"):
        HubClient().files("no slash here")


def test_offline_mode_requests_nothing(hub: FakeHub, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(HubOffline, match="Offline"):
        HubClient().search("tiny")
    with pytest.raises(HubOffline):
        HubClient().files("someone/Tiny-Chat-GGUF")
    assert hub.log == []


def test_an_unreachable_hub_reads_as_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    import huggingface_hub.constants

    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", False)
    with pytest.raises(HubOffline, match="Cannot reach"):
        HubClient(endpoint="http://127.0.0.1:9").search("tiny")


@pytest.mark.parametrize(
    ("name", "quant"),
    [
        ("Llama-3.2-3B-Instruct-Q4_K_M.gguf", "Q4_K_M"),
        ("qwen2.5-7b-instruct-q4_k_m-00001-of-00002.gguf", "Q4_K_M"),
        ("gemma-3-1b-it-IQ4_XS.gguf", "IQ4_XS"),
        ("model-f16.gguf", "F16"),
        ("Phi-3-mini-4k-instruct-q4.gguf", "Q4"),
    ],
)
def test_quant_names_are_read_from_file_names(name: str, quant: str) -> None:
    assert quant_of(name) == quant


def test_an_incomplete_split_upload_is_not_offered() -> None:
    files = [RemoteFile("m-Q4_K_M-00001-of-00003.gguf", 10, "a" * 64)]
    assert group_variants(files) == []
