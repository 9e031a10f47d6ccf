"""The Indicators of Integration framework (Home Office, 2019): 4 domains and 14 indicators.

Both are reference data, seeded by a data migration and identified by a stable ``code``.
"""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from integration_mapping.languages import pick

hex_colour = RegexValidator(r"^#[0-9A-Fa-f]{6}$", _("Enter a colour as #RRGGBB."))


class Domain(models.Model):
    """One of the four groups of the integration circle, e.g. Social Connections."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), unique=True)
    name_en = models.CharField(_("name (English)"), max_length=80)
    name_nl = models.CharField(_("name (Dutch)"), max_length=80)
    description_en = models.TextField(_("description (English)"))
    description_nl = models.TextField(_("description (Dutch)"))
    colour = models.CharField(_("colour"), max_length=7, validators=[hex_colour])

    class Meta:
        ordering = ["position"]
        verbose_name = _("domain")
        verbose_name_plural = _("domains")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return pick(self, "name")

    @property
    def description(self) -> str:
        return pick(self, "description")


class IndicatorQuerySet(models.QuerySet["Indicator"]):
    def in_circle_order(self) -> IndicatorQuerySet:
        return self.select_related("domain").order_by("number")


class Indicator(models.Model):
    """One of the 14 indicators, e.g. Housing. ``number`` is its place around the circle."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    domain = models.ForeignKey(Domain, on_delete=models.PROTECT, related_name="indicators", verbose_name=_("domain"))
    name_en = models.CharField(_("name (English)"), max_length=80)
    name_nl = models.CharField(_("name (Dutch)"), max_length=80)
    description_en = models.TextField(_("description (English)"))
    description_nl = models.TextField(_("description (Dutch)"))

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["number"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return pick(self, "name")

    @property
    def description(self) -> str:
        return pick(self, "description")
