"""One version of everything the council's public pages show, bumped by every write.

The meeting page and the search results are cached whole for anonymous visitors (they are
costly to draw: a meeting with 25 items renders a thousand named votes) under this version: a
change to any meeting, item, decision, vote, roll call, paper, document, person, membership,
body or question is a new version, so a cached page is never stale. Bulk writes that send no
signals (the demo's and the benchmark's loads) call :func:`changed` themselves.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save

from dimos.core.cached import Version
from dimos.core.models import Municipality
from dimos.council import models

RECORD = Version("council-record")

_MODELS = (
    models.LegislativeTerm,
    models.Location,
    models.CouncilFile,
    models.Organization,
    models.Person,
    models.Membership,
    models.Meeting,
    models.AgendaItem,
    models.Decision,
    models.Attendance,
    models.Vote,
    models.Paper,
    models.Consultation,
    models.Question,
)
_RELATIONS = (
    models.Meeting.auxiliary_files.through,
    models.AgendaItem.auxiliary_files.through,
    models.Paper.auxiliary_files.through,
    models.Paper.originator_persons.through,
    models.Paper.originator_organizations.through,
    models.Paper.related_papers.through,
)


def changed(**kwargs: Any) -> None:
    """Something the pages show was written: every cached page is a miss from now on."""
    RECORD.changed()


def version(request: Any = None) -> str:
    """What the cached pages vary on (``cache_anonymous_page(vary=…)``)."""
    return RECORD()


def connect() -> None:
    """Bump the version on every write (the app's ``ready()``)."""
    for model in _MODELS:
        uid = f"dimos.council.freshness.{model.__name__}"
        post_save.connect(changed, sender=model, dispatch_uid=uid)
        post_delete.connect(changed, sender=model, dispatch_uid=f"{uid}-")
    # The Body of OParl is the municipality's profile.
    post_save.connect(changed, sender=Municipality, dispatch_uid="dimos.council.freshness.body")
    for through in _RELATIONS:
        m2m_changed.connect(changed, sender=through, dispatch_uid=f"dimos.council.{through}")
