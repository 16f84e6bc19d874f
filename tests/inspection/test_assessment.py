"""Case assessment: pre-filled answers with their evidence, confirming or changing them, and the
query budget of pre-fill and of the assessment page (the same whatever the sample's size)."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from oms.cases.constants import TransferDirection
from oms.cases.models import Allocation, Offender, Transfer
from oms.cases.services import CaseRuleError, StaleRecordError
from oms.inspection import prefill, services
from oms.inspection.constants import InspectionStatus
from oms.inspection.models import Answer, SampledCase
from oms.inspection.queries import framework_by_id, inspection_progress
from tests.inspection.conftest import SAMPLE_DATE, InspectionWorld, add_caseload

FRAMEWORK = framework_by_id("omi-2007")


def start_fieldwork(iw: InspectionWorld, size: int = 12) -> list[SampledCase]:
    services.store_sample(iw.lead.user, iw.inspection, method="omi", size=size, seed="s", as_of=SAMPLE_DATE)
    iw.inspection.refresh_from_db()
    services.change_status(iw.lead.user, iw.inspection, InspectionStatus.FIELDWORK, iw.inspection.version)
    return list(iw.inspection.sampled_cases.select_related("offender").order_by("row"))


def lead_client(iw: InspectionWorld) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(pk=iw.lead.user_id))
    return client


def test_allocation_prefill_uses_the_three_working_day_rule(inspection_world: InspectionWorld) -> None:
    on_time, late = inspection_world.cases[:2]
    event = late.events.get()
    Allocation.objects.filter(offender=late).update(start_date=event.sentence_date + timedelta(days=14))
    decided = prefill.compute_prefill(FRAMEWORK, [on_time, late], SAMPLE_DATE, ["1.5.a"])
    answer, evidence = decided[(on_time.crn, "1.5.a")]
    assert answer == "yes"
    assert "3 working days" in evidence and "allocated to" in evidence
    assert decided[(late.crn, "1.5.a")][0] == "no"


def test_ethnicity_and_transfer_prefill(inspection_world: InspectionWorld) -> None:
    recorded, missing, transferred = inspection_world.cases[:3]
    Offender.objects.filter(pk=missing.pk).update(ethnicity=None)
    Transfer.objects.create(
        offender=transferred, direction=TransferDirection.IN, other_area="Leicestershire",
        transfer_date=SAMPLE_DATE - timedelta(days=60), complete_oasys_received=False,
    )  # fmt: skip
    decided = prefill.compute_prefill(FRAMEWORK, [recorded, missing, transferred], SAMPLE_DATE)
    assert decided[(recorded.crn, "1.4.c")][0] == "yes"
    assert decided[(missing.crn, "1.4.c")] == ("no", "No ethnicity code recorded on the case.")
    assert decided[(recorded.crn, "2.1.k")] == ("na", "No transfer in is recorded.")
    assert decided[(transferred.crn, "2.1.k")][0] == "no"
    assert "complete OASys was not received" in decided[(transferred.crn, "2.1.k")][1]


def test_missing_records_mean_no_prefill_never_an_error() -> None:
    rule = prefill._timescale_rule("risk", ("NoSuchModel",), ("completed_on",), 5, "nothing")
    assert rule(prefill.PrefillContext([], SAMPLE_DATE)) == {}
    assert "allocated_within_timescale" in prefill.live_codes()


def _prefill_cost(iw: InspectionWorld, cases: list[Offender]) -> tuple[int, float]:
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        prefill.compute_prefill(FRAMEWORK, cases, SAMPLE_DATE)
        elapsed = time.perf_counter() - started
    return len(queries), elapsed


def test_prefill_runs_the_same_queries_for_10_and_100_cases(inspection_world: InspectionWorld) -> None:
    cases = inspection_world.cases + add_caseload(inspection_world.world, 100 - len(inspection_world.cases))
    small_queries, small_time = _prefill_cost(inspection_world, cases[:10])
    large_queries, large_time = _prefill_cost(inspection_world, cases[:100])
    print(f"pre-fill 10 cases: {small_queries} queries {small_time * 1000:.0f} ms; "
          f"100 cases: {large_queries} queries {large_time * 1000:.0f} ms")  # fmt: skip
    assert small_queries == large_queries


def test_storing_the_prefill_reads_a_fixed_number_of_queries(inspection_world: InspectionWorld) -> None:
    """Reads are fixed; the bulk writes are split only by the database's bound-parameter limit
    (SQLite: 999 parameters, so about 80 answers an INSERT; PostgreSQL: one statement)."""
    add_caseload(inspection_world.world, 80)
    counts = []
    for size in (10, 60):
        services.store_sample(
            inspection_world.lead.user,
            inspection_world.inspection,
            method="omi",
            size=size,
            seed="q",
            as_of=SAMPLE_DATE,
        )
        with CaptureQueriesContext(connection) as queries:
            written = services.prefill_inspection(inspection_world.inspection, SAMPLE_DATE)
        assert written >= size * 3
        counts.append(
            sum(1 for q in queries.captured_queries if q["sql"].lstrip().upper().startswith("SELECT"))
        )
    assert counts[0] == counts[1]


def test_assessment_page_shows_prefill_with_evidence_and_confirms_answers(
    inspection_world: InspectionWorld,
) -> None:
    sampled = start_fieldwork(inspection_world)
    lead_case = next(s for s in sampled if s.assessor_id == inspection_world.lead.pk)
    client = lead_client(inspection_world)
    url = f"/inspection/{inspection_world.inspection.pk}/cases/{lead_case.offender.crn}/"
    page = client.get(url + "criteria/1.4/").content.decode()
    assert "Pre-filled from the records" in page
    assert "Ethnicity recorded: W1" in page
    assert "Not yet confirmed" in page
    prefilled = Answer.objects.get(sampled_case=lead_case, question_id="1.4.c")
    response = client.post(
        url,
        {
            "criterion": "1.4",
            "answer-1.4.a": "no",
            "note-1.4.a": "No evidence of learning style on file",
            "answer-1.4.c": "yes",
            "version-1.4.c": str(prefilled.version),
        },
    )
    assert response.status_code == 302
    confirmed = Answer.objects.get(sampled_case=lead_case, question_id="1.4.c")
    assert confirmed.confirmed_at is not None and confirmed.confirmed_by_id == inspection_world.lead.pk
    assert (
        Answer.objects.get(sampled_case=lead_case, question_id="1.4.a").note
        == "No evidence of learning style on file"
    )
    assert inspection_progress(inspection_world.inspection).questions_confirmed == 2
    detail = client.get(f"/inspection/{inspection_world.inspection.pk}/").content.decode()
    assert "2 of" in detail and "questions</strong> confirmed" in detail


def test_a_bad_answer_is_named_and_nothing_is_saved(inspection_world: InspectionWorld) -> None:
    sampled = start_fieldwork(inspection_world)
    lead_case = next(s for s in sampled if s.assessor_id == inspection_world.lead.pk)
    client = lead_client(inspection_world)
    url = f"/inspection/{inspection_world.inspection.pk}/cases/{lead_case.offender.crn}/"
    before = Answer.objects.filter(confirmed_at__isnull=False).count()
    response = client.post(url, {"criterion": "1.1", "answer-1.1.a": "yes", "answer-1.1.b": "perhaps"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "There is a problem" in body and "Question 1.1.b: choose yes, no or not relevant" in body
    assert 'href="#answer-1.1.b-yes"' in body
    assert Answer.objects.filter(confirmed_at__isnull=False).count() == before
    with pytest.raises(CaseRuleError, match=r"Unknown question '9\.9\.z'"):
        services.save_answers(
            inspection_world.lead.user,
            lead_case,
            [services.AnswerInput("1.1.a", "yes"), services.AnswerInput("9.9.z", "yes")],
        )
    assert Answer.objects.filter(confirmed_at__isnull=False).count() == before


def test_a_stale_answer_is_refused(inspection_world: InspectionWorld) -> None:
    sampled = start_fieldwork(inspection_world)
    case = sampled[0]
    answer = Answer.objects.get(sampled_case=case, question_id="1.4.c")
    services.save_answers(
        inspection_world.lead.user, case, [services.AnswerInput("1.4.c", "no", "", answer.version)]
    )
    with pytest.raises(StaleRecordError):
        services.save_answers(
            inspection_world.lead.user, case, [services.AnswerInput("1.4.c", "yes", "", answer.version)]
        )


def test_assessment_page_queries_do_not_grow_with_answers(inspection_world: InspectionWorld) -> None:
    sampled = start_fieldwork(inspection_world)
    lead_cases = [s for s in sampled if s.assessor_id == inspection_world.lead.pk]
    empty, full = lead_cases[:2]
    Answer.objects.filter(sampled_case=empty).delete()
    services.save_answers(
        inspection_world.lead.user,
        full,
        [services.AnswerInput(q, "yes") for q in FRAMEWORK.questions_by_id if not q.startswith("4.")],
    )
    client = lead_client(inspection_world)
    for page in ("", "criteria/2.1/"):
        counts = []
        for case in (empty, full):
            url = f"/inspection/{inspection_world.inspection.pk}/cases/{case.offender.crn}/{page}"
            client.get(url)  # warm caches (framework, session)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts.append(len(queries))
        assert counts[0] == counts[1], page


def test_offender_manager_interview_is_recorded(inspection_world: InspectionWorld) -> None:
    sampled = start_fieldwork(inspection_world)
    case = next(s for s in sampled if s.assessor_id == inspection_world.lead.pk)
    client = lead_client(inspection_world)
    url = f"/inspection/{inspection_world.inspection.pk}/cases/{case.offender.crn}/interview/"
    missing = client.post(url, {"interviewed_on": "2026-11-27", "notes": ""})
    assert "Enter the interview notes" in missing.content.decode()
    assert "This field is required" not in missing.content.decode()
    saved = client.post(
        url, {"interviewed_on": "2026-11-27", "offender_manager_name": "A PO", "notes": "Knew the case well"}
    )
    assert saved.status_code == 302
    page = client.get(
        f"/inspection/{inspection_world.inspection.pk}/cases/{case.offender.crn}/"
    ).content.decode()
    assert "Knew the case well" in page
