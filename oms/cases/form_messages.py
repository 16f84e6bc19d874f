"""Django's built-in form messages, said the GOV.UK way and naming the field.

Every form field is drawn by `includes/field.html` and listed by `includes/error_summary.html`; both
pass their errors through here, so no page says "This field is required." or "Ensure this value has
at most 200 characters" whatever form it comes from. Messages a form sets itself pass unchanged.
"""

from __future__ import annotations

import re

_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"^Ensure this value has at most (\d+) characters? \(it has \d+\)\.$"),
        "{label} must be {0} characters or fewer",
    ),
    (
        re.compile(r"^Ensure this value has at least (\d+) characters? \(it has \d+\)\.$"),
        "{label} must be {0} characters or more",
    ),
    (re.compile(r"^Ensure this value is less than or equal to ([\d.,]+)\.$"), "{label} must be {0} or less"),
    (
        re.compile(r"^Ensure this value is greater than or equal to ([\d.,]+)\.$"),
        "{label} must be {0} or more",
    ),
    (
        re.compile(r"^Ensure that there are no more than (\d+) digits in total\.$"),
        "{label} must have {0} digits or fewer",
    ),
    (
        re.compile(r"^Ensure that there are no more than (\d+) decimal places?\.$"),
        "{label} must have {0} decimal places or fewer",
    ),
    (re.compile(r"^Enter a whole number\.$"), "{label} must be a whole number"),
    (re.compile(r"^Enter a number\.$"), "{label} must be a number"),
    (re.compile(r"^Enter a valid date\.$"), "{label} must be a real date"),
    (re.compile(r"^Enter a valid time\.$"), "{label} must be a real time, for example 14:30"),
    (
        re.compile(r"^Enter a valid email address\.$"),
        "Enter an email address in the correct format, like name@example.com",
    ),
    (re.compile(r"^Select a valid choice\..*$"), "Select {article} {lower} from the list"),
    (re.compile(r"^Enter a list of values\.$"), "Select {article} {lower}"),
)
REQUIRED = "This field is required."


def govuk_message(message: str, label: str, *, is_choice: bool = False) -> str:
    """The GOV.UK wording of one of Django's default messages for a field called `label`."""
    text = str(message)
    name = str(label or "This").strip().rstrip(":?")
    lower = name[0].lower() + name[1:] if name else name
    article = "an" if lower[:1] in "aeiou" else "a"
    if text == REQUIRED:
        return (
            f"Select {article} {lower}"
            if is_choice
            else f"Enter {article} {lower}"
            if _countable(lower)
            else f"Enter the {lower}"
        )
    for pattern, wording in _RULES:
        found = pattern.match(text)
        if found:
            return wording.format(*found.groups(), label=name, lower=lower, article=article)
    return text


def _countable(lower: str) -> bool:
    # "Enter a reason" reads better than "Enter the reason" only for a few nouns; keep "the" otherwise.
    return lower.split(" ", 1)[0] in {"reason", "note", "name", "summary", "description"}
