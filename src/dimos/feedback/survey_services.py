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
    _check_unlocked(survey)
    order = survey.sections.count()
    section = Section.objects.create(
        survey=survey, order=order, title_el=title_el.strip(), title_en=title_en.strip()
    )
    audit.record(action="survey.changed", actor=actor, target=survey, details={"section": order})
    return section


def _check_condition(section: Section, fields: dict[str, Any]) -> None:
    """A condition may only name a question of an earlier section (a page without JavaScript
    cannot show a question on the same page as the answer it depends on), and only a choice or
    scale question; a choice, multiple-choice or matrix question needs its choices."""
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


def add_question(*, section: Section, actor: User, **fields: Any) -> Question:
    """A question at the end of its section (see ``_check_condition``)."""
    _check_unlocked(section.survey)
    _check_condition(section, fields)
    question = Question.objects.create(section=section, order=section.questions.count(), **fields)
    audit.record(
        action="survey.changed",
        actor=actor,
        target=section.survey,
        details={"question": question.pk},
    )
    ANSWERS.changed()
    return question


def invite(*, survey: Survey, count: int, emails: list[str], actor: User) -> list[str]:
    """Invitation links: ``count`` to hand out, plus one sent to each email. Answers the
    tokens (shown once; only their hashes are kept)."""
    tokens = []
    with transaction.atomic():
        accounts = _accounts_by_email(emails)
        for email in [*([""] * count), *emails]:
            token = secrets.token_urlsafe(18)
            SurveyInvitation.objects.create(survey=survey, token_hash=digest(token), email=email)
            if email:
                # A resident with an account finds the invitation in their notifications too:
                # its link is the survey's address, which knows them by their account; the
                # email carries the link with the token.
                recipient = accounts.get(email.lower())
                notify(
                    kind="feedback.survey_invitation",
                    recipient=recipient,
                    # An account's own channels (and choices) carry it; else the address.
                    email="" if recipient is not None else email,
                    context={"survey": survey.title_el, "survey_en": survey.title_en},
                    url=f"/surveys/{survey.slug}/",
                    private_url=f"/surveys/{survey.slug}/?invitation={token}",
                    language="" if recipient is not None else "el",
                )
            tokens.append(token)
        audit.record(
            action="survey.invited",
            actor=actor,
            target=survey,
            details={"links": count, "emails": len(emails)},
        )
    return tokens


def _accounts_by_email(emails: list[str]) -> dict[str, User]:
    from django.contrib.auth import get_user_model
    from django.db.models.functions import Lower

    if not emails:
        return {}
    users = (
        get_user_model()
        .objects.filter(is_active=True, erased_at__isnull=True)
        .annotate(email_lower=Lower("email"))
        .filter(email_lower__in={e.lower() for e in emails})
        .order_by("pk")
    )
    found: dict[str, User] = {}
    for user in users:
        found.setdefault(user.email.lower(), user)  # type: ignore[arg-type]
    return found


def invitation_for_account(survey: Survey, user: User) -> SurveyInvitation | None:
    """The invitation sent to the email of ``user``'s account, if any: followed from the
    in-app notification, whose link carries no token."""
    if not user.email:
        return None
    return (
        SurveyInvitation.objects.filter(survey=survey, email__iexact=user.email)
        .order_by("pk")
        .first()
    )


def publish_results(*, survey: Survey, actor: User, publish: bool = True) -> None:
    """Publish the results of a closed survey now, or withdraw them (which also stops their
    publication on closing)."""
    if publish and not survey.is_closed:
        raise SurveyError(_("Results are published once the survey has closed."), "open")
    changes: dict[str, bool] = {"results_published": publish}
    if not publish:
        changes["publish_on_close"] = False
    Survey.objects.filter(pk=survey.pk).update(**changes)
    for name, value in changes.items():
        setattr(survey, name, value)
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


# --- Changing a survey's questions (staff) -------------------------------------------------------
#
# Until anyone has answered (a response sent or saved), staff may change everything: move,
# delete, re-kind a question, reorder its choices. Once answers exist, only the words may change
# (titles, questions, hints, the wording of the choices): a moved choice, a deleted question or
# a new condition would make the answers already given mean something else.

STRUCTURE_LOCKED = _(
    "This survey already has answers: its sections, questions and choices can no longer be "
    "moved, added, deleted or changed in kind. You can still correct their wording."
)


def has_answers(survey: Survey) -> bool:
    return Response.objects.filter(survey=survey).exists()


def _check_unlocked(survey: Survey) -> None:
    if has_answers(survey):
        raise SurveyError(STRUCTURE_LOCKED, "locked")


def _renumber_sections(survey: Survey) -> None:
    for n, section in enumerate(survey.sections.order_by("order", "pk")):
        if section.order != n:
            Section.objects.filter(pk=section.pk).update(order=n)


def _renumber_questions(section: Section) -> None:
    for n, question in enumerate(section.questions.order_by("order", "pk")):
        if question.order != n:
            Question.objects.filter(pk=question.pk).update(order=n)


def _check_conditions(survey: Survey) -> None:
    """Every condition still names a question of an earlier section."""
    for question in Question.objects.filter(
        section__survey=survey, condition_question__isnull=False
    ).select_related("section", "condition_question__section"):
        condition = question.condition_question
        assert condition is not None
        if condition.section.order >= question.section.order:
            raise SurveyError(
                _(
                    "“%(question)s” depends on “%(condition)s”, which would no longer be in an "
                    "earlier section. Change the condition first."
                )
                % {"question": question.text, "condition": condition.text},
                "condition",
            )


def change_section(*, section: Section, title_el: str, title_en: str, actor: User) -> Section:
    """New titles: always allowed."""
    section.title_el, section.title_en = title_el.strip(), title_en.strip()
    section.save(update_fields=["title_el", "title_en"])
    audit.record(
        action="survey.changed", actor=actor, target=section.survey, details={"section": section.pk}
    )
    ANSWERS.changed()
    return section


def move_section(*, section: Section, up: bool, actor: User) -> None:
    """Swap the section with the one before (``up``) or after it."""
    survey = section.survey
    with transaction.atomic():
        Survey.objects.select_for_update().get(pk=survey.pk)
        _check_unlocked(survey)
        _renumber_sections(survey)
        ordered = list(survey.sections.order_by("order", "pk"))
        index = next(i for i, s in enumerate(ordered) if s.pk == section.pk)
        other = index - 1 if up else index + 1
        if not 0 <= other < len(ordered):
            return
        Section.objects.filter(pk=ordered[index].pk).update(order=other)
        Section.objects.filter(pk=ordered[other].pk).update(order=index)
        _check_conditions(survey)
        audit.record(
            action="survey.changed",
            actor=actor,
            target=survey,
            details={"moved_section": section.pk, "up": up},
        )
    ANSWERS.changed()


def _check_not_a_condition(questions: list[Question]) -> None:
    ids = [q.pk for q in questions]
    dependent = Question.objects.filter(condition_question_id__in=ids).exclude(pk__in=ids).first()
    if dependent is not None:
        raise SurveyError(
            _("“%(question)s” is shown only after an answer to this. Change it first.")
            % {"question": dependent.text},
            "condition",
        )


def delete_section(*, section: Section, actor: User) -> None:
    """The section and its questions, if nothing outside it depends on them."""
    survey = section.survey
    with transaction.atomic():
        Survey.objects.select_for_update().get(pk=survey.pk)
        _check_unlocked(survey)
        _check_not_a_condition(list(section.questions.all()))
        audit.record(
            action="survey.changed",
            actor=actor,
            target=survey,
            details={"deleted_section": section.title_el},
        )
        section.delete()
        _renumber_sections(survey)
    ANSWERS.changed()


def move_question(*, question: Question, up: bool, actor: User) -> None:
    """Swap the question with the one before (``up``) or after it in its section."""
    survey = question.section.survey
    with transaction.atomic():
        Survey.objects.select_for_update().get(pk=survey.pk)
        _check_unlocked(survey)
        _renumber_questions(question.section)
        ordered = list(question.section.questions.order_by("order", "pk"))
        index = next(i for i, q in enumerate(ordered) if q.pk == question.pk)
        other = index - 1 if up else index + 1
        if not 0 <= other < len(ordered):
            return
        Question.objects.filter(pk=ordered[index].pk).update(order=other)
        Question.objects.filter(pk=ordered[other].pk).update(order=index)
        audit.record(
            action="survey.changed",
            actor=actor,
            target=survey,
            details={"moved_question": question.pk, "up": up},
        )
    ANSWERS.changed()


def delete_question(*, question: Question, actor: User) -> None:
    survey = question.section.survey
    with transaction.atomic():
        Survey.objects.select_for_update().get(pk=survey.pk)
        _check_unlocked(survey)
        _check_not_a_condition([question])
        audit.record(
            action="survey.changed",
            actor=actor,
            target=survey,
            details={"deleted_question": question.text_el},
        )
        section = question.section
        question.delete()
        _renumber_questions(section)
    ANSWERS.changed()


TEXTS = ("text_el", "text_en", "help_el", "help_en")


def _choice_map(old: list[dict[str, str]], new: list[dict[str, str]]) -> dict[str, str]:
    """Old choice number → new one: by the Greek wording; a choice reworded in place keeps its
    number when the list keeps its length; a deleted choice maps to nothing."""
    by_label = {o.get("el", ""): i for i, o in enumerate(new)}
    out = {}
    for i, o in enumerate(old):
        if o.get("el", "") in by_label:
            out[str(i)] = str(by_label[o["el"]])
        elif len(old) == len(new):
            out[str(i)] = str(i)
    return out


def change_question(
    *, question: Question, actor: User, section: Section | None = None, **fields: Any
) -> Question:
    """New wording is always allowed; anything else (the section, kind, required, condition, the
    choices' number or order) only while the survey has no answers. Conditions that depend on
    this question's choices follow them when they are reordered."""
    survey = question.section.survey
    with transaction.atomic():
        Survey.objects.select_for_update().get(pk=survey.pk)
        locked = has_answers(survey)
        old_options = list(question.options)
        new_options = fields.get("options", old_options)
        wording_only = (
            (section is None or section.pk == question.section_id)
            and fields.get("kind", question.kind) == question.kind
            and fields.get("required", question.required) == question.required
            and fields.get("condition_question") == question.condition_question
            and [str(v) for v in fields.get("condition_values", question.condition_values)]
            == [str(v) for v in question.condition_values]
            and len(new_options) == len(old_options)
        )
        if locked and not wording_only:
            raise SurveyError(STRUCTURE_LOCKED, "locked")
        if not wording_only:
            target = section or question.section
            condition = fields.get("condition_question")
            if condition is not None and condition.pk == question.pk:
                raise SurveyError(
                    _("A question can depend only on a question of an earlier section."),
                    "condition",
                )
            _check_condition(target, fields)
            if target.pk != question.section_id:
                question.section = target
                question.order = target.questions.count()
            question.kind = fields.get("kind", question.kind)
            question.required = fields.get("required", question.required)
            question.condition_question = condition
            question.condition_values = fields.get("condition_values", [])
        for name in TEXTS:
            if name in fields:
                setattr(question, name, str(fields[name]).strip())
        question.options = new_options
        question.save()
        if not locked and old_options != new_options:
            mapping = _choice_map(old_options, new_options)
            for dependent in Question.objects.filter(condition_question=question):
                dependent.condition_values = [
                    mapping[str(v)] for v in dependent.condition_values if str(v) in mapping
                ]
                dependent.save(update_fields=["condition_values"])
        _check_conditions(survey)
        audit.record(
            action="survey.changed", actor=actor, target=survey, details={"question": question.pk}
        )
    ANSWERS.changed()
    return question
