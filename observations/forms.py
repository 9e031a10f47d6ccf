from __future__ import annotations

import datetime

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from indicators.models import Indicator
from observations.access import indicators_for, writing_organisations
from observations.models import TEXT_MAX_LENGTH, Method, Observation
from tenants.access import Access
from tenants.models import PartnerOrganisation

METHOD_CHOICES = [(value, capfirst(label)) for value, label in Method.choices]


class ObservationForm(forms.Form):
    """A new observation, or the changes to one. The indicators offered are those the writer may
    speak to: any for the municipality, the organisation's own for a partner."""

    title = forms.CharField(label=_("Title"), max_length=150)
    text = forms.CharField(
        label=_("What you saw or heard"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    observed_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    method = forms.ChoiceField(label=_("Method"), choices=METHOD_CHOICES, widget=forms.RadioSelect)
    indicators = forms.ModelMultipleChoiceField(
        label=_("Indicators it speaks to"),
        queryset=Indicator.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one indicator."),
            "invalid_choice": _("You cannot write about this indicator."),
        },
    )

    def __init__(
        self, data: object = None, *, access: Access, observation: Observation | None = None, **kwargs: object
    ) -> None:
        self.access = access
        self.observation = observation
        if observation is not None:
            kwargs.setdefault(
                "initial",
                {
                    "title": observation.title,
                    "text": observation.text,
                    "observed_on": observation.observed_on,
                    "method": observation.method,
                    "indicators": list(observation.indicators.all()),
                },
            )
        super().__init__(data, **kwargs)
        self.fields["observed_on"].widget.attrs["max"] = timezone.localdate().isoformat()
        if observation is not None:
            self.fields["indicators"].queryset = indicators_for(access, observation.partner_id)
            self.organisations = []
        else:
            self.fields["indicators"].queryset = access.indicators()
            self.organisations = writing_organisations(access) if access.is_partner else []
        if len(self.organisations) > 1:
            self.fields["organisation"] = forms.TypedChoiceField(
                label=_("Written for"),
                choices=[(organisation.pk, organisation.name) for organisation in self.organisations],
                coerce=int,
                initial=self.organisations[0].pk,
                help_text=_("You work here through more than one organisation: which one wrote this?"),
            )

    def clean_observed_on(self) -> datetime.date:
        observed_on = self.cleaned_data["observed_on"]
        if observed_on > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return observed_on

    def clean(self) -> dict:
        data = super().clean()
        partner = self.partner()
        if partner is not None and data.get("indicators"):
            allowed = set(indicators_for(self.access, partner.pk).values_list("pk", flat=True))
            if any(indicator.pk not in allowed for indicator in data["indicators"]):
                self.add_error(
                    "indicators", _("%(name)s does not work on all of these indicators.") % {"name": partner.name}
                )
        return data

    def partner(self) -> PartnerOrganisation | None:
        """The organisation a new observation is written for: None for the municipality."""
        if not self.organisations:
            return None
        if len(self.organisations) == 1:
            return self.organisations[0]
        chosen = self.cleaned_data.get("organisation") if hasattr(self, "cleaned_data") else None
        return next((organisation for organisation in self.organisations if organisation.pk == chosen), None)

    def indicators_to_store(self) -> list[Indicator]:
        """The chosen indicators, plus those of the observation that the writer cannot choose (e.g.
        an indicator no longer assigned), so that editing never silently drops them."""
        chosen = list(self.cleaned_data["indicators"])
        if self.observation is None:
            return chosen
        through = Observation.indicators.through.objects.filter(observation=self.observation)
        kept = Indicator.objects.filter(pk__in=through.values("indicator_id")).exclude(
            pk__in=self.fields["indicators"].queryset.values("pk")
        )
        return chosen + list(kept)

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "text": data["text"],
            "observed_on": data["observed_on"],
            "method": data["method"],
            "indicators": self.indicators_to_store(),
        }


class ObservationFilterForm(forms.Form):
    """The list's filters, from the query string. A value that is not on offer is a 400."""

    indicator = forms.ChoiceField(label=_("Indicator"), required=False)
    method = forms.ChoiceField(label=_("Method"), required=False, choices=[("", _("All methods")), *METHOD_CHOICES])
    organisation = forms.ChoiceField(label=_("Organisation"), required=False)

    def __init__(self, data: object, *, indicators: list[Indicator], organisations: list[str]) -> None:
        super().__init__(data)
        self.indicators = {indicator.code: indicator for indicator in indicators}
        self.fields["indicator"].choices = [("", _("All indicators"))] + [
            (indicator.code, indicator.name) for indicator in indicators
        ]
        self.fields["organisation"].choices = [("", _("All organisations"))] + [(name, name) for name in organisations]

    def apply(self, observations: QuerySet[Observation]) -> QuerySet[Observation]:
        data = self.cleaned_data
        if data["indicator"]:
            observations = observations.filter(indicators=self.indicators[data["indicator"]])
        if data["method"]:
            observations = observations.filter(method=data["method"])
        if data["organisation"]:
            observations = observations.filter(organisation_name=data["organisation"])
        return observations

    def error_text(self) -> str:
        return " ".join(f"{self.fields[name].label}: {' '.join(errors)}" for name, errors in self.errors.items())
