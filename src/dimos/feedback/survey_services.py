"""Writes of the surveys: staff build them; respondents save, continue and send their answers.

A response is one row from its first saved page (a draft) to its sending. The database keeps
one response per person (identified surveys), one draft per signed-in person, one response per
invitation link, and one answer per question; an anonymous survey records who answered in a
separate table (``Participation``), never on the response.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dimos.core import audit
from dimos.core.cached import Version
from dimos.core.notifications import notify
from dimos.core.workflow import Refused
from dimos.feedback.models import (
    Answer,
    Participation,
    Question,
    Response,
    Section,
    Survey,
    SurveyInvitation,
)

if TYPE_CHECKING:
    from django.http import HttpRequest

    from dimos.accounts.models import User

# Answers change the live summaries and the published results.
ANSWERS = Version("feedback-survey-answers")


class SurveyError(Refused):
    pass


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


# --- Building (staff) ----------------------------------------------------------------------------


def save_survey(*, survey: Survey, actor: User, request: HttpRequest | None = None) -> Survey:
    created = survey.pk is None
    if created:
        survey.created_by = actor
    survey.save()
    audit.record(
        action="survey.created" if created else "survey.changed",
        actor=actor,
        target=survey,
        request=request,
        details={"slug": survey.slug},
    )
    return survey


def add_section(*, survey: Survey, title_el: str, title_en: str, actor: User) -> Section:
    order = survey.sections.count()
    section = Section.objects.create(
        survey=survey, order=order, title_el=title_el.strip(), title_en=title_en.strip()
    )
    audit.record(action="survey.changed", actor=actor, target=survey, details={"section": order})
    return section


def add_question(*, section: Section, actor: User, **fields: Any) -> Question:
    """A question at the end of its section. A condition may only name a question of an
    earlier section (a page without JavaScript cannot show a question on the same page as the
    answer it depends on), and only a choice or scale question."""
    condition = fields.get("condition_question")
    if condition is not None:
        if condition.section.survey_id != section.survey_id or (
            condition.section.order >= section.order
        ):
            raise SurveyError(
                _("A question can depend only on a question of an earlier section."), "condition"
            )
        if condition.kind not in (
            Question.Kind.SINGLE,
            Question.Kind.MULTIPLE,
            Question.Kind.SCALE5,
            Question.Kind.SCALE10,
        ):
            raise SurveyError(_("A question can depend only on a choice or a scale."), "condition")
        if not fields.get("condition_values"):
            raise SurveyError(_("Say which answers show the question."), "condition")
    kind = fields["kind"]
    if kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE, Question.Kind.MATRIX) and not (
        fields.get("options")
    ):
        raise SurveyError(_("Give the choices, one per line."), "options")
    question = Question.objects.create(section=section, order=section.questions.count(), **fields)
    audit.record(
        action="survey.changed",
        actor=actor,
        target=section.survey,
        details={"question": question.pk},
    )
    return question


def invite(*, survey: Survey, count: int, emails: list[str], actor: User) -> list[str]:
    """Invitation links: ``count`` to hand out, plus one sent to each email. Answers the
    tokens (shown once; only their hashes are kept)."""
    tokens = []
    with transaction.atomic():
        for email in [*([""] * count), *emails]:
            token = secrets.token_urlsafe(18)
            SurveyInvitation.objects.create(survey=survey, token_hash=digest(token), email=email)
            if email:
                notify(
                    kind="feedback.survey_invitation",
                    email=email,
                    context={"survey": survey.title_el, "survey_en": survey.title_en},
                    private_url=f"/surveys/{survey.slug}/?invitation={token}",
                    language="el",
                )
            tokens.append(token)
        audit.record(
            action="survey.invited",
            actor=actor,
            target=survey,
            details={"links": count, "emails": len(emails)},
        )
    return tokens


def publish_results(*, survey: Survey, actor: User, publish: bool = True) -> None:
    if publish and not survey.is_closed:
        raise SurveyError(_("Results are published once the survey has closed."), "open")
    Survey.objects.filter(pk=survey.pk).update(results_published=publish)
    survey.results_published = publish
    audit.record(
        action="survey.results_published" if publish else "survey.results_withdrawn",
        actor=actor,
        target=survey,
    )
    ANSWERS.changed()


def review_answers(*, survey: Survey, approved: list[int], actor: User) -> int:
    """Approve free-text answers for the published results (the others stay unpublished)."""
    texts = Answer.objects.filter(
        response__survey=survey,
        question__kind__in=(Question.Kind.SHORT, Question.Kind.LONG),
        response__submitted_at__isnull=False,
    )
    with transaction.atomic():
        texts.update(approved=False)
        count = texts.filter(pk__in=approved).update(approved=True)
        audit.record(
            action="survey.answers_reviewed",
            actor=actor,
            target=survey,
            details={"approved": count},
        )
    ANSWERS.changed()
    return count


# --- Answering -----------------------------------------------------------------------------------


def invitation_for(survey: Survey, token: str) -> SurveyInvitation:
    found = SurveyInvitation.objects.filter(survey=survey, token_hash=digest(token)).first()
    if found is None:
        raise SurveyError(
            _("This invitation link is not valid. Copy the whole link from your invitation."),
            "bad_invitation",
        )
    return found


def check_open(survey: Survey) -> None:
    now = timezone.now()
    if not survey.published or now < survey.opens_at:
        raise SurveyError(_("This survey is not open yet."), "not_open")
    if now >= survey.closes_at:
        raise SurveyError(_("This survey has closed. Thank you for your interest."), "closed")


def _already(_survey: Survey) -> SurveyError:
    return SurveyError(_("You have already answered this survey. Thank you."), "answered")


def start_or_resume(
    *,
    survey: Survey,
    user: User | None = None,
    invitation: SurveyInvitation | None = None,
    resume: str = "",
    create: bool = True,
) -> tuple[Response | None, str]:
    """The respondent's draft, made if they have none (and ``create``; a page only looked at
    makes no row): answers ``(response, resume secret)``; the secret is new only when a draft
    is made for someone with neither account nor link."""
    check_open(survey)
    if survey.access == Survey.Access.ACCOUNT and user is None:
        raise SurveyError(_("Log in to answer this survey."), "login")
    if survey.access == Survey.Access.TOKEN and invitation is None:
        raise SurveyError(_("This survey is answered by invitation only."), "invitation")
    if invitation is not None:
        existing = Response.objects.filter(invitation=invitation).first()
        if existing is not None:
            if existing.submitted_at:
                raise _already(survey)
            return existing, ""
        if not create:
            return None, ""
        try:
            with transaction.atomic():
                return Response.objects.create(survey=survey, invitation=invitation), ""
        except IntegrityError:
            return start_or_resume(survey=survey, invitation=invitation)
    if survey.access == Survey.Access.ACCOUNT and user is not None:
        if Participation.objects.filter(survey=survey, user=user).exists():
            raise _already(survey)
        existing = Response.objects.filter(
            survey=survey, draft_owner=user, submitted_at__isnull=True
        ).first()
        if existing is not None:
            return existing, ""
        if not create:
            return None, ""
        try:
            with transaction.atomic():
                return Response.objects.create(
                    survey=survey,
                    draft_owner=user,
                    user=None if survey.anonymous else user,
                ), ""
        except IntegrityError:
            return start_or_resume(survey=survey, user=user)
    if resume:
        existing = Response.objects.filter(
            survey=survey, resume_hash=digest(resume), submitted_at__isnull=True
        ).first()
        if existing is not None:
            return existing, resume
        raise SurveyError(
            _("This link to continue is not valid, or the answers were already sent."), "resume"
        )
    if not create:
        return None, ""
    secret = secrets.token_urlsafe(18)
    return Response.objects.create(survey=survey, resume_hash=digest(secret)), secret


def save_answers(*, response: Response, answers: dict[int, Any]) -> None:
    """Keep a page's answers on the draft (an empty answer removes the one saved)."""
    check_open(response.survey)
    if response.submitted_at:
        raise _already(response.survey)
    with transaction.atomic():
        for question_id, value in answers.items():
            if value in (None, "", [], {}):
                Answer.objects.filter(response=response, question_id=question_id).delete()
            else:
                Answer.objects.update_or_create(
                    response=response, question_id=question_id, defaults={"value": value}
                )


def submit(*, response: Response, user: User | None = None) -> Response:
    """Send the response: once. Answers to questions hidden by their conditions are dropped."""
    from dimos.feedback.survey_selectors import missing_required, visible_questions

    survey = response.survey
    check_open(survey)
    with transaction.atomic():
        locked = Response.objects.select_for_update().get(pk=response.pk)
        if locked.submitted_at:
            raise _already(survey)
        saved = {a.question_id: a.value for a in locked.answers.all()}
        visible = {q.pk for q in visible_questions(survey, saved)}
        locked.answers.exclude(question_id__in=visible).delete()
        if missing_required(survey, saved):
            raise SurveyError(_("Answer the required questions first."), "required")
        owner = locked.draft_owner
        if owner is not None:
            try:
                with transaction.atomic():
                    Participation.objects.create(survey=survey, user=owner)
            except IntegrityError as exc:
                raise _already(survey) from exc
        locked.submitted_at = timezone.now()
        locked.draft_owner = None
        locked.resume_hash = ""
        locked.save(update_fields=["submitted_at", "draft_owner", "resume_hash"])
        ANSWERS.changed()
    return locked


def opens_and_closes(opens: dt.datetime, closes: dt.datetime) -> None:
    if closes <= opens:
        raise SurveyError(_("The survey must close after it opens."), "dates")
