"""The respondent's pages of the surveys, at /surveys/: the list, a page per section (no
JavaScript), save and continue later, the confirmation, and the published results."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from dimos.core import charts
from dimos.feedback import survey_selectors as selectors
from dimos.feedback import survey_services as services
from dimos.feedback.models import Response, Section, Survey
from dimos.feedback.survey_forms import AnswerForm


def survey_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "feedback/surveys/list.html",
        {
            "open": selectors.open_surveys().exclude(access=Survey.Access.TOKEN),
            "results": selectors.closed_with_results(),
        },
    )


def _key(survey: Survey) -> str:
    return f"dimos:survey:{survey.pk}"


def _respondent(
    request: HttpRequest, survey: Survey, *, create: bool
) -> tuple[Response | None, str]:
    """The respondent's draft: by their invitation link, their account, or their "continue
    later" link; the link's secret is kept in the session for the next pages."""
    kept = request.session.get(_key(survey), {})
    token = request.GET.get("invitation") or kept.get("invitation", "")
    resume = request.GET.get("resume") or kept.get("resume", "")
    invitation = services.invitation_for(survey, token) if token else None
    user = request.user if request.user.is_authenticated else None
    if invitation is None and user is not None and survey.access == Survey.Access.TOKEN:
        # Followed from the in-app notification: the invitation sent to their account's email.
        invitation = services.invitation_for_account(survey, user)  # type: ignore[arg-type]
    response, secret = services.start_or_resume(
        survey=survey,
        user=user,  # type: ignore[arg-type]
        invitation=invitation,
        resume="" if invitation is not None or user is not None else resume,
        create=create,
    )
    kept = {"invitation": token} if token else {"resume": secret or resume} if not user else {}
    if any(kept.values()):
        request.session[_key(survey)] = kept
    return response, secret or resume


def _sections(survey: Survey, saved: dict[int, Any]) -> list[tuple[Section, list[Any]]]:
    """The sections with the questions each shows, given the saved answers; empty ones left out."""
    visible = selectors.visible_questions(survey, saved)
    out = []
    for section in survey.sections.all():
        mine = [q for q in visible if q.section_id == section.pk]
        if mine:
            out.append((section, mine))
    return out


def _parts_after(survey: Survey, section: Section, saved: dict[int, Any]) -> int:
    """How many later sections may still be shown: those with a question shown by the saved
    answers, or whose condition is an answer not given yet on this page or a later one."""
    everything = selectors.questions(survey)
    position = {q.pk: (q.section.order, q.section_id) for q in everything}
    here = (section.order, section.pk)
    later: set[int] = set()
    for q in everything:
        if (q.section.order, q.section_id) <= here:
            continue
        condition = q.condition_question_id
        undecided = condition is not None and condition not in saved and position[condition] >= here
        if selectors.shown(q, saved) or undecided:
            later.add(q.section_id)
    return len(later)


@never_cache
def answer(request: HttpRequest, slug: str) -> HttpResponse:
    survey = get_object_or_404(Survey, slug=slug, published=True)
    try:
        response, secret = _respondent(request, survey, create=request.method == "POST")
    except services.SurveyError as exc:
        status = 403 if exc.code in ("login", "invitation", "bad_invitation") else 400
        if exc.code == "login":
            return redirect(f"{reverse('account_login')}?next={request.path}")
        return render(
            request,
            "feedback/surveys/refused.html",
            {"survey": survey, "message": exc.message},
            status=200 if exc.code == "answered" else status,
        )
    saved = {a.question_id: a.value for a in response.answers.all()} if response else {}
    pages = _sections(survey, saved)
    raw = request.POST.get("page") or request.GET.get("page") or "0"
    index = min(int(raw), max(len(pages) - 1, 0)) if raw.isdigit() else 0
    if not pages:
        raise Http404
    section, questions = pages[index]
    status = 200
    if request.method == "POST" and response is not None:
        form = AnswerForm(request.POST, questions=questions, saved=saved)
        action = request.POST.get("action", "next")
        valid = form.is_valid()
        try:
            if action == "save":
                services.save_answers(response=response, answers=form.answers(strict=False))
                return render(
                    request,
                    "feedback/surveys/saved.html",
                    {
                        "survey": survey,
                        "resume_url": request.build_absolute_uri(
                            f"{reverse('feedback:survey', args=[survey.slug])}?resume={secret}"
                        )
                        if secret and not request.user.is_authenticated
                        else "",
                    },
                )
            if action == "back":
                services.save_answers(response=response, answers=form.answers(strict=False))
                return redirect(f"{request.path}?page={max(index - 1, 0)}")
            if valid:
                services.save_answers(response=response, answers=form.answers(strict=True))
                saved = {a.question_id: a.value for a in response.answers.all()}
                pages = _sections(survey, saved)
                if index + 1 < len(pages):
                    return redirect(f"{request.path}?page={index + 1}")
                if request.POST.get("last") == "0":
                    # The answers leave no further part: the person sees the page as the
                    # last one and sends it themselves, rather than sending on "Continue".
                    return render(
                        request,
                        "feedback/surveys/answer.html",
                        {
                            "survey": survey,
                            "section": section,
                            "form": AnswerForm(questions=pages[index][1], saved=saved),
                            "index": index,
                            "count": index + 1,
                            "last": True,
                            "now_last": True,
                        },
                    )
                services.submit(response=response)
                request.session.pop(_key(survey), None)
                return redirect("feedback:survey_done", slug=survey.slug)
        except services.SurveyError as exc:
            if exc.code == "answered":
                return render(
                    request,
                    "feedback/surveys/refused.html",
                    {"survey": survey, "message": exc.message},
                )
            form.add_error(None, str(exc.message))
        status = 400
    else:
        form = AnswerForm(questions=questions, saved=saved)
    after = _parts_after(survey, section, saved)
    return render(
        request,
        "feedback/surveys/answer.html",
        {
            "survey": survey,
            "section": section,
            "form": form,
            "index": index,
            "count": index + 1 + after,
            "last": after == 0,
        },
        status=status,
    )


def done(request: HttpRequest, slug: str) -> HttpResponse:
    survey = get_object_or_404(Survey, slug=slug, published=True)
    return render(request, "feedback/surveys/done.html", {"survey": survey})


def results(request: HttpRequest, slug: str) -> HttpResponse:
    survey = get_object_or_404(selectors.closed_with_results(), slug=slug)
    summary = selectors.summaries(survey, public=True)
    chart_list = [s.chart for s in summary if s.chart is not None]
    if (got := charts.download(request, chart_list)) is not None:
        return got
    return render(
        request,
        "feedback/surveys/results.html",
        {
            "survey": survey,
            "summaries": summary,
            "responses": selectors.response_count(survey),
        },
    )
