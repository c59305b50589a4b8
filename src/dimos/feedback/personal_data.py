"""What the feedback app holds about a person: their rating invitations and ratings, their
answers to "Is this page useful?" (ADR 0016)."""

from __future__ import annotations

from typing import Any

from dimos.feedback.models import (
    Invitation,
    PageFeedback,
    Participation,
    Rating,
    Response,
    SurveyInvitation,
)


def export_for(user: Any) -> dict[str, Any]:
    invitations = Invitation.objects.filter(user=user)
    return {
        "ratings": [
            {
                "service": r.service,
                "score": r.score,
                "how_it_could_be_better": r.improve,
                "reply": r.reply,
                "at": r.created_at.isoformat(),
            }
            for r in Rating.objects.filter(invitation__in=invitations)
        ],
        "invitations": [
            {"service": i.service, "completed_at": i.completed_at.isoformat()} for i in invitations
        ],
        "page_feedback": [
            {
                "page": p.path,
                "useful": p.useful,
                "what_went_wrong": p.what_wrong,
                "email": p.email,
                "at": p.created_at.isoformat(),
            }
            for p in PageFeedback.objects.filter(user=user)
        ],
        # Identified surveys only: an anonymous survey's answers are linked to nobody.
        "surveys": [
            {
                "survey": r.survey.title_el,
                "sent": r.submitted_at.isoformat() if r.submitted_at else None,
                "answers": [
                    {"question": a.question.text_el, "answer": a.value} for a in r.answers.all()
                ],
            }
            for r in Response.objects.filter(user=user).select_related("survey")
        ],
        "surveys_answered": [
            p.survey.title_el
            for p in Participation.objects.filter(user=user).select_related("survey")
        ],
    }


def erase_for(user: Any) -> None:
    """The ratings stay as anonymous counts (the service's satisfaction); what the person
    wrote and how to reach them go."""
    invitations = Invitation.objects.filter(user=user)
    if user.email:
        invitations = invitations | Invitation.objects.filter(email__iexact=user.email)
    Rating.objects.filter(invitation__in=invitations).update(improve="", reply="", publish=False)
    invitations.update(user=None, email="")
    pages = PageFeedback.objects.filter(user=user)
    if user.email:
        pages = pages | PageFeedback.objects.filter(email__iexact=user.email)
    pages.update(user=None, email="", what_wrong="", reply="")
    # Identified answers are deleted with the response; an anonymous survey's stay (they name
    # nobody); that she answered is forgotten.
    Response.objects.filter(user=user).delete()
    Response.objects.filter(draft_owner=user).delete()
    Participation.objects.filter(user=user).delete()
    if user.email:
        SurveyInvitation.objects.filter(email__iexact=user.email).update(email="")
