"""The public pages at /ideas/: the competitions, a competition with its timeline, its themes,
rules and prizes, its ideas and results; proposing, editing and withdrawing an idea; comments
and votes; a person's own ideas and votes.

Pages anonymous visitors see are cached whole for a minute (``cache_anonymous_page``) under
a version that moderation bumps; a vote count there may be a minute old. Logged-in people see
live counts and their own votes.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dimos.core import ratelimit
from dimos.core.charts import download
from dimos.core.images import SANDBOX_CSP
from dimos.core.pagecache import cache_anonymous_page
from dimos.ideas import results, selectors, services
from dimos.ideas.conf import conf
from dimos.ideas.forms import CommentForm, FilterForm, IdeaForm
from dimos.ideas.models import Competition, Idea, IdeaStatus

PAGE_SIZE = 30


def _pages_version(request: HttpRequest) -> str:
    return services.PAGES()


cached = cache_anonymous_page(timeout=60, prefix="ideas", vary=_pages_version)


def _competition(slug: str) -> Competition:
    found = selectors.competition(slug)
    if found is None:
        raise Http404
    return found


@cached
def index(request: HttpRequest) -> HttpResponse:
    competitions = list(selectors.competitions())
    return render(request, "ideas/index.html", {"competitions": competitions})


@cached
def competition(request: HttpRequest, slug: str) -> HttpResponse:
    found = _competition(slug)
    openness = found.openness()
    return render(
        request,
        "ideas/competition.html",
        {
            "competition": found,
            "open": openness,
            "timeline": found.timeline(),
            "themes": list(selectors.themes_of(found)),
            "top": list(selectors.public_ideas(found, sort="votes")[:10]),
            "totals": selectors.totals(found),
            "problem": services.verification_problem(request.user) if openness.anything else None,
        },
    )


@cached
def about(request: HttpRequest, slug: str, page: str) -> HttpResponse:
    """The themes, the rules or the prizes of a competition."""
    found = _competition(slug)
    context: dict[str, Any] = {"competition": found, "page": page}
    if page == "themes":
        context["themes"] = list(selectors.themes_of(found))
    elif page == "prizes":
        context["prizes"] = list(found.prize_set.all())
    return render(request, "ideas/about.html", context)


@cached
def ideas(request: HttpRequest, slug: str) -> HttpResponse:
    found = _competition(slug)
    form = FilterForm(request.GET or None, competition=found)
    data = form.cleaned_data if form.is_valid() else {}
    theme = data.get("theme")
    listed = selectors.public_ideas(
        found, theme=theme.pk if theme else None, sort=data.get("sort") or "votes"
    )
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "ideas/ideas.html",
        {
            "competition": found,
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "voted": selectors.voted_idea_ids(request.user, found),
        },
        status=200 if not form.errors else 400,
    )


def _idea_page(request: HttpRequest, found: Competition, idea: Idea, **extra: Any) -> HttpResponse:
    user: Any = request.user
    voted = selectors.voted_idea_ids(user, found)
    context = {
        "competition": found,
        "idea": idea,
        "open": found.openness(),
        "comments": list(selectors.published_comments(idea)),
        "voted": idea.pk in voted,
        "votes_left": max(0, found.votes_per_person - len(voted)),
        "problem": services.verification_problem(user),
        "can_edit": services.can_edit(user, idea),
        "comment_form": CommentForm(),
        "apps": list(idea.app_entries.filter(status="accepted")),
        **extra,
    }
    status = 400 if extra.get("comment_form") is not None and extra["comment_form"].errors else 200
    return render(request, "ideas/idea.html", context, status=status)


def _public_idea(found: Competition, pk: int) -> Idea:
    idea = selectors.public_idea(found, pk)
    if idea is None:
        raise Http404
    return idea


@cached
def idea(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    found = _competition(slug)
    return _idea_page(request, found, _public_idea(found, pk))


def image(request: HttpRequest, slug: str, pk: int, size: str) -> FileResponse:
    """An idea's image (re-encoded, no metadata): public once the idea is; its author and
    moderators see it before."""
    found = _competition(slug)
    idea = Idea.objects.filter(competition=found, pk=pk).exclude(image="").first()
    if idea is None:
        raise Http404
    user: Any = request.user
    public = idea.status in (IdeaStatus.PUBLISHED, IdeaStatus.MERGED)
    own = user.is_authenticated and idea.author_id == user.pk
    if not (public or own or user.has_perm(services.MODERATE)):
        raise Http404
    file = idea.thumbnail if size == "thumb" else idea.image
    response = FileResponse(file.open("rb"), content_type="image/jpeg")
    response["Content-Security-Policy"] = SANDBOX_CSP
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=3600" if public else "private, no-store"
    return response


def _too_fast(request: HttpRequest, scope: str, rate: str) -> HttpResponse | None:
    if ratelimit.over_limit(request, f"ideas:{scope}", rate):
        response = render(
            request,
            "ideas/slow_down.html",
            {"back": request.headers.get("referer", "")},
            status=429,
        )
        response["Retry-After"] = "600"
        return response
    return None


def _idea_values(form: IdeaForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "theme": data["theme"],
        "title": data["title"],
        "description": data["description"],
        "lat": data.get("lat"),
        "lon": data.get("lon"),
        "place_name": data.get("place_name") or "",
        "image": data.get("image") or None,
        "image_alt": data.get("image_alt") or "",
    }


def _map_context() -> dict[str, str]:
    from django.conf import settings

    return {
        "tile_url": settings.DIMOS_TILE_URL,
        "tile_attribution": settings.DIMOS_TILE_ATTRIBUTION,
    }


@login_required
def submit(request: HttpRequest, slug: str) -> HttpResponse:
    found = _competition(slug)
    problem = services.verification_problem(request.user)
    openness = found.openness()
    form = IdeaForm(request.POST or None, request.FILES or None, competition=found)
    if request.method == "POST" and problem is None and openness.submitting:
        if (slow := _too_fast(request, "submit", conf.SUBMIT_RATE)) is not None:
            return slow
        if form.is_valid():
            try:
                idea = services.submit_idea(
                    author=request.user, competition=found, request=request, **_idea_values(form)
                )
            except services.IdeaError as exc:
                form.add_error("image" if exc.code == "bad_image" else None, exc.message)
            else:
                messages.success(
                    request,
                    _("Your idea was sent. A moderator reads it before it is published."),
                )
                return redirect(reverse("ideas:mine") + f"#idea-{idea.pk}")
    return render(
        request,
        "ideas/submit.html",
        {
            "competition": found,
            "form": form,
            "problem": problem,
            "open": openness,
            **_map_context(),
        },
        status=400 if form.errors else 200,
    )


def _own_idea(request: HttpRequest, slug: str, pk: int) -> tuple[Competition, Idea]:
    found = _competition(slug)
    user: Any = request.user
    idea = Idea.objects.filter(competition=found, pk=pk, author=user).first()
    if idea is None:
        raise Http404
    return found, idea


@login_required
def edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    found, idea = _own_idea(request, slug, pk)
    if not services.can_edit(request.user, idea):
        messages.error(request, _("Ideas can be changed only until voting starts."))
        return redirect("ideas:mine")
    initial = {
        "theme": idea.theme_id,
        "title": idea.title,
        "description": idea.description,
        "place_name": idea.place_name,
        "lat": idea.lat,
        "lon": idea.lon,
        "image_alt": idea.image_alt,
    }
    form = IdeaForm(
        request.POST or None, request.FILES or None, competition=found, idea=idea, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_idea(
                idea=idea,
                actor=request.user,
                remove_image=bool(form.cleaned_data.get("remove_image")),
                request=request,
                **_idea_values(form),
            )
        except services.IdeaError as exc:
            form.add_error("image" if exc.code == "bad_image" else None, exc.message)
        else:
            messages.success(request, _("Your idea was changed. A moderator reads it again."))
            return redirect("ideas:mine")
    return render(
        request,
        "ideas/submit.html",
        {
            "competition": found,
            "form": form,
            "idea": idea,
            "open": found.openness(),
            **_map_context(),
        },
        status=400 if form.errors else 200,
    )


@login_required
def withdraw(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    found, idea = _own_idea(request, slug, pk)
    if request.method == "POST":
        try:
            services.withdraw_idea(idea=idea, actor=request.user, request=request)
        except services.IdeaError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Your idea was withdrawn."))
        return redirect("ideas:mine")
    return render(request, "ideas/withdraw.html", {"competition": found, "idea": idea})


@require_POST
@login_required
def vote(request: HttpRequest, slug: str, pk: int, action: str) -> HttpResponse:
    found = _competition(slug)
    idea = Idea.objects.filter(competition=found, pk=pk).select_related("competition").first()
    if idea is None or action not in ("cast", "take-back"):
        raise Http404
    if (slow := _too_fast(request, "vote", conf.VOTE_RATE)) is not None:
        return slow
    try:
        if action == "cast":
            services.vote(idea=idea, person=request.user)
            messages.success(request, _("Your vote was counted."))
        elif services.unvote(idea=idea, person=request.user):
            messages.success(request, _("Your vote was taken back."))
        else:
            messages.info(request, _("You had not voted for this idea."))
    except services.IdeaError as exc:
        messages.error(request, str(exc.message))
    back = request.POST.get("next", "")
    if back.startswith(found.get_absolute_url()) and "//" not in back:
        return redirect(back)
    return redirect("ideas:idea", slug=found.slug, pk=idea.pk)


@require_POST
@login_required
def comment(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    found = _competition(slug)
    idea = _public_idea(found, pk)
    form = CommentForm(request.POST)
    if (slow := _too_fast(request, "comment", conf.COMMENT_RATE)) is not None:
        return slow
    if form.is_valid():
        try:
            services.comment(idea=idea, author=request.user, body=form.cleaned_data["body"])
        except services.IdeaError as exc:
            form.add_error("body", exc.message)
        else:
            messages.success(
                request, _("Thank you. Your comment is published once a moderator has read it.")
            )
            return redirect("ideas:idea", slug=found.slug, pk=idea.pk)
    return _idea_page(request, found, idea, comment_form=form)


@cached
def results_page(request: HttpRequest, slug: str) -> HttpResponse:
    found = _competition(slug)
    now = timezone.now()
    if now < found.voting_opens:
        raise Http404
    charts = results.charts(found)
    if (answer := download(request, charts)) is not None:
        return answer
    return render(
        request,
        "ideas/results.html",
        {
            "competition": found,
            "charts": charts,
            "live": now < found.voting_closes,
            "totals": selectors.totals(found),
            "awards": list(selectors.published_awards(found)),
        },
    )


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    ideas_of = list(selectors.ideas_of(request.user))
    for item in ideas_of:
        item.editable = services.can_edit(request.user, item, now)  # type: ignore[attr-defined]
        item.withdrawable = item.status in services.WITHDRAWABLE and (  # type: ignore[attr-defined]
            now < item.competition.voting_closes
        )
    return render(
        request,
        "ideas/mine.html",
        {"ideas": ideas_of, "votes": list(selectors.votes_of(request.user)), "now": now},
    )
