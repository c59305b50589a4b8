"""Views of the accounts app: profile, privacy (export, delete), staff management."""

from __future__ import annotations

from typing import Any

from allauth.core.exceptions import ReauthenticationRequired
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dimos.accounts import reauth, services
from dimos.accounts.forms import (
    ConfirmIdentityForm,
    DeleteAccountForm,
    FindPersonForm,
    NewStaffForm,
    ProfileForm,
    StaffRolesForm,
)
from dimos.accounts.models import User
from dimos.core import audit
from dimos.core.permissions import staff_required
from dimos.core.registry import registry


@login_required
def identity(request: HttpRequest) -> HttpResponse:
    """How to get a verified identity (national eID, at a KEP, by phone), or that it is."""
    return render(request, "accounts/identity.html")


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=User.objects.get(pk=user.pk))
        if form.is_valid():
            services.update_profile(
                user=user,
                request=request,
                **{f: form.cleaned_data[f] for f in services.PROFILE_FIELDS},
            )
            messages.success(request, _("Your profile was saved."))
            response = redirect("accounts:profile")
            # The chosen language applies at once, in this browser too.
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                user.preferred_language,
                samesite="Lax",
                secure=settings.LANGUAGE_COOKIE_SECURE,
                max_age=31536000,
            )
            return response
    else:
        form = ProfileForm(instance=user)
    return render(request, "accounts/profile.html", {"form": form})


@login_required
def privacy(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(user=request.user)  # type: ignore[arg-type]
    return render(request, "accounts/privacy.html", {"form": form})


@login_required
@require_POST
def export_data(request: HttpRequest) -> HttpResponse:
    archive = services.export_archive(user=request.user, request=request)  # type: ignore[arg-type]
    response = HttpResponse(archive, content_type="application/zip")
    stamp = timezone.localtime().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="dimos-my-data-{stamp}.zip"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def delete_account(request: HttpRequest) -> HttpResponse:
    """Delete the account, once the person has typed their email and proved it is them again.

    With a password, allauth's reauthentication page takes over and, once confirmed, carries
    this very request out; without one (eID), they log in with the eID again first.
    """
    form = DeleteAccountForm(request.POST, user=request.user)  # type: ignore[arg-type]
    if not form.is_valid():
        return render(request, "accounts/privacy.html", {"form": form}, status=400)
    if not reauth.confirmed_recently(request):
        if reauth.uses_password(request.user):
            raise ReauthenticationRequired()
        context = {
            "form": form,
            "confirm_again": True,
            "eid_providers": reauth.eid_providers(request),
            "code_by_email": reauth.code_by_email(request.user),
        }
        return render(request, "accounts/privacy.html", context, status=403)
    services.erase_account(user=request.user, request=request)  # type: ignore[arg-type]
    logout(request)
    messages.success(
        request,
        _(
            "Your account and your personal data were deleted. This message is your "
            "confirmation: we send nothing to the address we have just erased."
        ),
    )
    return redirect("portal:home")


# --- Staff management -----------------------------------------------------------------------


@staff_required(perm="accounts.manage_staff")
def staff_list(request: HttpRequest) -> HttpResponse:
    has_totp = Authenticator.objects.filter(user=OuterRef("pk"), type=Authenticator.Type.TOTP)
    staff = (
        User.objects.filter(is_staff=True)
        .annotate(has_totp=Exists(has_totp))
        .prefetch_related("groups")
        .order_by("-is_active", "last_name", "email")
    )
    return render(request, "accounts/staff_list.html", {"staff": staff})


@staff_required(perm="accounts.manage_staff")
def staff_new(request: HttpRequest) -> HttpResponse:
    choices = services.role_choices()
    form = NewStaffForm(request.POST or None, role_choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            staff = services.create_staff(
                email=form.cleaned_data["email"],
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                roles=form.cleaned_data["roles"],
                actor=request.user,  # type: ignore[arg-type]
                request=request,
            )
        except services.StaffChangeRefused as exc:
            form.add_error("roles", exc.message)
        else:
            _send_password_link(request, staff)
            messages.success(
                request,
                _("%(name)s was added; we emailed them a link to set a password.")
                % {"name": staff},
            )
            return redirect("accounts:staff_list")
    return render(request, "accounts/staff_form.html", _form_context(request, form, None))


def _form_context(request: HttpRequest, form: Any, staff: User | None) -> dict[str, Any]:
    return {
        "form": form,
        "staff": staff,
        "own": staff is not None and staff.pk == request.user.pk,
        "superuser_only": [
            registry.roles[key].name for key in sorted(services.superuser_only_roles())
        ],
        "actor_is_superuser": request.user.is_superuser,  # type: ignore[union-attr]
    }


def _send_password_link(request: HttpRequest, user: User) -> None:
    from allauth.account.forms import ResetPasswordForm

    form = ResetPasswordForm(data={"email": user.email})
    if form.is_valid():
        form.save(request)


@staff_required(perm="accounts.manage_staff")
def staff_edit(request: HttpRequest, pk: int) -> HttpResponse:
    staff = get_object_or_404(User, pk=pk, is_staff=True)
    choices = services.role_choices()
    initial = {
        "roles": list(staff.groups.values_list("name", flat=True)),
        "is_active": staff.is_active,
    }
    form = StaffRolesForm(request.POST or None, initial=initial, role_choices=choices)
    context = _form_context(request, form, staff)
    if context["own"]:
        # One's own access is changed by another administrator, never by oneself.
        for field in form.fields.values():
            field.disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            if context["own"]:
                raise services.StaffChangeRefused(
                    _("You cannot change your own roles: ask another administrator.")
                )
            services.set_staff_roles(
                staff=staff,
                roles=form.cleaned_data["roles"],
                is_active=form.cleaned_data["is_active"],
                actor=request.user,  # type: ignore[arg-type]
                request=request,
            )
        except services.StaffChangeRefused as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The roles of %(name)s were saved.") % {"name": staff})
            return redirect("accounts:staff_list")
    return render(request, "accounts/staff_form.html", context)


@staff_required(perm="accounts.confirm_identity")
def identity_check(request: HttpRequest) -> HttpResponse:
    """At the desk: find the person's account by the email they log in with."""
    form = FindPersonForm(request.GET or None)
    if form.is_valid():
        person = User.objects.filter(email__iexact=form.cleaned_data["email"]).first()
        if person is not None and person.is_active:
            return redirect("accounts:identity_confirm", pk=person.pk)
        form.add_error("email", _("No open account has this email address."))
    return render(request, "accounts/identity_check.html", {"form": form})


@staff_required(perm="accounts.confirm_identity")
def identity_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """At the desk: the person's name, and the confirmation from their identity document."""
    person = get_object_or_404(User, pk=pk, is_active=True)
    form = ConfirmIdentityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.confirm_identity_in_person(
                person=person,
                actor=request.user,  # type: ignore[arg-type]
                document=form.cleaned_data["document"],
                last_four=form.cleaned_data["last_four"],
                request=request,
            )
        except services.IdentityCheckRefused as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(
                request,
                _("The identity of %(name)s is confirmed.") % {"name": person.display_name},
            )
            return redirect("accounts:identity_check")
    elif request.method == "GET":
        audit.record(
            action="account.identity_looked_up",
            actor=request.user,  # type: ignore[arg-type]
            target=person,
            request=request,
        )
    status = 400 if request.method == "POST" else 200
    return render(
        request, "accounts/identity_confirm.html", {"person": person, "form": form}, status=status
    )
