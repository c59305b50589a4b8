"""Forms of the accounts app."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from dimos.accounts.models import IdentityDocument, User

phone_validator = RegexValidator(
    r"^\+?[0-9 ()-]{7,20}$",
    _("Enter a phone number, e.g. +30 6912345678."),
)


class SignupExtraForm(forms.Form):
    """The fields allauth's sign-up form adds to email and password."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)

    def signup(self, request: Any, user: User) -> None:
        user.first_name = self.cleaned_data["first_name"]
        user.last_name = self.cleaned_data["last_name"]
        user.save(update_fields=["first_name", "last_name"])


class ProfileForm(forms.ModelForm):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    phone = forms.CharField(
        label=_("Mobile phone"), max_length=30, required=False, validators=[phone_validator]
    )

    class Meta:
        model = User
        fields = [
            "first_name",
            "last_name",
            "phone",
            "address",
            "preferred_language",
            "notify_email",
            "notify_sms",
        ]
        labels = {
            "first_name": _("First name"),
            "last_name": _("Last name"),
        }
        widgets = {"preferred_language": forms.RadioSelect}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("notify_sms") and not data.get("phone"):
            self.add_error("phone", _("Enter a mobile phone number to receive SMS."))
        return data


class DeleteAccountForm(forms.Form):
    confirm = forms.CharField(
        label=_("Type your email address to confirm"),
        max_length=254,
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_confirm(self) -> str:
        value = self.cleaned_data["confirm"].strip().lower()
        if value != self.user.email.lower():
            raise forms.ValidationError(_("This is not the email address of your account."))
        return value


class StaffRolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("Roles"), required=False, widget=forms.CheckboxSelectMultiple
    )
    is_active = forms.BooleanField(label=_("Active"), required=False)

    def __init__(self, *args: Any, role_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["roles"].choices = role_choices  # type: ignore[attr-defined]


class NewStaffForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    roles = forms.MultipleChoiceField(
        label=_("Roles"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, role_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["roles"].choices = role_choices  # type: ignore[attr-defined]

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _("A person with this email address already has an account.")
            )
        return email


class FindPersonForm(forms.Form):
    email = forms.EmailField(
        label=_("The person's email address"),
        help_text=_("The address they log in with."),
    )


class ConfirmIdentityForm(forms.Form):
    document = forms.ChoiceField(
        label=_("Document seen"), choices=IdentityDocument.choices, widget=forms.RadioSelect
    )
    last_four = forms.RegexField(
        label=_("Last four characters of its number"),
        regex=r"^\w{4}$",
        max_length=4,
        error_messages={"invalid": _("Give exactly four letters or digits.")},
        help_text=_("Only these are kept, as a record of which document was seen."),
    )
    compared = forms.BooleanField(
        label=_(
            "I compared the photo and the names on the document with the person in front of me"
        ),
        error_messages={"required": _("Compare the document with the person first.")},
    )
