from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tenants.models import VisionVersion

# The questions from the source document that help a municipality write its vision down, by the
# key under which VisionVersion.answers keeps the answer.
VISION_PROMPTS = {
    "who": _("Who is expected to integrate, and who is not?"),
    "success": _("What does successful integration look like here? What does someone really need for a good start?"),
    "society": _("What is the role of the wider society: does it only make room, or does it change too?"),
    "reciprocity": _("Where is there reciprocity: what do newcomers and long-settled residents give each other?"),
}
ANSWER_MAX_LENGTH = 3000


class VisionForm(forms.Form):
    """The guided vision: an answer to each prompt, then the vision itself in a few sentences."""

    statement = forms.CharField(
        label=_("Our vision in a few sentences"),
        max_length=ANSWER_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("This heads the home page, the results and the printed report."),
    )

    def __init__(self, *args: object, current: VisionVersion | None = None, **kwargs: object) -> None:
        if current is not None and "initial" not in kwargs:
            kwargs["initial"] = {"statement": current.statement, **current.answers}
        super().__init__(*args, **kwargs)
        prompts = {
            key: forms.CharField(
                label=prompt,
                required=False,
                max_length=ANSWER_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            for key, prompt in VISION_PROMPTS.items()
        }
        # The prompts come first: they lead to the statement.
        self.fields = {**prompts, "statement": self.fields["statement"]}

    def answers(self) -> dict[str, str]:
        return {key: self.cleaned_data[key].strip() for key in VISION_PROMPTS if self.cleaned_data[key].strip()}
