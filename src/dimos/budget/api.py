"""The open budget through the platform API, at /api/v1/budget/."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["budget"])

# POST /snapshots: importing a file (the import helper's, beside the aggregate API).
router.add_router("", "dimos.budget.api_import.router")
