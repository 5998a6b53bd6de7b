"""Page forms of the questionnaire template editor: input parsing only (the rules are in the service)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vip.models import Question
from vip.rules.questionnaires import Kind, Rule, Section


class QuestionForm(forms.Form):
    """One question of a version; `section` only when adding (a question stays in its section)."""

    section = forms.ChoiceField(label=_("Section"), choices=Section.choices)
    text = forms.CharField(label=_("Question"), max_length=500)
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices, initial=Kind.TEXT)
    choices = forms.CharField(
        label=_("Options, one per line"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    rule = forms.ChoiceField(label=_("Acceptance rule"), choices=Rule.choices, required=False)
    limit = forms.DecimalField(label=_("Limit"), max_digits=14, decimal_places=2, required=False)

    def __init__(self, *args: Any, question: Question | None = None, **kwargs: Any) -> None:
        if question is not None:
            kwargs.setdefault(
                "initial",
                {
                    "text": question.text,
                    "kind": question.kind,
                    "choices": "\n".join(question.choices or []),
                    "rule": question.rule,
                    "limit": question.limit,
                },
            )
        super().__init__(*args, **kwargs)
        self.question = question
        if question is not None:
            del self.fields["section"]
            if question.section != Section.QUALITY:
                del self.fields["rule"]
                del self.fields["limit"]

    def clean_choices(self) -> list[str]:
        lines = (self.cleaned_data.get("choices") or "").splitlines()
        return [line.strip() for line in lines if line.strip()]
