"""The API's one error type: every bad request raises ``ApiError`` with the HTTP status,
the OpenAI error ``type``, the offending ``param`` and a sentence saying what to send
instead. Its own module, so that the request parsers (``protocol``, ``tools_api``,
``embeddings``) and the app all raise and answer the same thing."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        message: str,
        *,
        kind: str = "invalid_request_error",
        param: str | None = None,
        code: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.kind = kind
        self.param = param
        self.code = code
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        return error_body(self.message, self.kind, self.param, self.code)


def error_body(
    message: str, kind: str, param: str | None = None, code: str | None = None
) -> dict[str, Any]:
    return {"error": {"message": message, "type": kind, "param": param, "code": code}}


def invalid(param: str, message: str, code: str = "invalid_value") -> ApiError:
    """A 400 for a bad ``param``."""
    return ApiError(400, message, param=param, code=code)
