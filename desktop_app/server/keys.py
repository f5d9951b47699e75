"""The API key that guards a server bound beyond this computer.

Order: an explicit key (``--api-key``), the ``HEARTH_API_KEY`` environment variable, the
key saved in the keyring, or a new key (saved in the keyring and shown once).
"""

from __future__ import annotations

import os
import secrets as random_secrets
from dataclasses import dataclass

from desktop_app.core.secrets import SecretStore

SECRET_NAME = "server:api_key"
ENV_KEY = "HEARTH_API_KEY"
LOOPBACK_HOSTS = {"127.0.0.1", "::1", "localhost"}


@dataclass(frozen=True)
class ServerKey:
    key: str
    generated: bool
    """A new key: show it to the user (once)."""
    source: str
    """Where it came from, in words."""


def is_loopback(host: str) -> bool:
    return host in LOOPBACK_HOSTS or host.startswith("127.")


def server_key(
    secrets: SecretStore, explicit: str | None = None, *, regenerate: bool = False
) -> ServerKey:
    if explicit:
        return ServerKey(explicit, False, "--api-key")
    from_env = os.environ.get(ENV_KEY, "").strip()
    if from_env:
        return ServerKey(from_env, False, ENV_KEY)
    if not regenerate:
        saved = secrets.get(SECRET_NAME)
        if saved:
            return ServerKey(saved, False, "the keyring")
    key = "hearth-" + random_secrets.token_urlsafe(32)
    secrets.set(SECRET_NAME, key)
    where = "the keyring" if secrets.persistent else "memory for this run only"
    return ServerKey(key, True, where)
