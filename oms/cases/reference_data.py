"""Reference data every area starts with, loaded (idempotently) by a data migration.

Codes are stable; names may be edited in the admin.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

OFFENCE_CODES_CSV = Path(__file__).resolve().parent.parent / "risk" / "data" / "ogrs3-offence-codes.csv"

# OGRS3 categories whose offences are violent or sexual (for statutory victim contact and MAPPA).
VIOLENT_OR_SEXUAL_CATEGORIES = frozenset(
    {"Violence", "Robbery", "Sexual (against child)", "Sexual (not against child)"}
)

# The 16 census codes of 2001, and "not stated" kept distinct from a missing answer.
ETHNICITY_CODES = [
    ("W1", "White: British", "white"),
    ("W2", "White: Irish", "white"),
    ("W9", "White: any other White background", "white"),
    ("M1", "Mixed: White and Black Caribbean", "minority_ethnic"),
    ("M2", "Mixed: White and Black African", "minority_ethnic"),
    ("M3", "Mixed: White and Asian", "minority_ethnic"),
    ("M9", "Mixed: any other mixed background", "minority_ethnic"),
    ("A1", "Asian or Asian British: Indian", "minority_ethnic"),
    ("A2", "Asian or Asian British: Pakistani", "minority_ethnic"),
    ("A3", "Asian or Asian British: Bangladeshi", "minority_ethnic"),
    ("A9", "Asian or Asian British: any other Asian background", "minority_ethnic"),
    ("B1", "Black or Black British: Caribbean", "minority_ethnic"),
    ("B2", "Black or Black British: African", "minority_ethnic"),
    ("B9", "Black or Black British: any other Black background", "minority_ethnic"),
    ("O1", "Chinese", "minority_ethnic"),
    ("O9", "Any other ethnic group", "minority_ethnic"),
    ("Z1", "Not stated", "not_stated"),
]

# code, name, role, holds a caseload
GRADES = [
    ("PO", "Probation officer", "offender_manager", True),
    ("PSO", "Probation service officer", "offender_manager", True),
    ("TPO", "Trainee probation officer", "offender_manager", True),
    ("SPO", "Senior probation officer", "spo", False),
    ("ACO", "Assistant chief officer", "senior_manager", False),
    ("CO", "Chief officer", "senior_manager", False),
    ("BOARD", "Board member", "senior_manager", False),
    ("CA", "Case administrator", "case_administrator", False),
    ("VLO", "Victim liaison officer", "vlo", False),
    ("INT", "Interventions staff", "interventions", False),
    ("PA", "Partner agency worker", "partner_agency", False),
    ("POS", "Prison offender supervisor", "prison_offender_supervisor", False),
    ("INSP", "Inspector", "inspector", False),
    ("AA", "Area assessor", "inspector", False),
    ("NPD", "National performance team (NPD)", "national_performance", False),
]

REQUIREMENT_TYPES = [
    ("unpaid_work", "Unpaid work"),
    ("supervision", "Supervision"),
    ("accredited_programme", "Accredited programme"),
    ("drug_rehabilitation", "Drug rehabilitation (DRR)"),
    ("alcohol_treatment", "Alcohol treatment"),
    ("mental_health_treatment", "Mental health treatment"),
    ("residence", "Residence"),
    ("specified_activity", "Specified activity"),
    ("prohibited_activity", "Prohibited activity"),
    ("exclusion", "Exclusion"),
    ("curfew", "Curfew"),
    ("attendance_centre", "Attendance centre"),
]

CONTACT_TYPES = [
    ("office", "Office appointment"),
    ("home_visit", "Home visit"),
    ("programme_session", "Programme session"),
    ("unpaid_work_session", "Unpaid work session"),
    ("ete", "Education, training and employment"),
    ("drug_test", "Drug test"),
    ("telephone", "Telephone"),
    ("partner_agency", "Partner agency"),
]


def read_offence_codes() -> list[dict[str, Any]]:
    with OFFENCE_CODES_CSV.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [
        {
            "code": row["offence_code"],
            "ogrs3_category": row["ogrs3_category"],
            "ogrs3_coefficient": float(row["ogrs3_coefficient"]) if row["ogrs3_coefficient"] else None,
            "error_code": row["error_code"],
            "is_violent_or_sexual": row["ogrs3_category"] in VIOLENT_OR_SEXUAL_CATEGORIES,
        }
        for row in rows
    ]


def load_reference_data(get_model: Any) -> None:
    """Upsert every table; `get_model` is `apps.get_model` in a migration, or a plain model lookup."""
    offence_code = get_model("cases", "OffenceCode")
    existing = set(offence_code.objects.values_list("code", flat=True))
    offence_code.objects.bulk_create(
        [offence_code(**row) for row in read_offence_codes() if row["code"] not in existing], batch_size=500
    )
    for code, name, group in ETHNICITY_CODES:
        get_model("cases", "EthnicityCode").objects.update_or_create(
            code=code, defaults={"name": name, "group": group}
        )
    for code, name, role, holds_caseload in GRADES:
        get_model("organisation", "Grade").objects.update_or_create(
            code=code, defaults={"name": name, "role": role, "holds_caseload": holds_caseload}
        )
    for code, name in REQUIREMENT_TYPES:
        get_model("cases", "RequirementType").objects.update_or_create(code=code, defaults={"name": name})
    for code, name in CONTACT_TYPES:
        get_model("cases", "ContactType").objects.update_or_create(code=code, defaults={"name": name})
