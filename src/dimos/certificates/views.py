"""Residents' pages (request, follow, answer, download) and the public verification."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dimos.accounts.models import User
from dimos.certificates import selectors, services, signing
from dimos.certificates.conf import conf
from dimos.certificates.forms import ReplyForm, RequestForm, VerifyForm, VerifyUploadForm
from dimos.certificates.models import (
    Attachment,
    CertificateRequest,
    CertificateType,
    IssuedDocument,
    Status,
)
from dimos.core import audit
from dimos.core.pagecache import cache_anonymous_page
from dimos.core.ratelimit import over_limit


def start(request: HttpRequest) -> HttpResponse:
    types = CertificateType.objects.filter(is_active=True)
    return render(request, "certificates/start.html", {"types": types})


def _may_request(user: User) -> bool:
    # Staff too: a clerk filing for someone uses the back office's form, which records the
    # identity document they checked (ADR 0019).
    return bool(user.identity_verified)


@login_required
def new_request(request: HttpRequest, code: str) -> HttpResponse:
    ctype = get_object_or_404(CertificateType, code=code, is_active=True)
    if not _may_request(request.user):  # type: ignore[arg-type]
        return render(request, "certificates/identity_needed.html", {"type": ctype}, status=403)
    form = RequestForm(
        request.POST or None,
        request.FILES or None,
        certificate_type=ctype,
        initial=_own_details(request.user),  # type: ignore[arg-type]
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                req = services.submit_request(
                    applicant=request.user,  # type: ignore[arg-type]
                    request=request,
                    **form.service_kwargs(),
                )
            except services.CertificateError as exc:
                form.add_error(None, str(exc.message))
            else:
                messages.success(request, _("Your request was received."))
                return redirect("certificates:detail", pk=req.pk)
        return render(request, "certificates/form.html", {"type": ctype, "form": form}, status=400)
    return render(
        request,
        "certificates/form.html",
        {"type": ctype, "form": form, "prefilled": bool(form.initial)},
    )


def _own_details(user: User) -> dict[str, Any]:
    """The form's answers about the person, from the account (profile and eID)."""
    from dimos.accounts.selectors import identity_details

    details = identity_details(user)
    initial = {
        "holder_name": details.get("full_name"),
        "holder_father_name": details.get("father_name"),
        "holder_birth_date": details.get("birth_date"),
        "holder_address": details.get("address"),
    }
    return {key: value for key, value in initial.items() if value}


@login_required
def my_requests(request: HttpRequest) -> HttpResponse:
    requests = selectors.requests_of(request.user.pk)  # type: ignore[arg-type]
    return render(request, "certificates/my_requests.html", {"requests": requests})


def _own(request: HttpRequest, pk: int) -> CertificateRequest:
    """The request if it is the logged-in person's own; 404 otherwise (no hint it exists)."""
    return get_object_or_404(
        CertificateRequest.objects.select_related("certificate_type"),
        pk=pk,
        applicant_id=request.user.pk,
    )


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    req = _own(request, pk)
    return render(
        request,
        "certificates/detail.html",
        {
            "req": req,
            "events": req.events.filter(public=True),
            "documents": req.documents.issued(),
            "attachments": req.attachments.all(),
            "reply_form": ReplyForm(req=req) if req.status == Status.WAITING else None,
        },
    )


@require_POST
@login_required
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    req = _own(request, pk)
    form = ReplyForm(request.POST, request.FILES, req=req)
    if form.is_valid():
        document = form.cleaned_data.get("document")
        try:
            services.answer_information(
                req=req,
                message=form.cleaned_data.get("message", ""),
                files=[document] if document else [],
                details=form.details(),
                actor=request.user,  # type: ignore[arg-type]
                request=request,
            )
        except services.CertificateError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Your answer was sent."))
        return redirect("certificates:detail", pk=req.pk)
    return render(
        request,
        "certificates/detail.html",
        {
            "req": req,
            "events": req.events.filter(public=True),
            "documents": req.documents.issued(),
            "attachments": req.attachments.all(),
            "reply_form": form,
        },
        status=400,
    )


def _pdf_response(document: IssuedDocument) -> FileResponse:
    response = FileResponse(
        document.pdf.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=f"certificate-{document.protocol_number.replace('/', '-')}.pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def download(request: HttpRequest, pk: int, code: str) -> FileResponse:
    req = _own(request, pk)
    document = get_object_or_404(IssuedDocument.objects.issued(), request=req, code=code)
    services.record_download(document=document, user=request.user, request=request)  # type: ignore[arg-type]
    return _pdf_response(document)


def attachment_response(attachment: Attachment) -> FileResponse:
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=True,
        filename=attachment.original_name,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def attachment(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    req = _own(request, pk)
    item = get_object_or_404(Attachment, request=req, pk=attachment_pk)
    audit.record(
        action="certificate_request.file_downloaded",
        target=req,
        request=request,
        details={"attachment": item.pk},
    )
    return attachment_response(item)


# --- Public verification --------------------------------------------------------------------


def over_verify_rate(request: HttpRequest) -> bool:
    """At most DIMOS_VERIFY_RATE lookups ("count/m" or "count/h") per client address."""
    return over_limit(request, "verify", conf.VERIFY_RATE, by_address=True)


def _too_many(request: HttpRequest) -> HttpResponse:
    response = render(request, "certificates/verify_limited.html", status=429)
    response["Retry-After"] = "60"
    return response


def verify(request: HttpRequest) -> HttpResponse:
    code_form = VerifyForm(request.GET if "code" in request.GET else None)
    upload_form = VerifyUploadForm(request.POST or None, request.FILES or None)
    result = None
    unchecked = False
    status = 200
    if (code_form.is_bound or request.method == "POST") and over_verify_rate(request):
        return _too_many(request)
    if code_form.is_bound and code_form.is_valid():
        return redirect("certificates:verify_code", code=code_form.cleaned_data["code"].strip())
    if request.method == "POST":
        if upload_form.is_valid():
            try:
                result = selectors.verify_pdf(upload_form.cleaned_data["pdf"])
            except signing.CheckNotPossible:
                unchecked, status = True, 422
        else:
            status = 400
    return render(
        request,
        "certificates/verify.html",
        {
            "code_form": code_form,
            "upload_form": upload_form,
            "result": result,
            "unchecked": unchecked,
            "uploaded": True,
        },
        status=status,
    )


def verify_code(request: HttpRequest, code: str) -> HttpResponse:
    """What the QR code links to. The page is cached per code, language and registry state,
    so a revocation shows at once (the state is read on every request)."""
    if over_verify_rate(request):
        return _too_many(request)
    if len(code) > 64:
        raise Http404
    state = selectors.verification_state(code)
    if state is None:
        return _render_verify_code(request, code, status=404)
    page = cache_anonymous_page(timeout=3600, prefix=f"verify:{state}")(_render_verify_code)
    return page(request, code)


def _render_verify_code(request: HttpRequest, code: str, status: int = 200) -> HttpResponse:
    result = selectors.verify_code(code)
    return render(
        request,
        "certificates/verify.html",
        {
            "code_form": VerifyForm(initial={"code": code}),
            "upload_form": None,
            "result": result,
            "uploaded": False,
        },
        status=status,
    )
