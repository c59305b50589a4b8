"""The moderators' pages at /staff/ideas/: ideas and comments waiting, vote anomalies.

Every decision on an idea carries a reason the author reads ("My ideas") and is told by a
notification; hiding a comment too."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from dimos.core.permissions import staff_required
from dimos.ideas import selectors, services
from dimos.ideas.forms import ModerateCommentForm, ModerateIdeaForm, ReviewForm
from dimos.ideas.models import Comment, Idea, VoteAnomaly

MODERATE = services.MODERATE


@staff_required(perm=MODERATE)
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "ideas/staff/index.html",
        {
            "ideas": list(selectors.ideas_to_moderate()[:100]),
            "comments": list(selectors.comments_to_moderate()[:100]),
            "anomalies": list(selectors.open_anomalies()[:100]),
            "published": list(selectors.published_for_staff()[:100]),
        },
    )


@staff_required(perm=MODERATE)
def idea(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(
        Idea.objects.select_related("competition", "theme", "merged_into"), pk=pk
    )
    form = ModerateIdeaForm(request.POST or None, idea=found)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["action"] == "publish":
                services.publish_idea(
                    idea=found, actor=request.user, reason=data["reason"], request=request
                )
                messages.success(request, _("The idea is published; its author was told."))
            elif data["action"] == "reject":
                services.reject_idea(
                    idea=found, actor=request.user, reason=data["reason"], request=request
                )
                messages.success(request, _("The idea is not published; its author was told why."))
            else:
                services.merge_idea(
                    idea=found,
                    into=data["merge_into"],
                    actor=request.user,
                    reason=data["reason"],
                    request=request,
                )
                messages.success(request, _("The idea was merged; its author was told why."))
        except services.IdeaError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("ideas_staff:index")
    return render(
        request,
        "ideas/staff/idea.html",
        {"idea": found, "form": form},
        status=400 if form.errors else 200,
    )


@staff_required(perm=MODERATE)
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Comment.objects.select_related("idea", "idea__competition"), pk=pk)
    form = ModerateCommentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        publish = form.cleaned_data["action"] == "publish"
        services.moderate_comment(
            comment=found,
            actor=request.user,
            publish=publish,
            reason=form.cleaned_data.get("reason") or "",
            request=request,
        )
        messages.success(
            request, _("The comment is published.") if publish else _("The comment is hidden.")
        )
        return redirect("ideas_staff:index")
    return render(
        request,
        "ideas/staff/comment.html",
        {"comment": found, "form": form},
        status=400 if form.errors else 200,
    )


@staff_required(perm=MODERATE)
def anomaly(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(
        VoteAnomaly.objects.select_related("idea", "idea__competition"), pk=pk
    )
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.review_anomaly(
            anomaly=found, actor=request.user, note=form.cleaned_data["note"], request=request
        )
        messages.success(request, _("The anomaly is marked as reviewed."))
        return redirect("ideas_staff:index")
    return render(
        request,
        "ideas/staff/anomaly.html",
        {"anomaly": found, "form": form},
        status=400 if form.errors else 200,
    )
