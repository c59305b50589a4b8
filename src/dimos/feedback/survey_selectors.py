"""Reads of the surveys: which questions a respondent sees, what is missing, the summaries."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from dimos.core.charts import Chart, Column
from dimos.feedback.models import Answer, Question, Response, Survey


def questions(survey: Survey) -> list[Question]:
    return list(
        Question.objects.filter(section__survey=survey)
        .select_related("section", "condition_question")
        .order_by("section__order", "section__pk", "order", "pk")
    )


def shown(question: Question, answers: dict[int, Any]) -> bool:
    """Whether ``question`` is shown, given the saved answers (by question id)."""
    if question.condition_question_id is None:
        return True
    given = answers.get(question.condition_question_id)
    wanted = {str(v) for v in question.condition_values}
    if isinstance(given, list):
        return bool(wanted & {str(v) for v in given})
    return given is not None and str(given) in wanted


def visible_questions(survey: Survey, answers: dict[int, Any]) -> list[Question]:
    return [q for q in questions(survey) if shown(q, answers)]


def missing_required(survey: Survey, answers: dict[int, Any]) -> list[Question]:
    return [
        q
        for q in visible_questions(survey, answers)
        if q.required and answers.get(q.pk) in (None, "", [], {})
    ]


def open_surveys() -> QuerySet[Survey]:
    from django.utils import timezone

    now = timezone.now()
    return Survey.objects.filter(published=True, opens_at__lte=now, closes_at__gt=now)


def closed_with_results() -> QuerySet[Survey]:
    """Surveys whose results are public: published by staff, or closed with
    ``publish_on_close`` (the close date passing publishes them, no task needed)."""
    from django.db.models import Q
    from django.utils import timezone

    return Survey.objects.filter(
        Q(results_published=True) | Q(publish_on_close=True, closes_at__lte=timezone.now())
    )


@dataclass
class Summary:
    question: Question
    answered: int = 0
    rows: list[dict[str, Any]] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    mean: float | None = None
    chart: Chart | None = None


def _submitted(survey: Survey) -> QuerySet[Answer]:
    return Answer.objects.filter(response__survey=survey, response__submitted_at__isnull=False)


def summaries(survey: Survey, *, public: bool = False) -> list[Summary]:
    """One summary per question over the sent responses: counts per choice (with a chart),
    the mean of a scale or a number, and the free texts (only those reviewed, ``public``)."""
    from django.utils.translation import gettext as _

    from dimos.feedback.redact import redact

    by_question: dict[int, list[Any]] = {}
    approved: dict[int, list[Any]] = {}
    for question_id, value, ok in _submitted(survey).values_list(
        "question_id", "value", "approved"
    ):
        by_question.setdefault(question_id, []).append(value)
        if ok:
            approved.setdefault(question_id, []).append(value)
    out = []
    for q in questions(survey):
        values = by_question.get(q.pk, [])
        s = Summary(question=q, answered=len(values))
        count_col = Column("count", _("Answers"), "quantitative")
        if q.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
            counts: Counter[str] = Counter()
            for v in values:
                for one in v if isinstance(v, list) else [v]:
                    counts[str(one)] += 1
            labels = q.option_labels()
            s.rows = [{"choice": label, "count": counts[str(i)]} for i, label in enumerate(labels)]
            s.chart = Chart(
                key=f"q{q.pk}",
                title=q.text,
                description=_("How many answered each choice."),
                columns=[Column("choice", _("Choice")), count_col],
                rows=s.rows,
                horizontal=True,
            )
        elif q.kind in (Question.Kind.SCALE5, Question.Kind.SCALE10):
            low, high = (1, 5) if q.kind == Question.Kind.SCALE5 else (0, 10)
            counts = Counter(str(v) for v in values)
            s.rows = [{"choice": str(n), "count": counts[str(n)]} for n in range(low, high + 1)]
            numbers = [int(v) for v in values]
            s.mean = round(sum(numbers) / len(numbers), 1) if numbers else None
            s.chart = Chart(
                key=f"q{q.pk}",
                title=q.text,
                description=_("How many gave each value of the scale."),
                columns=[Column("choice", _("Value"), "ordinal"), count_col],
                rows=s.rows,
            )
        elif q.kind == Question.Kind.MATRIX:
            labels = q.option_labels()
            s.rows = []
            for i, label in enumerate(labels):
                given = [int(v[str(i)]) for v in values if isinstance(v, dict) and str(i) in v]
                s.rows.append(
                    {
                        "choice": label,
                        "mean": round(sum(given) / len(given), 2) if given else None,
                        "count": len(given),
                    }
                )
            s.chart = Chart(
                key=f"q{q.pk}",
                title=q.text,
                description=_("The mean rating (1 to 5) of each row."),
                columns=[
                    Column("choice", _("Row")),
                    Column("mean", _("Mean (1-5)"), "quantitative"),
                    count_col,
                ],
                rows=s.rows,
                horizontal=True,
            )
        elif q.kind == Question.Kind.NUMBER:
            floats = [float(v) for v in values]
            s.mean = round(sum(floats) / len(floats), 2) if floats else None
        elif q.is_text:
            shown_texts = approved.get(q.pk, []) if public else values
            s.texts = [redact(str(v)) if public else str(v) for v in shown_texts]
        elif q.kind == Question.Kind.DATE:
            s.texts = sorted(str(v) for v in values)[:50]
        out.append(s)
    return out


def response_count(survey: Survey) -> int:
    return Response.objects.filter(survey=survey, submitted_at__isnull=False).count()
