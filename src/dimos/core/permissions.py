"""Access decorators for staff pages: they need only Django's auth, so every layer may use them."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse


def staff_required(view: Callable[..., HttpResponse] | None = None, *, perm: str = "") -> Any:
    """Only active staff (with ``perm``, if given) may see the view; others get a 403."""

    def decorator(func: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(func)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not user.is_staff or (perm and not user.has_perm(perm)):
                raise PermissionDenied
            return func(request, *args, **kwargs)

        return wrapped

    return decorator(view) if view is not None else decorator
