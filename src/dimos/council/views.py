"""The council's public pages, at /council/: the bodies and their meetings (a list and a month
calendar), a meeting with its agenda, decisions, votes and video, the members, the iCalendar
feeds and the search. The residents' follows and questions are in :mod:`participation`."""

from __future__ import annotations

import calendar
from datetime import date, datetime, time
from functools import wraps
from typing import Any

from csp.decorators import csp_update
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dimos.accounts.models import User
from dimos.core.pagecache import cache_anonymous_page
from dimos.core.ratelimit import over_limit
from dimos.core.workflow import Refused
from dimos.council import freshness, ics, live, participation, search, video
from dimos.council.conf import conf
from dimos.council.models import (
    AgendaItem,
    Attendance,
    Consultation,
    Follow,
    Meeting,
    MeetingState,
    Membership,
    Organization,
    OrganizationKind,
    Person,
    Question,
    Vote,
    VoteChoice,
)
from dimos.council.public_forms import KeywordForm, QuestionForm, SearchForm

PAST_PER_PAGE = 20
VOTES_PER_PAGE = 25
PEOPLE_PER_PAGE = 60
SEARCH_PER_PAGE = 20


def _bodies() -> Any:
    return Organization.objects.live().exclude(kind=OrganizationKind.FACTION)


def _meetings() -> Any:
    return Meeting.objects.live().select_related("organization", "location")


def index(request: HttpRequest) -> HttpResponse:
    """The council's front page: the bodies, what is on now, the next meetings, the latest."""
    now = timezone.now()
    meetings = _meetings()
    return render(
        request,
        "council/index.html",
        {
            "bodies": _bodies(),
            "live": live.now_live(),
            "upcoming": meetings.filter(end__gte=now).order_by("start")[:10],
            "past": meetings.filter(end__lt=now).order_by("-start")[:10],
        },
    )


# --- A body: its meetings as a list and as a month calendar -----------------------------------


def _month(value: str, today: date) -> date:
    """The month asked for (``2026-11``), or this month when it is missing or not a month."""
    try:
        year, month = (int(part) for part in value.split("-", 1))
        return date(year, month, 1)
    except ValueError:
        return today.replace(day=1)


def _add_months(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_grid(meetings: list[Meeting], first: date) -> list[list[tuple[date, list[Meeting]]]]:
    """The weeks of ``first``'s month (Monday first), each day with its meetings."""
    by_day: dict[date, list[Meeting]] = {}
    for meeting in meetings:
        by_day.setdefault(timezone.localtime(meeting.start).date(), []).append(meeting)
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    return [[(day, by_day.get(day, [])) for day in week] for week in weeks]


def body(request: HttpRequest, slug: str) -> HttpResponse:
    """A body's page: its upcoming meetings, the month calendar and the past meetings."""
    organization = get_object_or_404(_bodies(), slug=slug)
    now = timezone.now()
    meetings = _meetings().filter(organization=organization)
    first = _month(request.GET.get("month", ""), timezone.localdate())
    tz = timezone.get_current_timezone()
    month_start = timezone.make_aware(datetime.combine(first, time.min), tz)
    month_end = timezone.make_aware(datetime.combine(_add_months(first, 1), time.min), tz)
    in_month = list(meetings.filter(start__gte=month_start, start__lt=month_end).order_by("start"))
    past = Paginator(meetings.filter(end__lt=now).order_by("-start", "-pk"), PAST_PER_PAGE)
    following = (
        request.user.is_authenticated and organization.followers.filter(user=request.user).exists()
    )
    return render(
        request,
        "council/body.html",
        {
            "body": organization,
            "live": [m for m in live.now_live() if m.organization_id == organization.pk],
            "upcoming": meetings.filter(end__gte=now).order_by("start")[:20],
            "past": past.get_page(request.GET.get("page")),
            "month": first,
            "weeks": month_grid(in_month, first),
            "weekdays": [date(2024, 1, day) for day in range(1, 8)],  # a Monday to a Sunday
            "previous_month": _add_months(first, -1),
            "next_month": _add_months(first, 1),
            "today": timezone.localdate(),
            "following": following,
        },
    )


def body_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    """A body's meetings as an iCalendar feed (subscribed to by address)."""
    organization = get_object_or_404(_bodies(), slug=slug)
    meetings = _meetings().filter(organization=organization)
    return ics.response(ics.feed(meetings, str(organization.name)), organization.slug)


def all_calendar(request: HttpRequest) -> HttpResponse:
    """Every body's meetings as one iCalendar feed."""
    return ics.response(ics.feed(_meetings(), _("Council meetings")), "council")


# --- A meeting ------------------------------------------------------------------------------


def _tally(votes: list[Vote]) -> list[dict[str, Any]]:
    """The votes on an item grouped by choice, in the order for, against, abstain, absent."""
    groups = {choice: [] for choice in VoteChoice.values}  # type: dict[str, list[Person]]
    for vote in votes:
        groups[vote.choice].append(vote.person)
    return [
        {"choice": choice, "label": VoteChoice(choice).label, "people": people}
        for choice, people in groups.items()
    ]


def _vote_counts(items: list[AgendaItem]) -> dict[int, list[dict[str, Any]]]:
    """How many voted each way on each of the items, counted by the database: the meeting page
    shows the totals, the item's votes page the names (a council of 41 on 25 items is a
    thousand names, too many for one page)."""
    counted: dict[int, dict[str, int]] = {}
    rows = (
        Vote.objects.filter(agenda_item__in=items)
        .values_list("agenda_item", "choice")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for item_pk, choice, n in rows:
        counted.setdefault(item_pk, dict.fromkeys(VoteChoice.values, 0))[choice] = n
    return {
        item_pk: [
            {"choice": choice, "label": VoteChoice(choice).label, "count": n}
            for choice, n in counts.items()
        ]
        for item_pk, counts in counted.items()
    }


def meeting_video(meeting: Meeting) -> tuple[video.Video | None, bool]:
    """The video a meeting's page shows — the recording once it is up, else the live stream —
    and whether it is the recording (only a recording has time-codes to jump to)."""
    if meeting.cancelled:
        return None, False
    recording = video.video_of(meeting.recording_url)
    if recording is not None:
        return recording, True
    return video.video_of(meeting.stream_url), False


def _with_frames(view: Any) -> Any:
    """The meeting page embeds a player (after a click): its CSP lists the video origins."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # Read per request: the configured providers are settings, the decorator is not.
        update = csp_update({"frame-src": video.frame_origins()})
        return update(view)(request, *args, **kwargs)  # type: ignore[return-value]

    return wrapped


def _meeting_state(request: HttpRequest) -> str:
    """What a cached meeting page varies on: the record's version and who is live now."""
    return f"{freshness.version()} {live.home_card().get('stamp', '')}"


@_with_frames  # outside the cache: a page from the cache gets the frame origins too
@cache_anonymous_page(timeout=300, prefix="council-meeting", vary=_meeting_state)
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    """A meeting: its agenda item by item, with decisions, votes, documents and the video."""
    current = get_object_or_404(_meetings(), pk=pk)
    items = list(
        current.agenda_items.live()
        .select_related("rapporteur", "decision", "decision__file")
        .prefetch_related(
            Prefetch("auxiliary_files", to_attr="documents"),
            Prefetch(
                "consultations",
                queryset=Consultation.objects.live()
                .filter(paper__deleted=False)
                .select_related("paper", "paper__main_file"),
                to_attr="papers",
            ),
            Prefetch(
                "questions",
                queryset=Question.objects.filter(status=Question.Status.APPROVED),
                to_attr="approved_questions",
            ),
        )
        .order_by("order", "pk")
    )
    player, recorded = meeting_video(current)
    upcoming = not current.cancelled and current.end >= timezone.now()
    counts = _vote_counts([item for item in items if item.public])
    for item in items:
        item.vote_counts = counts.get(item.pk, [])
        item.decided = getattr(item, "decision", None)
        if item.decided is not None and item.decided.deleted:
            item.decided = None
        item.clip = (
            player.at(item.start_seconds)
            if player is not None and recorded and item.start_seconds is not None
            else None
        )
    return render(
        request,
        "council/meeting.html",
        {
            "meeting": current,
            "items": items,
            "video": player,
            "recorded": recorded,
            "live_now": any(m.pk == current.pk for m in live.now_live()),
            "may_ask": upcoming and current.state == MeetingState.INVITED,
            "documents": current.auxiliary_files.live(),
        },
    )


@cache_anonymous_page(timeout=300, prefix="council-item-votes", vary=_meeting_state)
def item_votes(request: HttpRequest, pk: int) -> HttpResponse:
    """How each member voted on one agenda item, grouped for, against, abstain, absent; an
    item discussed in closed session has no such page (ADR 0025)."""
    item = get_object_or_404(
        AgendaItem.objects.live()
        .filter(meeting__deleted=False, public=True)
        .select_related("meeting", "meeting__organization", "decision"),
        pk=pk,
    )
    votes = list(
        item.votes.select_related("person").order_by("person__family_name", "person__given_name")
    )
    decided = getattr(item, "decision", None)
    return render(
        request,
        "council/item_votes.html",
        {
            "item": item,
            "meeting": item.meeting,
            "tally": _tally(votes) if votes else [],
            "decided": None if decided is None or decided.deleted else decided,
        },
    )


# --- People ---------------------------------------------------------------------------------


def people(request: HttpRequest) -> HttpResponse:
    """The members of the bodies now, with their faction."""
    today = timezone.localdate()
    current = Q(memberships__deleted=False, memberships__start_date__lte=today) & (
        Q(memberships__end_date__isnull=True) | Q(memberships__end_date__gte=today)
    )
    everyone = (
        Person.objects.live()
        .annotate(current=Count("memberships", filter=current))
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.live()
                .filter(start_date__lte=today)
                .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
                .select_related("organization"),
                to_attr="current_memberships",
            )
        )
        .order_by("-current", "family_name", "given_name")
    )
    page = Paginator(everyone, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "council/people.html", {"page": page})


def attendance_rate(person: Person) -> tuple[int, int]:
    """(present, held): the meetings the person attended, of the meetings their bodies held
    while they were a member of them."""
    held = Q()
    for membership in person.memberships.live().exclude(
        organization__kind=OrganizationKind.FACTION
    ):
        window = Q(
            organization_id=membership.organization_id, start__date__gte=membership.start_date
        )
        if membership.end_date is not None:
            window &= Q(start__date__lte=membership.end_date)
        held |= window
    if not held:
        return 0, 0
    meetings = Meeting.objects.live().filter(held, state=MeetingState.HELD)
    present = Attendance.objects.filter(
        person=person, status=Attendance.Status.PRESENT, meeting__in=meetings
    ).count()
    return present, meetings.count()


def person(request: HttpRequest, slug: str) -> HttpResponse:
    """A member: photo, role, faction, memberships over time, attendance, how they voted."""
    member = get_object_or_404(Person.objects.live(), slug=slug)
    memberships = list(
        member.memberships.live()
        .select_related("organization", "on_behalf_of")
        .order_by("-start_date", "pk")
    )
    today = timezone.localdate()
    factions = [
        m
        for m in memberships
        if m.organization.kind == OrganizationKind.FACTION
        and m.start_date <= today
        and (m.end_date is None or m.end_date >= today)
    ]
    present, held = attendance_rate(member)
    votes = (
        Vote.objects.filter(
            person=member,
            agenda_item__deleted=False,
            agenda_item__meeting__deleted=False,
            agenda_item__public=True,  # a closed session's votes are not published
        )
        .select_related("agenda_item__meeting__organization")
        .order_by("-agenda_item__meeting__start", "agenda_item__order", "pk")
    )
    return render(
        request,
        "council/person.html",
        {
            "person": member,
            "memberships": memberships,
            "faction": factions[0].organization if factions else None,
            "present": present,
            "held": held,
            "rate": round(100 * present / held) if held else None,
            "votes": Paginator(votes, VOTES_PER_PAGE).get_page(request.GET.get("page")),
        },
    )


# --- Search ---------------------------------------------------------------------------------


@cache_anonymous_page(timeout=600, prefix="council-search", vary=freshness.version)
def search_page(request: HttpRequest) -> HttpResponse:
    """Full-text search over agenda items, decisions and papers (``?q=``), paginated."""
    form = SearchForm(request.GET if "q" in request.GET else None)
    context: dict[str, Any] = {"form": form, "page": None, "query": ""}
    if form.is_bound and form.is_valid():
        query = form.cleaned_data["q"].strip()
        context["query"] = query
        if not search.words(query):
            form.add_error("q", _("Write a word to search for."))
        else:
            results = search.search(query)
            pages: Paginator[Any] = Paginator(results, SEARCH_PER_PAGE)  # type: ignore[arg-type]
            context["page"] = pages.get_page(request.GET.get("page"))
    return render(request, "council/search.html", context, status=400 if form.errors else 200)


# --- Residents: follows and questions -------------------------------------------------------


@login_required
@require_POST
def follow(request: HttpRequest) -> HttpResponse:
    """Follow a body (``body=<slug>``) or a keyword (``keyword=``)."""
    user: User = request.user  # type: ignore[assignment]
    slug = request.POST.get("body", "")
    if slug:
        organization = get_object_or_404(_bodies(), slug=slug)
        participation.follow_body(user=user, organization=organization)
        messages.success(
            request,
            _("You follow %(body)s: you will get an email when its agenda is published.")
            % {"body": organization.name},
        )
        return redirect(organization.get_absolute_url())
    form = KeywordForm(request.POST)
    if form.is_valid():
        try:
            followed = participation.follow_keyword(user=user, keyword=form.cleaned_data["keyword"])
        except Refused as refused:
            form.add_error("keyword", str(refused.message))
        else:
            messages.success(
                request,
                _(
                    "You follow «%(keyword)s»: you will get an email when an agenda with it is "
                    "published."
                )
                % {"keyword": followed.keyword},
            )
            return redirect("council:follows")
    return _follows_page(request, form, status=400)


@login_required
@require_POST
def unfollow(request: HttpRequest, pk: int) -> HttpResponse:
    """Stop following (one of the person's own follows)."""
    user: User = request.user  # type: ignore[assignment]
    if participation.unfollow(user=user, follow_id=pk):
        messages.success(request, _("You no longer follow it."))
    next_url = request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return redirect(next_url)
    return redirect("council:follows")


def _follows_page(request: HttpRequest, form: KeywordForm, status: int = 200) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    follows = Follow.objects.filter(user=user).select_related("organization")
    return render(
        request,
        "council/follows.html",
        {"form": form, "follows": follows, "bodies": _bodies()},
        status=status,
    )


@login_required
def follows(request: HttpRequest) -> HttpResponse:
    """The person's follows: bodies and keywords, with a form to add a keyword."""
    return _follows_page(request, KeywordForm())


def ask(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask a question on an upcoming public agenda item (signed in; moderated)."""
    item = get_object_or_404(
        AgendaItem.objects.live().select_related("meeting__organization"),
        pk=pk,
        meeting__deleted=False,
    )
    if not participation.may_ask(item):
        return render(request, "council/ask.html", {"item": item, "closed": True}, status=409)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    form = QuestionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if over_limit(request, "council-question", conf.QUESTION_RATE):
            form.add_error(None, _("You have sent many questions. Try again in an hour."))
            status = 429
        elif form.is_valid():
            try:
                participation.ask_question(
                    user=request.user,  # type: ignore[arg-type]
                    item=item,
                    text=form.cleaned_data["text"],
                    key=form.cleaned_data["key"],
                )
            except Refused as refused:
                form.add_error(None, str(refused.message))
            else:
                messages.success(
                    request,
                    _(
                        "Thank you. Your question will be published once the secretariat "
                        "approves it; you will see its state in My account."
                    ),
                )
                return redirect(f"{item.meeting.get_absolute_url()}#item-{item.pk}")
    return render(request, "council/ask.html", {"item": item, "form": form}, status=status)
