"""The tools configuration file: MCP servers (stdio command or streamable HTTP URL,
environment, on/off, timeout) and the built-in tools switched on by default.

One JSON file in the config folder, written atomically; a damaged file is set aside
with a message and defaults are used, as for settings.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from desktop_app.core.files import keep_aside, write_json_atomically

TOOLS_FILE = "tools.json"
CONFIG_VERSION = 1
DEFAULT_TIMEOUT_S = 30.0
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$")


class ToolsConfigError(ValueError):
    """A tools configuration entry that cannot be used; the message is for the user."""


@dataclass(frozen=True)
class McpServerConfig:
    name: str
    command: tuple[str, ...] = ()
    """A stdio server: the program and its arguments."""
    url: str = ""
    """A streamable HTTP server: its endpoint URL."""
    env: Mapping[str, str] = field(default_factory=dict)
    enabled: bool = True
    timeout_s: float = DEFAULT_TIMEOUT_S

    @property
    def transport(self) -> str:
        return "http" if self.url else "stdio"

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self.name, "enabled": self.enabled}
        if self.url:
            data["url"] = self.url
        else:
            data["command"] = list(self.command)
        if self.env:
            data["env"] = dict(self.env)
        if self.timeout_s != DEFAULT_TIMEOUT_S:
            data["timeout_s"] = self.timeout_s
        return data


def server_from_dict(data: Any) -> McpServerConfig:
    if not isinstance(data, dict):
        raise ToolsConfigError("an MCP server entry must be an object")
    name = data.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        raise ToolsConfigError(f"MCP server name {name!r} must be 1-40 letters, digits, '-' or '_'")
    command = data.get("command", [])
    if isinstance(command, str):
        command = [command]
    url = data.get("url", "")
    if not isinstance(command, list) or not all(isinstance(c, str) and c for c in command):
        raise ToolsConfigError(f"{name}: 'command' must be a program and its arguments")
    if not isinstance(url, str):
        raise ToolsConfigError(f"{name}: 'url' must be a string")
    if bool(command) == bool(url):
        raise ToolsConfigError(f"{name}: give either a 'command' (stdio) or a 'url' (HTTP)")
    if url and not re.match(r"^https?://", url):
        raise ToolsConfigError(f"{name}: the URL must start with http:// or https://")
    env = data.get("env", {})
    if not isinstance(env, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in env.items()
    ):
        raise ToolsConfigError(f"{name}: 'env' must map names to strings")
    enabled = data.get("enabled", True)
    if not isinstance(enabled, bool):
        raise ToolsConfigError(f"{name}: 'enabled' must be true or false")
    timeout = data.get("timeout_s", DEFAULT_TIMEOUT_S)
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not 0 < timeout <= 600:
        raise ToolsConfigError(f"{name}: 'timeout_s' must be a number of seconds up to 600")
    return McpServerConfig(name, tuple(command), url, dict(env), enabled, float(timeout))


@dataclass(frozen=True)
class ToolsConfig:
    servers: tuple[McpServerConfig, ...] = ()
    builtins: tuple[str, ...] = ("calculator", "time")
    """Built-in tools on by default in new chats (short names)."""
    always_allowed: tuple[str, ...] = ()
    """Tools the user chose "Always allow" for in the window (tool names)."""

    def server(self, name: str) -> McpServerConfig | None:
        return next((s for s in self.servers if s.name == name), None)

    def with_server(self, server: McpServerConfig) -> ToolsConfig:
        others = tuple(s for s in self.servers if s.name != server.name)
        return replace(self, servers=(*others, server))

    def without_server(self, name: str) -> ToolsConfig:
        if self.server(name) is None:
            raise ToolsConfigError(f"no MCP server is called {name!r}")
        return replace(self, servers=tuple(s for s in self.servers if s.name != name))

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": CONFIG_VERSION,
            "builtins": list(self.builtins),
            **({"always_allowed": list(self.always_allowed)} if self.always_allowed else {}),
            "mcp_servers": [server.to_dict() for server in self.servers],
        }


def config_from_dict(data: Any) -> ToolsConfig:
    if not isinstance(data, dict):
        raise ToolsConfigError("the tools file must hold a JSON object")
    servers = data.get("mcp_servers", [])
    if not isinstance(servers, list):
        raise ToolsConfigError("'mcp_servers' must be a list")
    parsed = tuple(server_from_dict(item) for item in servers)
    names = [server.name for server in parsed]
    if len(set(names)) != len(names):
        raise ToolsConfigError("two MCP servers have the same name")
    builtins = data.get("builtins", list(ToolsConfig().builtins))
    if not isinstance(builtins, list) or not all(isinstance(b, str) for b in builtins):
        raise ToolsConfigError("'builtins' must be a list of tool names")
    always = data.get("always_allowed", [])
    if not isinstance(always, list) or not all(isinstance(a, str) for a in always):
        raise ToolsConfigError("'always_allowed' must be a list of tool names")
    return ToolsConfig(parsed, tuple(builtins), tuple(always))


def load_tools_config(config_dir: Path) -> tuple[ToolsConfig, str | None]:
    """The configuration, and a warning when the file was unusable (then set aside)."""
    path = config_dir / TOOLS_FILE
    if not path.exists():
        return ToolsConfig(), None
    try:
        return config_from_dict(json.loads(path.read_text(encoding="utf-8"))), None
    except (OSError, ValueError) as exc:
        kept = keep_aside(path)
        return ToolsConfig(), f"the tools file {path} is unusable ({exc}); kept it as {kept.name}"


def save_tools_config(config_dir: Path, config: ToolsConfig) -> None:
    write_json_atomically(config_dir / TOOLS_FILE, config.to_dict())
