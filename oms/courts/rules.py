"""When a pre-sentence report is due and how late it was: pure, from the Courts rows of the spec.

spec/national-standards.md, Courts:
| standard delivery report (SDR) | request | 15 WD (10 WD when remanded in custody at a magistrates' court) |
| fast delivery report (FDR)     | request | same day, at most 5 WD |
| oral report                    | request | same day |
"""

from __future__ import annotations

import re
from datetime import date

from oms.timescales.calendar import add_working_days, working_days_between

SDR_WORKING_DAYS = 15  # Courts: SDR
SDR_REMANDED_AT_MAGISTRATES_WORKING_DAYS = 10  # Courts: SDR when remanded in custody at a magistrates' court
FDR_AT_MOST_WORKING_DAYS = 5  # Courts: FDR "same day, at most 5 WD"
ORAL_WORKING_DAYS = 0  # Courts: oral "same day"

# The codes of oms.courts.constants.ReportKind, repeated here so the rule imports nothing from Django.
STANDARD_DELIVERY, FAST_DELIVERY, ORAL = "sdr", "fdr", "oral"

# Words that label a person as a PPO. The report (criterion 1.1) warns that a PSR must not do so:
# the label is for agencies, not for the sentencer.
PPO_LABEL_PATTERN = re.compile(
    r"\b(PPOs?|prolific(?:\s+and\s+(?:other\s+)?priority)?(?:\s+offenders?)?)\b", re.I
)


def report_due(kind: str, requested_on: date, *, remanded_at_magistrates: bool = False) -> date:
    """The last day the report may be delivered on time."""
    if kind == STANDARD_DELIVERY:
        days = SDR_REMANDED_AT_MAGISTRATES_WORKING_DAYS if remanded_at_magistrates else SDR_WORKING_DAYS
        return add_working_days(requested_on, days)
    if kind == FAST_DELIVERY:
        return add_working_days(requested_on, FDR_AT_MOST_WORKING_DAYS)
    if kind == ORAL:
        return requested_on
    raise ValueError(f"Unknown report kind {kind!r}")


def working_days_late(due: date, delivered_on: date) -> int:
    """0 when on time; otherwise the working days after the due date up to delivery."""
    if delivered_on <= due:
        return 0
    return max(1, working_days_between(due, delivered_on))


def ppo_labels_in(text: str) -> list[str]:
    """The words in a report's text that label the person as a PPO, as written, in order."""
    return [match.group(0) for match in PPO_LABEL_PATTERN.finditer(text)]
