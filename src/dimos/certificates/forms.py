"""Forms: the request form built from the certificate type, staff actions, verification."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dimos.accounts.models import User
from dimos.accounts.selectors import active_staff
from dimos.certificates import services
from dimos.certificates.conf import conf
from dimos.certificates.models import (
    HOLDER_FIELDS,
    CertificateRequest,
    CertificateType,
    IdentityCheck,
    IdentityDocument,
    Requester,
    Status,
    _Spec,
    choice_options,
)
from dimos.core.models import localized

DOC_PREFIX, FIELD_PREFIX = "doc_", "f_"


def _upload(field: forms.FileField | None, value: Any) -> services.CheckedUpload | None:
    if not value:
        return None
    try:
        return services.check_upload(value)
    except services.UploadRejected as exc:
        raise forms.ValidationError(str(exc.message)) from exc


def question_field(spec: dict[str, Any], *, required: bool) -> forms.Field:
    """The form field of one of a type's questions (its label is the question)."""
    label = localized(_Spec(spec), "label") or str(spec.get("name", ""))
    kind = spec.get("type", "text")
    if kind == "textarea":
        return forms.CharField(
            label=label, required=required, max_length=2000, widget=forms.Textarea({"rows": 3})
        )
    if kind == "date":
        return forms.DateField(
            label=label, required=required, widget=forms.DateInput({"type": "date"})
        )
    if kind == "number":
        return forms.IntegerField(label=label, required=required, min_value=0, max_value=10**9)
    if kind == "choice":
        choices = [("", "—"), *choice_options(spec)]
        return forms.ChoiceField(label=label, required=required, choices=choices)
    return forms.CharField(label=label, required=required, max_length=300)


def holder_field(key: str, *, required: bool) -> forms.Field:
    """The form field of one of the person's details."""
    if key == "holder_name":
        return forms.CharField(label=_("Full name of the person"), max_length=200)
    if key == "holder_father_name":
        return forms.CharField(label=_("Father's name"), max_length=100, required=required)
    if key == "holder_birth_date":
        return forms.DateField(
            label=_("Date of birth"), required=required, widget=forms.DateInput({"type": "date"})
        )
    return forms.CharField(
        label=_("Address"),
        max_length=300,
        required=required,
        help_text=_("Street and number, postcode and town."),
    )


# Only when someone asks for another person; ignored when the certificate is for oneself.
SOMEONE_ELSE_FIELDS = ("relationship", "authorisation")
DELIVERY_FIELDS = ("home_delivery", "mobility_need", "delivery_address", "contact_phone")


class RequestForm(forms.Form):
    """The resident's form for one certificate type (its questions and documents).

    The details the type's document needs are required; the representative's fields are
    ignored when the certificate is for the person filling in the form.
    """

    requester = forms.ChoiceField(label=_("Who is the certificate for?"), widget=forms.RadioSelect)
    relationship = forms.CharField(
        label=_("Your relationship to the person"),
        required=False,
        max_length=100,
        help_text=_("Only if you ask for a member of your family."),
    )
    authorisation = forms.FileField(
        label=_("Authorisation document"),
        required=False,
        help_text=_("Needed when you ask for someone you represent. PDF, JPEG or PNG."),
    )
    home_delivery = forms.BooleanField(
        label=_("Deliver the certificate at home (Assistance at Home)"),
        required=False,
        help_text=_(
            "For people of %(age)s or older, or with a mobility need. Staff bring it to the "
            "address below instead of a download."
        ),
    )
    mobility_need = forms.BooleanField(label=_("The person has a mobility need"), required=False)
    delivery_address = forms.CharField(label=_("Delivery address"), max_length=300, required=False)
    contact_phone = forms.CharField(
        label=_("Phone for the delivery"), max_length=30, required=False
    )

    def __init__(self, *args: Any, certificate_type: CertificateType, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)

        self.certificate_type = certificate_type
        needed = set(certificate_type.needed_fields())
        self.fields["requester"].choices = certificate_type.requester_choices()  # type: ignore[attr-defined]
        self.fields["requester"].initial = Requester.SELF
        self.fields["home_delivery"].help_text = str(self.fields["home_delivery"].help_text) % {
            "age": conf.HOME_DELIVERY_AGE
        }
        allowed = dict(certificate_type.requester_choices())
        if Requester.FAMILY not in allowed:
            del self.fields["relationship"]
        if Requester.REPRESENTATIVE not in allowed:
            del self.fields["authorisation"]
        for name in (*SOMEONE_ELSE_FIELDS, "delivery_address", "contact_phone"):
            if name in self.fields:
                # Needed for someone else, or for a delivery at home: not "(optional)".
                setattr(self.fields[name], "conditional", True)  # noqa: B010
        for key in HOLDER_FIELDS:
            self.fields[key] = holder_field(key, required=key in needed)
        for spec in certificate_type.fields or []:
            name = str(spec.get("name", ""))
            if name:
                self.fields[FIELD_PREFIX + name] = question_field(
                    spec, required=bool(spec.get("required")) or name in needed
                )
        for doc in certificate_type.documents or []:
            key = str(doc.get("key", ""))
            if key:
                self.fields[DOC_PREFIX + key] = forms.FileField(
                    label=localized(_Spec(doc), "label") or key,
                    required=bool(doc.get("required")),
                    help_text=_("PDF, JPEG or PNG."),
                )
        # Move the delivery fields last, after the questions and documents.
        for name in DELIVERY_FIELDS:
            self.fields[name] = self.fields.pop(name)

    def _group(self, names: Any) -> list[Any]:
        return [self[name] for name in names if name in self.fields]

    def person_fields(self) -> list[Any]:
        return self._group(HOLDER_FIELDS)

    def someone_else_fields(self) -> list[Any]:
        return self._group(SOMEONE_ELSE_FIELDS)

    def question_fields(self) -> list[Any]:
        return self._group(n for n in self.fields if n.startswith(FIELD_PREFIX))

    def document_fields(self) -> list[Any]:
        return self._group(n for n in self.fields if n.startswith(DOC_PREFIX))

    def delivery_fields(self) -> list[Any]:
        return self._group(DELIVERY_FIELDS)

    def other_fields(self) -> list[Any]:
        """Fields of a subclass that none of the groups above holds (e.g. phone intake's)."""
        grouped = {"requester", *HOLDER_FIELDS, *SOMEONE_ELSE_FIELDS, *DELIVERY_FIELDS}
        return self._group(
            n
            for n in self.fields
            if n not in grouped and not n.startswith((FIELD_PREFIX, DOC_PREFIX))
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # Check every uploaded document by content (the dynamic fields have no clean_<name>).
        for name in [n for n in data if n.startswith(DOC_PREFIX)]:
            try:
                data[name] = _upload(None, data[name])
            except forms.ValidationError as exc:
                del data[name]
                self.add_error(name, exc)
        requester = data.get("requester")
        # What was typed in the "someone else" part does not count for oneself.
        if requester != Requester.FAMILY:
            data["relationship"] = ""
            self.errors.pop("relationship", None)
        if requester != Requester.REPRESENTATIVE:
            data["authorisation"] = None
            self.errors.pop("authorisation", None)
        if requester == Requester.REPRESENTATIVE and not data.get("authorisation"):
            self.add_error("authorisation", _("Attach the authorisation document."))
        if requester == Requester.FAMILY and not data.get("relationship"):
            self.add_error("relationship", _("Say how you are related to the person."))
        if data.get("home_delivery"):
            if not services.home_delivery_allowed(
                birth_date=data.get("holder_birth_date"),
                mobility_need=bool(data.get("mobility_need")),
            ):
                self.add_error(
                    "home_delivery",
                    _(
                        "Delivery at home is for older people or people with a mobility need: "
                        "give the date of birth or tick the mobility need."
                    ),
                )
            if not (data.get("delivery_address") or data.get("holder_address")):
                self.add_error("delivery_address", _("Give the address to deliver to."))
            if not data.get("contact_phone"):
                self.add_error("contact_phone", _("Give a phone number for the delivery."))
        return data

    def clean_authorisation(self) -> Any:
        return _upload(None, self.cleaned_data.get("authorisation"))

    def service_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        answers = {}
        for name, value in d.items():
            if name.startswith(FIELD_PREFIX) and value not in (None, ""):
                answers[name[len(FIELD_PREFIX) :]] = (
                    value.isoformat() if hasattr(value, "isoformat") else value
                )
        files: dict[str, tuple[str, services.CheckedUpload]] = {}
        for name, value in d.items():
            if name.startswith(DOC_PREFIX) and value:
                files[name[len(DOC_PREFIX) :]] = (str(self.fields[name].label), value)
        if d.get("authorisation"):
            files["authorisation"] = (str(_("Authorisation document")), d["authorisation"])
        return {
            "certificate_type": self.certificate_type,
            "requester": d["requester"],
            "relationship": d.get("relationship", ""),
            "holder_name": d["holder_name"],
            "holder_father_name": d.get("holder_father_name", ""),
            "holder_birth_date": d.get("holder_birth_date"),
            "holder_address": d.get("holder_address", ""),
            "data": answers,
            "files": files,
            "home_delivery": bool(d.get("home_delivery")),
            "mobility_need": bool(d.get("mobility_need")),
            "delivery_address": d.get("delivery_address", ""),
            "contact_phone": d.get("contact_phone", ""),
        }


class PhoneRequestForm(RequestForm):
    """A clerk files a request for a caller: how the caller's identity was checked."""

    identity_check = forms.ChoiceField(
        label=_("How the caller's identity was checked"),
        choices=[c for c in IdentityCheck.choices if c[0] != IdentityCheck.VERIFIED_ACCOUNT],
        widget=forms.RadioSelect,
    )
    identity_document = forms.ChoiceField(
        label=_("Identity document you checked"),
        choices=IdentityDocument.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the identity document you checked.")},
    )
    identity_document_digits = forms.RegexField(
        label=_("Last four digits of the document's number"),
        regex=services.DIGITS,
        max_length=4,
        widget=forms.TextInput({"inputmode": "numeric", "autocomplete": "off", "size": 4}),
        help_text=_("Only the last four: the full number is not kept."),
        error_messages={
            "required": _("Give the last four digits of the document's number."),
            "invalid": _("Give the last four digits of the document's number."),
        },
    )
    identity_notes = forms.CharField(
        label=_("Identity check notes"),
        max_length=300,
        help_text=_("For example the number you called back, or what else you checked."),
    )
    contact_email = forms.EmailField(label=_("Caller's email"), required=False)

    def service_kwargs(self) -> dict[str, Any]:
        kwargs = super().service_kwargs()
        kwargs.update(
            identity_check=self.cleaned_data["identity_check"],
            identity_notes=self.cleaned_data["identity_notes"],
            identity_document=self.cleaned_data["identity_document"],
            identity_document_digits=self.cleaned_data["identity_document_digits"],
            contact_email=self.cleaned_data.get("contact_email", ""),
        )
        return kwargs


class ReplyForm(forms.Form):
    """The resident's answer to the clerk, with the details the document still lacks."""

    message = forms.CharField(
        label=_("Your answer"), required=False, max_length=2000, widget=forms.Textarea({"rows": 3})
    )
    document = forms.FileField(
        label=_("Document"), required=False, help_text=_("PDF, JPEG or PNG.")
    )

    def __init__(self, *args: Any, req: CertificateRequest | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.missing: list[str] = req.missing_fields() if req is not None else []
        ctype = req.certificate_type if req is not None else None
        for key in self.missing:
            if key in HOLDER_FIELDS:
                self.fields[key] = holder_field(key, required=True)
            elif ctype is not None and (spec := ctype.question(key)) is not None:
                self.fields[FIELD_PREFIX + key] = question_field(spec, required=True)
        # The missing details first, under the sentence that says they are missing.
        for name in ("message", "document"):
            self.fields[name] = self.fields.pop(name)

    def details(self) -> dict[str, Any]:
        """The details filled in, by their key (without the form's prefix)."""
        out = {}
        for name, value in self.cleaned_data.items():
            key = name[len(FIELD_PREFIX) :] if name.startswith(FIELD_PREFIX) else name
            if key in self.missing:
                out[key] = value
        return out

    def clean_document(self) -> Any:
        return _upload(None, self.cleaned_data.get("document"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.missing:
            return data
        if not data.get("message") and not data.get("document") and not self.errors:
            raise forms.ValidationError(_("Write an answer or attach a document."))
        return data


def clerks() -> Any:
    return active_staff(permission="change_certificaterequest", app_label="certificates")


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label=_("Assign to"), queryset=User.objects.none(), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = clerks()  # type: ignore[attr-defined]


class InfoForm(forms.Form):
    message = forms.CharField(
        label=_("What do you need from the resident?"),
        max_length=2000,
        widget=forms.Textarea({"rows": 3}),
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for rejection"), max_length=2000, widget=forms.Textarea({"rows": 3})
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for revocation"), max_length=1000, widget=forms.Textarea({"rows": 2})
    )


class IssueForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language of the document"),
        choices=[("el", _("Greek")), ("en", _("English"))],
        initial="el",
    )


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Open")), ("all", _("All")), ("overdue", _("Overdue")), *Status.choices],
    )
    certificate_type = forms.ModelChoiceField(
        label=_("Certificate"), queryset=CertificateType.objects.all(), required=False
    )
    assigned = forms.ChoiceField(
        label=_("Assigned"),
        required=False,
        choices=[("", _("Anyone")), ("me", _("To me")), ("none", _("Unassigned"))],
    )


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=40,
        help_text=_("The code printed under the QR code, for example ABCD-EFGH-JKMN-PQRS."),
    )


class VerifyUploadForm(forms.Form):
    pdf = forms.FileField(label=_("The PDF file of the certificate"))

    def clean_pdf(self) -> bytes:

        upload = self.cleaned_data["pdf"]
        limit = conf.UPLOAD_MAX_BYTES
        content = upload.read(limit + 1)
        if len(content) > limit:
            raise forms.ValidationError(_("The file is too large."))
        if not content.startswith(b"%PDF-"):
            raise forms.ValidationError(_("This is not a PDF file."))
        return bytes(content)


class TypeChoiceForm(forms.Form):
    certificate_type = forms.ModelChoiceField(
        label=_("Certificate"),
        queryset=CertificateType.objects.filter(is_active=True),
        empty_label=None,
        widget=forms.RadioSelect,
    )
