"""Staff's survey pages at /staff/feedback/surveys/: build a survey (sections, questions with
conditions), invitation links, the live results with charts, exports (CSV, XLSX), review of
free-text answers, publishing the results."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, Any, cast

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from dimos.core import audit, charts
from dimos.core.permissions import staff_required
from dimos.feedback import survey_selectors as selectors
from dimos.feedback import survey_services as services
from dimos.feedback.models import Answer, Question, Response, Section, Survey
from dimos.feedback.survey_forms import InviteForm, QuestionForm, SectionForm, SurveyForm

if TYPE_CHECKING:
    from dimos.accounts.models import User


def _actor(request: HttpRequest) -> User:
    return cast("User", request.user)


VIEW = "feedback.view_survey"
CHANGE = "feedback.change_survey"


@staff_required(perm=VIEW)
def surveys(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "feedback/surveys/staff/list.html",
        {"surveys": Survey.objects.all(), "can_change": request.user.has_perm(CHANGE)},  # type: ignore[union-attr]
    )


@staff_required(perm=CHANGE)
def edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    survey = get_object_or_404(Survey, pk=pk) if pk else None
    form = SurveyForm(request.POST or None, instance=survey)
    if request.method == "POST" and form.is_valid():
        saved = services.save_survey(
            survey=form.save(commit=False), actor=_actor(request), request=request
        )
        messages.success(request, _("Saved."))
        return redirect("feedback_staff:survey", pk=saved.pk)
    return render(
        request,
        "feedback/surveys/staff/edit.html",
        {"form": form, "survey": survey},
        status=400 if request.method == "POST" else 200,
    )


@staff_required(perm=VIEW)
def survey(request: HttpRequest, pk: int) -> HttpResponse:
    """One survey: its sections and questions, the forms to add them, invitations, results."""
    survey = get_object_or_404(Survey, pk=pk)
    section_form = SectionForm(prefix="section")
    question_form = QuestionForm(prefix="question", survey=survey)
    invite_form = InviteForm(prefix="invite")
    tokens: list[str] = []
    status = 200
    if request.method == "POST":
        if not request.user.has_perm(CHANGE):  # type: ignore[union-attr]
            return HttpResponse(status=403)
        what = request.POST.get("what")
        try:
            if what == "section":
                section_form = SectionForm(request.POST, prefix="section")
                if section_form.is_valid():
                    services.add_section(
                        survey=survey,
                        actor=_actor(request),
                        **section_form.cleaned_data,
                    )
                    return redirect("feedback_staff:survey", pk=pk)
            elif what == "question":
                question_form = QuestionForm(request.POST, prefix="question", survey=survey)
                if question_form.is_valid():
                    section = get_object_or_404(
                        Section, pk=question_form.cleaned_data["section"], survey=survey
                    )
                    services.add_question(
                        section=section,
                        actor=request.user,  # type: ignore[arg-type]
                        **question_form.question_fields(),
                    )
                    return redirect("feedback_staff:survey", pk=pk)
            elif what == "invite":
                invite_form = InviteForm(request.POST, prefix="invite")
                if invite_form.is_valid():
                    tokens = services.invite(
                        survey=survey,
                        count=invite_form.cleaned_data["count"] or 0,
                        emails=invite_form.cleaned_data["emails"],
                        actor=request.user,  # type: ignore[arg-type]
                    )
            elif what in ("section_up", "section_down"):
                services.move_section(
                    section=get_object_or_404(Section, pk=_id(request), survey=survey),
                    up=what == "section_up",
                    actor=_actor(request),
                )
                return redirect(f"{request.path}#sections")
            elif what in ("question_up", "question_down"):
                services.move_question(
                    question=get_object_or_404(Question, pk=_id(request), section__survey=survey),
                    up=what == "question_up",
                    actor=_actor(request),
                )
                return redirect(f"{request.path}#sections")
            elif what in ("publish", "withdraw"):
                services.publish_results(
                    survey=survey,
                    actor=request.user,  # type: ignore[arg-type]
                    publish=what == "publish",
                )
                return redirect("feedback_staff:survey", pk=pk)
        except services.SurveyError as exc:
            messages.error(request, str(exc.message))
        status = 400 if not tokens else 200
    return render(
        request,
        "feedback/surveys/staff/survey.html",
        {
            "survey": survey,
            "sections": survey.sections.prefetch_related("questions"),
            "section_form": section_form,
            "question_form": question_form,
            "invite_form": invite_form,
            "links": [
                request.build_absolute_uri(f"/surveys/{survey.slug}/?invitation={t}")
                for t in tokens
            ],
            "responses": selectors.response_count(survey),
            "locked": services.has_answers(survey),
            "can_change": request.user.has_perm(CHANGE),  # type: ignore[union-attr]
        },
        status=status,
    )


def _id(request: HttpRequest) -> int:
    raw = request.POST.get("id", "")
    if not raw.isdigit():
        raise Http404
    return int(raw)


@staff_required(perm=CHANGE)
def section_edit(request: HttpRequest, pk: int, section_pk: int) -> HttpResponse:
    """A section's titles (always), or deleting it (while the survey has no answers)."""
    section = get_object_or_404(Section.objects.select_related("survey"), pk=section_pk, survey=pk)
    form = SectionForm(
        request.POST if request.POST.get("action") == "save" else None,
        initial={"title_el": section.title_el, "title_en": section.title_en},
    )
    if request.method == "POST":
        try:
            if request.POST.get("action") == "delete":
                services.delete_section(section=section, actor=_actor(request))
                messages.success(request, _("The section was deleted."))
                return redirect("feedback_staff:survey", pk=pk)
            if form.is_valid():
                services.change_section(section=section, actor=_actor(request), **form.cleaned_data)
                messages.success(request, _("Saved."))
                return redirect("feedback_staff:survey", pk=pk)
        except services.SurveyError as exc:
            if form.is_bound:
                form.add_error(None, str(exc.message))
            else:
                messages.error(request, str(exc.message))
    return render(
        request,
        "feedback/surveys/staff/section.html",
        {
            "survey": section.survey,
            "section": section,
            "form": form,
            "locked": services.has_answers(section.survey),
        },
        status=400 if request.method == "POST" else 200,
    )


@staff_required(perm=CHANGE)
def question_edit(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    """A question: its wording (always), the rest while the survey has no answers; deleting it."""
    question = get_object_or_404(
        Question.objects.select_related("section__survey", "condition_question"),
        pk=question_pk,
        section__survey=pk,
    )
    survey = question.section.survey
    saving = request.method == "POST" and request.POST.get("action") == "save"
    form = QuestionForm(
        request.POST if saving else None, survey=survey, question=question, prefix="question"
    )
    if request.method == "POST":
        try:
            if request.POST.get("action") == "delete":
                services.delete_question(question=question, actor=_actor(request))
                messages.success(request, _("The question was deleted."))
                return redirect("feedback_staff:survey", pk=pk)
            if form.is_valid():
                section = get_object_or_404(Section, pk=form.cleaned_data["section"], survey=survey)
                services.change_question(
                    question=question,
                    actor=_actor(request),
                    section=section,
                    **form.question_fields(),
                )
                messages.success(request, _("Saved."))
                return redirect("feedback_staff:survey", pk=pk)
        except services.SurveyError as exc:
            if form.is_bound:
                form.add_error(None, str(exc.message))
            else:
                messages.error(request, str(exc.message))
    return render(
        request,
        "feedback/surveys/staff/question.html",
        {
            "survey": survey,
            "question": question,
            "form": form,
            "locked": services.has_answers(survey),
        },
        status=400 if request.method == "POST" else 200,
    )


@staff_required(perm=VIEW)
def results(request: HttpRequest, pk: int) -> HttpResponse:
    """The live summary per question, with charts."""
    survey = get_object_or_404(Survey, pk=pk)
    summary = selectors.summaries(survey)
    chart_list = [s.chart for s in summary if s.chart is not None]
    if (got := charts.download(request, chart_list)) is not None:
        return got
    return render(
        request,
        "feedback/surveys/staff/results.html",
        {"survey": survey, "summaries": summary, "responses": selectors.response_count(survey)},
    )


@staff_required(perm=CHANGE)
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """Free-text answers, each approved or not for the published results (shown redacted)."""
    from dimos.feedback.redact import redact

    survey = get_object_or_404(Survey, pk=pk)
    texts = (
        Answer.objects.filter(
            response__survey=survey,
            response__submitted_at__isnull=False,
            question__kind__in=(Question.Kind.SHORT, Question.Kind.LONG),
        )
        .select_related("question")
        .order_by("question__section__order", "question__order", "pk")
    )
    if request.method == "POST":
        ids = [int(v) for v in request.POST.getlist("approved") if v.isdigit()]
        count = services.review_answers(survey=survey, approved=ids, actor=request.user)  # type: ignore[arg-type]
        messages.success(
            request, _("%(count)s answers approved for publication.") % {"count": count}
        )
        return redirect("feedback_staff:survey_review", pk=pk)
    return render(
        request,
        "feedback/surveys/staff/review.html",
        {"survey": survey, "texts": [(a, redact(str(a.value))) for a in texts]},
    )


def _table(survey: Survey) -> tuple[list[str], list[list[Any]]]:
    questions = selectors.questions(survey)
    head = [_("Response"), _("Sent")]
    if not survey.anonymous:
        head.append(_("Respondent"))
    columns: list[tuple[Question, int | None]] = []
    for q in questions:
        if q.kind == Question.Kind.MATRIX:
            for i, label in enumerate(q.option_labels()):
                head.append(f"{q.text} — {label}")
                columns.append((q, i))
        else:
            head.append(q.text)
            columns.append((q, None))
    responses = Response.objects.filter(survey=survey, submitted_at__isnull=False).order_by(
        "submitted_at", "pk"
    )
    if not survey.anonymous:
        responses = responses.select_related("user")
    answers: dict[int, dict[int, Any]] = {}
    for response_id, question_id, value in Answer.objects.filter(
        response__in=responses
    ).values_list("response_id", "question_id", "value"):
        answers.setdefault(response_id, {})[question_id] = value
    rows = []
    # An anonymous survey's rows are numbered in the order sent, never by the response's id.
    for n, response in enumerate(responses, start=1):
        given = answers.get(response.pk, {})
        line: list[Any] = [
            n,
            response.submitted_at.date().isoformat() if response.submitted_at else "",
        ]
        if not survey.anonymous:
            line.append(response.user.email if response.user else "")
        for q, index in columns:
            value = given.get(q.pk)
            labels = q.option_labels()
            if index is not None:
                value = value.get(str(index)) if isinstance(value, dict) else None
            elif q.kind == Question.Kind.SINGLE and value is not None:
                value = labels[int(value)] if int(value) < len(labels) else value
            elif q.kind == Question.Kind.MULTIPLE and isinstance(value, list):
                value = "; ".join(labels[int(v)] for v in value if int(v) < len(labels))
            line.append(charts._safe_cell(value))
        rows.append(line)
    return head, rows


@staff_required(perm=VIEW)
def export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404
    survey = get_object_or_404(Survey, pk=pk)
    head, rows = _table(survey)
    audit.record(
        action="survey.exported",
        actor=request.user,  # type: ignore[arg-type]
        target=survey,
        request=request,
        details={"format": fmt, "rows": len(rows)},
    )
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(head)
        writer.writerows(rows)
        answer = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet(title=survey.slug[:31])
        sheet.append(head)
        for row in rows:
            sheet.append(row)
        data = io.BytesIO()
        book.save(data)
        answer = HttpResponse(
            data.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    answer["Content-Disposition"] = f'attachment; filename="{survey.slug}.{fmt}"'
    return answer
