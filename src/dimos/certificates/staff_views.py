"""The back office: the queue, one request and its actions, phone intake, running totals."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dimos.certificates import selectors, services
from dimos.certificates.forms import (
    AssignForm,
    InfoForm,
    IssueForm,
    PhoneRequestForm,
    QueueFilterForm,
    RejectForm,
    RevokeForm,
    TypeChoiceForm,
)
from dimos.certificates.models import (
    OPEN_STATUSES,
    Attachment,
    CertificateRequest,
    CertificateType,
    Channel,
    DocumentStatus,
    IssuedDocument,
    Status,
)
from dimos.certificates.views import _pdf_response, attachment_response
from dimos.core import audit
from dimos.core.permissions import staff_required
from dimos.core.workflow import Action, StaffActionView, calls

VIEW = "certificates.view_certificaterequest"
CHANGE = "certificates.change_certificaterequest"
ISSUE = "certificates.issue_certificate"


def _signing_failed() -> Any:
    """A certificate of the request is pending with an error: its signing failed (retry)."""
    return Exists(
        IssuedDocument.objects.filter(
            request=OuterRef("pk"), status=DocumentStatus.PENDING
        ).exclude(issue_error="")
    )


def _queue(user: Any, data: dict[str, Any]) -> QuerySet[CertificateRequest]:
    qs = CertificateRequest.objects.select_related("certificate_type", "assigned_to").annotate(
        signing_failed=_signing_failed()
    )
    status = data.get("status") or ""
    if status == "":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status == "overdue":
        qs = qs.overdue()
    elif status != "all":
        qs = qs.filter(status=status)
    if data.get("certificate_type"):
        qs = qs.filter(certificate_type=data["certificate_type"])
    if data.get("assigned") == "me":
        qs = qs.filter(assigned_to=user)
    elif data.get("assigned") == "none":
        qs = qs.filter(assigned_to__isnull=True)
    return qs.order_by("due_on", "submitted_at", "pk")


def _status_counts() -> list[tuple[str, int]]:
    counts = selectors.requests_by_status()
    return [(str(label), counts.get(value, 0)) for value, label in Status.choices]


@staff_required(perm=VIEW)
def queue(request: HttpRequest) -> HttpResponse:
    form = QueueFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    page = Paginator(_queue(request.user, data), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "certificates/staff/queue.html",
        {
            "form": form,
            "page": page,
            "status_counts": _status_counts(),
            "signing_failed": CertificateRequest.objects.filter(_signing_failed()).count(),
        },
    )


def _context(req: CertificateRequest, user: Any, **forms: Any) -> dict[str, Any]:
    missing = req.missing_labels()
    question = (
        _("The certificate needs these details, which your request lacks: %(details)s.")
        % {"details": ", ".join(missing)}
        if missing
        else ""
    )
    context = {
        "req": req,
        "missing": missing,
        # Four eyes: the page says why this person cannot issue instead of offering the button.
        "issue_refusal": services.issue_refusal(req, user) if user.has_perm(ISSUE) else None,
        "events": req.events.select_related("actor"),
        "attachments": req.attachments.all(),
        "documents": req.documents.select_related("issued_by", "revoked_by"),
        "assign_form": AssignForm(initial={"assignee": req.assigned_to_id}),
        "info_form": InfoForm(initial={"message": question}),
        "reject_form": RejectForm(),
        "issue_form": IssueForm(),
        "revoke_form": RevokeForm(),
        "today": timezone.localdate(),
    }
    context.update(forms)
    return context


@staff_required(perm=VIEW)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    req = get_object_or_404(
        CertificateRequest.objects.select_related(
            "certificate_type", "applicant", "assigned_to", "identity_checked_by"
        ),
        pk=pk,
    )
    audit.record(action="certificate_request.viewed", target=req, request=request)
    return render(request, "certificates/staff/detail.html", _context(req, request.user))


class RequestAction(StaffActionView):
    """The actions on one request's page; a form with errors shows the page again (400)."""

    error = services.CertificateError
    actions = {
        "review": Action(run=calls(services.start_review, "req")),
        "approve": Action(run=calls(services.approve, "req")),
        "assign": Action(
            form=lambda request, req: AssignForm(request.POST),
            run=calls(services.assign, "req", assignee="assignee"),
        ),
        "info": Action(
            form=lambda request, req: InfoForm(request.POST),
            run=calls(services.ask_for_information, "req", message="message"),
        ),
        "reject": Action(
            form=lambda request, req: RejectForm(request.POST),
            run=calls(services.reject, "req", reason="reason"),
        ),
        "paid": Action(
            run=calls(services.set_fee_paid, "req", paid=lambda r, f: r.POST.get("paid") == "1")
        ),
        "issue": Action(
            form=lambda request, req: IssueForm(request.POST),
            run=calls(services.issue, "req", language="language"),
            permission=ISSUE,
        ),
    }

    def get_case(self, request: HttpRequest, **kwargs: Any) -> CertificateRequest:
        return get_object_or_404(
            CertificateRequest.objects.select_related("certificate_type"), pk=kwargs["pk"]
        )

    def done(self, request: HttpRequest, case: CertificateRequest) -> HttpResponse:
        return redirect("certificates_staff:detail", pk=case.pk)

    def form_invalid(
        self, request: HttpRequest, case: CertificateRequest, action: str, form: Any
    ) -> HttpResponse:
        return _page_with_errors(request, case, action, form)


def _page_with_errors(
    request: HttpRequest, req: CertificateRequest, action: str, form: Any
) -> HttpResponse:
    context = _context(req, request.user, **{f"{action}_form": form})
    return render(request, "certificates/staff/detail.html", context, status=400)


act = require_POST(staff_required(perm=CHANGE)(RequestAction.as_view()))


class DocumentAction(StaffActionView):
    """The actions on an issued certificate: revoke it, or sign again one whose signing failed
    (same protocol number, same code)."""

    error = services.CertificateError
    actions = {
        "revoke": Action(
            form=lambda request, document: RevokeForm(request.POST),
            run=calls(services.revoke, "document", reason="reason"),
            success=gettext_lazy("The certificate was revoked."),
        ),
        "retry": Action(
            run=calls(services.retry_issue, "document"),
            success=gettext_lazy("The certificate was issued."),
        ),
    }

    def get_case(self, request: HttpRequest, **kwargs: Any) -> IssuedDocument:
        return get_object_or_404(
            IssuedDocument.objects.select_related("request"), code=kwargs["code"]
        )

    def done(self, request: HttpRequest, case: IssuedDocument) -> HttpResponse:
        return redirect("certificates_staff:detail", pk=case.request_id)

    def form_invalid(
        self, request: HttpRequest, case: IssuedDocument, action: str, form: Any
    ) -> HttpResponse:
        return _page_with_errors(request, case.request, action, form)


document_act = require_POST(staff_required(perm=ISSUE)(DocumentAction.as_view()))


@staff_required(perm=VIEW)
def document_pdf(request: HttpRequest, code: str) -> FileResponse:
    document = get_object_or_404(IssuedDocument.objects.issued(), code=code)
    services.record_download(document=document, user=request.user, request=request)  # type: ignore[arg-type]
    return _pdf_response(document)


@staff_required(perm=VIEW)
def attachment(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    item = get_object_or_404(
        Attachment.objects.select_related("request"), request_id=pk, pk=attachment_pk
    )
    audit.record(
        action="certificate_request.file_downloaded",
        target=item.request,
        request=request,
        details={"attachment": item.pk},
    )
    return attachment_response(item)


@staff_required(perm=CHANGE)
def phone_request(request: HttpRequest) -> HttpResponse:
    """A clerk files a request for a phone caller; the form follows the chosen type."""
    code = request.GET.get("type") or request.POST.get("type") or ""
    ctype = CertificateType.objects.filter(code=code, is_active=True).first() if code else None
    if ctype is None:
        choice = TypeChoiceForm(request.GET if "certificate_type" in request.GET else None)
        if choice.is_bound and choice.is_valid():
            return redirect(f"{request.path}?type={choice.cleaned_data['certificate_type'].code}")
        return render(request, "certificates/staff/phone_choose.html", {"form": choice})
    form = PhoneRequestForm(request.POST or None, request.FILES or None, certificate_type=ctype)
    if request.method == "POST":
        if form.is_valid():
            try:
                req = services.submit_request(
                    applicant=None,
                    channel=Channel.PHONE,
                    filed_by=request.user,  # type: ignore[arg-type]
                    request=request,
                    **form.service_kwargs(),
                )
            except services.CertificateError as exc:
                form.add_error(None, str(exc.message))
            else:
                messages.success(request, _("The request was filed."))
                return redirect("certificates_staff:detail", pk=req.pk)
        return render(
            request, "certificates/staff/phone_form.html", {"type": ctype, "form": form}, status=400
        )
    return render(request, "certificates/staff/phone_form.html", {"type": ctype, "form": form})


@staff_required(perm=VIEW)
def totals(request: HttpRequest) -> HttpResponse:
    year_raw = request.GET.get("year", "")
    year = int(year_raw) if year_raw.isdigit() and 2000 <= int(year_raw) <= 2100 else None
    rows = selectors.totals_by_type_and_month(year)
    english = (get_language() or "el").startswith("en")
    by_type: dict[str, int] = {}
    for row in rows:
        row["name"] = (english and row["certificate_type__name_en"]) or row[
            "certificate_type__name_el"
        ]
        by_type[row["name"]] = by_type.get(row["name"], 0) + row["count"]
    return render(
        request,
        "certificates/staff/totals.html",
        {
            "rows": rows,
            "year": year,
            "total": sum(by_type.values()),
            "by_type": sorted(by_type.items()),
            "online": selectors.issued_online_count(),
        },
    )
