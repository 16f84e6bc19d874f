"""Demo history for outcomes, at the report's rates (criteria 3.1 and 3.2), written in bulk.

Report 3.1 (b): 22 of the sample reconvicted since the start of the order or licence, one more cautioned,
70% complied; 3.1 (e): 42% of skills for life starters achieved an award; 3.2 (a): restrictive measures
increased in five cases, eased in none, no case moved to a lower tier or MAPPA level; 3.2 (b): of 16
domestic abuse perpetrators, police call-outs reported in one, none in six, not known in nine; 3.2 (c):
increased victim awareness in 24%; 3.2 (d): rescored in 63%, no improvement in two thirds, and the
profile of factors linked to offending (thinking and behaviour 71 ... drugs 32).

Two steps: ``enrich_with_outcomes`` before tiering (the rescored needs are what the tiers follow), and
``enrich_with_earlier_tiers`` after it (a few cases' earlier tier, so movement shows).
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from oms.cases.constants import EventKind, RegistrationKind
from oms.cases.models import Event, Registration
from oms.interventions.constants import Programme, SkillsLevel
from oms.interventions.models import ProgrammeReferral, SkillsAward, SkillsForLife
from oms.organisation.models import Area
from oms.outcomes.constants import (
    DomesticViolenceCheckResult,
    FurtherOffenceKind,
    InformationSource,
    MeasureDirection,
    RestrictiveMeasure,
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
from oms.outcomes.rules import highest_priority_need, need_scores
from oms.risk.countersigning import CountersigningStatus
from oms.risk.models import ReoffendingAssessment
from oms.risk.needs import NEED_SCORING, CriminogenicNeed
from oms.tiering.models import TierDecision

RECONVICTED = 0.22
CAUTIONED = 0.01
# Supervised long enough for a further offence to have reached court.
OFFENCE_AFTER_DAYS = 60
COMPLIANCE_WEIGHTS = {
    SentenceCompliance.COMPLIED: 70,
    SentenceCompliance.PARTLY: 18,
    SentenceCompliance.BREACHED: 12,
}
SKILLS_AWARDED = 0.42
RESTRICTIONS_INCREASED = 0.05
RESTRICTIONS_EASED = 0.005
# 3.2 (b): of 16 perpetrators, 1 with call-outs, 6 without, 9 not known.
DOMESTIC_VIOLENCE_CHECKS = {
    DomesticViolenceCheckResult.CALLOUTS: 1 / 16,
    DomesticViolenceCheckResult.NO_CALLOUTS: 6 / 16,
}
VICTIM_AWARENESS_STARTED = 0.35
VICTIM_AWARENESS_ENDED = 0.8
VICTIM_AWARENESS_DEMONSTRATED = 0.24
RESCORED = 0.63
RESCORE_AFTER_DAYS = 112  # 16 weeks: the review point of a sentence plan
IMPROVER = 0.34  # "no improvement in two thirds of cases"
# 3.2 (d): cases in the sample (about 100) with each factor linked to offending; relationships and
# financial management are not given by the report.
LINKED_SHARE = {
    CriminogenicNeed.THINKING_BEHAVIOUR: 0.71,
    CriminogenicNeed.EDUCATION_TRAINING_EMPLOYABILITY: 0.50,
    CriminogenicNeed.LIFESTYLE_ASSOCIATES: 0.45,
    CriminogenicNeed.ATTITUDES: 0.44,
    CriminogenicNeed.ALCOHOL_MISUSE: 0.42,
    CriminogenicNeed.EMOTIONAL_WELLBEING: 0.39,
    CriminogenicNeed.ACCOMMODATION: 0.39,
    CriminogenicNeed.DRUG_MISUSE: 0.32,
    CriminogenicNeed.RELATIONSHIPS: 0.30,
    CriminogenicNeed.FINANCIAL_MANAGEMENT: 0.25,
}
TIER_MOVED_UP = 0.04
TIER_MOVED_DOWN = 0.01
MAPPA_MOVED_UP = 0.05
OFFENCES = (
    "Theft from a shop", "Common assault", "Criminal damage", "Driving while disqualified",
    "Possession of a class A drug", "Burglary of a dwelling", "Breach of a restraining order",
    "Public order offence", "Assault occasioning actual bodily harm", "Handling stolen goods",
)  # fmt: skip
AWARDS = ("Adult literacy", "Adult numeracy")


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(11)))


def _linked_score(need: CriminogenicNeed, rng: random.Random) -> int:
    """A section score that reads as a need: at least the standard threshold where there is one."""
    standard = NEED_SCORING[need].standard_from or 2
    return rng.randint(standard, standard + 4)


def _rescored(needs: dict[str, Any], improver: bool, rng: random.Random) -> dict[str, Any]:
    """The needs at a re-score: an improver's linked needs (its priority need nearly always) lower."""
    priority = highest_priority_need(need_scores(needs))
    rescored = {}
    for key, entry in needs.items():
        score = entry["score"]
        chance = 0.95 if priority is not None and key == priority.value else 0.5
        if entry["linked_to_offending"] and improver and rng.random() < chance:
            score = max(0, score - rng.randint(1, 3))
        elif rng.random() < 0.1:
            score += 1
        rescored[key] = {**entry, "score": score}
    return rescored


def _rescore_needs(area: Area, as_of: date, rng: random.Random) -> None:
    firsts = list(
        ReoffendingAssessment.objects.filter(
            offender__area=area, status=CountersigningStatus.LOCKED, sequence=1
        ).order_by("pk")
    )
    # The 16-weekly re-scores the risk history already wrote (copies of the first): they carry the
    # re-scored needs, so each such case is one of the re-scored ones.
    chains: dict[int, list[ReoffendingAssessment]] = {}
    for later_version in ReoffendingAssessment.objects.filter(offender__area=area, sequence__gt=1).order_by(
        "offender_id", "created_at", "pk"
    ):
        chains.setdefault(later_version.offender_id, []).append(later_version)
    seconds, rescored_versions = [], []
    for first in firsts:
        if not any((entry or {}).get("linked_to_offending") for entry in first.needs.values()):
            continue  # a first offence with few needs (oms/risk/demo.py): its needs stand as assessed
        needs: dict[str, Any] = {}
        for need in CriminogenicNeed:
            linked = rng.random() < LINKED_SHARE[need]
            score = (first.needs.get(need.value) or {}).get("score") or 0
            needs[need.value] = {
                "score": max(score, _linked_score(need, rng)) if linked else min(score, 1),
                "linked_to_offending": linked,
            }
        first.needs = needs
        chain = chains.get(first.offender_id, [])
        if chain:
            rescored = _rescored(needs, rng.random() < IMPROVER, rng)
            for version in chain:
                version.needs = rescored
            rescored_versions += chain
            continue
        done = first.created_at.date()
        if (as_of - done).days < RESCORE_AFTER_DAYS or rng.random() >= RESCORED:
            continue
        later = min(done + timedelta(days=rng.randint(RESCORE_AFTER_DAYS, RESCORE_AFTER_DAYS + 70)), as_of)
        rescored = _rescored(needs, rng.random() < IMPROVER, rng)
        seconds.append(
            ReoffendingAssessment(
                offender_id=first.offender_id, event_id=first.event_id, author_id=first.author_id,
                status=CountersigningStatus.LOCKED, sequence=2, previous=first,
                created_at=_at(later), updated_at=_at(later), submitted_at=_at(later), locked_at=_at(later),
                countersigning_required=False,
                date_of_current_conviction=first.date_of_current_conviction,
                date_of_start_of_follow_up=first.date_of_start_of_follow_up,
                total_sanctions=first.total_sanctions, age_at_first_sanction=first.age_at_first_sanction,
                offence_code=first.offence_code, ogrs3_one_year=first.ogrs3_one_year,
                ogrs3_two_year=first.ogrs3_two_year, ogrs3_band=first.ogrs3_band,
                needs=rescored, positive_factors=first.positive_factors,
            )
        )  # fmt: skip
    ReoffendingAssessment.objects.bulk_update(firsts + rescored_versions, ["needs"], batch_size=500)
    ReoffendingAssessment.objects.bulk_create(seconds, batch_size=500)


def enrich_with_outcomes(area: Area, as_of: date, rng: random.Random) -> None:
    _rescore_needs(area, as_of, rng)
    events = list(
        Event.objects.filter(offender__area=area).values_list(
            "pk", "offender_id", "kind", "sentence_date", "release_date", "is_active", "terminated_on"
        )
    )
    offences, checks, victim_work, measures, compliance = [], [], [], [], []
    current: dict[int, tuple[int, date]] = {}
    for pk, offender_id, kind, sentenced, released, active, terminated in events:
        start = released if kind == EventKind.LICENCE and released else sentenced
        if active:
            current.setdefault(offender_id, (pk, start))
        elif terminated is not None:
            compliance.append(
                EndOfSentenceCompliance(
                    event_id=pk, offender_id=offender_id, judged_on=terminated,
                    compliance=rng.choices(list(COMPLIANCE_WEIGHTS), weights=list(COMPLIANCE_WEIGHTS.values()))[0],
                )
            )  # fmt: skip
    for offender_id, (event_id, start) in current.items():
        supervised = (as_of - start).days
        if supervised > OFFENCE_AFTER_DAYS:
            draw = rng.random()
            if draw < RECONVICTED + CAUTIONED:
                offence_on = start + timedelta(days=rng.randint(7, supervised - 40))
                offences.append(
                    FurtherOffence(
                        offender_id=offender_id, event_id=event_id,
                        kind=FurtherOffenceKind.CONVICTION if draw < RECONVICTED else FurtherOffenceKind.CAUTION,
                        offence=rng.choice(OFFENCES), offence_date=offence_on,
                        disposal_date=min(as_of, offence_on + timedelta(days=rng.randint(1, 40))),
                        source=rng.choices(
                            [InformationSource.POLICE_NATIONAL_COMPUTER, InformationSource.COURT, InformationSource.POLICE],
                            weights=[70, 20, 10],
                        )[0],
                    )
                )  # fmt: skip
            if rng.random() < VICTIM_AWARENESS_STARTED:
                started = start + timedelta(days=rng.randint(14, max(15, supervised // 2)))
                ended = started + timedelta(days=rng.randint(28, 84))
                done = ended <= as_of and rng.random() < VICTIM_AWARENESS_ENDED
                result = ""
                if done:
                    result = (
                        VictimAwarenessResult.DEMONSTRATED
                        if rng.random() < VICTIM_AWARENESS_DEMONSTRATED
                        else rng.choice(
                            [VictimAwarenessResult.NOT_DEMONSTRATED, VictimAwarenessResult.NOT_COMPLETED]
                        )
                    )
                victim_work.append(
                    VictimAwarenessWork(
                        offender_id=offender_id, started_on=started, ended_on=ended if done else None, result=result,
                    )
                )  # fmt: skip
            draw = rng.random()
            if draw < RESTRICTIONS_INCREASED + RESTRICTIONS_EASED:
                measures.append(
                    RestrictiveMeasureChange(
                        offender_id=offender_id,
                        changed_on=start + timedelta(days=rng.randint(14, supervised)),
                        measure=rng.choice(list(RestrictiveMeasure)),
                        direction=MeasureDirection.INCREASED if draw < RESTRICTIONS_INCREASED else MeasureDirection.EASED,
                        reason="Risk of harm reviewed after a change in circumstances"
                        if draw < RESTRICTIONS_INCREASED
                        else "Sustained progress: compliant, stable address and work",
                    )
                )  # fmt: skip
    perpetrators = set(
        Registration.objects.filter(
            offender__area=area, kind=RegistrationKind.DOMESTIC_ABUSE, offender_id__in=list(current)
        ).values_list("offender_id", flat=True)
    ) | set(
        ProgrammeReferral.objects.filter(
            offender__area=area, programme=Programme.INTEGRATED_DOMESTIC_ABUSE
        ).values_list("offender_id", flat=True)
    )
    for offender_id in sorted(perpetrators):
        draw = rng.random()
        callouts = draw < DOMESTIC_VIOLENCE_CHECKS[DomesticViolenceCheckResult.CALLOUTS]
        if draw >= sum(DOMESTIC_VIOLENCE_CHECKS.values()):
            continue  # the offender manager does not know
        checked = as_of - timedelta(days=rng.randint(5, 90))
        checks.append(
            DomesticViolenceCheck(
                offender_id=offender_id, checked_on=checked,
                result=DomesticViolenceCheckResult.CALLOUTS if callouts else DomesticViolenceCheckResult.NO_CALLOUTS,
                callouts=rng.randint(1, 3) if callouts else 0,
                last_callout_on=checked - timedelta(days=rng.randint(3, 60)) if callouts else None,
            )
        )  # fmt: skip
    awards = [
        SkillsAward(
            skills_for_life_id=pk, award=rng.choice(AWARDS),
            level=rng.choice([SkillsLevel.LEVEL_1, SkillsLevel.LEVEL_2]),
            awarded_on=min(as_of, assessed + timedelta(days=rng.randint(30, 120))),
        )
        for pk, assessed in SkillsForLife.objects.filter(offender__area=area, assessed_on__isnull=False)
        .order_by("pk")
        .values_list("pk", "assessed_on")
        if assessed is not None and rng.random() < SKILLS_AWARDED
    ]  # fmt: skip
    mappa = [
        Registration(
            offender_id=r.offender_id, kind=RegistrationKind.MAPPA, mappa_category=r.mappa_category,
            mappa_level=(r.mappa_level or 2) - 1, start_date=r.start_date - timedelta(days=rng.randint(60, 300)),
            end_date=r.start_date, notes="Level raised at review",
        )
        for r in Registration.objects.filter(offender__area=area, kind=RegistrationKind.MAPPA, mappa_level__gt=1)
        .order_by("pk")
        if rng.random() < MAPPA_MOVED_UP
    ]  # fmt: skip
    FurtherOffence.objects.bulk_create(offences, batch_size=500)
    DomesticViolenceCheck.objects.bulk_create(checks, batch_size=500)
    VictimAwarenessWork.objects.bulk_create(victim_work, batch_size=500)
    RestrictiveMeasureChange.objects.bulk_create(measures, batch_size=500)
    EndOfSentenceCompliance.objects.bulk_create(compliance, batch_size=500)
    SkillsAward.objects.bulk_create(awards, batch_size=500)
    Registration.objects.bulk_create(mappa, batch_size=500)


def _neighbour_tier(tier: str, step: int) -> str | None:
    """The tier one step less (-1) or more (+1) intensive, in the tier's own framework."""
    if tier.isdigit():
        moved = int(tier) + step
        return str(moved) if 1 <= moved <= 4 else None
    letters = "DCBA"
    index = letters.find(tier[:1]) + step
    return f"{letters[index]}{tier[1:]}" if 0 <= index < len(letters) else None


def enrich_with_earlier_tiers(area: Area, as_of: date, rng: random.Random) -> None:
    """A few cases were tiered differently at the start: most moved up (risk rose), very few down."""
    earlier = []
    for decision in TierDecision.objects.filter(offender__area=area, is_current=True).order_by("pk"):
        draw = rng.random()
        if draw >= TIER_MOVED_UP + TIER_MOVED_DOWN:
            continue
        # An earlier tier one step less intensive means the case moved up since; more intensive, down.
        tier = _neighbour_tier(decision.tier, -1 if draw < TIER_MOVED_UP else 1)
        if tier is None:
            continue
        earlier.append(
            TierDecision(
                offender_id=decision.offender_id, framework=decision.framework, inputs=decision.inputs,
                computed_tier=tier, points=decision.points, reasons=["Tier at the start of the sentence"],
                tier=tier, trigger="demo area: tier at the start of the sentence",
                decided_at=decision.decided_at - timedelta(days=rng.randint(90, 240)), is_current=False,
            )
        )  # fmt: skip
    TierDecision.objects.bulk_create(earlier, batch_size=500)
