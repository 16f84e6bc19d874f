"""The limits the Criminal Justice Act 2003 puts on community order requirements.

From `spec/domain.md`, "Community order or suspended sentence order". A requirement outside its
statutory limits is unlawful, and is usually a typing mistake at registration (3000 hours for 300);
so the check returns every breach of a limit at once, each naming its field and saying in plain words
what the law allows, for the registration form to show beside the field.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class RequirementType(Enum):
    """CJA 2003 s.177 requirements; the value is the stable code."""

    UNPAID_WORK = "unpaid_work"
    SUPERVISION = "supervision"
    ACCREDITED_PROGRAMME = "accredited_programme"
    DRUG_REHABILITATION = "drug_rehabilitation"
    ALCOHOL_TREATMENT = "alcohol_treatment"
    MENTAL_HEALTH_TREATMENT = "mental_health_treatment"
    RESIDENCE = "residence"
    SPECIFIED_ACTIVITY = "specified_activity"
    PROHIBITED_ACTIVITY = "prohibited_activity"
    EXCLUSION = "exclusion"
    CURFEW = "curfew"
    ATTENDANCE_CENTRE = "attendance_centre"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


# spec (domain.md) limits, each beside its words there.
UNPAID_WORK_MINIMUM_HOURS = 40  # "unpaid work (40-300 hours, 12 months)"
UNPAID_WORK_MAXIMUM_HOURS = 300
CURFEW_MINIMUM_HOURS_PER_DAY = 2  # "curfew (2-12 hours a day, up to 6 months)"
CURFEW_MAXIMUM_HOURS_PER_DAY = 12
CURFEW_MAXIMUM_MONTHS = 6
SPECIFIED_ACTIVITY_MAXIMUM_DAYS = 60  # "specified activity (up to 60 days)"
EXCLUSION_MAXIMUM_MONTHS = 24  # "exclusion (up to 2 years)"
TREATMENT_MINIMUM_MONTHS = 6  # "drug rehabilitation (6 months+), alcohol treatment (6 months+)"
ATTENDANCE_CENTRE_AGE_LIMIT = 25  # "attendance centre (under 25, 12-36 hours)"
ATTENDANCE_CENTRE_MINIMUM_HOURS = 12
ATTENDANCE_CENTRE_MAXIMUM_HOURS = 36

# A length given in days is checked against the months limit without knowing the start date, so it
# gets the benefit of the doubt: six calendar months last 181 to 184 days, two years 730 or 731.
SIX_MONTHS_SHORTEST_DAYS = 181
SIX_MONTHS_LONGEST_DAYS = 184
TWO_YEARS_LONGEST_DAYS = 731

LENGTH_FIELDS = ("length_months", "length_days")
ALL_FIELDS = ("hours", "hours_per_day", "length_days", "length_months", "days", "age_on_sentence")


@dataclass(frozen=True)
class LimitBreach:
    """One way a requirement is outside the law: the form field, and what is wrong in plain words."""

    field: str
    message: str


@dataclass(frozen=True)
class RequirementFields:
    """Which inputs a requirement type takes, so a form shows only those.

    ``needs_length`` means one of ``length_months`` or ``length_days`` must be given.
    """

    required: tuple[str, ...]
    optional: tuple[str, ...]
    needs_length: bool
    description: str

    @property
    def applicable(self) -> tuple[str, ...]:
        return self.required + self.optional + (LENGTH_FIELDS if self.needs_length else ())


REQUIREMENT_FIELDS: dict[RequirementType, RequirementFields] = {
    RequirementType.UNPAID_WORK: RequirementFields(
        ("hours",), (), False, "Hours of unpaid work, 40 to 300, to be worked within 12 months."
    ),
    RequirementType.SUPERVISION: RequirementFields(
        (), LENGTH_FIELDS, False, "Supervision for the length of the order (optionally its own length)."
    ),
    RequirementType.ACCREDITED_PROGRAMME: RequirementFields(
        (), ("days",), False, "An accredited programme; optionally the number of days (sessions)."
    ),
    RequirementType.DRUG_REHABILITATION: RequirementFields(
        (), (), True, "Drug rehabilitation (treatment and testing) for at least 6 months."
    ),
    RequirementType.ALCOHOL_TREATMENT: RequirementFields(
        (), (), True, "Alcohol treatment for at least 6 months."
    ),
    RequirementType.MENTAL_HEALTH_TREATMENT: RequirementFields(
        (), LENGTH_FIELDS, False, "Mental health treatment; optionally its length."
    ),
    RequirementType.RESIDENCE: RequirementFields(
        (), LENGTH_FIELDS, False, "Residence; optionally its length."
    ),
    RequirementType.SPECIFIED_ACTIVITY: RequirementFields(
        ("days",), (), False, "Days of specified activity, up to 60."
    ),
    RequirementType.PROHIBITED_ACTIVITY: RequirementFields(
        (), (*LENGTH_FIELDS, "days"), False, "A prohibited activity; optionally its length or days."
    ),
    RequirementType.EXCLUSION: RequirementFields((), (), True, "Exclusion from a place for up to 2 years."),
    RequirementType.CURFEW: RequirementFields(
        ("hours_per_day",), (), True, "Curfew of 2 to 12 hours a day, for up to 6 months."
    ),
    RequirementType.ATTENDANCE_CENTRE: RequirementFields(
        ("hours", "age_on_sentence"),
        (),
        False,
        "Attendance centre of 12 to 36 hours, only for offenders under 25.",
    ),
}


def fields_for(requirement_type: RequirementType) -> RequirementFields:
    return REQUIREMENT_FIELDS[requirement_type]


_FIELD_WORDS = {
    "hours": "number of hours",
    "hours_per_day": "hours a day",
    "length_days": "length in days",
    "length_months": "length in months",
    "days": "number of days",
    "age_on_sentence": "age on the day of sentence",
}


def _article(words: str) -> str:
    return "An" if words[0].lower() in "aeiou" else "A"


def check_requirement(
    requirement_type: RequirementType,
    *,
    hours: float | None = None,
    hours_per_day: float | None = None,
    length_days: int | None = None,
    length_months: int | None = None,
    days: int | None = None,
    age_on_sentence: int | None = None,
) -> list[LimitBreach]:
    """Every way the requirement breaks the CJA 2003 limits (an empty list means it is lawful).

    Also reports a needed figure that is missing, a figure that is not a positive number, and a
    figure that does not apply to this type (it would be stored and never enforced).
    """
    given: dict[str, float | None] = {
        "hours": hours,
        "hours_per_day": hours_per_day,
        "length_days": length_days,
        "length_months": length_months,
        "days": days,
        "age_on_sentence": age_on_sentence,
    }
    name = requirement_type.label.lower()
    article = _article(name)
    spec = REQUIREMENT_FIELDS[requirement_type]
    breaches: list[LimitBreach] = []

    for field_name in ALL_FIELDS:
        value = given[field_name]
        if value is None:
            continue
        if field_name not in spec.applicable:
            breaches.append(
                LimitBreach(
                    field_name,
                    f"The {_FIELD_WORDS[field_name]} does not apply to {article.lower()} {name} requirement",
                )
            )
        elif (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or value < 0
            or (value == 0 and field_name != "age_on_sentence")
        ):
            breaches.append(
                LimitBreach(field_name, f"The {_FIELD_WORDS[field_name]} must be a number above 0")
            )
    bad_fields = {b.field for b in breaches}

    def usable(field_name: str) -> float | None:
        return None if field_name in bad_fields else given[field_name]

    for field_name in spec.required:
        if given[field_name] is None:
            breaches.append(
                LimitBreach(field_name, f"{article} {name} requirement needs the {_FIELD_WORDS[field_name]}")
            )
    if spec.needs_length and length_months is None and length_days is None:
        breaches.append(
            LimitBreach("length_months", f"{article} {name} requirement needs its length, in months or days")
        )

    months, length_in_days = usable("length_months"), usable("length_days")
    hours_value, per_day, day_count, age = (
        usable("hours"),
        usable("hours_per_day"),
        usable("days"),
        usable("age_on_sentence"),
    )

    if requirement_type is RequirementType.UNPAID_WORK and hours_value is not None:
        if not UNPAID_WORK_MINIMUM_HOURS <= hours_value <= UNPAID_WORK_MAXIMUM_HOURS:
            breaches.append(
                LimitBreach(
                    "hours",
                    f"Unpaid work must be between {UNPAID_WORK_MINIMUM_HOURS} and {UNPAID_WORK_MAXIMUM_HOURS} hours",
                )
            )
    elif requirement_type is RequirementType.CURFEW:
        if (
            per_day is not None
            and not CURFEW_MINIMUM_HOURS_PER_DAY <= per_day <= CURFEW_MAXIMUM_HOURS_PER_DAY
        ):
            breaches.append(
                LimitBreach(
                    "hours_per_day",
                    f"A curfew must be between {CURFEW_MINIMUM_HOURS_PER_DAY} and {CURFEW_MAXIMUM_HOURS_PER_DAY} hours a day",
                )
            )
        message = f"A curfew can last at most {CURFEW_MAXIMUM_MONTHS} months"
        if months is not None and months > CURFEW_MAXIMUM_MONTHS:
            breaches.append(LimitBreach("length_months", message))
        if length_in_days is not None and length_in_days > SIX_MONTHS_LONGEST_DAYS:
            breaches.append(LimitBreach("length_days", message))
    elif requirement_type is RequirementType.SPECIFIED_ACTIVITY and day_count is not None:
        if day_count > SPECIFIED_ACTIVITY_MAXIMUM_DAYS:
            breaches.append(
                LimitBreach(
                    "days",
                    f"A specified activity requirement can be for at most {SPECIFIED_ACTIVITY_MAXIMUM_DAYS} days",
                )
            )
    elif requirement_type is RequirementType.EXCLUSION:
        message = "An exclusion requirement can last at most 2 years"
        if months is not None and months > EXCLUSION_MAXIMUM_MONTHS:
            breaches.append(LimitBreach("length_months", message))
        if length_in_days is not None and length_in_days > TWO_YEARS_LONGEST_DAYS:
            breaches.append(LimitBreach("length_days", message))
    elif requirement_type in (RequirementType.DRUG_REHABILITATION, RequirementType.ALCOHOL_TREATMENT):
        message = f"{article} {name} requirement must last at least {TREATMENT_MINIMUM_MONTHS} months"
        if months is not None and months < TREATMENT_MINIMUM_MONTHS:
            breaches.append(LimitBreach("length_months", message))
        if length_in_days is not None and length_in_days < SIX_MONTHS_SHORTEST_DAYS:
            breaches.append(LimitBreach("length_days", message))
    elif requirement_type is RequirementType.ATTENDANCE_CENTRE:
        if (
            hours_value is not None
            and not ATTENDANCE_CENTRE_MINIMUM_HOURS <= hours_value <= ATTENDANCE_CENTRE_MAXIMUM_HOURS
        ):
            breaches.append(
                LimitBreach(
                    "hours",
                    f"An attendance centre requirement must be between {ATTENDANCE_CENTRE_MINIMUM_HOURS} and "
                    f"{ATTENDANCE_CENTRE_MAXIMUM_HOURS} hours",
                )
            )
        if age is not None and age >= ATTENDANCE_CENTRE_AGE_LIMIT:
            breaches.append(
                LimitBreach(
                    "age_on_sentence",
                    f"An attendance centre requirement is only for offenders aged under {ATTENDANCE_CENTRE_AGE_LIMIT}",
                )
            )
    return breaches
