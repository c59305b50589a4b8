"""The Advocate's public pages: what it does, the screening, the complaint, the tracking page
(by its secret link), the published summaries and the annual report."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dimos.advocate import pdf, report, selectors, services
from dimos.advocate.forms import ComplaintForm, ReplyForm, ScreeningForm
from dimos.advocate.models import AnnualReport, Complaint, Status
from dimos.core.pagecache import cache_anonymous_page

SCREENED = "advocate_screened"


@cache_anonymous_page(60)
def start(request: HttpRequest) -> HttpResponse:
    year = timezone.localdate().year
    return render(
        request,
        "advocate/start.html",
        {
            "figures": selectors.figures(year - 1, translation.get_language() or "el"),
            "last_year": year - 1,
            "reports": selectors.published_reports()[:5],
            "summaries": selectors.published_summaries()[:5],
            "mine": list(selectors.complaints_of(request.user)[:5]),
        },
    )


def screening(request: HttpRequest) -> HttpResponse:
    """The law's exclusions, asked before the complaint; each one explained if it applies."""
    form = ScreeningForm(request.POST or None)
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "advocate/screening.html", {"form": form}, status=400)
        excluded = form.exclusions()
        request.session[SCREENED] = True
        if excluded:
            return render(request, "advocate/excluded.html", {"excluded": excluded})
        return redirect("advocate:new")
    return render(request, "advocate/screening.html", {"form": form})


def _initial(request: HttpRequest) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "kind": "person",
        "language": translation.get_language() or "el",
    }
    user: Any = request.user
    if user.is_authenticated:
        initial.update(
            {"name": user.get_full_name(), "email": user.email, "phone": getattr(user, "phone", "")}
        )
    return initial


def new(request: HttpRequest) -> HttpResponse:
    if not request.session.get(SCREENED):
        return redirect("advocate:screening")
    form = ComplaintForm(request.POST or None, request.FILES or None, initial=_initial(request))
    if request.method == "POST":
        if form.is_valid():
            user: Any = request.user if request.user.is_authenticated else None
            try:
                done = services.submit_complaint(
                    person=form.complainant(), details=form.details(), user=user, request=request
                )
            except services.AdvocateError as exc:
                form.add_error(None, str(exc.message))
            else:
                complaint = done.complaint
                if not done.created:
                    messages.info(request, _("You had already sent this complaint: here it is."))
                if complaint.status == Status.UNCONFIRMED:
                    return render(request, "advocate/check_email.html", {"complaint": complaint})
                if user is None or complaint.user_id != user.pk:
                    return render(request, "advocate/check_email.html", {"complaint": complaint})
                return redirect(services.tracking_path(complaint))
        return render(request, "advocate/new.html", {"form": form}, status=400)
    return render(request, "advocate/new.html", {"form": form})


def _by_token(token: UUID) -> Complaint:
    complaint = (
        Complaint.objects.select_related("body").filter(token=token, erased_at__isnull=True).first()
    )
    if complaint is None:
        raise Http404
    return complaint


def confirm(request: HttpRequest, token: UUID) -> HttpResponse:
    """The link in the email: a button confirms (a mail scanner's GET confirms nothing)."""
    complaint = _by_token(token)
    if request.method == "POST":
        services.confirm_email(token=token, request=request)
        messages.success(request, _("Thank you. Your complaint was received."))
        return redirect(services.tracking_path(complaint))
    if complaint.status != Status.UNCONFIRMED:
        return redirect(services.tracking_path(complaint))
    return render(request, "advocate/confirm.html", {"complaint": complaint})


def _track_context(complaint: Complaint, **forms: Any) -> dict[str, Any]:
    context: dict[str, Any] = {
        "complaint": complaint,
        "deadline": selectors.deadline_state(complaint),
        "events": complaint.events.filter(public=True),
        "messages_list": complaint.messages.all(),
        "documents": complaint.attachments.filter(from_complainant=True),
        "reply_form": ReplyForm(),
    }
    context.update(forms)
    return context


def track(request: HttpRequest, token: UUID) -> HttpResponse:
    complaint = _by_token(token)
    if complaint.status == Status.UNCONFIRMED:
        return redirect("advocate:confirm", token=token)
    response = render(request, "advocate/track.html", _track_context(complaint))
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "same-origin"  # the secret link never leaves the site
    return response


def _acting_user(request: HttpRequest) -> Any:
    return request.user if request.user.is_authenticated else None


@require_POST
def reply(request: HttpRequest, token: UUID) -> HttpResponse:
    complaint = _by_token(token)
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.reply(
                complaint=complaint,
                text=form.cleaned_data["text"],
                attachments=form.cleaned_data["attachments"],
                user=_acting_user(request),
                request=request,
            )
        except services.AdvocateError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("Your message was sent to the Advocate's office."))
            return redirect(services.tracking_path(complaint))
    return render(
        request, "advocate/track.html", _track_context(complaint, reply_form=form), status=400
    )


@require_POST
def withdraw(request: HttpRequest, token: UUID) -> HttpResponse:
    complaint = _by_token(token)
    try:
        services.withdraw(complaint=complaint, actor=None, request=request)
    except services.AdvocateError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Your complaint was withdrawn."))
    return redirect(services.tracking_path(complaint))


def answer_pdf(request: HttpRequest, token: UUID) -> HttpResponse:
    complaint = _by_token(token)
    if not complaint.is_closed or complaint.status == Status.WITHDRAWN:
        raise Http404
    response = HttpResponse(pdf.answer_letter(complaint), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="advocate-{complaint.pk}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    return render(
        request, "advocate/mine.html", {"complaints": selectors.complaints_of(request.user)}
    )


@cache_anonymous_page(300)
def summaries(request: HttpRequest) -> HttpResponse:
    return render(
        request, "advocate/summaries.html", {"summaries": selectors.published_summaries()}
    )


def _report_parts(year: int, *, staff: bool = False) -> tuple[AnnualReport | None, dict, list]:
    item = AnnualReport.objects.filter(year=year).first()
    if not staff and (item is None or item.published_at is None):
        raise Http404
    language = translation.get_language() or "el"
    figures = selectors.figures(year, language)
    return item, figures, report.charts_for(figures)


def annual_report(request: HttpRequest, year: int) -> HttpResponse:
    """The published report; a chart's file (``?chart=…&format=…``) is not a page to keep."""
    if request.GET.get("chart"):
        from dimos.core import charts

        _item, _figures, chart_list = _report_parts(year)
        return charts.download(request, chart_list) or HttpResponse(status=404)
    return _report_page(request, year)


@cache_anonymous_page(300)
def _report_page(request: HttpRequest, year: int) -> HttpResponse:
    item, figures, chart_list = _report_parts(year)
    return render(
        request,
        "advocate/report.html",
        {"report": item, "year": year, "figures": figures, "charts": chart_list},
    )


def annual_report_pdf(request: HttpRequest, year: int) -> HttpResponse:
    item, figures, chart_list = _report_parts(year)
    body = pdf.annual_report(item, year, figures, chart_list, translation.get_language() or "el")
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="advocate-report-{year}.pdf"'
    return response
