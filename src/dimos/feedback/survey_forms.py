"""The forms of the surveys: a respondent's page of questions (built from the questions, no
JavaScript needed), and staff's survey, section, question and invitation forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dimos.feedback.models import Question, Survey

SCALES: dict[str, list[tuple[str, str]]] = {
    Question.Kind.SCALE5: [(str(n), str(n)) for n in range(1, 6)],
    Question.Kind.SCALE10: [(str(n), str(n)) for n in range(0, 11)],
}
MATRIX_SCALE = [(str(n), str(n)) for n in range(1, 6)]


def _required_message(question: Question) -> dict[str, Any]:
    return {"required": _("Answer “%(question)s”.") % {"question": question.text}}


class AnswerForm(forms.Form):
    """One page: the shown questions of a section, filled with the saved answers."""

    def __init__(
        self, *args: Any, questions: list[Question], saved: dict[int, Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for q in questions:
            label = q.text
            common: dict[str, Any] = {
                "label": label,
                "help_text": q.help,
                "required": q.required,
                "error_messages": _required_message(q),
            }
            value = saved.get(q.pk)
            if q.kind == Question.Kind.SINGLE:
                self.fields[f"q{q.pk}"] = forms.ChoiceField(
                    choices=list(enumerate(q.option_labels())), widget=forms.RadioSelect, **common
                )
            elif q.kind == Question.Kind.MULTIPLE:
                self.fields[f"q{q.pk}"] = forms.MultipleChoiceField(
                    choices=list(enumerate(q.option_labels())),
                    widget=forms.CheckboxSelectMultiple,
                    **common,
                )
            elif q.kind in SCALES:
                self.fields[f"q{q.pk}"] = forms.ChoiceField(
                    choices=SCALES[q.kind], widget=forms.RadioSelect, **common
                )
            elif q.kind == Question.Kind.MATRIX:
                for i, row in enumerate(q.option_labels()):
                    self.fields[f"q{q.pk}_{i}"] = forms.ChoiceField(
                        label=f"{label} — {row}",
                        help_text=_("1 = very poor, 5 = very good"),
                        choices=MATRIX_SCALE,
                        widget=forms.RadioSelect,
                        required=q.required,
                        error_messages=_required_message(q),
                    )
                    if isinstance(value, dict) and str(i) in value:
                        self.initial[f"q{q.pk}_{i}"] = value[str(i)]
                continue
            elif q.kind == Question.Kind.SHORT:
                self.fields[f"q{q.pk}"] = forms.CharField(max_length=300, **common)
            elif q.kind == Question.Kind.LONG:
                self.fields[f"q{q.pk}"] = forms.CharField(
                    max_length=4000, widget=forms.Textarea(attrs={"rows": 5}), **common
                )
            elif q.kind == Question.Kind.NUMBER:
                self.fields[f"q{q.pk}"] = forms.DecimalField(
                    max_digits=12, decimal_places=2, **common
                )
            elif q.kind == Question.Kind.DATE:
                self.fields[f"q{q.pk}"] = forms.DateField(
                    widget=forms.DateInput(attrs={"type": "date"}), **common
                )
            if value is not None:
                self.initial[f"q{q.pk}"] = value

    def answers(self, *, strict: bool) -> dict[int, Any]:
        """The page's answers by question id (JSON-able). ``strict``: from validated data;
        otherwise what can be kept of a page saved half-filled."""
        data = self.cleaned_data if strict else self.cleaned_data | {}
        out: dict[int, Any] = {}
        for q in self.questions:
            if q.kind == Question.Kind.MATRIX:
                rows = {
                    str(i): data.get(f"q{q.pk}_{i}")
                    for i in range(len(q.options))
                    if data.get(f"q{q.pk}_{i}")
                }
                out[q.pk] = rows
                continue
            value = data.get(f"q{q.pk}")
            if q.kind == Question.Kind.NUMBER and value is not None:
                value = float(value)
            elif q.kind == Question.Kind.DATE and value is not None:
                value = value.isoformat()
            elif q.kind == Question.Kind.MULTIPLE and value is not None:
                value = sorted(value, key=int)
            elif isinstance(value, str):
                value = value.strip()
            out[q.pk] = value
        return out


class SurveyForm(forms.ModelForm):
    class Meta:
        model = Survey
        fields = [
            "slug",
            "title_el",
            "title_en",
            "intro_el",
            "intro_en",
            "opens_at",
            "closes_at",
            "access",
            "anonymous",
            "published",
            "publish_on_close",
        ]
        widgets = {
            "opens_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "closes_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "intro_el": forms.Textarea(attrs={"rows": 3}),
            "intro_en": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("The survey must close after it opens."))
        if data.get("access") == Survey.Access.OPEN and not data.get("anonymous"):
            self.add_error("anonymous", _("A survey anyone may answer is anonymous."))
        return data


class SectionForm(forms.Form):
    title_el = forms.CharField(label=_("Section title (Greek)"), max_length=200)
    title_en = forms.CharField(label=_("Section title (English)"), max_length=200, required=False)


class QuestionForm(forms.Form):
    section = forms.TypedChoiceField(label=_("Section"), coerce=int)
    kind = forms.ChoiceField(label=_("Kind of question"), choices=Question.Kind.choices)
    text_el = forms.CharField(label=_("Question (Greek)"), max_length=500)
    text_en = forms.CharField(label=_("Question (English)"), max_length=500, required=False)
    help_el = forms.CharField(label=_("Hint (Greek)"), max_length=500, required=False)
    help_en = forms.CharField(label=_("Hint (English)"), max_length=500, required=False)
    required = forms.BooleanField(label=_("An answer is required"), required=False)
    options_el = forms.CharField(
        label=_("Choices or matrix rows (Greek), one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    options_en = forms.CharField(
        label=_("Choices or matrix rows (English), one per line, in the same order"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    condition_question = forms.TypedChoiceField(
        label=_("Show only when this earlier question…"),
        coerce=int,
        required=False,
        empty_value=None,
    )
    condition_values = forms.CharField(
        label=_("…was answered with (choice numbers from 1, or scale values, comma-separated)"),
        required=False,
        max_length=100,
    )

    def __init__(
        self, *args: Any, survey: Survey, question: Question | None = None, **kwargs: Any
    ) -> None:
        if question is not None:
            kwargs.setdefault("initial", self.initial_for(question))
        super().__init__(*args, **kwargs)
        sections = [(s.pk, s.title) for s in survey.sections.all()]
        self.fields["section"].choices = sections  # type: ignore[attr-defined]
        earlier = Question.objects.exclude(pk=question.pk if question else 0).filter(
            section__survey=survey,
            kind__in=(
                Question.Kind.SINGLE,
                Question.Kind.MULTIPLE,
                Question.Kind.SCALE5,
                Question.Kind.SCALE10,
            ),
        )
        conditions = [("", _("(always shown)"))] + [(q.pk, q.text) for q in earlier]
        self.fields["condition_question"].choices = conditions  # type: ignore[attr-defined]

    @staticmethod
    def initial_for(question: Question) -> dict[str, Any]:
        """The form filled with a question as it is (choices counted from 1, as people do)."""
        condition = question.condition_question
        values = [str(v) for v in question.condition_values]
        if condition is not None and condition.kind in (
            Question.Kind.SINGLE,
            Question.Kind.MULTIPLE,
        ):
            values = [str(int(v) + 1) for v in values if str(v).isdigit()]
        return {
            "section": question.section_id,
            "kind": question.kind,
            "text_el": question.text_el,
            "text_en": question.text_en,
            "help_el": question.help_el,
            "help_en": question.help_en,
            "required": question.required,
            "options_el": "\n".join(str(o.get("el", "")) for o in question.options),
            "options_en": "\n".join(str(o.get("en", "")) for o in question.options),
            "condition_question": question.condition_question_id,
            "condition_values": ", ".join(values),
        }

    def question_fields(self) -> dict[str, Any]:
        d = self.cleaned_data
        el = [line.strip() for line in d["options_el"].splitlines() if line.strip()]
        en = [line.strip() for line in d["options_en"].splitlines() if line.strip()]
        options = [{"el": text, "en": en[i] if i < len(en) else ""} for i, text in enumerate(el)]
        condition = None
        values: list[str] = []
        if d.get("condition_question"):
            condition = Question.objects.get(pk=d["condition_question"])
            raw = [v.strip() for v in d["condition_values"].split(",") if v.strip()]
            if condition.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
                # People count choices from 1; answers keep them from 0.
                values = [str(int(v) - 1) for v in raw if v.isdigit() and int(v) >= 1]
            else:
                values = [v for v in raw if v.isdigit()]
        return {
            "kind": d["kind"],
            "text_el": d["text_el"],
            "text_en": d["text_en"],
            "help_el": d["help_el"],
            "help_en": d["help_en"],
            "required": d["required"],
            "options": options,
            "condition_question": condition,
            "condition_values": values,
        }


class InviteForm(forms.Form):
    count = forms.IntegerField(
        label=_("Links to hand out"), min_value=0, max_value=1000, initial=0, required=False
    )
    emails = forms.CharField(
        label=_("Send a link to these email addresses, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean_emails(self) -> list[str]:
        from django.core.validators import validate_email

        out = []
        for line in self.cleaned_data["emails"].splitlines():
            line = line.strip()
            if not line:
                continue
            try:
                validate_email(line)
            except forms.ValidationError as exc:
                raise forms.ValidationError(
                    _("“%(email)s” is not an email address.") % {"email": line}
                ) from exc
            out.append(line)
        if len(out) > 1000:
            raise forms.ValidationError(_("At most 1,000 addresses at a time."))
        return out
