"""Certificate types, residents' requests, their history and files, and the issued registry."""

from __future__ import annotations

import datetime as dt
import secrets
import string
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dimos.accounts.models import IdentityDocument
from dimos.core.models import TimelineEntry, Translated, localized
from dimos.core.storage import private_storage  # migrations name it here too

# Unambiguous letters and digits (no I, L, O, 0, 1): 16 of them carry about 79 bits.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 16


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(raw: str) -> str:
    """What a person typed or scanned, as stored: upper case, without dashes or spaces."""
    return "".join(ch for ch in (raw or "").upper() if ch.isalnum())[:64]


def format_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


class Requester(models.TextChoices):
    SELF = "self", _("myself")
    FAMILY = "family", _("a member of my family")
    REPRESENTATIVE = "representative", _("someone I represent (with an authorisation)")


# The person's details a document may need, with the label the document prints for each.
HOLDER_FIELDS: dict[str, Any] = {
    "holder_name": _("Full name"),
    "holder_father_name": _("Father's name"),
    "holder_birth_date": _("Date of birth"),
    "holder_address": _("Address"),
}
# Filled in by the system, never asked: the municipality's name.
SYSTEM_PLACEHOLDERS = frozenset({"municipality"})


def placeholders(text: str) -> set[str]:
    """The ``${name}`` (and ``$name``) placeholders of a document text."""
    return {
        match.group("named") or match.group("braced")
        for match in string.Template.pattern.finditer(text or "")
        if match.group("named") or match.group("braced")
    }


class CertificateType(models.Model):
    """A kind of certificate, defined by staff in the admin, in Greek and English.

    ``document_fields`` lists what the document prints: the person's details (the keys of
    ``HOLDER_FIELDS``) and the names of the type's own questions. The request form asks for
    each of them, and a certificate is not issued while one is empty.
    """

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name_el = models.CharField(_("name (Greek)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description_el = models.TextField(_("description (Greek)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    fields = models.JSONField(
        _("form fields"),
        default=list,
        blank=True,
        help_text=_(
            'A list of {"name", "label_el", "label_en", "type" (text, textarea, date, number, '
            'choice), "required", "choices"}. The labels are the questions of the form; a '
            'question printed on the document also has "document_label_el" and '
            '"document_label_en", the labels the document prints. Each choice is a text, or '
            '{"value", "label_el", "label_en"} to name it in both languages.'
        ),
    )
    document_fields = models.JSONField(
        _("details the document needs"),
        default=list,
        blank=True,
        help_text=_(
            'A list of keys: "holder_father_name", "holder_birth_date", "holder_address" and '
            "the names of the questions above. The form asks for each, and the certificate "
            "cannot be issued while one is missing. The full name is always needed."
        ),
    )
    documents = models.JSONField(
        _("supporting documents"),
        default=list,
        blank=True,
        help_text=_('A list of {"key", "label_el", "label_en", "required"}.'),
    )
    allow_self = models.BooleanField(_("the person themself may request it"), default=True)
    allow_family = models.BooleanField(_("a family member may request it"), default=False)
    allow_representative = models.BooleanField(
        _("a legal representative may request it (with an authorisation)"), default=True
    )
    deadline_days = models.PositiveSmallIntegerField(_("deadline in working days"), default=3)
    fee_amount = models.DecimalField(_("fee (euro)"), max_digits=8, decimal_places=2, default=0)
    template_el = models.TextField(
        _("document text (Greek)"),
        help_text=_("Placeholders: ${holder_name}, ${municipality} and ${<field name>}."),
    )
    template_en = models.TextField(_("document text (English)"), blank=True)
    is_active = models.BooleanField(_("open for requests"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        ordering = ("order", "name_el")
        verbose_name = _("certificate type")
        verbose_name_plural = _("certificate types")

    def __str__(self) -> str:
        return self.name_el

    name = Translated("name")
    description = Translated("description")
    template = Translated("template")

    def question(self, name: str) -> dict[str, Any] | None:
        for spec in self.fields or []:
            if isinstance(spec, dict) and spec.get("name") == name:
                return spec
        return None

    def needed_fields(self) -> list[str]:
        """The keys of what the document prints, the full name first."""
        keys = ["holder_name"]
        for key in self.document_fields or []:
            if isinstance(key, str) and key not in keys:
                keys.append(key)
        return keys

    def document_label(self, key: str) -> str:
        """The label the document prints for ``key``, in the active language."""
        if key in HOLDER_FIELDS:
            return str(HOLDER_FIELDS[key])
        spec = self.question(key) or {}
        return localized(_Spec(spec, "document_label"), "label")

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list[Any]] = {}
        if not isinstance(self.fields, list) or not all(isinstance(f, dict) for f in self.fields):
            errors.setdefault("fields", []).append(_("Give a list of questions."))
        if not isinstance(self.document_fields, list) or not all(
            isinstance(k, str) for k in self.document_fields or []
        ):
            errors.setdefault("document_fields", []).append(_("Give a list of keys."))
        if errors:
            raise ValidationError(errors)
        for spec in self.fields:
            if spec.get("type") == "choice" and not valid_choices(spec.get("choices")):
                errors.setdefault("fields", []).append(
                    _(
                        "The choices of “%(key)s”: give a list of texts, or of "
                        '{"value", "label_el", "label_en"}, each value once.'
                    )
                    % {"key": spec.get("name", "")}
                )
        for key in self.document_fields or []:
            if key in HOLDER_FIELDS:
                continue
            spec = self.question(key)
            if spec is None:
                errors.setdefault("document_fields", []).append(
                    _("“%(key)s” is neither a detail of the person nor a question above.")
                    % {"key": key}
                )
            elif not spec.get("document_label_el"):
                errors.setdefault("fields", []).append(
                    _("The question “%(key)s” is printed: give its document_label_el.")
                    % {"key": key}
                )
        needed = set(self.needed_fields()) | SYSTEM_PLACEHOLDERS
        for field_name in ("template_el", "template_en"):
            missing = sorted(placeholders(getattr(self, field_name)) - needed)
            if missing:
                errors.setdefault(field_name, []).append(
                    _(
                        "The text uses %(names)s: add them to the details the document needs, "
                        "or the document would have blanks."
                    )
                    % {"names": ", ".join(missing)}
                )
        if errors:
            raise ValidationError(errors)

    def requester_choices(self) -> list[tuple[str, Any]]:
        allowed: dict[str, bool] = {
            Requester.SELF: self.allow_self,
            Requester.FAMILY: self.allow_family,
            Requester.REPRESENTATIVE: self.allow_representative,
        }
        return [(value, label) for value, label in Requester.choices if allowed[value]]


class Status(models.TextChoices):
    NEW = "new", _("New")
    WAITING = "waiting", _("Waiting for the resident")
    REVIEW = "review", _("In review")
    APPROVED = "approved", _("Approved")
    ISSUED = "issued", _("Issued")
    REJECTED = "rejected", _("Rejected")


OPEN_STATUSES = (Status.NEW, Status.WAITING, Status.REVIEW, Status.APPROVED)
CLOSED_STATUSES = (Status.ISSUED, Status.REJECTED)


class Channel(models.TextChoices):
    ONLINE = "online", _("online")
    PHONE = "phone", _("by phone")


class IdentityCheck(models.TextChoices):
    VERIFIED_ACCOUNT = "account", _("verified account (national eID)")
    CALLBACK = "callback", _("called back on the number in the municipal registry")
    ID_DETAILS = "id_details", _("identity card number and birth date matched the registry")
    KNOWN = "known", _("known to the clerk in person")


class RequestQuerySet(models.QuerySet["CertificateRequest"]):
    def open(self) -> RequestQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self) -> RequestQuerySet:
        return self.open().exclude(status=Status.WAITING).filter(due_on__lt=timezone.localdate())


class CertificateRequest(models.Model):
    certificate_type = models.ForeignKey(
        CertificateType,
        on_delete=models.PROTECT,
        related_name="requests",
        verbose_name=_("certificate"),
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="certificate_requests",
        verbose_name=_("applicant"),
    )
    requester = models.CharField(
        _("requested for"), max_length=20, choices=Requester.choices, default=Requester.SELF
    )
    relationship = models.CharField(_("relationship to the person"), max_length=100, blank=True)
    holder_name = models.CharField(_("full name of the person"), max_length=200)
    holder_father_name = models.CharField(_("father's name"), max_length=100, blank=True)
    holder_birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    holder_address = models.CharField(_("address"), max_length=300, blank=True)
    data = models.JSONField(_("answers"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW, db_index=True
    )
    channel = models.CharField(
        _("channel"), max_length=20, choices=Channel.choices, default=Channel.ONLINE
    )
    identity_check = models.CharField(
        _("how identity was checked"),
        max_length=20,
        choices=IdentityCheck.choices,
        default=IdentityCheck.VERIFIED_ACCOUNT,
    )
    identity_notes = models.CharField(_("identity check notes"), max_length=300, blank=True)
    # Filed by a clerk on someone's behalf: the evidence the clerk checked (ADR 0019).
    identity_document = models.CharField(
        _("identity document checked"), max_length=20, choices=IdentityDocument.choices, blank=True
    )
    identity_document_digits = models.CharField(
        _("last four digits of its number"), max_length=4, blank=True
    )
    identity_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("identity checked by"),
    )
    identity_checked_at = models.DateTimeField(_("identity checked at"), null=True, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    home_delivery = models.BooleanField(_("deliver at home"), default=False)
    mobility_need = models.BooleanField(_("mobility need"), default=False)
    delivery_address = models.CharField(_("delivery address"), max_length=300, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned to"),
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("filed by"),
    )
    fee_amount = models.DecimalField(_("fee (euro)"), max_digits=8, decimal_places=2, default=0)
    fee_paid = models.BooleanField(_("fee paid"), default=False)
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now, db_index=True)
    due_on = models.DateField(_("deadline"), null=True, blank=True)
    waiting_since = models.DateTimeField(_("waiting since"), null=True, blank=True)
    info_request = models.TextField(_("information asked for"), blank=True)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    protocol_number = models.CharField(_("protocol number"), max_length=30, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RequestQuerySet.as_manager()

    class Meta:
        ordering = ("-submitted_at", "-pk")
        verbose_name = _("certificate request")
        verbose_name_plural = _("certificate requests")
        permissions = [("issue_certificate", _("Can issue and revoke certificates"))]
        indexes = [models.Index(fields=["status", "due_on"], name="cert_req_status_due")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.certificate_type}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return (
            self.is_open
            and self.status != Status.WAITING
            and self.due_on is not None
            and self.due_on < timezone.localdate()
        )

    def answers(self) -> list[tuple[str, str]]:
        """The type's questions with this request's answers, in the active language."""
        rows = []
        for spec in self.certificate_type.fields or []:
            value = self.data.get(spec.get("name", ""), "")
            if value not in ("", None):
                label = localized(_Spec(spec), "label") or spec.get("name", "")
                rows.append((label, choice_label(spec, str(value))))
        return rows

    def value_of(self, key: str) -> str:
        """One detail as the document prints it ("" when it is missing)."""
        if key in HOLDER_FIELDS:
            value = getattr(self, key)
            if isinstance(value, dt.date):
                return value.strftime("%d/%m/%Y")
            return str(value or "").strip()
        value = (self.data or {}).get(key)
        text = "" if value is None else str(value).strip()
        spec = self.certificate_type.question(key) or {}
        if text and spec.get("type") == "date":
            try:
                return dt.date.fromisoformat(text).strftime("%d/%m/%Y")
            except ValueError:
                return text
        return choice_label(spec, text)

    def missing_fields(self) -> list[str]:
        """The keys of the details the document needs that this request lacks."""
        return [key for key in self.certificate_type.needed_fields() if not self.value_of(key)]

    def missing_labels(self) -> list[str]:
        ctype = self.certificate_type
        return [ctype.document_label(key) or key for key in self.missing_fields()]


def choice_options(spec: dict[str, Any]) -> list[tuple[str, str]]:
    """A choice question's options as (value, label in the active language). A choice is a
    text (the same in both languages) or ``{"value", "label_el", "label_en"}``."""
    options = []
    for choice in spec.get("choices") or []:
        if isinstance(choice, dict):
            value = str(choice.get("value", ""))
            options.append((value, localized(_Spec(choice), "label") or value))
        else:
            options.append((str(choice), str(choice)))
    return options


def choice_label(spec: dict[str, Any], value: str) -> str:
    """What a stored answer reads as in the active language (the value itself when the
    question has no such choice, e.g. a choice renamed since)."""
    if not value or spec.get("type") != "choice":
        return value
    return dict(choice_options(spec)).get(value, value)


def valid_choices(choices: Any) -> bool:
    """A non-empty list of texts or of ``{"value", "label_el", …}``, each value once."""
    if not isinstance(choices, list) or not choices:
        return False
    values = []
    for choice in choices:
        if isinstance(choice, dict):
            value, label = choice.get("value"), choice.get("label_el")
            if not (isinstance(value, str) and value.strip() and isinstance(label, str)):
                return False
            if not label.strip():
                return False
            values.append(value)
        elif isinstance(choice, str) and choice.strip():
            values.append(choice)
        else:
            return False
    return len(values) == len(set(values))


class _Spec:
    """A field or document definition (a dict) seen as an object with label_el/label_en.

    ``prefix`` reads another pair of the dict: ``document_label`` for the document's label.
    """

    def __init__(self, spec: dict[str, Any], prefix: str = "label") -> None:
        self.label_el = spec.get(f"{prefix}_el", "")
        self.label_en = spec.get(f"{prefix}_en", "")


class EventKind(models.TextChoices):
    STATUS = "status", _("status change")
    INFO_REQUEST = "info_request", _("more information asked")
    REPLY = "reply", _("answer from the resident")
    NOTE = "note", _("internal note")
    ASSIGNED = "assigned", _("assigned")
    ISSUED = "issued", _("certificate issued")
    REVOKED = "revoked", _("certificate revoked")
    DELIVERY = "delivery", _("delivery at home")


class RequestEvent(TimelineEntry):
    """The request's history: the resident sees the public events, staff all of them."""

    request = models.ForeignKey(CertificateRequest, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    status = models.CharField(max_length=20, choices=Status.choices)
    message = models.TextField(blank=True)
    public = models.BooleanField(default=True)

    class Meta:
        ordering = ("created_at", "pk")

    def __str__(self) -> str:
        return f"{self.request_id} {self.kind} {self.status}"

    @classmethod
    def for_move(cls, move: Any) -> RequestEvent:
        return cls(
            request=move.case,
            kind=move.transition.kind,
            status=move.case.status,
            message=move.note,
            actor=move.actor,
        )


class Attachment(models.Model):
    """A document the resident (or the clerk for a caller) uploaded."""

    request = models.ForeignKey(
        CertificateRequest, on_delete=models.CASCADE, related_name="attachments"
    )
    kind = models.CharField(_("document"), max_length=50)
    label = models.CharField(max_length=200, blank=True)
    file = models.FileField(
        storage=private_storage, upload_to="certificates/uploads/%Y/%m/", max_length=200
    )
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("created_at", "pk")

    def __str__(self) -> str:
        return self.original_name


class DocumentStatus(models.TextChoices):
    # Its protocol number is reserved; the PDF is being signed, or signing failed (retry).
    PENDING = "pending", _("being issued")
    VALID = "valid", _("valid")
    REVOKED = "revoked", _("revoked")
    SUPERSEDED = "superseded", _("superseded")
    # Never issued: the request was rejected while its certificate was pending. The row keeps
    # the reserved protocol number explained.
    VOID = "void", _("cancelled before issue")


# A certificate exists (a signed PDF) in these; pending and void rows are never shown outside
# the back office, never verified and never counted.
ISSUED_STATUSES = (DocumentStatus.VALID, DocumentStatus.REVOKED, DocumentStatus.SUPERSEDED)

# The only columns of a registry row that may change after it is written. A pending row is
# completed once, by services.issue, with a conditional UPDATE (status = pending).
MUTABLE_DOCUMENT_FIELDS = frozenset(
    {"status", "revoked_at", "revoked_by", "revocation_reason", "superseded_by", "issue_error"}
)


class DocumentQuerySet(models.QuerySet["IssuedDocument"]):
    def issued(self) -> DocumentQuerySet:
        """Signed certificates only (not pending, not void)."""
        return self.filter(status__in=ISSUED_STATUSES)


class IssuedDocument(models.Model):
    """The registry: one append-only row per issued PDF. Revocation changes status only."""

    code = models.CharField(_("verification code"), max_length=32, unique=True, default=new_code)
    request = models.ForeignKey(
        CertificateRequest, on_delete=models.PROTECT, related_name="documents"
    )
    certificate_type = models.ForeignKey(
        CertificateType, on_delete=models.PROTECT, related_name="issued_documents"
    )
    holder_name = models.CharField(max_length=200)
    protocol_number = models.CharField(max_length=30)
    language = models.CharField(max_length=8, default="el")
    sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, db_index=True)
    size = models.PositiveIntegerField()
    pdf = models.FileField(
        storage=private_storage, upload_to="certificates/issued/%Y/%m/", max_length=200
    )
    demo = models.BooleanField(default=False)
    signer_subject = models.CharField(max_length=300, blank=True)
    status = models.CharField(
        max_length=20, choices=DocumentStatus.choices, default=DocumentStatus.VALID, db_index=True
    )
    issued_at = models.DateTimeField(default=timezone.now, db_index=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revocation_reason = models.TextField(blank=True)
    superseded_by = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Pending: why the last attempt to sign failed (shown to staff with a retry button).
    issue_error = models.TextField(blank=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ("-issued_at", "-pk")
        verbose_name = _("issued certificate")
        verbose_name_plural = _("issued certificates")

    def __str__(self) -> str:
        return format_code(self.code)

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            fields = set(kwargs.get("update_fields") or ())
            if not fields or not fields <= MUTABLE_DOCUMENT_FIELDS:
                raise ValueError("An issued document's registry row is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("An issued document's registry row is never deleted.")

    @property
    def display_code(self) -> str:
        return format_code(self.code)


class ProtocolCounter(models.Model):
    """The last protocol number given in a year (taken under a row lock)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"
