"""The public pages of the hackathon and the jury: the app showcase (/ideas/apps/ and per
competition), an app's page and screenshots, entering and editing an app, the team and its
invitations, the jury's results, and a juror's pages (their list, scoring an entry, declaring a
conflict of interest)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dimos.core.images import SANDBOX_CSP
from dimos.core.pagecache import cache_anonymous_page
from dimos.ideas import jury_selectors, jury_services, selectors
from dimos.ideas.entry_forms import ConflictForm, EntryForm, InviteForm, ScoreForm, ScreenshotForm
from dimos.ideas.models import AppEntry, Competition, EntryScreenshot, EntryStatus
from dimos.ideas.services import IdeaError, verification_problem


def _competition(slug: str) -> Competition:
    found = selectors.competition(slug)
    if found is None:
        raise Http404
    return found


# --- The showcase ---------------------------------------------------------------------------


@cache_anonymous_page(timeout=60, prefix="ideas")
def showcase(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "ideas/entries/showcase.html",
        {"entries": list(jury_selectors.showcase()), "competition": None},
    )


def competition_apps(request: HttpRequest, slug: str) -> HttpResponse:
    competition = _competition(slug)
    return render(
        request,
        "ideas/entries/showcase.html",
        {
            "competition": competition,
            "entries": list(jury_selectors.showcase(competition)),
            "mine": list(jury_selectors.entries_of(request.user, competition)),
            "open": competition.openness(),
        },
    )


def entry(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    competition = _competition(slug)
    found = jury_selectors.visible_entry(request.user, competition, pk)
    if found is None:
        raise Http404
    member = jury_services.is_member(request.user, found)
    return render(
        request,
        "ideas/entries/entry.html",
        {
            "competition": competition,
            "entry": found,
            "member": member,
            "can_edit": member and competition.openness().entries,
            "award": jury_selectors.published_award(found),
            "invitations": list(jury_selectors.waiting_invitations(found)) if member else [],
        },
    )


def screenshot(request: HttpRequest, slug: str, pk: int, shot: int, size: str) -> FileResponse:
    """A screenshot (re-encoded, no metadata): public once the entry is accepted; the team and
    staff see it before."""
    competition = _competition(slug)
    found = jury_selectors.visible_entry(request.user, competition, pk)
    picture = get_object_or_404(EntryScreenshot, entry=found, pk=shot) if found else None
    if picture is None or found is None:
        raise Http404
    file = picture.thumbnail if size == "thumb" else picture.image
    response = FileResponse(file.open("rb"), content_type="image/jpeg")
    response["Content-Security-Policy"] = SANDBOX_CSP
    response["X-Content-Type-Options"] = "nosniff"
    public = found.status == EntryStatus.ACCEPTED
    response["Cache-Control"] = "public, max-age=3600" if public else "private, no-store"
    return response


# --- Entering and editing ------------------------------------------------------------------


def _member_entry(request: HttpRequest, slug: str, pk: int) -> AppEntry:
    competition = _competition(slug)
    found = get_object_or_404(AppEntry, competition=competition, pk=pk)
    if not jury_services.is_member(request.user, found):
        raise Http404
    return found


@login_required
def enter(request: HttpRequest, slug: str) -> HttpResponse:
    competition = _competition(slug)
    form = EntryForm(request.POST or None, competition=competition)
    status = 200
    problem: IdeaError | None = verification_problem(request.user)
    if request.method == "POST":
        if form.is_valid():
            try:
                created = jury_services.enter_app(
                    competition=competition,
                    creator=request.user,
                    request=request,
                    **form.values(),
                )
            except IdeaError as exc:
                form.add_error(None, str(exc.message))
            else:
                messages.success(
                    request,
                    _(
                        "Your app “%(name)s” is entered. Staff will look at it; now add "
                        "screenshots and invite your team."
                    )
                    % {"name": created.name},
                )
                return redirect("ideas:entry", competition.slug, created.pk)
        status = 400
    return render(
        request,
        "ideas/entries/form.html",
        {
            "competition": competition,
            "form": form,
            "open": competition.openness(),
            "problem": problem,
            "entry": None,
        },
        status=status,
    )


@login_required
def edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    found = _member_entry(request, slug, pk)
    competition = found.competition
    form = EntryForm(
        request.POST or None, competition=competition, initial=EntryForm.initial_for(found)
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                jury_services.edit_entry(
                    entry=found, actor=request.user, request=request, **form.values()
                )
            except IdeaError as exc:
                form.add_error(None, str(exc.message))
            else:
                messages.success(request, _("Your changes are saved."))
                return redirect("ideas:entry", competition.slug, found.pk)
        status = 400
    return render(
        request,
        "ideas/entries/form.html",
        {
            "competition": competition,
            "form": form,
            "open": competition.openness(),
            "problem": None,
            "entry": found,
        },
        status=status,
    )


@login_required
def team(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    found = _member_entry(request, slug, pk)
    invite = InviteForm(request.POST or None, prefix="invite")
    status = 200
    if request.method == "POST":
        if invite.is_valid():
            try:
                jury_services.invite_member(
                    entry=found,
                    actor=request.user,
                    email=invite.cleaned_data["email"],
                    request=request,
                )
            except IdeaError as exc:
                invite.add_error("email", str(exc.message))
            else:
                messages.success(
                    request,
                    _("We sent an invitation to %(email)s.")
                    % {"email": invite.cleaned_data["email"]},
                )
                return redirect("ideas:entry_team", found.competition.slug, found.pk)
        status = 400
    return render(
        request,
        "ideas/entries/team.html",
        {
            "competition": found.competition,
            "entry": found,
            "form": invite,
            "members": list(found.memberships.select_related("account")),
            "invitations": list(jury_selectors.waiting_invitations(found)),
        },
        status=status,
    )


@login_required
def screenshots(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    found = _member_entry(request, slug, pk)
    form = ScreenshotForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                jury_services.add_screenshot(
                    entry=found,
                    actor=request.user,
                    image=form.cleaned_data["image"],
                    alt=form.cleaned_data["alt"],
                    request=request,
                )
            except IdeaError as exc:
                form.add_error("image", str(exc.message))
            else:
                messages.success(request, _("The screenshot is added."))
                return redirect("ideas:entry_screenshots", found.competition.slug, found.pk)
        status = 400
    return render(
        request,
        "ideas/entries/screenshots.html",
        {
            "competition": found.competition,
            "entry": found,
            "form": form,
            "shots": list(found.screenshots.all()),
        },
        status=status,
    )


@login_required
@require_POST
def delete_screenshot(request: HttpRequest, slug: str, pk: int, shot: int) -> HttpResponse:
    found = _member_entry(request, slug, pk)
    picture = get_object_or_404(EntryScreenshot, entry=found, pk=shot)
    try:
        jury_services.delete_screenshot(shot=picture, actor=request.user)
    except IdeaError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The screenshot is removed."))
    return redirect("ideas:entry_screenshots", found.competition.slug, found.pk)


@login_required
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    found = jury_services.invitation_for(token)
    if found is None:
        raise Http404
    error = ""
    if request.method == "POST":
        try:
            jury_services.accept_invitation(token=token, person=request.user, request=request)
        except IdeaError as exc:
            error = str(exc.message)
        else:
            messages.success(
                request, _("You are in the team of “%(name)s”.") % {"name": found.entry.name}
            )
            return redirect("ideas:entry", found.entry.competition.slug, found.entry.pk)
    return render(
        request,
        "ideas/entries/invitation.html",
        {"invitation": found, "entry": found.entry, "error": error},
        status=400 if error else 200,
    )


# --- Results ------------------------------------------------------------------------------


def winners(request: HttpRequest, slug: str) -> HttpResponse:
    competition = _competition(slug)
    published = jury_selectors.awards_published(competition)
    return render(
        request,
        "ideas/entries/winners.html",
        {
            "competition": competition,
            "published": published,
            "awards": jury_selectors.public_awards(competition) if published else [],
            "results": jury_selectors.results(competition) if published else [],
            "criteria": jury_selectors.criteria_of(competition) if published else [],
        },
    )


# --- The juror's pages --------------------------------------------------------------------


@login_required
def jury_home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "ideas/jury/home.html",
        {"juries": list(jury_selectors.competitions_judged(request.user))},
    )


def _juror(request: HttpRequest, slug: str) -> Any:
    competition = get_object_or_404(Competition, slug=slug)
    juror = jury_services.juror_of(request.user, competition)
    if juror is None:
        raise Http404
    return juror


@login_required
def jury(request: HttpRequest, slug: str) -> HttpResponse:
    juror = _juror(request, slug)
    competition = juror.competition
    criteria = jury_selectors.criteria_of(competition)
    rows = jury_selectors.juror_rows(juror)
    for row in rows:
        row.state_now = row.state(len(criteria))  # type: ignore[attr-defined]
    openness = competition.openness()
    return render(
        request,
        "ideas/jury/competition.html",
        {
            "competition": competition,
            "juror": juror,
            "rows": rows,
            "criteria": criteria,
            "phase": openness.phase,
        },
    )


@login_required
def score(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    juror = _juror(request, slug)
    competition = juror.competition
    found = get_object_or_404(AppEntry, competition=competition, pk=pk, status=EntryStatus.ACCEPTED)
    criteria = jury_selectors.criteria_of(competition)
    given = jury_selectors.scores_of(juror, found)
    todo = [c for c in criteria if c.pk not in given]
    conflict = juror.conflicts.filter(entry=found).first()
    form = ScoreForm(
        request.POST if request.POST.get("form") == "score" else None,
        criteria=todo,
        prefix="score",
    )
    conflict_form = ConflictForm(
        request.POST if request.POST.get("form") == "conflict" else None, prefix="conflict"
    )
    status = 200
    if request.method == "POST" and request.POST.get("form") == "score":
        if form.is_valid():
            try:
                jury_services.score_entry(
                    entry=found,
                    person=request.user,
                    values=form.values(),
                    note=form.cleaned_data.get("note") or "",
                    request=request,
                )
            except IdeaError as exc:
                form.add_error(None, str(exc.message))
            else:
                messages.success(
                    request, _("Your scores for “%(name)s” are saved.") % {"name": found.name}
                )
                return redirect("ideas:jury", competition.slug)
        status = 400
    elif request.method == "POST" and request.POST.get("form") == "conflict":
        if conflict_form.is_valid():
            try:
                jury_services.declare_conflict(
                    entry=found,
                    person=request.user,
                    reason=conflict_form.cleaned_data["reason"],
                    request=request,
                )
            except IdeaError as exc:
                conflict_form.add_error(None, str(exc.message))
            else:
                messages.success(
                    request,
                    _("Your conflict of interest with “%(name)s” is recorded: you do not score it.")
                    % {"name": found.name},
                )
                return redirect("ideas:jury", competition.slug)
        status = 400
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "ideas/jury/score.html",
        {
            "competition": competition,
            "entry": found,
            "form": form,
            "conflict_form": conflict_form,
            # The folded form opens when it comes back bound (with its errors).
            "conflict_open": conflict_form.is_bound,
            "conflict": conflict,
            "given": [(c, given[c.pk]) for c in criteria if c.pk in given],
            "todo": todo,
            "judging": competition.judging_opens <= timezone.now() < competition.judging_closes,
        },
        status=status,
    )
