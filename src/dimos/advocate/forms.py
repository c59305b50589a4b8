"""The Advocate's forms: screening, the complaint, the complainant's reply, and the
office's actions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dimos.advocate import services
from dimos.advocate.models import (
    Adoption,
    Body,
    Category,
    Channel,
    Complaint,
    Exclusion,
    Note,
    Outcome,
)
from dimos.core.documents import CheckedDocument

YES_NO = (("no", _("No")), ("yes", _("Yes")))


class _Named(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class DocumentsField(forms.FileField):
    """Several documents, each checked by content (PDF, JPEG or PNG)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", MultipleFileInput({"accept": ".pdf,.jpg,.jpeg,.png", "multiple": True})
        )
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[CheckedDocument]:
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        checked = []
        for file in files:
            if not file:
                continue
            try:
                checked.append(services.check_attachment(file))
            except services.AdvocateError as exc:
                raise forms.ValidationError(f"{file.name}: {exc.message}") from exc
        return checked


class ScreeningForm(forms.Form):
    """The law's exclusions asked before the complaint, each explained if it applies."""

    court = forms.ChoiceField(
        label=_("Is the case pending before a court?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
    )
    private = forms.ChoiceField(
        label=_("Is it a dispute with another private person or business?"),
        help_text=_("A neighbour, a landlord, a shop: not the municipality."),
        choices=YES_NO,
        widget=forms.RadioSelect,
    )
    staff = forms.ChoiceField(
        label=_("Are you the municipality's employee complaining about your own job?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
    )
    legal_advice = forms.ChoiceField(
        label=_("Are you asking for legal advice?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
    )
    municipal = forms.ChoiceField(
        label=_("Is it about the municipality, one of its services or legal entities?"),
        help_text=_("Not about the state's services, the region, a ministry or a utility."),
        choices=(("yes", _("Yes")), ("no", _("No"))),
        widget=forms.RadioSelect,
    )

    def exclusions(self) -> list[tuple[Any, Any]]:
        data = self.cleaned_data
        found = [
            Exclusion(code)
            for code, answer in (
                (Exclusion.COURT, data["court"]),
                (Exclusion.PRIVATE, data["private"]),
                (Exclusion.STAFF, data["staff"]),
                (Exclusion.LEGAL_ADVICE, data["legal_advice"]),
            )
            if answer == "yes"
        ]
        if data["municipal"] == "no":
            found.append(Exclusion.NOT_MUNICIPAL)
        return [(e.label, services.where_to_turn(e)) for e in found]


class ComplaintForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("You complain as"), choices=Complaint.Kind.choices, widget=forms.RadioSelect
    )
    name = forms.CharField(
        label=_("Full name"), max_length=200, widget=forms.TextInput({"autocomplete": "name"})
    )
    business_name = forms.CharField(
        label=_("Business name"),
        max_length=200,
        required=False,
        help_text=_("Only if you complain as a business."),
        widget=forms.TextInput({"autocomplete": "organization"}),
    )
    tax_number = forms.CharField(
        label=_("Tax number (ΑΦΜ) of the business"),
        max_length=9,
        required=False,
        help_text=_("Nine digits; only if you complain as a business."),
        widget=forms.TextInput({"inputmode": "numeric", "autocomplete": "off"}),
    )
    email = forms.EmailField(
        label=_("Email"),
        required=False,
        help_text=_("We send you a link to confirm it and to follow your complaint."),
        widget=forms.EmailInput({"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        required=False,
        widget=forms.TextInput({"autocomplete": "tel", "inputmode": "tel"}),
    )
    language = forms.ChoiceField(
        label=_("Language of our answers"),
        choices=(("el", "Ελληνικά"), ("en", "English")),
        widget=forms.RadioSelect,
    )
    body = _Named(
        label=_("The service or legal entity your complaint is about"),
        queryset=Body.objects.none(),
        empty_label=_("Choose…"),
        error_messages={
            "invalid_choice": _("Choose a service from the list: that one is not known.")
        },
    )
    category = forms.ChoiceField(label=_("What went wrong"), choices=Category.choices)
    happened_on = forms.DateField(
        label=_("When it happened"),
        required=False,
        widget=forms.DateInput({"type": "date"}),
    )
    description = forms.CharField(
        label=_("What happened"), max_length=8000, widget=forms.Textarea({"rows": 6})
    )
    earlier_steps = forms.CharField(
        label=_("What you already did"),
        required=False,
        max_length=4000,
        help_text=_("For example: you made a request, called, wrote; and what you were told."),
        widget=forms.Textarea({"rows": 3}),
    )
    earlier_protocol = forms.CharField(
        label=_("Protocol number of your earlier request"), required=False, max_length=100
    )
    request = forms.CharField(
        label=_("What you ask for"), max_length=4000, widget=forms.Textarea({"rows": 3})
    )
    attachments = DocumentsField(
        label=_("Documents"),
        help_text=_("PDF, JPEG or PNG; you may choose several files."),
    )
    share_identity = forms.ChoiceField(
        label=_("May the Advocate tell the service concerned who you are?"),
        help_text=_(
            "Some complaints are resolved faster when the service knows whose case it is. "
            "If you say no, the service sees what happened but not your name or contact."
        ),
        choices=(
            ("yes", _("Yes, the service may know who I am")),
            ("no", _("No, stay anonymous towards the service")),
        ),
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = Body.objects.filter(is_active=True)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == Complaint.Kind.BUSINESS:
            if not data.get("business_name"):
                self.add_error("business_name", _("Write the business's name."))
            tax = (data.get("tax_number") or "").replace(" ", "")
            if not services.valid_tax_number(tax):
                self.add_error(
                    "tax_number", _("The tax number (ΑΦΜ) is not valid: it has nine digits.")
                )
            data["tax_number"] = tax
        else:
            data["business_name"] = data["tax_number"] = ""
        return data

    def complainant(self) -> services.Complainant:
        data = self.cleaned_data
        return services.Complainant(
            kind=data["kind"],
            name=data["name"],
            email=data.get("email") or "",
            phone=data.get("phone") or "",
            business_name=data.get("business_name") or "",
            tax_number=data.get("tax_number") or "",
            language=data["language"],
            share_identity=data["share_identity"] == "yes",
        )

    def details(self) -> services.Details:
        data = self.cleaned_data
        return services.Details(
            body=data["body"],
            category=data["category"],
            description=data["description"],
            request=data["request"],
            happened_on=data.get("happened_on"),
            earlier_steps=data.get("earlier_steps") or "",
            earlier_protocol=data.get("earlier_protocol") or "",
            attachments=data.get("attachments") or [],
        )


class StaffComplaintForm(ComplaintForm):
    """The office files for someone who called or came in."""

    channel = forms.ChoiceField(
        label=_("How the complaint came"),
        choices=[c for c in Channel.choices if c[0] != Channel.ONLINE],
        widget=forms.RadioSelect,
    )

    field_order = ["channel"]


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Your message"), required=False, max_length=8000, widget=forms.Textarea({"rows": 4})
    )
    attachments = DocumentsField(label=_("Documents"), help_text=_("PDF, JPEG or PNG."))


# --- The office ----------------------------------------------------------------------------


class RejectForm(forms.Form):
    exclusion = forms.ChoiceField(label=_("The law's reason"), choices=Exclusion.choices)
    explanation = forms.CharField(
        label=_("Explanation to the complainant"),
        required=False,
        help_text=_("Empty: where to turn instead, as the law's reason says."),
        widget=forms.Textarea({"rows": 3}),
    )


class ReferForm(forms.Form):
    referred_to = forms.CharField(label=_("Referred to"), max_length=300)
    explanation = forms.CharField(
        label=_("Explanation to the complainant"), widget=forms.Textarea({"rows": 3})
    )


class TextForm(forms.Form):
    text = forms.CharField(
        label=_("Message to the complainant"), widget=forms.Textarea({"rows": 3})
    )


class AssignForm(forms.Form):
    to: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Handled by"),
        queryset=None,  # type: ignore[arg-type]
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = services.office_staff()  # type: ignore[attr-defined]


class NoteForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Note.Kind.choices)
    text = forms.CharField(label=_("What was said or done"), widget=forms.Textarea({"rows": 3}))


class MediationForm(forms.Form):
    question = forms.CharField(
        label=_("What the office asks the service"),
        help_text=_("The service sees this text, the documents you share and nothing else."),
        widget=forms.Textarea({"rows": 5}),
    )
    days = forms.IntegerField(label=_("Days the service has to answer"), min_value=1, max_value=60)
    share = forms.MultipleChoiceField(
        label=_("Documents to share with the service"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, complaint: Complaint | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        docs = complaint.attachments.all() if complaint is not None else []
        self.fields["share"].choices = [(str(d.pk), d.original_name) for d in docs]  # type: ignore[attr-defined]

    def shared(self) -> list[int]:
        return [int(pk) for pk in self.cleaned_data.get("share") or []]


class ConcludeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[c for c in Outcome.choices if c[0] != Outcome.WITHDRAWN]
    )
    recommendation = forms.CharField(
        label=_("Recommendation (πόρισμα) to the service"),
        required=False,
        widget=forms.Textarea({"rows": 4}),
    )
    service_reasons = forms.CharField(
        label=_("The service's reasons, if it disagreed"),
        required=False,
        widget=forms.Textarea({"rows": 3}),
    )
    answer = forms.CharField(
        label=_("The answer to the complainant"),
        help_text=_("The complainant receives it as a PDF letter."),
        widget=forms.Textarea({"rows": 8}),
    )


class AdoptionForm(forms.Form):
    adoption = forms.ChoiceField(label=_("Recommendation followed"), choices=Adoption.choices)


class DocumentForm(forms.Form):
    document = forms.FileField(label=_("Document (PDF, JPEG or PNG)"))

    def clean_document(self) -> CheckedDocument:
        try:
            return services.check_attachment(self.cleaned_data["document"])
        except services.AdvocateError as exc:
            raise forms.ValidationError(exc.message) from exc


class SummaryForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary without personal data"), widget=forms.Textarea({"rows": 5})
    )
    checked = forms.BooleanField(
        label=_("I checked that the summary holds no name, address or detail of the person"),
        required=False,
    )


class AnswerForm(forms.Form):
    agrees = forms.ChoiceField(
        label=_("Does the service accept the complaint?"),
        choices=(("yes", _("Yes")), ("partly", _("In part")), ("no", _("No"))),
        widget=forms.RadioSelect,
    )
    answer = forms.CharField(
        label=_("The service's answer to the Advocate"), widget=forms.Textarea({"rows": 6})
    )

    def agreed(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.cleaned_data["agrees"])


class ReportForm(forms.Form):
    introduction_el = forms.CharField(
        label=_("Introduction (Greek)"), required=False, widget=forms.Textarea({"rows": 6})
    )
    introduction_en = forms.CharField(
        label=_("Introduction (English)"), required=False, widget=forms.Textarea({"rows": 6})
    )
    highlights_el = forms.CharField(
        label=_("Highlights and proposals (Greek)"),
        required=False,
        widget=forms.Textarea({"rows": 6}),
    )
    highlights_en = forms.CharField(
        label=_("Highlights and proposals (English)"),
        required=False,
        widget=forms.Textarea({"rows": 6}),
    )
