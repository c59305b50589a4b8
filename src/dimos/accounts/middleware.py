"""Account middleware: the user's language, and MFA for staff."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation


class UserLanguageMiddleware:
    """Use a logged-in user's preferred language unless they chose one in this browser."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
            and user.preferred_language
        ):
            translation.activate(user.preferred_language)
            request.LANGUAGE_CODE = user.preferred_language
        return self.get_response(request)


class StaffMFAMiddleware:
    """Staff must have a TOTP authenticator before they reach the staff area or the admin."""

    PROTECTED = ("/staff/", "/admin/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(self.PROTECTED):
            from dimos.accounts.selectors import needs_staff_mfa

            if needs_staff_mfa(getattr(request, "user", None)):
                return redirect(f"{reverse('mfa_activate_totp')}?next={request.path}")
        return self.get_response(request)
