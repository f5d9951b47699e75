"""Saved endpoints: names and URLs in a JSON file, keys only in the secret store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from keyring.backends import fail

from desktop_app.core.endpoints import (
    ENDPOINTS_FILE,
    EndpointError,
    EndpointStore,
)
from desktop_app.core.secrets import SecretStore
from tests.unit.test_secrets import MemoryKeyring


def test_endpoints_are_saved_without_their_keys(tmp_path: Path) -> None:
    keyring = MemoryKeyring()
    store = EndpointStore(tmp_path, SecretStore(backend=keyring))
    store.save_endpoint("lab", " http://10.0.0.5:8080/v1/ ", "sk-secret")
    store.save_endpoint("cloud", "https://api.example.com/v1")
    saved = (tmp_path / ENDPOINTS_FILE).read_text(encoding="utf-8")
    assert "sk-secret" not in saved
    assert json.loads(saved)["endpoints"] == [
        {"name": "lab", "base_url": "http://10.0.0.5:8080/v1"},
        {"name": "cloud", "base_url": "https://api.example.com/v1"},
    ]
    assert keyring.saved == {("Hearth", "endpoint:lab"): "sk-secret"}
    again = EndpointStore(tmp_path, SecretStore(backend=keyring))
    assert [e.name for e in again.endpoints()] == ["lab", "cloud"]
    assert again.api_key("lab") == "sk-secret"
    assert again.api_key("cloud") is None


def test_rename_keeps_the_key_and_remove_deletes_it(tmp_path: Path) -> None:
    keyring = MemoryKeyring()
    store = EndpointStore(tmp_path, SecretStore(backend=keyring))
    store.save_endpoint("lab", "http://a:1", "k1")
    store.save_endpoint("home", "http://b:2", replacing="lab")
    assert [e.name for e in store.endpoints()] == ["home"]
    assert store.api_key("home") == "k1"
    assert ("Hearth", "endpoint:lab") not in keyring.saved
    store.save_endpoint("home", "http://b:2", "", replacing="home")
    assert store.api_key("home") is None
    store.save_endpoint("home", "http://b:2", "k2", replacing="home")
    store.remove("home")
    assert store.endpoints() == []
    assert keyring.saved == {}


@pytest.mark.parametrize(
    ("name", "url", "message"),
    [
        ("", "http://a", "needs a name"),
        ("a/b", "http://a", "cannot contain '/'"),
        ("x", "ftp://a", "is not a web address"),
        ("x", "localhost:8080", "is not a web address"),
    ],
)
def test_bad_input_is_refused_with_a_reason(
    tmp_path: Path, name: str, url: str, message: str
) -> None:
    store = EndpointStore(tmp_path, SecretStore(backend=MemoryKeyring()))
    with pytest.raises(EndpointError, match=message):
        store.save_endpoint(name, url)
    assert not (tmp_path / ENDPOINTS_FILE).exists()


def test_duplicate_names_are_refused(tmp_path: Path) -> None:
    store = EndpointStore(tmp_path, SecretStore(backend=MemoryKeyring()))
    store.save_endpoint("lab", "http://a:1")
    with pytest.raises(EndpointError, match="already an endpoint named 'lab'"):
        store.save_endpoint("lab", "http://b:1")


def test_without_a_keyring_the_key_is_for_this_session_only(tmp_path: Path) -> None:
    store = EndpointStore(tmp_path, SecretStore(backend=fail.Keyring()))
    store.save_endpoint("lab", "http://a:1", "sk-mem")
    assert not store.keys_persistent
    assert store.api_key("lab") == "sk-mem"
    assert "sk-mem" not in (tmp_path / ENDPOINTS_FILE).read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir()] == [ENDPOINTS_FILE]


def test_a_damaged_file_is_kept_aside_and_reported(tmp_path: Path) -> None:
    (tmp_path / ENDPOINTS_FILE).write_text("{not json", encoding="utf-8")
    store = EndpointStore(tmp_path, SecretStore(backend=MemoryKeyring()))
    assert store.endpoints() == []
    assert store.warning and "kept as endpoints.bad-" in store.warning
    assert any(p.name.startswith("endpoints.bad-") for p in tmp_path.iterdir())
