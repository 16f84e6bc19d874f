"""Issue 10: the 2007-dated demo area's 18 performance measures and Chart 1 beside the report's, and
the default demo's overdue actions per owner."""

from __future__ import annotations

import time

CALIBRATION_AREA = "Northamptonshire 2007"
CALIBRATION_SEED = 2007
# The default demo (`oms seed`: 2,338 cases, seed 2007, dated today), under its own name so that it
# sits beside the benchmarks' fixed-date demo area.
TODAY_AREA = "Northamptonshire today"
# Issue 10: "overdue actions per owner: median at most 8, none over 30; nothing unowned".
OVERDUE_MEDIAN_AT_MOST = 8
OVERDUE_NONE_OVER = 30


def run() -> list[str]:
    from oms.demo.area import seed_area
    from oms.demo.calibration import (
        REPORT_AREA_COLUMN,
        REPORT_AS_OF,
        REPORT_PERIOD,
        REPORT_STATUS,
        tolerance,
    )
    from oms.inspection.constants import InspectionKind, InspectionStatus
    from oms.inspection.demo import REPORT_CHART_1, ROH_THREAD_TARGET
    from oms.inspection.models import Inspection
    from oms.inspection.queries import inspection_scores
    from oms.performance.measures import compute_measures

    started = time.perf_counter()
    area = seed_area(
        cases=2338, seed=CALIBRATION_SEED, area_name=CALIBRATION_AREA, as_of=REPORT_AS_OF, with_logins=False
    ).area
    lines = [
        f"seeded {CALIBRATION_AREA} (seed {CALIBRATION_SEED}, as of {REPORT_AS_OF}) in "
        f"{time.perf_counter() - started:.1f} s; measured {REPORT_PERIOD[0]} to {REPORT_PERIOD[1]}:",
        f"{'measure':<44} {'demo':>7} {'report':>7}  status (report)",
    ]
    within = 0
    for result in compute_measures(area, *REPORT_PERIOD):
        key = result.measure.key
        report = REPORT_AREA_COLUMN[key]
        ok = (
            result.value is not None
            and abs(result.value - report) <= tolerance(key)
            and result.status.value == REPORT_STATUS[key]
        )
        within += ok
        lines.append(
            f"{key:<44} {result.value!s:>7} {report!s:>7}  {result.status.value} ({REPORT_STATUS[key]})"
            f"{'' if ok else '  OUT OF TOLERANCE'}"
        )
    lines.append(f"{within} of {len(REPORT_AREA_COLUMN)} measures within tolerance with the report's status")
    inspection = Inspection.objects.get(
        area=area, kind=InspectionKind.INSPECTION, status=InspectionStatus.PUBLISHED
    )
    scores = inspection_scores(inspection)
    chart = ", ".join(
        f"{cid} {scores['criteria'][cid]['rounded']} ({REPORT_CHART_1[cid]})"
        for cid in sorted(REPORT_CHART_1)
    )
    lines.append(f"Chart 1, demo (report): {chart}")
    lines.append(
        f"RoH thread {scores['threads']['roh']['rounded']}% (report {ROH_THREAD_TARGET}%); "
        f"4.2 rated {inspection.ratings.get(criterion_id='4.2').rating}"
    )
    return lines + overdue_per_owner()


def overdue_per_owner() -> list[str]:
    from django.utils import timezone

    from oms.demo.area import seed_area
    from oms.demo.workload import overdue_workload

    today = timezone.localdate()
    started = time.perf_counter()
    area = seed_area(
        cases=2338, seed=CALIBRATION_SEED, area_name=TODAY_AREA, as_of=today, with_logins=False
    ).area
    workload = overdue_workload(area, today)
    within = (
        workload.median_overdue <= OVERDUE_MEDIAN_AT_MOST
        and workload.max_overdue <= OVERDUE_NONE_OVER
        and workload.unowned == 0
    )
    return [
        f"default demo (seed {CALIBRATION_SEED}, as of {today}) seeded in {time.perf_counter() - started:.1f} s; "
        f"overdue per owner (target median <= {OVERDUE_MEDIAN_AT_MOST}, max <= {OVERDUE_NONE_OVER}, "
        f"unowned 0): {'met' if within else 'NOT MET'}",
        *workload.lines(),
    ]
