"""Forms for overriding a tier and allocating from the queue; messages name the field."""

from __future__ import annotations

from typing import Any

from django import forms

from oms.cases.date_input import DateField
from oms.cases.forms import (
    allocation_reason_field,
    choices_by_team,
    manager_decision_field,
    over_capacity_reason_field,
)
from oms.cases.radios import GovukRadios, offer_choices
from oms.tiering.queries import CaseForOfficer, OffenderManagerWorkload


class OverrideForm(forms.Form):
    decision = forms.IntegerField(widget=forms.HiddenInput, required=False)
    tier = forms.ChoiceField(label="Tier", error_messages={"required": "Choose the tier"})
    reason = forms.CharField(
        label="Why the computed tier is wrong for this case",
        widget=forms.Textarea,
        max_length=2000,
        error_messages={"required": "Enter why the computed tier is wrong for this case"},
    )

    def __init__(self, *args: Any, tiers: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer_choices(self.fields["tier"], [("", "Choose"), *((t, t) for t in tiers)])


class OverrideSignOffForm(forms.Form):
    decision = forms.IntegerField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(
        label="Your decision",
        widget=GovukRadios(),
        choices=[
            ("sign_off", "Sign off: the override comes into force"),
            ("decline", "Decline: the tier stays"),
        ],
        error_messages={"required": "Choose whether to sign off or decline the override"},
    )
    note = forms.CharField(
        label="Note (needed when you decline)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=300,
        required=False,
        error_messages={"max_length": "The note must be 300 characters or fewer"},
    )


def _allocated_from_field() -> DateField:
    """The day the allocation starts, on both of the team's allocation forms."""
    return DateField(
        label="Allocated from",
        error_messages={
            "required": "Enter the date allocated from",
            "invalid": "Allocated from must be a real date",
        },
    )


class AllocateFromQueueForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    offender_manager = forms.TypedChoiceField(
        label="Offender manager", coerce=int, error_messages={"required": "Choose the offender manager"}
    )
    reason = allocation_reason_field()
    manager_decision = manager_decision_field()
    over_capacity_reason = over_capacity_reason_field()
    start_date = _allocated_from_field()

    def __init__(self, *args: Any, workloads: list[OffenderManagerWorkload], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["offender_manager"].choices = choices_by_team(  # type: ignore[attr-defined]
            (
                w.staff.pk,
                f"{w.staff.full_name} ({w.staff.grade_id}), {w.points} points, "
                + (f"{w.capacity_percent}% capacity" if w.capacity_percent is not None else "no hours"),
                w.staff.team.name if w.staff.team else "",
            )
            for w in workloads
        )


class AllocateToOfficerForm(forms.Form):
    """From a team's workload table: the offender manager is chosen, the case is picked."""

    case = forms.ChoiceField(
        label="Case to allocate",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the case to allocate",
            "invalid_choice": "Choose one of the cases waiting for an offender manager",
        },
    )
    reason = allocation_reason_field()
    manager_decision = manager_decision_field()
    over_capacity_reason = over_capacity_reason_field()
    start_date = _allocated_from_field()

    def __init__(self, *args: Any, cases: list[CaseForOfficer], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The case's version travels with the choice: a case allocated by someone else meanwhile is
        # refused as a stale save rather than allocated twice.
        self.fields["case"].choices = [  # type: ignore[attr-defined]
            (f"{row.case.offender.crn}:{row.case.offender.version}", row.case.offender.crn) for row in cases
        ]
