"""Forms of the team and partner pages, and of accepting an invitation."""

from __future__ import annotations

from collections.abc import Iterator

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from indicators.models import Indicator
from tenants.models import Membership, Municipality, PartnerAssignment, PartnerKind, PartnerOrganisation, Role, User

# The invited address becomes the username, which holds at most 150 characters.
EMAIL_MAX_LENGTH = 150
NOTE_MAX_LENGTH = PartnerAssignment._meta.get_field("note").max_length


class PartnerInviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=EMAIL_MAX_LENGTH)


class InviteForm(PartnerInviteForm):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.VIEWER)


class MemberForm(forms.Form):
    """Names one member of this municipality; any other number is not a choice."""

    member = forms.ModelChoiceField(queryset=Membership.objects.none(), widget=forms.HiddenInput)

    def __init__(self, *args: object, municipality: Municipality, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = municipality.memberships.select_related("user", "municipality")


class MemberRoleForm(MemberForm):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class PartnerForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the organisation"),
        max_length=PartnerOrganisation._meta.get_field("name").max_length,
        help_text=_("If the organisation already works with another municipality, use the same name: it is linked."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=PartnerKind.choices)


class AssignmentForm(forms.Form):
    """Per indicator: is it assigned to the partner, and what does the partner do for it."""

    def __init__(
        self, *args: object, indicators: list[Indicator], assignments: list[PartnerAssignment], **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        notes = {assignment.indicator_id: assignment.note for assignment in assignments}
        for indicator in indicators:
            self.fields[f"assigned-{indicator.code}"] = forms.BooleanField(
                label=_("Assigned: %(indicator)s") % {"indicator": indicator.name},
                required=False,
                initial=indicator.pk in notes,
            )
            self.fields[f"note-{indicator.code}"] = forms.CharField(
                label=_("What the partner does for %(indicator)s") % {"indicator": indicator.name},
                max_length=NOTE_MAX_LENGTH,
                required=False,
                initial=notes.get(indicator.pk, ""),
            )

    def rows(self) -> Iterator[tuple[Indicator, forms.BoundField, forms.BoundField]]:
        for indicator in self.indicators:
            yield indicator, self[f"assigned-{indicator.code}"], self[f"note-{indicator.code}"]

    def notes(self) -> dict[Indicator, str]:
        """The ticked indicators with their notes (a note on an unticked indicator is dropped)."""
        data = self.cleaned_data
        return {
            indicator: data[f"note-{indicator.code}"]
            for indicator in self.indicators
            if data[f"assigned-{indicator.code}"]
        }


class EndPartnershipForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Yes, end this partnership. Its members lose access at once."),
        error_messages={"required": _("Tick the box to confirm that the partnership ends.")},
    )


class AcceptInvitationForm(forms.Form):
    """A new account for the invited address: a name and a password, checked like any password."""

    first_name = forms.CharField(
        label=_("Your name (optional)"), max_length=User._meta.get_field("first_name").max_length, required=False
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: object, email: str, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self) -> dict[str, object]:
        data = super().clean()
        password1, password2 = data.get("password1"), data.get("password2")
        if password1 and password2:
            if password1 != password2:
                self.add_error("password2", _("The two passwords are not the same."))
            else:
                user = User(username=self.email.lower(), email=self.email, first_name=data.get("first_name", ""))
                try:
                    password_validation.validate_password(password1, user)
                except forms.ValidationError as error:
                    self.add_error("password1", error)
        return data
