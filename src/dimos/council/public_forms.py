"""The residents' forms on the council's pages: follow a keyword, ask a question."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from dimos.council.participation import KEYWORD_MAX, QUESTION_MAX


class KeywordForm(forms.Form):
    keyword = forms.CharField(
        label=_("Keyword"),
        max_length=KEYWORD_MAX,
        help_text=_("You get an email when an agenda with this word is published, e.g. «σχολείο»."),
    )


class QuestionForm(forms.Form):
    text = forms.CharField(
        label=_("Your question"),
        max_length=QUESTION_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("It is published under the item once the secretariat approves it."),
    )
    # The form's idempotency key: the same form sent twice stores one question.
    key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search the council's items, decisions and papers"), max_length=200)
