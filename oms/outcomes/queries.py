"""Outcomes read from the records: for one case (its page) and for a set of cases (the area's outcomes
page, ``oms outcomes``, the inspection pre-fill), each in a fixed number of queries.

The computations are the pure rules of ``rules.py``; here the records are read once and handed over.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from oms.cases.constants import EthnicGroup, Gender, RegistrationKind
from oms.cases.models import Event, Offender, Registration
from oms.interventions.constants import EteOutcomeKind, Programme
from oms.interventions.models import EteOutcome, ProgrammeReferral, SkillsAward, SkillsForLife
from oms.outcomes import rules
from oms.outcomes.constants import (
    DomesticViolenceCheckResult,
    FurtherOffenceKind,
    MeasureDirection,
    SentenceCompliance,
    VictimAwarenessResult,
)
from oms.outcomes.models import (
    DomesticViolenceCheck,
    EndOfSentenceCompliance,
    FurtherOffence,
    RestrictiveMeasureChange,
    VictimAwarenessWork,
)
from oms.risk.countersigning import CountersigningStatus
from oms.risk.models import ReoffendingAssessment
from oms.risk.needs import CriminogenicNeed
from oms.tiering.models import OverrideSignOff, TierDecision

# An override waiting for (or refused) a senior manager's sign-off was never the tier in force.
NOT_IN_FORCE = (OverrideSignOff.AWAITING, OverrideSignOff.DECLINED)
# Report 4.2 area for improvement (b): ETE outcomes by diversity group. Young adults are 18 to 24.
YOUNG_ADULT_UNTIL = 25


@dataclass(frozen=True)
class Period:
    """Outcomes recorded from ``start`` (None: since the start of each order) to ``end`` inclusive."""

    start: date | None
    end: date

    def holds(self, day: date | None) -> bool:
        return day is not None and (self.start is None or day >= self.start) and day <= self.end


def _first_and_latest(rows: list[tuple[int, Any]]) -> dict[int, tuple[Any, Any]]:
    """Rows (case, value) in date order: each case's first value and latest value."""
    found: dict[int, tuple[Any, Any]] = {}
    for case_id, value in rows:
        first = found.get(case_id, (value, value))[0]
        found[case_id] = (first, value)
    return found


def needs_progress_of(cases: QuerySet[Offender], period: Period) -> dict[int, rules.NeedsProgress]:
    """One query: every locked likelihood-of-reoffending assessment of the cases up to the period's end."""
    rows = (
        ReoffendingAssessment.objects.filter(
            offender__in=cases, status=CountersigningStatus.LOCKED, created_at__date__lte=period.end
        )
        .order_by("offender_id", "created_at", "id")
        .values_list("offender_id", "needs")
    )
    by_case: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for case_id, needs in rows:
        by_case[case_id].append(needs)
    progress = {}
    for case_id, assessments in by_case.items():
        first = rules.need_scores(assessments[0])
        latest = rules.need_scores(assessments[-1]) if len(assessments) > 1 else None
        found = rules.needs_progress(first, latest)
        if found is not None:
            progress[case_id] = found
    return progress


def _latest_needs(cases: QuerySet[Offender], period: Period) -> list[rules.NeedScores]:
    latest: dict[int, dict[str, Any]] = {}
    for case_id, needs in (
        ReoffendingAssessment.objects.filter(
            offender__in=cases, status=CountersigningStatus.LOCKED, created_at__date__lte=period.end
        )
        .order_by("offender_id", "created_at", "id")
        .values_list("offender_id", "needs")
    ):
        latest[case_id] = needs
    return [rules.need_scores(needs) for needs in latest.values()]


def needs_profile_of(cases: QuerySet[Offender], end: date) -> list[dict[str, Any]]:
    """The factors linked to offending at each case's latest assessment, most common first (one query):
    the report's "thinking and behaviour, affecting 71 cases in the sample ..." for any set of cases."""
    profile = rules.needs_profile(_latest_needs(cases, Period(None, end)))
    return [{"need": need.value, "label": need.label, "cases": count} for need, count in profile.items()]


def _tier_movements(cases: QuerySet[Offender], period: Period) -> dict[int, rules.Movement | None]:
    rows = list(
        TierDecision.objects.filter(offender__in=cases, decided_at__date__lte=period.end)
        .exclude(sign_off__in=NOT_IN_FORCE)
        .order_by("offender_id", "decided_at", "id")
        .values_list("offender_id", "tier")
    )
    return {case_id: rules.tier_movement(*pair) for case_id, pair in _first_and_latest(rows).items()}


def _mappa_movements(cases: QuerySet[Offender], period: Period) -> dict[int, rules.Movement | None]:
    rows = list(
        Registration.objects.filter(
            offender__in=cases,
            kind=RegistrationKind.MAPPA,
            mappa_level__isnull=False,
            start_date__lte=period.end,
        )
        .order_by("offender_id", "start_date", "id")
        .values_list("offender_id", "mappa_level")
    )
    return {case_id: rules.movement(*pair) for case_id, pair in _first_and_latest(rows).items()}


def _share_json(count: int, of: int) -> dict[str, int | None]:
    return rules.Share(count, of).as_json()


def _age_band(born: date, on: date) -> str:
    age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    return "18 to 24" if age < YOUNG_ADULT_UNTIL else "25 and over"


def _ete_by_group(cases: QuerySet[Offender], period: Period) -> list[dict[str, Any]]:
    """For each diversity group of the caseload: people, into ETE, into employment, retained 4 weeks."""
    people = list(cases.values_list("pk", "ethnicity__group", "gender", "date_of_birth", "disability"))
    ete: dict[int, set[str]] = defaultdict(set)
    for case_id, kind, started, retained in EteOutcome.objects.filter(offender__in=cases).values_list(
        "offender_id", "kind", "started_on", "retained_four_weeks_confirmed_on"
    ):
        if period.holds(started):
            ete[case_id].add("ete")
            if kind == EteOutcomeKind.INTO_EMPLOYMENT:
                ete[case_id].add("employment")
                if retained is not None:
                    ete[case_id].add("retained")
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    ethnic_labels = dict(EthnicGroup.choices)
    gender_labels = dict(Gender.choices)
    for case_id, ethnic_group, gender, born, disability in people:
        groups[("Ethnicity", ethnic_labels.get(ethnic_group or "", "Not stated"))].append(case_id)
        groups[("Gender", gender_labels.get(gender, gender))].append(case_id)
        groups[("Age", _age_band(born, period.end))].append(case_id)
        groups[("Disability", "Disability recorded" if disability else "None recorded")].append(case_id)
    rows = []
    for (dimension, group), members in sorted(groups.items()):
        rows.append(
            {
                "dimension": dimension,
                "group": group,
                "cases": len(members),
                "into_ete": _share_json(sum(1 for m in members if "ete" in ete[m]), len(members)),
                "into_employment": _share_json(
                    sum(1 for m in members if "employment" in ete[m]), len(members)
                ),
                "retained_four_weeks": _share_json(
                    sum(1 for m in members if "retained" in ete[m]), len(members)
                ),
            }
        )
    return rows


def _skills_awards(cases: QuerySet[Offender], period: Period) -> dict[str, int | None]:
    """Report 3.1 (e): of those who started a skills for life course, how many achieved an award."""
    starters = SkillsForLife.objects.filter(offender__in=cases, assessed_on__isnull=False)
    if period.start is not None:
        starters = starters.filter(assessed_on__gte=period.start)
    starters = starters.filter(assessed_on__lte=period.end)
    awarded = starters.filter(Exists(SkillsAward.objects.filter(skills_for_life=OuterRef("pk"))))
    return _share_json(awarded.count(), starters.count())


def current_caseload(cases: QuerySet[Offender]) -> QuerySet[Offender]:
    return cases.filter(Exists(Event.objects.filter(offender_id=OuterRef("pk"), is_active=True)))


def outcomes_of(cases: QuerySet[Offender], period: Period) -> dict[str, Any]:
    """Every outcome figure of a set of cases over the period, as JSON (about 14 queries in all)."""
    case_ids = list(cases.values_list("pk", flat=True))
    total = len(case_ids)
    progress = needs_progress_of(cases, period)
    summary = rules.summarise_needs(progress.values())
    tiers = _tier_movements(cases, period)
    mappa = _mappa_movements(cases, period)

    offences: dict[str, set[int]] = {kind: set() for kind in FurtherOffenceKind.values}
    for case_id, kind, disposed in FurtherOffence.objects.filter(offender__in=cases).values_list(
        "offender_id", "kind", "disposal_date"
    ):
        if period.holds(disposed):
            offences[kind].add(case_id)
    cautioned_only = offences[FurtherOffenceKind.CAUTION] - offences[FurtherOffenceKind.CONVICTION]

    measures: dict[str, set[int]] = {d: set() for d in MeasureDirection.values}
    for case_id, direction, changed in RestrictiveMeasureChange.objects.filter(
        offender__in=cases
    ).values_list("offender_id", "direction", "changed_on"):
        if period.holds(changed):
            measures[direction].add(case_id)

    perpetrators = set(
        cases.filter(
            Q(
                Exists(
                    Registration.objects.filter(
                        offender_id=OuterRef("pk"), kind=RegistrationKind.DOMESTIC_ABUSE
                    )
                )
            )
            | Q(
                Exists(
                    ProgrammeReferral.objects.filter(
                        offender_id=OuterRef("pk"), programme=Programme.INTEGRATED_DOMESTIC_ABUSE
                    )
                )
            )
        ).values_list("pk", flat=True)
    )
    latest_check: dict[int, str] = {}
    for case_id, result in (
        DomesticViolenceCheck.objects.filter(offender__in=cases, checked_on__lte=period.end)
        .order_by("offender_id", "checked_on", "id")
        .values_list("offender_id", "result")
    ):
        latest_check[case_id] = result
    perpetrators |= set(latest_check)

    victim_work = list(
        VictimAwarenessWork.objects.filter(
            offender__in=cases, ended_on__isnull=False, ended_on__lte=period.end
        ).values_list("offender_id", "result", "ended_on")
    )
    victim_relevant = {c for c, _, ended in victim_work if period.holds(ended)}
    victim_demonstrated = {
        c
        for c, result, ended in victim_work
        if period.holds(ended) and result == VictimAwarenessResult.DEMONSTRATED
    }
    compliance = [
        value
        for value, judged in EndOfSentenceCompliance.objects.filter(offender__in=cases).values_list(
            "compliance", "judged_on"
        )
        if period.holds(judged)
    ]
    profile = rules.needs_profile(_latest_needs(cases, period))
    return {
        "period": {"from": period.start.isoformat() if period.start else None, "to": period.end.isoformat()},
        "cases": total,
        "reconvicted": _share_json(len(offences[FurtherOffenceKind.CONVICTION]), total),
        "cautioned_not_reconvicted": _share_json(len(cautioned_only), total),
        "domestic_violence": {
            "perpetrators": len(perpetrators),
            "callouts_reported": sum(
                1 for c in perpetrators if latest_check.get(c) == DomesticViolenceCheckResult.CALLOUTS
            ),
            "no_callouts": sum(
                1 for c in perpetrators if latest_check.get(c) == DomesticViolenceCheckResult.NO_CALLOUTS
            ),
            "not_known": sum(1 for c in perpetrators if c not in latest_check),
        },
        "victim_awareness_demonstrated": _share_json(len(victim_demonstrated), len(victim_relevant)),
        "complied_at_end": _share_json(
            sum(1 for value in compliance if value == SentenceCompliance.COMPLIED), len(compliance)
        ),
        "needs": {
            "assessed": summary.assessed,
            "rescored": summary.rescored.as_json(),
            "no_improvement": summary.no_improvement.as_json(),
            "highest_priority_progress": summary.priority_progress.as_json(),
            "change_by_need": {
                need.value: {trend.value: n for trend, n in trends.items()}
                for need, trends in summary.change_by_need.items()
            },
        },
        "tier_movement": rules.movement_counts(tiers.values()),
        "mappa_movement": rules.movement_counts(mappa.values()),
        "restrictive_measures": {
            "eased": len(measures[MeasureDirection.EASED]),
            "increased": len(measures[MeasureDirection.INCREASED]),
        },
        "skills_for_life_awards": _skills_awards(cases, period),
        "ete_by_group": _ete_by_group(cases, period),
        "needs_profile": [
            {
                "need": need.value,
                "label": need.label,
                "cases": count,
                # Among rescored cases: how this need's score moved from the first assessment.
                **{trend.value: n for trend, n in summary.change_by_need[need].items()},
            }
            for need, count in profile.items()
        ],
    }


# ------------------------------------------------------------------ one case


@dataclass
class CaseOutcomes:
    further_offences: list[FurtherOffence]
    domestic_violence_checks: list[DomesticViolenceCheck]
    victim_awareness: list[VictimAwarenessWork]
    restrictive_measures: list[RestrictiveMeasureChange]
    end_compliance: list[EndOfSentenceCompliance]
    needs: rules.NeedsProgress | None
    tier: tuple[str, str] | None
    tier_movement: rules.Movement | None

    @property
    def need_rows(self) -> list[dict[str, Any]]:
        if self.needs is None:
            return []
        return [
            {
                "need": change.need,
                "first": change.first,
                "latest": change.latest,
                "trend": change.trend.value if change.trend else "",
                "linked": change.need in self.needs.linked,
                "priority": change.need == self.needs.priority_need,
            }
            for change in self.needs.changes
        ]

    @property
    def is_empty(self) -> bool:
        return not (
            self.further_offences
            or self.domestic_violence_checks
            or self.victim_awareness
            or self.restrictive_measures
            or self.end_compliance
            or self.needs
        )


def case_outcomes(offender: Offender, today: date) -> CaseOutcomes:
    """The case's outcomes: seven queries whatever its history."""
    cases = Offender.objects.filter(pk=offender.pk)
    period = Period(None, today)
    tiers = list(
        offender.tier_decisions.exclude(sign_off__in=NOT_IN_FORCE)
        .order_by("decided_at", "id")
        .values_list("tier", flat=True)
    )
    tier = (tiers[0], tiers[-1]) if tiers else None
    return CaseOutcomes(
        further_offences=list(offender.further_offences.select_related("event")),
        domestic_violence_checks=list(offender.domestic_violence_checks.all()),
        victim_awareness=list(offender.victim_awareness_work.all()),
        restrictive_measures=list(offender.restrictive_measure_changes.all()),
        end_compliance=list(offender.end_compliance.select_related("event")),
        needs=needs_progress_of(cases, period).get(offender.pk),
        tier=tier,
        tier_movement=rules.tier_movement(*tier) if tier else None,
    )


NEED_LABELS = {need.value: need.label for need in CriminogenicNeed}
