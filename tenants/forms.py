from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tenants.models import Municipality

# The questions from the source document that help a municipality write its vision down.
VISION_PROMPTS = [
    _("Who is expected to integrate, and who is not?"),
    _("What does successful integration look like here? What does someone really need for a good start?"),
    _("What is the role of the wider society: does it only make room, or does it change too?"),
    _("Where is there reciprocity: what do newcomers and long-settled residents give each other?"),
]


class VisionForm(forms.ModelForm):
    class Meta:
        model = Municipality
        fields = ["vision"]
        widgets = {"vision": forms.Textarea(attrs={"rows": 12})}
