"""Secrets go to the keyring when one works, and stay in memory (never a file) otherwise."""

from __future__ import annotations

import keyring.errors
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail

from desktop_app.core.secrets import SecretStore


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.saved: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.saved.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.saved[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if (service, username) not in self.saved:
            raise keyring.errors.PasswordDeleteError(username)
        del self.saved[(service, username)]


class LockedKeyring(MemoryKeyring):
    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.KeyringLocked("locked")


def test_a_working_keyring_keeps_the_secret() -> None:
    backend = MemoryKeyring()
    secrets = SecretStore(backend=backend)
    secrets.set("hf_token", "hf_abc")
    assert secrets.persistent
    assert backend.saved == {("Hearth", "hf_token"): "hf_abc"}
    assert SecretStore(backend=backend).get("hf_token") == "hf_abc"
    secrets.delete("hf_token")
    secrets.delete("hf_token")  # deleting twice is not an error
    assert secrets.get("hf_token") is None


def test_no_keyring_keeps_the_secret_for_the_session_only(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    secrets = SecretStore(backend=fail.Keyring())
    secrets.set("endpoint:lab", "sk-123")
    assert not secrets.persistent
    assert secrets.get("endpoint:lab") == "sk-123"
    assert SecretStore(backend=fail.Keyring()).get("endpoint:lab") is None
    assert list(tmp_path.iterdir()) == []


@pytest.mark.allow_log("desktop_app.core.secrets")  # the fallback is logged as a warning
def test_a_keyring_that_fails_on_write_falls_back_to_memory() -> None:
    secrets = SecretStore(backend=LockedKeyring())
    secrets.set("hf_token", "hf_abc")
    assert secrets.get("hf_token") == "hf_abc"
    assert not secrets.persistent
