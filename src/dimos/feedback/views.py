"""Public pages of the feedback app: rate a completed transaction from its link, "Is this
page useful?", and the published service performance."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from dimos.core import charts
from dimos.core.pagecache import cache_anonymous_page
from dimos.core.ratelimit import over_limit
from dimos.core.registry import registry
from dimos.feedback import selectors, services
from dimos.feedback.charts import performance_charts
from dimos.feedback.conf import conf
from dimos.feedback.forms import PageFeedbackForm, RatingForm
from dimos.feedback.models import Rating


def _service_name(key: str) -> str:
    entry = registry.catalogue.get(key)
    if entry is not None:
        return str(entry.name)
    return dict(selectors.services()).get(key, key)


@never_cache
def rate(request: HttpRequest, token: str) -> HttpResponse:
    """The page a rating link opens: no account needed, the link is the key."""
    try:
        invitation = services.invitation_from_token(token)
    except services.FeedbackError as exc:
        return render(request, "feedback/rate_refused.html", {"message": exc.message}, status=400)
    service = _service_name(invitation.service)
    done = Rating.objects.filter(invitation=invitation).first()
    if request.method == "POST":
        form = RatingForm(request.POST)
        if form.is_valid():
            try:
                rating, _created = services.rate(
                    invitation=invitation,
                    score=form.cleaned_data["score"],
                    improve=form.cleaned_data["improve"],
                )
            except services.FeedbackError as exc:
                form.add_error(None, str(exc.message))
            else:
                return render(
                    request, "feedback/rated.html", {"rating": rating, "service": service}
                )
        return render(
            request,
            "feedback/rate.html",
            {"form": form, "service": service, "done": done},
            status=400,
        )
    if done is not None:
        return render(
            request, "feedback/rated.html", {"rating": done, "service": service, "again": True}
        )
    return render(request, "feedback/rate.html", {"form": RatingForm(), "service": service})


def _safe_path(path: str) -> str:
    if path.startswith("/") and url_has_allowed_host_and_scheme(path, allowed_hosts=None):
        return path[:300]
    return "/"


@never_cache
def page_feedback(request: HttpRequest) -> HttpResponse:
    """ "Is this page useful?": the foot of every page sends its answer here with GET (a
    cached page carries no CSRF token); this page, never cached, asks what went wrong and
    sends it with a CSRF-protected POST."""
    path = _safe_path(request.POST.get("path") or request.GET.get("path") or "/")
    if request.method == "POST":
        if over_limit(request, "feedback-page", conf.PAGE_RATE, by_address=True):
            form = PageFeedbackForm(request.POST)
            form.is_valid()
            form.add_error(None, _("Too many answers from your connection. Try again later."))
            return render(request, "feedback/page.html", {"form": form, "path": path}, status=429)
        form = PageFeedbackForm(request.POST)
        if form.is_valid():
            services.page_feedback(
                path=form.cleaned_data["path"],
                useful=form.cleaned_data["useful"],
                what_wrong=form.cleaned_data["what_wrong"],
                email=form.cleaned_data["email"],
                user=request.user,  # type: ignore[arg-type]
                language=translation.get_language() or "",
            )
            messages.success(request, _("Thank you for your feedback."))
            return redirect(path)
        return render(request, "feedback/page.html", {"form": form, "path": path}, status=400)
    useful = request.GET.get("useful")
    form = PageFeedbackForm(
        initial={"path": path, "useful": useful if useful in ("yes", "no") else None}
    )
    return render(request, "feedback/page.html", {"form": form, "path": path, "useful": useful})


# --- Service performance -----------------------------------------------------------------------


@cache_anonymous_page(timeout=300, prefix="feedback-performance")
def performance(request: HttpRequest) -> HttpResponse:
    """The municipality's performance: every service's figures and the trends of them all."""
    whole = selectors.performance()
    rows = []
    for key, name in selectors.services():
        perf = selectors.performance(key)
        rows.append((key, name, perf.total))
    chart_list = performance_charts(whole, _("the municipality"))
    if (answer := charts.download(request, chart_list)) is not None:
        return answer
    return render(
        request,
        "feedback/performance.html",
        {"whole": whole, "total": whole.total, "rows": rows, "charts": chart_list},
    )


@cache_anonymous_page(timeout=300, prefix="feedback-performance")
def service_performance(request: HttpRequest, service: str) -> HttpResponse:
    names = dict(selectors.services())
    if service not in names:
        raise Http404
    perf = selectors.performance(service)
    chart_list = performance_charts(perf, names[service])
    if (answer := charts.download(request, chart_list)) is not None:
        return answer
    entry = registry.catalogue.get(service)
    start = ""
    if entry is not None:
        try:
            start = reverse(entry.url_name)
        except Exception:
            start = ""
    return render(
        request,
        "feedback/service_performance.html",
        {
            "perf": perf,
            "total": perf.total,
            "name": names[service],
            "charts": chart_list,
            "start": start,
            "comments": selectors.published_comments(service),
        },
    )
