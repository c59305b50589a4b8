"""Staff's pages of the hackathon and the jury, at /staff/ideas/competitions/: the entries to
accept or reject with a reason, the jury (jurors, criteria and weights, who scored what), and
the results with the prizes and their publication."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dimos.core.permissions import staff_required
from dimos.ideas import jury_selectors, jury_services
from dimos.ideas.entry_forms import AwardForm, CriterionForm, DecideForm, JurorForm, PrizeForm
from dimos.ideas.models import AppEntry, Competition, Criterion, JuryMember
from dimos.ideas.services import IdeaError

MANAGE = jury_services.MANAGE


@staff_required(perm=MANAGE)
def competitions(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "ideas/jury/staff_competitions.html",
        {"competitions": list(jury_selectors.managed_competitions())},
    )


@staff_required(perm=MANAGE)
def entries(request: HttpRequest, slug: str) -> HttpResponse:
    competition = get_object_or_404(Competition, slug=slug)
    return render(
        request,
        "ideas/jury/staff_entries.html",
        {
            "competition": competition,
            "entries": list(jury_selectors.entries_for_staff(competition)),
        },
    )


@staff_required(perm=MANAGE)
def entry(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    competition = get_object_or_404(Competition, slug=slug)
    found = get_object_or_404(AppEntry, competition=competition, pk=pk)
    form = DecideForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                jury_services.decide_entry(
                    entry=found,
                    actor=request.user,
                    accept=form.cleaned_data["decision"] == "accept",
                    reason=form.cleaned_data["reason"],
                    request=request,
                )
            except IdeaError as exc:
                form.add_error(None, str(exc.message))
            else:
                messages.success(
                    request, _("Your decision on “%(name)s” is saved.") % {"name": found.name}
                )
                return redirect("ideas_staff:entries", competition.slug)
        status = 400
    return render(
        request,
        "ideas/jury/staff_entry.html",
        {
            "competition": competition,
            "entry": found,
            "form": form,
            "members": list(found.memberships.select_related("account")),
        },
        status=status,
    )


@staff_required(perm=MANAGE)
def jury(request: HttpRequest, slug: str) -> HttpResponse:
    competition = get_object_or_404(Competition, slug=slug)
    juror_form = JurorForm(request.POST if request.POST.get("form") == "juror" else None)
    criterion_form = CriterionForm(
        request.POST if request.POST.get("form") == "criterion" else None
    )
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("form") == "juror" and juror_form.is_valid():
                juror = jury_services.name_juror(
                    competition=competition,
                    actor=request.user,
                    email=juror_form.cleaned_data["email"],
                    is_chair=juror_form.cleaned_data["is_chair"],
                    request=request,
                )
                messages.success(
                    request,
                    _("%(name)s is on the jury and has been told.")
                    % {"name": juror.account.get_full_name() or juror.account.email},
                )
                return redirect("ideas_staff:jury", competition.slug)
            if request.POST.get("form") == "criterion" and criterion_form.is_valid():
                jury_services.save_criterion(
                    competition=competition,
                    actor=request.user,
                    request=request,
                    **criterion_form.cleaned_data,
                )
                messages.success(request, _("The criterion is saved."))
                return redirect("ideas_staff:jury", competition.slug)
        except IdeaError as exc:
            target = juror_form if request.POST.get("form") == "juror" else criterion_form
            target.add_error(None, str(exc.message))
        status = 400
    entries_, rows = jury_selectors.progress(competition)
    return render(
        request,
        "ideas/jury/staff_jury.html",
        {
            "competition": competition,
            "juror_form": juror_form,
            "criterion_form": criterion_form,
            "criteria": jury_selectors.criteria_of(competition),
            "entries": entries_,
            "rows": rows,
            "criteria_open": timezone.now() < competition.judging_opens,
        },
        status=status,
    )


@staff_required(perm=MANAGE)
@require_POST
def remove_juror(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    juror = get_object_or_404(JuryMember, competition__slug=slug, pk=pk)
    try:
        jury_services.remove_juror(juror=juror, actor=request.user, request=request)
    except IdeaError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The juror is removed."))
    return redirect("ideas_staff:jury", slug)


@staff_required(perm=MANAGE)
@require_POST
def delete_criterion(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    criterion = get_object_or_404(Criterion, competition__slug=slug, pk=pk)
    try:
        jury_services.delete_criterion(criterion=criterion, actor=request.user)
    except IdeaError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The criterion is removed."))
    return redirect("ideas_staff:jury", slug)


@staff_required(perm=MANAGE)
def results(request: HttpRequest, slug: str) -> HttpResponse:
    competition = get_object_or_404(Competition, slug=slug)
    which = request.POST.get("form")
    prize_form = PrizeForm(request.POST if which == "prize" else None, prefix="prize")
    award_form = AwardForm(
        request.POST if which == "award" else None, competition=competition, prefix="award"
    )
    status = 200
    if request.method == "POST":
        try:
            if which == "prize" and prize_form.is_valid():
                jury_services.save_prize(
                    competition=competition,
                    actor=request.user,
                    request=request,
                    **prize_form.cleaned_data,
                )
                messages.success(request, _("The prize is saved."))
                return redirect("ideas_staff:results", competition.slug)
            if which == "award" and award_form.is_valid():
                data = award_form.cleaned_data
                jury_services.award_prize(
                    prize=data["prize"],
                    entry=data["entry"],
                    actor=request.user,
                    reasons_el=data["reasons_el"],
                    reasons_en=data.get("reasons_en") or "",
                    request=request,
                )
                messages.success(
                    request,
                    _("“%(prize)s” goes to “%(app)s”.")
                    % {"prize": data["prize"].title, "app": data["entry"].name},
                )
                return redirect("ideas_staff:results", competition.slug)
            if which == "publish":
                jury_services.publish_results(
                    competition=competition, actor=request.user, request=request
                )
                messages.success(request, _("The results are published."))
                return redirect("ideas_staff:results", competition.slug)
        except IdeaError as exc:
            if which == "publish":
                messages.error(request, str(exc.message))
                return redirect("ideas_staff:results", competition.slug)
            target = prize_form if which == "prize" else award_form
            target.add_error(None, str(exc.message))
        status = 400
    return render(
        request,
        "ideas/jury/staff_results.html",
        {
            "competition": competition,
            "results": jury_selectors.results(competition),
            "criteria": jury_selectors.criteria_of(competition),
            "prizes": jury_selectors.prizes(competition),
            "prize_form": prize_form,
            "award_form": award_form,
            "published": jury_selectors.awards_published(competition),
        },
        status=status,
    )
