"""Forms of the kader pages: register a kader, record a training or assessment, certify."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from posyandu.kaders.competencies import Catalogue
from posyandu.kaders.models import CompetencyRecord, Kader

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class KaderForm(forms.Form):
    """A new kader: where she serves, her name and phone, and her login if she has one."""

    uuid = forms.UUIDField(widget=forms.HiddenInput)
    posyandu = forms.ModelChoiceField(label=_("Posyandu"), queryset=None, to_field_name="uuid")
    name = forms.CharField(label=_("Name"), max_length=120)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    login = forms.CharField(label=_("Login (if she uses the app)"), max_length=150, required=False)

    def __init__(self, *args: Any, posyandu: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["posyandu"]
        field.queryset = posyandu  # type: ignore[attr-defined]
        self.fields["uuid"].initial = uuid.uuid4()

    def clean_login(self) -> Any:
        """Return the user account named, or None; refuse a login that does not exist."""
        username = self.cleaned_data["login"].strip()
        if not username:
            return None
        account = get_user_model().objects.filter(username=username).first()
        if account is None:
            raise forms.ValidationError(
                _("Login: '%(value)s' does not exist."), params={"value": username}
            )
        return account


class CompetencyRecordForm(forms.Form):
    """A training or an assessment of the kader on one competency."""

    uuid = forms.UUIDField(widget=forms.HiddenInput)
    competency = forms.ChoiceField(label=_("Competency"))
    kind = forms.ChoiceField(
        label=_("What"), choices=CompetencyRecord.Kind.choices, widget=forms.RadioSelect
    )
    date = forms.DateField(label=_("Date"), widget=_DATE)
    by = forms.CharField(label=_("Trainer or assessor"), max_length=120, required=False)
    passed = forms.TypedChoiceField(
        label=_("Result of the assessment"),
        choices=[("", _("not assessed")), ("1", _("Passed")), ("0", _("Not passed"))],
        coerce=lambda value: value == "1",
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, catalogue: Catalogue, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["competency"].choices = [
            (group.title, [(c.code, c.title) for c in items])
            for group, items in catalogue.by_group()
        ]
        self.fields["uuid"].initial = uuid.uuid4()
        self.fields["date"].initial = timezone.localdate()


class TierForm(forms.Form):
    """The tier the kader is certified at."""

    tier = forms.ChoiceField(
        label=_("Certified tier"),
        choices=[("", _("not certified")), *Kader.Tier.choices],
        required=False,
        widget=forms.RadioSelect,
    )
