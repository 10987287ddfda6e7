"""Forms of the referral pages: issue a referral, answer one."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django import forms
from django.utils.translation import gettext_lazy as _

from posyandu.referrals.models import Referral
from posyandu.web.labels import OBSERVED, reason_look


class ReferralIssueForm(forms.Form):
    """Why and how urgently a person is referred; the reasons offered are her findings."""

    uuid = forms.UUIDField(widget=forms.HiddenInput)
    reasons = forms.MultipleChoiceField(
        label=_("Reasons"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one reason for the referral.")},
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"),
        choices=Referral.Urgency.choices,
        initial=Referral.Urgency.ROUTINE,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note for the health worker"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: object, findings: Iterable[str] = (), **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        codes = [*dict.fromkeys(findings), *(c for c in OBSERVED if c not in findings)]
        self.fields["reasons"].choices = [(code, reason_look(code).label) for code in codes]
        self.fields["uuid"].initial = uuid.uuid4()


class FeedbackForm(forms.Form):
    """The facility's answer to the kader."""

    feedback = forms.CharField(
        label=_("Feedback for the kader"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write the feedback for the kader.")},
    )
