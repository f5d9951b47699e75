"""Secrets (a Hugging Face token, remote endpoints' API keys) live only in the OS keyring.

With no usable keyring backend, a secret is kept in this process's memory for the session
and :attr:`SecretStore.persistent` is False so that the UI and CLI can say so. A secret is
never written to a plain file.

keyring is imported when a secret is first asked for, not when Hearth starts (it
discovers its backends on import, about 0.1 s).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

SERVICE = "Hearth"
_log = logging.getLogger(__name__)

NO_KEYRING_MESSAGE = (
    "No system keyring is available, so secrets are kept for this session only and must "
    "be entered again after a restart. Install and unlock a keyring (GNOME Keyring, "
    "KWallet, macOS Keychain, Windows Credential Manager) to keep them."
)


def _usable(backend: KeyringBackend) -> bool:
    try:
        from keyring.backends import fail

        if isinstance(backend, fail.Keyring):
            return False
    except ImportError:  # pragma: no cover - every keyring release has it
        pass
    try:
        return float(backend.priority) > 0
    except Exception:
        return False


@dataclass
class SecretStore:
    """Get, set and delete named secrets; falls back to memory when the keyring fails."""

    service: str = SERVICE
    backend: KeyringBackend | None = None
    _memory: dict[str, str] = field(default_factory=dict)
    _persistent: bool | None = None

    @property
    def persistent(self) -> bool:
        """Whether secrets survive a restart (a usable keyring backend answered)."""
        if self._persistent is None:
            self._persistent = _usable(self._backend())
        return self._persistent

    def get(self, name: str) -> str | None:
        if name in self._memory:
            return self._memory[name]
        if not self.persistent:
            return None
        import keyring.errors

        try:
            return self._backend().get_password(self.service, name)
        except keyring.errors.KeyringError as exc:
            self._fall_back(exc)
            return None

    def set(self, name: str, secret: str) -> None:
        import keyring.errors

        if self.persistent:
            try:
                self._backend().set_password(self.service, name, secret)
                self._memory.pop(name, None)
                return
            except keyring.errors.KeyringError as exc:
                self._fall_back(exc)
        self._memory[name] = secret

    def delete(self, name: str) -> None:
        self._memory.pop(name, None)
        if not self.persistent:
            return
        import keyring.errors

        try:
            self._backend().delete_password(self.service, name)
        except keyring.errors.PasswordDeleteError:
            pass
        except keyring.errors.KeyringError as exc:
            self._fall_back(exc)

    def _backend(self) -> KeyringBackend:
        import keyring

        return self.backend if self.backend is not None else keyring.get_keyring()

    def _fall_back(self, exc: Exception) -> None:
        _log.warning("keyring failed (%s); keeping secrets for this session only", exc)
        self._persistent = False
