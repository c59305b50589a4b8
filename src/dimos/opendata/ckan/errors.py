"""CKAN's error types, as ``ckanapi`` maps them by ``__type``."""

from __future__ import annotations

from typing import Any


class ActionError(Exception):
    status = 400
    type = "Bad request"

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message

    def error(self) -> dict[str, Any]:
        return {"__type": self.type, "message": self.message}


class NotFound(ActionError):
    status = 404
    type = "Not Found Error"

    def __init__(self, what: str = "") -> None:
        super().__init__(f"Not found: {what}" if what else "Not found")


class NotAuthorized(ActionError):
    status = 403
    type = "Authorization Error"

    def __init__(self, why: str = "") -> None:
        super().__init__(f"Access denied: {why}" if why else "Access denied")


class Invalid(ActionError):
    status = 409
    type = "Validation Error"

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("")
        self.errors = errors

    def error(self) -> dict[str, Any]:
        return {"__type": self.type, **self.errors}


class SearchError(ActionError):
    status = 400
    type = "Search Query Error"

    def __init__(self, message: str) -> None:
        super().__init__(f"Search Query Error: {message}")


class BadRequest(ActionError):
    status = 400
    type = "Bad request"

    def __init__(self, message: str) -> None:
        super().__init__(f"Bad request - {message}")
