"""Reading the audit log: its filters, and its details in words. Records are written by
``tenants.services.record`` only, and nothing in the product changes or deletes them."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from tenants.models import AuditAction, AuditEvent, Municipality

# Words for the keys services put in AuditEvent.detail; any other key is shown as it is.
DETAIL_LABELS = {
    "survey": _("survey"),
    "wave": _("wave"),
    "export": _("export"),
    "format": _("format"),
    "query": _("selection"),
    "role": _("role"),
    "old_role": _("previous role"),
    "member": _("member"),
    "email": _("e-mail address"),
    "partner": _("partner organisation"),
    "by_municipality": _("the municipality's own indicators"),
    "added": _("added"),
    "removed": _("removed"),
    "indicators": _("indicators"),
    "observation": _("observation"),
    "title": _("title"),
    "organisation": _("organisation"),
    "notes_changed": _("notes changed"),
    "linked": _("an organisation that was already known"),
    "restarted": _("started again"),
    "resent": _("sent again"),
    "invitations_withdrawn": _("open invitations withdrawn"),
    "user": _("person"),
    "old": _("previous role"),
    "new": _("new role"),
}


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("What"), required=False, choices=[("", _("Everything")), *AuditAction.choices])
    person = forms.ChoiceField(label=_("Who"), required=False)
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: object, names: list[str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", _("Everyone")), *((name, name) for name in names)]

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            raise forms.ValidationError(_("The end date cannot be before the start date."))
        return data

    def filter(self, events: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
        data = self.cleaned_data
        if data["action"]:
            events = events.filter(action=data["action"])
        if data["person"]:
            events = events.filter(actor_name=data["person"])
        # Days in the local time zone (USE_TZ): the same days the log shows.
        if data["start"]:
            events = events.filter(created_at__date__gte=data["start"])
        if data["end"]:
            events = events.filter(created_at__date__lte=data["end"])
        return events


def names_in_log(municipality: Municipality) -> list[str]:
    """Everyone who appears in the municipality's log, by the name kept with each record."""
    names = AuditEvent.objects.filter(municipality=municipality).exclude(actor_name="")
    return list(names.order_by("actor_name").values_list("actor_name", flat=True).distinct())


def detail_items(detail: object) -> list[tuple[str, str]]:
    """A record's details as (label, text) pairs, for a page that escapes both."""
    if not isinstance(detail, dict):
        return [] if detail in (None, "", [], {}) else [("", _text(detail))]
    return [(str(DETAIL_LABELS.get(key, key)), _text(value)) for key, value in detail.items()]


def _text(value: object) -> str:
    if value is True:
        return str(_("yes"))
    if value is False:
        return str(_("no"))
    if value is None or value == [] or value == "":
        return "–"
    if isinstance(value, list | tuple):
        return ", ".join(_text(each) for each in value)
    if isinstance(value, dict):
        return "; ".join(f"{DETAIL_LABELS.get(key, key)}: {_text(each)}" for key, each in value.items())
    return str(value)
