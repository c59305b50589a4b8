"""The person's own data through the API: profile, notifications, data export.

It lives in the API layer, above ``accounts``, whose services it calls.
"""

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from dimos.accounts import services
from dimos.accounts.forms import ProfileForm
from dimos.api.api import InvalidInput, ObjectId, token_or_session
from dimos.api.pagination import Pagination
from dimos.core import notifications

router = Router(tags=["me"], auth=token_or_session)


class MeOut(Schema):
    email: str
    first_name: str
    last_name: str
    phone: str
    address: str
    preferred_language: str
    notify_email: bool
    notify_sms: bool
    identity_verified: bool
    identity_provider: str
    is_staff: bool


class MeIn(Schema):
    first_name: str | None = Field(None, max_length=150)
    last_name: str | None = Field(None, max_length=150)
    phone: str | None = Field(None, max_length=30)
    address: str | None = Field(None, max_length=300)
    preferred_language: Literal["el", "en"] | None = None
    notify_email: bool | None = None
    notify_sms: bool | None = None


class NotificationOut(Schema):
    id: int
    kind: str
    subject: str
    body: str
    url: str
    created_at: datetime
    read_at: datetime | None


class MarkReadIn(Schema):
    ids: list[ObjectId] | None = Field(
        None, max_length=1000, description="Notification ids (at most 1000); omit to mark all."
    )


class MarkReadOut(Schema):
    marked: int


@router.get("/me", response=MeOut)
def me(request: HttpRequest) -> Any:
    return request.user


@router.patch("/me", response=MeOut)
def update_me(request: HttpRequest, payload: MeIn) -> Any:
    user = request.user
    changes = payload.dict(exclude_unset=True, exclude_none=True)
    # The same validation as the web form, so both paths accept exactly the same data.
    form = ProfileForm(
        data={**{f: getattr(user, f) for f in services.PROFILE_FIELDS}, **changes},
        instance=user,
    )
    if not form.is_valid():
        raise InvalidInput(
            {field: [str(e) for e in errors] for field, errors in form.errors.items()}
        )
    data = {k: form.cleaned_data[k] for k in services.PROFILE_FIELDS}
    user.refresh_from_db()  # type: ignore[union-attr]
    return services.update_profile(user=user, request=request, **data)  # type: ignore[arg-type]


@router.get("/me/notifications", response=list[NotificationOut])
@paginate(Pagination)
def my_notifications(request: HttpRequest, unread: bool = False) -> Any:
    qs = request.user.notifications.all()  # type: ignore[union-attr]
    return qs.filter(read_at__isnull=True) if unread else qs


@router.post("/me/notifications/read", response=MarkReadOut)
def mark_read(request: HttpRequest, payload: MarkReadIn) -> Any:
    marked = notifications.mark_read(user=request.user, notification_ids=payload.ids)  # type: ignore[arg-type]
    return {"marked": marked}


@router.get("/me/export", response=dict[str, Any])
def export(request: HttpRequest) -> Any:
    return services.export_personal_data(user=request.user, request=request)  # type: ignore[arg-type]
