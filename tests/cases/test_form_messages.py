"""Django's built-in form messages are said the GOV.UK way, naming the field."""

from __future__ import annotations

import pytest

from oms.cases.form_messages import govuk_message


@pytest.mark.parametrize(
    ("message", "label", "is_choice", "expected"),
    [
        ("This field is required.", "Date of birth", False, "Enter the date of birth"),
        ("This field is required.", "Reason", False, "Enter a reason"),
        ("This field is required.", "Offender manager", True, "Select an offender manager"),
        (
            "Ensure this value has at most 200 characters (it has 250).",
            "Disability",
            False,
            "Disability must be 200 characters or fewer",
        ),
        (
            "Ensure this value is less than or equal to 600.",
            "Length in months",
            False,
            "Length in months must be 600 or less",
        ),
        (
            "Ensure this value is greater than or equal to 1.",
            "Sample size",
            False,
            "Sample size must be 1 or more",
        ),
        ("Enter a whole number.", "Hours", False, "Hours must be a whole number"),
        (
            "Select a valid choice. x is not one of the available choices.",
            "Type of contact",
            True,
            "Select a type of contact from the list",
        ),
        ("Choose the type of contact", "Type of contact", True, "Choose the type of contact"),
    ],
)
def test_default_messages_become_gov_uk_messages(
    message: str, label: str, is_choice: bool, expected: str
) -> None:
    assert govuk_message(message, label, is_choice=is_choice) == expected
