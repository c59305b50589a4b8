"""Which models hold personal data, and the check that every one is declared by its app.

An app declares what it holds about people with a ``PersonalDataHandler`` (export and erase,
and the models they cover). A model *looks* personal when it points at the user model or
has a field named like a person's details (email, phone, address, a person's name, tax
number, date of birth). The system check ``dimos.E010`` fails — and with it ``dimos serve``,
``migrate`` and ``check`` — for any such model of a Dimos app that no handler declares, so an
app cannot hold personal data without saying how it is exported and erased (ADR 0005).
"""

from __future__ import annotations

import re
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core import checks
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Replace

from dimos.core.registry import registry

# Field names that hold a person's details. Translated content pairs (name_el/name_en) are
# titles of things, not people, and are left out; a bare "name" or "<who>_name" is a person.
PERSONAL_NAME = re.compile(
    r"(^|_)(email|phone|mobile|address|afm|tax_number|vat_number|birth_date|father_name"
    r"|first_name|last_name)($|_)|^name$|^[a-z]+_name$"
)
TRANSLATED = re.compile(r"_(el|en)$")


def _is_user(field: Any) -> bool:
    related = getattr(field, "related_model", None)
    return bool(
        field.is_relation
        and related is not None
        and related._meta.label == settings.AUTH_USER_MODEL
        and (field.concrete or field.many_to_many)
        and not field.auto_created
    )


def personal_fields(model: type[models.Model]) -> list[str]:
    """The fields of ``model`` that reference a person or hold a person's details."""
    found = []
    for field in model._meta.get_fields():
        if _is_user(field) or (
            getattr(field, "concrete", False)
            and not field.is_relation
            and PERSONAL_NAME.search(field.name)
            and not TRANSLATED.search(field.name)
        ):
            found.append(field.name)
    return found


def dimos_models() -> list[type[models.Model]]:
    """Our models that hold rows: a proxy's rows are its concrete model's (a proxy of a
    library's model, such as the admin's two-step methods, is the library's data)."""
    return [
        model
        for model in apps.get_models()
        if apps.get_app_config(model._meta.app_label).name.startswith("dimos.")
        and not model._meta.proxy
    ]


def declared() -> dict[str, str]:
    """Model label → how it is declared ("models" or "keeps"), over every handler."""
    found: dict[str, str] = {}
    for handler in registry.personal_data.values():
        for label in handler.models:
            found[label.lower()] = "models"
        for label in handler.keeps:
            found.setdefault(label.lower(), "keeps")
    return found


def check_declared(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    known = declared()
    for model in dimos_models():
        fields = personal_fields(model)
        if fields and model._meta.label_lower not in known:
            errors.append(
                checks.Error(
                    f"{model._meta.label} holds personal data ({', '.join(fields)}) but no "
                    "personal-data handler declares it.",
                    hint=(
                        "On the app's manifest, personal_data=(PersonalDataHandler(key=…, "
                        "export=…, erase=…, models=(…,), keeps=(…,)),): 'models' are exported "
                        "and erased, 'keeps' hold no one's personal data (see ADR 0005)."
                    ),
                    obj=model,
                    id="dimos.E010",
                )
            )
    for handler in registry.personal_data.values():
        for label in (*handler.models, *handler.keeps):
            try:
                model = apps.get_model(label)
            except (LookupError, ValueError):
                errors.append(
                    checks.Error(
                        f"Personal-data handler {handler.key!r} names {label!r}, "
                        "which is not a model.",
                        id="dimos.E011",
                    )
                )
                continue
            if model._meta.app_label != handler.app:
                errors.append(
                    checks.Error(
                        f"Personal-data handler {handler.key!r} of {handler.app!r} names "
                        f"{label!r} of another app: each app declares its own models.",
                        id="dimos.E011",
                    )
                )
    return errors


# --- What the core holds about a person: notifications ---------------------------------------


def _phone_digits(value: str) -> str:
    digits = re.sub(r"\D", "", value or "")
    return digits[-10:] if len(digits) >= 10 else ""


def _to_addresses(email: str, phone: str) -> Any:
    """The message deliveries to an email address or (by its digits) a phone number."""
    from dimos.core.models import Delivery

    to_address = Delivery.objects.none()
    if email:
        to_address = Delivery.objects.filter(channel=Delivery.Channel.EMAIL, address__iexact=email)
    digits = _phone_digits(phone)
    if digits:
        # The same number written "+30 694 412 3987" or "6944123987": compare digits only.
        normalised: Any = F("address")
        for char in " -+().":
            normalised = Replace(normalised, Value(char), Value(""))
        sms = (
            Delivery.objects.filter(channel=Delivery.Channel.SMS)
            .annotate(digits=normalised)
            .filter(digits__endswith=digits)
        )
        to_address = to_address | Delivery.objects.filter(pk__in=sms.values("pk"))
    return to_address


def erase_messages_to(*, email: str = "", phone: str = "") -> None:
    """Delete the messages sent to an address without an account (a relief beneficiary's
    phone), with their deliveries: those not sent yet are never sent."""
    from dimos.core.models import Notification

    to_address = _to_addresses(email, phone)
    Notification.objects.filter(
        recipient__isnull=True, pk__in=to_address.values("notification_id")
    ).delete()


def _notifications_of(user: Any) -> Any:
    """The person's messages: to their account, and to their email or phone without one."""
    from dimos.core.models import Notification

    to_address = _to_addresses(user.email, user.phone)
    bare = Q(recipient__isnull=True, pk__in=to_address.values("notification_id"))
    return Notification.objects.filter(Q(recipient=user) | bare)


def export_notifications(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "kind": n.kind,
            "subject": n.subject,
            "body": n.body,
            "url": n.url,
            "created_at": n.created_at.isoformat(),
            "read_at": n.read_at.isoformat() if n.read_at else None,
            "attachments": [a.filename for a in n.attachments.all()],
            "deliveries": [
                {"channel": d.channel, "address": d.address, "status": d.status}
                for d in n.deliveries.all()
            ],
        }
        for n in _notifications_of(user).prefetch_related("deliveries", "attachments")
    ]


def erase_notifications(user: Any) -> None:
    """Delete the person's messages with their deliveries: those not sent yet are never sent
    (the worker finds no row), and no address of theirs stays behind."""
    _notifications_of(user).delete()
