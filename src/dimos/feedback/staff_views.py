"""The back office at /staff/feedback/: free text to triage (themes, a reply, the issue it led
to), the themes, and the ratings' figures."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from dimos.core.permissions import staff_required
from dimos.feedback import services
from dimos.feedback.forms import TriageForm
from dimos.feedback.models import PageFeedback, Rating, Theme
from dimos.feedback.redact import redact

VIEW = "feedback.view_rating"
CHANGE = "feedback.change_rating"
KINDS: dict[str, type[Model]] = {"rating": Rating, "page": PageFeedback}


@staff_required(perm=VIEW)
def queue(request: HttpRequest) -> HttpResponse:
    """Free text waiting for triage (or all of it), ratings and page answers together."""
    state = request.GET.get("state", "new")
    theme = request.GET.get("theme", "")
    ratings = Rating.objects.exclude(improve="").prefetch_related("themes")
    pages = PageFeedback.objects.exclude(what_wrong="").prefetch_related("themes")
    if state in ("new", "done"):
        ratings, pages = ratings.filter(state=state), pages.filter(state=state)
    if theme.isdigit():
        ratings, pages = ratings.filter(themes=int(theme)), pages.filter(themes=int(theme))
    items = sorted(
        [("rating", r, r.improve, r.service) for r in ratings[:500]]
        + [("page", p, p.what_wrong, p.path) for p in pages[:500]],
        key=lambda row: row[1].created_at,
        reverse=True,
    )
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "feedback/staff/queue.html",
        {
            "page": page,
            "state": state,
            "theme": theme,
            "themes": Theme.objects.all(),
            "new_count": Rating.objects.exclude(improve="").filter(state="new").count()
            + PageFeedback.objects.exclude(what_wrong="").filter(state="new").count(),
        },
    )


@staff_required(perm=VIEW)
def detail(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    model = KINDS.get(kind)
    if model is None:
        raise Http404
    item = get_object_or_404(model, pk=pk)
    user, email = services.contact_of(item)  # type: ignore[arg-type]
    text = item.improve if isinstance(item, Rating) else item.what_wrong  # type: ignore[attr-defined]
    initial = {
        "themes": list(item.themes.all()),  # type: ignore[attr-defined]
        "issue_url": item.issue_url,  # type: ignore[attr-defined]
        "publish": item.publish,  # type: ignore[attr-defined]
    }
    form = TriageForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if not request.user.has_perm(CHANGE):  # type: ignore[union-attr]
            return HttpResponse(status=403)
        if form.is_valid():
            themes = list(form.cleaned_data["themes"])
            if form.cleaned_data["new_theme"]:
                themes.append(
                    services.add_theme(
                        name_el=form.cleaned_data["new_theme"],
                        name_en="",
                        actor=request.user,  # type: ignore[arg-type]
                    )
                )
            try:
                sent = services.triage(
                    item=item,  # type: ignore[arg-type]
                    themes=themes,
                    issue_url=form.cleaned_data["issue_url"],
                    publish=form.cleaned_data["publish"],
                    reply=form.cleaned_data["reply"],
                    actor=request.user,  # type: ignore[arg-type]
                    request=request,
                )
            except services.FeedbackError as exc:
                form.add_error("reply", str(exc.message))
            else:
                messages.success(request, _("Saved; the reply was sent.") if sent else _("Saved."))
                return redirect("feedback_staff:queue")
        status = 400
    return render(
        request,
        "feedback/staff/detail.html",
        {
            "item": item,
            "kind": kind,
            "text": text,
            "redacted": redact(text),
            "contact": bool(user is not None or email),
            "form": form,
        },
        status=status,
    )
