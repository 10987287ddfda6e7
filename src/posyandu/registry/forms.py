"""Forms of the person pages: few fields, native pickers, numeric keypads for numbers."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any, ClassVar

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from posyandu.regions.models import Facility
from posyandu.registry.checks import show_date
from posyandu.registry.models import Household, Person, Sex

# A native date picker; its value is ISO whatever the language shows.
_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NEW_HOUSEHOLD = "new"
_YES_NO_UNKNOWN = [("", _("Not known")), ("yes", _("Yes")), ("no", _("No"))]


def _digits(label: Any, *, max_length: int = 20) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


def household_choices(households: Sequence[Household]) -> list[tuple[str, str]]:
    """Return (uuid, 'head — dusun') choices."""
    return [
        (str(h.uuid), f"{h.head_name} — {h.dusun}" if h.dusun else h.head_name) for h in households
    ]


def mother_choices(mothers: Sequence[Person]) -> list[tuple[str, str]]:
    """Return (uuid, 'name (born dd/mm/yyyy)') choices."""
    return [(str(m.uuid), f"{m.name} ({show_date(m.birth_date)})") for m in mothers]


class DemographicsForm(forms.Form):
    """The fields a person is known by; shared by the registration and the edit pages."""

    name = forms.CharField(label=_("Full name"), max_length=120)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, widget=forms.RadioSelect)
    birth_date = forms.DateField(label=_("Date of birth"), widget=_DATE)
    nik = _digits(_("NIK (16 digits, if known)"))
    household = forms.ChoiceField(label=_("Household"), required=False)
    mother = forms.ChoiceField(label=_("Mother (for a baby or child)"), required=False)
    phone = forms.CharField(
        label=_("Phone (optional)"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )

    def __init__(
        self,
        *args: Any,
        households: Sequence[Household] = (),
        mothers: Sequence[Person] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["birth_date"].widget.attrs["max"] = timezone.localdate().isoformat()
        self.households = {str(h.uuid): h for h in households}
        self.mothers = {str(m.uuid): m for m in mothers}
        self.fields["household"].choices = self.household_options(households)
        no_mother = ("", _("— no mother recorded —"))
        self.fields["mother"].choices = [no_mother, *mother_choices(mothers)]

    def household_options(self, households: Sequence[Household]) -> list[tuple[str, Any]]:
        """Return the household choices: none, or one of the posyandu's households."""
        return [("", _("— no household —")), *household_choices(households)]

    def chosen_household(self) -> Household | None:
        """Return the household picked (None for none or a new one)."""
        return self.households.get(self.cleaned_data.get("household") or "")

    def chosen_mother(self) -> Person | None:
        """Return the mother picked, or None."""
        return self.mothers.get(self.cleaned_data.get("mother") or "")


class PersonRegisterForm(DemographicsForm):
    """Register a new person (step 1): the client uuid comes from the GET, so a double submit
    saves one record."""

    uuid = forms.UUIDField(widget=forms.HiddenInput)
    household_uuid = forms.UUIDField(widget=forms.HiddenInput)
    confirm_not_duplicate = forms.BooleanField(required=False, widget=forms.HiddenInput)
    posyandu = forms.ChoiceField(label=_("Posyandu"))
    head_name = forms.CharField(label=_("Head of the new household"), required=False)
    no_kk = _digits(_("No. KK of the new household (optional)"))

    field_order: ClassVar[list[str]] = [
        "uuid",
        "household_uuid",
        "confirm_not_duplicate",
        "posyandu",
        "name",
        "sex",
        "birth_date",
        "nik",
        "household",
        "head_name",
        "no_kk",
        "mother",
        "phone",
    ]

    def __init__(self, *args: Any, posyandus: Sequence[Facility] = (), **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("uuid", uuid.uuid4())
        kwargs["initial"].setdefault("household_uuid", uuid.uuid4())
        super().__init__(*args, **kwargs)
        self.posyandus = {str(f.uuid): f for f in posyandus}
        self.fields["posyandu"].choices = [(str(f.uuid), f.name) for f in posyandus]
        if len(posyandus) == 1:
            self.fields["posyandu"].widget = forms.HiddenInput()
            self.fields["posyandu"].initial = str(posyandus[0].uuid)

    def household_options(self, households: Sequence[Household]) -> list[tuple[str, Any]]:
        """Return none, a new household, or one of the posyandu's households."""
        return [
            ("", _("— no household —")),
            (NEW_HOUSEHOLD, _("+ New household")),
            *household_choices(households),
        ]

    def chosen_posyandu(self) -> Facility:
        """Return the posyandu picked."""
        return self.posyandus[self.cleaned_data["posyandu"]]

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        if data.get("household") == NEW_HOUSEHOLD and not (data.get("head_name") or "").strip():
            self.add_error(
                "head_name", _("Head of the new household: please fill in the head's name.")
            )
        return data


class PersonEditForm(DemographicsForm):
    """Correct a person's demographics; only the fields changed are saved and audited."""

    smoker = forms.ChoiceField(label=_("Smokes"), choices=_YES_NO_UNKNOWN, required=False)
    has_buku_kia = forms.ChoiceField(
        label=_("Has a Buku KIA (mother and child health book)"),
        choices=_YES_NO_UNKNOWN,
        required=False,
    )

    def updates(self) -> dict[str, Any]:
        """Return the changed fields as person_update's keyword arguments."""
        data = self.cleaned_data
        values: dict[str, Any] = {
            "name": data["name"],
            "sex": data["sex"],
            "birth_date": data["birth_date"],
            "nik": data["nik"] or None,
            "household": self.chosen_household(),
            "mother": self.chosen_mother(),
            "phone": data["phone"],
            "smoker": yes_no(data["smoker"]),
            "has_buku_kia": yes_no(data["has_buku_kia"]),
        }
        return {name: values[name] for name in self.changed_data}


def yes_no(value: str) -> bool | None:
    """Return True, False or None (not known) for a yes/no/'' answer."""
    return {"yes": True, "no": False}.get(value)


def yes_no_initial(value: bool | None) -> str:
    """Return the form value of True, False or None."""
    return "" if value is None else ("yes" if value else "no")
