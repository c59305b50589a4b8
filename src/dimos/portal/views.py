"""Public pages, "My account" and the staff home."""

from __future__ import annotations

import io
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dimos.accounts.models import User
from dimos.core import images, notifications
from dimos.core.context_processors import A11Y_OPTIONS
from dimos.core.pagecache import cache_anonymous_page
from dimos.core.permissions import staff_required
from dimos.core.registry import (
    account_panels,
    home_cards,
    home_cards_state,
    home_figures,
    registry,
    staff_queues_for,
)
from dimos.core.selectors import current_municipality
from dimos.portal import emergency, selectors
from dimos.portal.models import Emergency, NewsItem


def _stay_home() -> dict[str, Any]:
    """The stay-at-home banner: the emergency in force and the services it leads to."""
    current = emergency.current()
    return {
        "emergency": current,
        "emergency_services": selectors.emergency_services() if current else [],
    }


@cache_anonymous_page(timeout=60, prefix="home", vary=home_cards_state)
def home(request: HttpRequest) -> HttpResponse:
    # Callables: the template calls them only when its cached fragment has expired.
    return render(
        request,
        "portal/home.html",
        {
            # Outside the cached fragment; the page cache varies on what they show.
            "home_cards": home_cards(request),
            "catalogue": selectors.catalogue,
            "news": partial(selectors.latest_news, 3),
            "figures": home_figures,
            **_stay_home(),
        },
    )


def catalogue(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/catalogue.html",
        {"catalogue": selectors.catalogue(), **_stay_home()},
    )


@staff_required(perm=emergency.PERMISSION)
def emergency_switch(request: HttpRequest) -> HttpResponse:
    """The administrator's switch of the stay-at-home emergency, with its history."""
    current = emergency.current()
    initial = (
        {"message_el": current.message_el, "message_en": current.message_en} if current else {}
    )
    form = emergency.EmergencyForm(
        request.POST if request.POST.get("action") == "on" else None, initial=initial
    )
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("action") == "off":
                emergency.switch_off(actor=request.user, request=request)
                messages.success(request, _("The emergency was switched off."))
                return redirect("portal:emergency")
            if form.is_valid():
                d = form.cleaned_data
                emergency.switch_on(
                    actor=request.user,
                    message_el=d["message_el"],
                    message_en=d["message_en"],
                    starts_at=d.get("starts_at"),
                    ends_at=d.get("ends_at"),
                    request=request,
                )
                messages.success(request, _("The emergency was switched on."))
                return redirect("portal:emergency")
        except emergency.EmergencyError as exc:
            form.add_error(None, str(exc))
        status = 400
    history = Emergency.objects.select_related("switched_on_by", "switched_off_by")[:10]
    return render(
        request,
        "portal/emergency.html",
        {"form": form, "current": current, "history": history},
        status=status,
    )


def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    results = selectors.search(query) if query else None
    return render(request, "portal/search.html", {"query": query, "results": results})


def news_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(NewsItem.objects.published(), 10).get_page(request.GET.get("page"))
    return render(request, "portal/news_list.html", {"page": page})


def news_detail(request: HttpRequest, slug: str) -> HttpResponse:
    item = get_object_or_404(NewsItem.objects.published(), slug=slug)
    return render(request, "portal/news_detail.html", {"item": item})


class NewsFeed(Feed):
    feed_type = Atom1Feed

    def title(self) -> str:
        m = current_municipality()
        return _("News from %(name)s") % {"name": m.name if m else "Dimos"}

    def link(self) -> str:
        return reverse("portal:news")

    def subtitle(self) -> str:
        return _("News and announcements of the municipality")

    def items(self) -> Any:
        return NewsItem.objects.published()[:30]

    def item_title(self, item: NewsItem) -> str:
        return item.title

    def item_description(self, item: NewsItem) -> str:
        return str(item.body_html)

    def item_pubdate(self, item: NewsItem) -> Any:
        return item.published_at

    def item_updateddate(self, item: NewsItem) -> Any:
        return item.updated_at


def page(request: HttpRequest, template: str) -> HttpResponse:
    return render(request, f"portal/pages/{template}.html")


@login_required
def my_account(request: HttpRequest) -> HttpResponse:
    panels = [(panel, panel.context(request)) for panel in account_panels()]
    return render(request, "portal/my_account.html", {"panels": panels})


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    page = Paginator(user.notifications.all(), 20).get_page(request.GET.get("page"))
    return render(request, "portal/inbox.html", {"page": page})


@login_required
@require_POST
def inbox_mark_read(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    ids = [int(i) for i in request.POST.getlist("id") if i.isdigit()] or None
    notifications.mark_read(user=user, notification_ids=ids)
    if request.htmx:  # type: ignore[attr-defined]
        page = Paginator(user.notifications.all(), 20).get_page(1)
        return render(request, "portal/inbox.html#list", {"page": page})
    return redirect("portal:inbox")


@staff_required
def staff_home(request: HttpRequest) -> HttpResponse:
    queues = []
    for queue in staff_queues_for(request.user):  # type: ignore[arg-type]
        try:
            url = reverse(queue.url_name)
        except NoReverseMatch:
            continue
        queues.append({"queue": queue, "counts": queue.counts(request.user), "url": url})  # type: ignore[arg-type]
    roles = [
        registry.roles[name]
        for name in request.user.groups.values_list("name", flat=True)  # type: ignore[union-attr]
        if name in registry.roles
    ]
    return render(request, "portal/staff_home.html", {"queues": queues, "roles": roles})


def error_400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "400.html", status=400)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def error_500(request: HttpRequest) -> HttpResponse:
    # No context processors here: the database may be what failed.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render({}), status=500)


def _safe_next(request: HttpRequest, target: str) -> str:
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("portal:home")


A11Y_LABELS = (
    ("dimos-large-text", gettext_lazy("Larger text")),
    ("dimos-high-contrast", gettext_lazy("High contrast")),
    ("dimos-dyslexia", gettext_lazy("Easier-to-read spacing")),
)


def accessibility_settings(request: HttpRequest) -> HttpResponse:
    """Display options kept in a cookie; pages add them as classes to <html> (no JavaScript)."""
    if request.method != "POST":
        chosen = set(request.COOKIES.get("dimos_a11y", "").split("."))
        return render(
            request,
            "portal/accessibility_settings.html",
            {
                "options": A11Y_LABELS,
                "chosen": chosen,
                "next": _safe_next(request, request.GET.get("next", "")),
            },
        )
    chosen_list = [o for o in request.POST.getlist("option") if o in A11Y_OPTIONS]
    response = redirect(_safe_next(request, request.POST.get("next", "")))
    if chosen_list:
        response.set_cookie(
            "dimos_a11y", ".".join(sorted(chosen_list)), max_age=31536000, samesite="Lax"
        )
    else:
        response.delete_cookie("dimos_a11y")
    return response


def choose_language(request: HttpRequest, code: str) -> HttpResponse:
    """Switch language with a plain link: sets the language cookie and goes back.

    A link, not a form, so pages need no CSRF token for it; choosing a language changes no
    data, only how this browser is served.
    """
    if code not in dict(settings.LANGUAGES):
        raise Http404
    response = redirect(_safe_next(request, request.GET.get("next", "")))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=31536000,
        samesite="Lax",
        secure=settings.LANGUAGE_COOKIE_SECURE,
    )
    return response


def municipality_logo(request: HttpRequest) -> HttpResponse:
    """The logo, served as the image its content says it is, never as a page.

    Logos are re-encoded on upload (core.admin); a file stored before that is served only if
    its content is a PNG, JPEG or WebP image.
    """
    municipality = current_municipality()
    if municipality is None or not municipality.logo:
        raise Http404
    with municipality.logo.open("rb") as handle:
        data = handle.read()
    content_type = images.served_type(io.BytesIO(data))
    if content_type is None:
        raise Http404
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = 'inline; filename="logo"'
    response["Content-Security-Policy"] = images.SANDBOX_CSP
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=3600"
    return response
