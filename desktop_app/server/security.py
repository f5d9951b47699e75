"""Who may talk to the local API server: Host, Origin and Content-Type checks.

A server on 127.0.0.1 with no key is still reachable from any web page the user opens:
a page can POST to it directly (a ``text/plain`` body needs no CORS preflight) and, by
pointing its own domain name at 127.0.0.1 (DNS rebinding), even read the answers. The
guard below, an ASGI wrapper around the app, closes both ways in:

* Host: only names of this machine: ``localhost``, loopback addresses, the bound
  address, any IP address when bound to all interfaces (rebinding needs a domain
  name; an address can only be typed by someone who can reach the machine), and the
  names given with ``--allowed-host``. Anything else gets 403.
* Origin: browsers send it on cross-site requests; none is accepted unless given with
  ``--cors-origin``, and then Starlette's ``CORSMiddleware`` answers preflights and
  adds the CORS headers. Anything else gets 403.
* Content-Type: a POST must declare ``application/json`` (415 otherwise), which no
  page can send cross-site without a preflight.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from desktop_app.server.errors import error_body

if TYPE_CHECKING:  # the window imports this module for its settings; Starlette waits
    from starlette.types import ASGIApp, Receive, Scope, Send

LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})
WILDCARDS = frozenset({"", "0.0.0.0", "::"})


class PolicyError(ValueError):
    """A --allowed-host or --cors-origin value that cannot be used."""


def split_list(text: str) -> list[str]:
    """Host names or origins typed in one field, separated by commas or spaces."""
    return [item for item in text.replace(",", " ").split() if item]


def normalize_host(value: str) -> str:
    """A Host header or host name without port, brackets, trailing dot or case."""
    value = value.strip().lower()
    if value.startswith("["):
        value = value[1:].partition("]")[0]
    elif value.count(":") == 1:
        value = value.partition(":")[0]
    return value.rstrip(".")


def normalize_origin(value: str) -> str:
    """``scheme://host[:port]`` as a browser sends it in ``Origin``; raises PolicyError."""
    text = value.strip().rstrip("/")
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise PolicyError(f"{value!r} is not a web origin like http://localhost:3000")
    if parts.path or parts.query or parts.fragment or parts.username:
        raise PolicyError(f"{value!r} is not a web origin: leave out the path")
    try:
        port = parts.port
    except ValueError as exc:
        raise PolicyError(f"{value!r} has a bad port") from exc
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    default = {"http": 80, "https": 443}[parts.scheme]
    return f"{parts.scheme}://{host}" + (f":{port}" if port and port != default else "")


def _ip(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


@dataclass(frozen=True)
class AccessPolicy:
    """The server's Host and Origin allow-lists (see the module docstring)."""

    bound_host: str = "127.0.0.1"
    allowed_hosts: frozenset[str] = frozenset()
    cors_origins: tuple[str, ...] = ()

    @classmethod
    def build(
        cls, bound_host: str, allowed_hosts: Iterable[str] = (), cors_origins: Iterable[str] = ()
    ) -> AccessPolicy:
        """Checks and normalizes the user's lists; raises ``PolicyError``."""
        hosts = set()
        for host in allowed_hosts:
            name = normalize_host(host)
            if not name or any(c in host for c in "/@ \t"):
                raise PolicyError(f"{host!r} is not a host name or address (no scheme or path)")
            hosts.add(name)
        origins = tuple(dict.fromkeys(normalize_origin(o) for o in cors_origins))
        return cls(normalize_host(bound_host), frozenset(hosts), origins)

    def host_allowed(self, host: str | None) -> bool:
        if host is None:  # HTTP/1.0 clients; browsers always send Host
            return True
        name = normalize_host(host)
        if name in LOOPBACK_NAMES or name in self.allowed_hosts or name == self.bound_host:
            return True
        address = _ip(name)
        if address is None:
            return False
        return address.is_loopback or self.bound_host in WILDCARDS

    def origin_allowed(self, origin: str) -> bool:
        try:
            return normalize_origin(origin) in self.cors_origins
        except PolicyError:
            return False


def _is_json(content_type: str) -> bool:
    media = content_type.partition(";")[0].strip().lower()
    return media == "application/json" or (
        media.startswith("application/") and media.endswith("+json")
    )


class AccessGuard:
    """ASGI wrapper: refuses what ``policy`` does not allow, before the app sees it."""

    def __init__(self, app: ASGIApp, policy: AccessPolicy) -> None:
        self.policy = policy
        self.app: ASGIApp = app
        if policy.cors_origins:
            from starlette.middleware.cors import CORSMiddleware

            self.app = CORSMiddleware(
                app,
                allow_origins=list(policy.cors_origins),
                allow_methods=["GET", "POST", "OPTIONS"],
                allow_headers=["Authorization", "Content-Type"],
                max_age=600,
            )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        refusal = self._refusal(scope["method"], headers)
        if refusal is not None:
            status, message, code = refusal
            await _send_error(send, status, message, code)
            return
        await self.app(scope, receive, send)

    def _refusal(self, method: str, headers: dict[str, str]) -> tuple[int, str, str] | None:
        host = headers.get("host")
        if not self.policy.host_allowed(host):
            return (
                403,
                f"This server does not answer requests for the host {host!r}. Use "
                "http://127.0.0.1, or start it with --allowed-host for that name.",
                "host_not_allowed",
            )
        origin = headers.get("origin")
        if origin is not None and not self.policy.origin_allowed(origin):
            return (
                403,
                f"Requests from the web page {origin!r} are not allowed. Start the server "
                "with --cors-origin for a web app you trust.",
                "origin_not_allowed",
            )
        if method == "POST" and not _is_json(headers.get("content-type", "")):
            return (
                415,
                "The request body must be JSON sent with 'Content-Type: application/json'.",
                "unsupported_media_type",
            )
        return None


async def _send_error(send: Send, status: int, message: str, code: str) -> None:
    body = json.dumps(error_body(message, "invalid_request_error", None, code)).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
