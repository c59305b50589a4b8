"""The Advocate's office at /staff/advocate/ (queue, a complaint and its actions, filing for a
caller, the annual report) and the services' side (the requests addressed to them)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_POST

from dimos.advocate import pdf, report, selectors, services
from dimos.advocate.conf import conf
from dimos.advocate.forms import (
    AdoptionForm,
    AnswerForm,
    AssignForm,
    ConcludeForm,
    DocumentForm,
    MediationForm,
    NoteForm,
    ReferForm,
    RejectForm,
    ReportForm,
    StaffComplaintForm,
    SummaryForm,
    TextForm,
)
from dimos.advocate.models import AnnualReport, Attachment, Complaint, Mediation, Status
from dimos.core import audit, charts
from dimos.core.images import SANDBOX_CSP
from dimos.core.permissions import staff_required
from dimos.core.workflow import Action, StaffActionView, calls

HANDLE = services.HANDLE
ANSWER = services.ANSWER

STATES = (
    ("", pgettext_lazy("complaints", "Open")),
    ("very_overdue", pgettext_lazy("complaints", "Very overdue")),
    ("overdue", pgettext_lazy("complaints", "Overdue")),
    ("soon", pgettext_lazy("complaints", "Due soon")),
    ("paused", pgettext_lazy("complaints", "Waiting for the complainant")),
)


@staff_required(perm=HANDLE)
def queue(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in ("", "all", *Status.values):
        status = ""
    state = request.GET.get("state", "")
    if state not in dict(STATES):
        state = ""
    rows = selectors.office_queue(
        status=status,
        state=state,
        assigned=request.user if request.GET.get("mine") else None,
    )
    return render(
        request,
        "advocate/staff/queue.html",
        {
            "rows": rows,
            "status": status,
            "state": state,
            "statuses": Status.choices,
            "states": STATES,
            "mine": bool(request.GET.get("mine")),
            "report_year": timezone.localdate().year,
        },
    )


@staff_required(perm=HANDLE)
def file_for(request: HttpRequest) -> HttpResponse:
    """The office files a complaint for someone who called or came in."""
    form = StaffComplaintForm(
        request.POST or None, request.FILES or None, initial={"kind": "person", "language": "el"}
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                done = services.submit_complaint(
                    person=form.complainant(),
                    details=form.details(),
                    staff=request.user,  # type: ignore[arg-type]
                    channel=form.cleaned_data["channel"],
                    request=request,
                )
            except services.AdvocateError as exc:
                form.add_error(None, str(exc.message))
            else:
                messages.success(request, _("The complaint was filed."))
                return redirect("advocate_staff:detail", pk=done.complaint.pk)
        return render(request, "advocate/staff/file.html", {"form": form}, status=400)
    return render(request, "advocate/staff/file.html", {"form": form})


def _context(complaint: Complaint, **forms: Any) -> dict[str, Any]:
    context: dict[str, Any] = {
        "complaint": complaint,
        "deadline": selectors.deadline_state(complaint),
        "events": complaint.events.select_related("actor"),
        "messages_list": complaint.messages.select_related("author"),
        "notes": complaint.notes.select_related("author"),
        "documents": complaint.attachments.all(),
        "mediations": complaint.mediations.select_related("body", "answered_by"),
        "actions": services.WORKFLOW.actions_from(complaint.status),
        "reject_form": RejectForm(),
        "refer_form": ReferForm(),
        "text_form": TextForm(),
        "assign_form": AssignForm(initial={"to": complaint.assigned_to_id}),
        "note_form": NoteForm(),
        "mediation_form": MediationForm(complaint=complaint, initial={"days": conf.SERVICE_DAYS}),
        "conclude_form": ConcludeForm(),
        "adoption_form": AdoptionForm(initial={"adoption": complaint.adoption}),
        "document_form": DocumentForm(),
        "summary_form": SummaryForm(),
    }
    context.update(forms)
    return context


def _complaint(pk: int) -> Complaint:
    return get_object_or_404(
        Complaint.objects.select_related("body", "assigned_to", "filed_by"), pk=pk
    )


@staff_required(perm=HANDLE)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = _complaint(pk)
    services.record_view(complaint=complaint, actor=request.user, request=request)  # type: ignore[arg-type]
    response = render(request, "advocate/staff/detail.html", _context(complaint))
    response["Cache-Control"] = "private, no-store"
    return response


FORM_NAMES = {
    "reject": "reject_form",
    "refer": "refer_form",
    "ask": "text_form",
    "write": "text_form",
    "assign": "assign_form",
    "note": "note_form",
    "mediate": "mediation_form",
    "conclude": "conclude_form",
    "adoption": "adoption_form",
    "document": "document_form",
    "summary": "summary_form",
}


class ComplaintAction(StaffActionView):
    error = services.AdvocateError
    actions = {
        "admit": Action(run=calls(services.admit, "complaint")),
        "reject": Action(
            form=lambda request, c: RejectForm(request.POST),
            run=calls(
                services.reject, "complaint", exclusion="exclusion", explanation="explanation"
            ),
        ),
        "refer": Action(
            form=lambda request, c: ReferForm(request.POST),
            run=calls(
                services.refer, "complaint", referred_to="referred_to", explanation="explanation"
            ),
        ),
        "ask": Action(
            form=lambda request, c: TextForm(request.POST),
            run=calls(services.ask_complainant, "complaint", text="text"),
        ),
        "resume": Action(run=calls(services.resume, "complaint")),
        "write": Action(
            form=lambda request, c: TextForm(request.POST),
            run=calls(services.write_to_complainant, "complaint", text="text"),
        ),
        "assign": Action(
            form=lambda request, c: AssignForm(request.POST),
            run=calls(services.assign, "complaint", to="to"),
        ),
        "note": Action(
            form=lambda request, c: NoteForm(request.POST),
            run=calls(services.add_note, "complaint", kind="kind", text="text"),
        ),
        "mediate": Action(
            form=lambda request, c: MediationForm(request.POST, complaint=c),
            run=calls(
                services.request_mediation,
                "complaint",
                question="question",
                days="days",
                share=lambda request, form: form.shared(),
            ),
        ),
        "conclude": Action(
            form=lambda request, c: ConcludeForm(request.POST),
            run=calls(
                services.conclude,
                "complaint",
                outcome="outcome",
                answer="answer",
                recommendation="recommendation",
                service_reasons="service_reasons",
            ),
        ),
        "withdraw": Action(run=calls(services.withdraw, "complaint")),
        "adoption": Action(
            form=lambda request, c: AdoptionForm(request.POST),
            run=calls(services.record_adoption, "complaint", adoption="adoption"),
        ),
        "document": Action(
            form=lambda request, c: DocumentForm(request.POST, request.FILES),
            run=calls(services.add_office_document, "complaint", document="document"),
        ),
        "summary": Action(
            form=lambda request, c: SummaryForm(request.POST),
            run=calls(
                services.publish_summary,
                "complaint",
                title="title",
                summary="summary",
                checked="checked",
            ),
        ),
    }

    def get_case(self, request: HttpRequest, **kwargs: Any) -> Complaint:
        return _complaint(kwargs["pk"])

    def done(self, request: HttpRequest, case: Complaint) -> HttpResponse:
        return redirect("advocate_staff:detail", pk=case.pk)

    def form_invalid(
        self, request: HttpRequest, case: Complaint, action: str, form: Any
    ) -> HttpResponse:
        name = FORM_NAMES.get(action, f"{action}_form")
        context = {**_context(case, **{name: form}), "failed": action}
        return render(request, "advocate/staff/detail.html", context, status=400)


act = require_POST(staff_required(perm=HANDLE)(ComplaintAction.as_view()))


def _stream(item: Attachment) -> FileResponse:
    response = FileResponse(
        item.file.open("rb"),
        content_type=item.content_type,
        as_attachment=True,
        filename=item.original_name,
    )
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = SANDBOX_CSP
    return response


@staff_required(perm=HANDLE)
def document(request: HttpRequest, pk: int, document_pk: int) -> FileResponse:
    item = get_object_or_404(
        Attachment.objects.select_related("complaint"), complaint_id=pk, pk=document_pk
    )
    audit.record(
        action="complaint.document_read",
        target=item.complaint,
        request=request,
        details={"document": item.pk},
    )
    return _stream(item)


@staff_required(perm=HANDLE)
def answer_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = _complaint(pk)
    if complaint.status not in (Status.CONCLUDED, Status.INADMISSIBLE, Status.REFERRED):
        raise Http404
    audit.record(action="complaint.answer_read", target=complaint, request=request)
    response = HttpResponse(pdf.answer_letter(complaint), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="advocate-{complaint.pk}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- The annual report -----------------------------------------------------------------------


@staff_required(perm=HANDLE)
def report_edit(request: HttpRequest, year: int) -> HttpResponse:
    if not 2000 <= year <= timezone.localdate().year:
        raise Http404
    item = AnnualReport.objects.filter(year=year).first()
    initial = (
        {
            "introduction_el": item.introduction_el,
            "introduction_en": item.introduction_en,
            "highlights_el": item.highlights_el,
            "highlights_en": item.highlights_en,
        }
        if item
        else {}
    )
    form = ReportForm(request.POST or None, initial=initial)
    figures = selectors.figures(year, translation.get_language() or "el")
    chart_list = report.charts_for(figures)
    answer = charts.download(request, chart_list)
    if answer is not None:
        return answer
    if request.method == "POST" and form.is_valid():
        try:
            services.save_report(
                year=year,
                publish="publish" in request.POST,
                actor=request.user,  # type: ignore[arg-type]
                request=request,
                **form.cleaned_data,
            )
        except services.AdvocateError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("The report was saved."))
            return redirect("advocate_staff:report", year=year)
    return render(
        request,
        "advocate/staff/report.html",
        {
            "form": form,
            "report": item,
            "year": year,
            "figures": figures,
            "charts": chart_list,
            "years": selectors.years(),
        },
        status=400 if request.method == "POST" else 200,
    )


# --- The services' side ----------------------------------------------------------------------


@staff_required(perm=ANSWER)
def service_requests(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "advocate/staff/service_requests.html",
        {"requests": selectors.requests_for(request.user)},
    )


def _mediation_for(request: HttpRequest, pk: int) -> Mediation:
    mediation = get_object_or_404(
        Mediation.objects.select_related("body", "complaint", "complaint__body"), pk=pk
    )
    if not services.is_liaison(request.user, mediation.body):
        raise Http404
    return mediation


@staff_required(perm=ANSWER)
def service_request(request: HttpRequest, pk: int) -> HttpResponse:
    """What a service sees: the office's question, the shared documents, and the complainant's
    name only with their consent."""
    mediation = _mediation_for(request, pk)
    form = AnswerForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.answer_mediation(
                    mediation=mediation,
                    answer=form.cleaned_data["answer"],
                    agrees=form.agreed(),
                    actor=request.user,  # type: ignore[arg-type]
                    request=request,
                )
            except services.AdvocateError as exc:
                form.add_error(None, str(exc.message))
            else:
                messages.success(request, _("Your answer was sent to the Advocate."))
                return redirect("advocate_staff:service_request", pk=pk)
        status = 400
    else:
        services.record_mediation_view(mediation=mediation, actor=request.user, request=request)  # type: ignore[arg-type]
    response = render(
        request,
        "advocate/staff/service_request.html",
        {
            "mediation": mediation,
            "complaint": mediation.complaint,
            "documents": mediation.complaint.attachments.filter(shared=True),
            "form": form,
        },
        status=status,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@staff_required(perm=ANSWER)
def service_document(request: HttpRequest, pk: int, document_pk: int) -> FileResponse:
    mediation = _mediation_for(request, pk)
    item = get_object_or_404(
        Attachment, complaint_id=mediation.complaint_id, pk=document_pk, shared=True
    )
    audit.record(
        action="complaint.document_read",
        target=mediation.complaint,
        request=request,
        details={"document": item.pk, "mediation": mediation.pk},
    )
    return _stream(item)
