"""The open budget through the platform API, at /api/v1/budget/."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["budget"])
