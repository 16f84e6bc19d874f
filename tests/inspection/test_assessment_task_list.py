"""The case assessment as a GOV.UK task list: one criterion per page, "Save and continue", nothing lost."""

from __future__ import annotations

from oms.inspection.models import Answer
from oms.inspection.queries import framework_of
from tests.inspection.conftest import InspectionWorld
from tests.inspection.test_assessment import lead_client, start_fieldwork


def _lead_case_url(iw: InspectionWorld) -> tuple[str, object]:
    sampled = start_fieldwork(iw)
    case = next(s for s in sampled if s.assessor_id == iw.lead.pk)
    return f"/inspection/{iw.inspection.pk}/cases/{case.offender.crn}/", case


def test_the_task_list_shows_each_criterion_with_its_status_and_links_to_its_own_page(
    inspection_world: InspectionWorld,
) -> None:
    url, _ = _lead_case_url(inspection_world)
    page = lead_client(inspection_world).get(url).content.decode()
    assert '<ul class="govuk-task-list"' in page
    assert f'href="{url}criteria/1.1/"' in page
    assert "You have completed 0 of" in page
    assert 'id="status-1.1"><strong class="govuk-tag govuk-tag--blue">Not yet started</strong>' in page
    assert "pre-filled from the records, to check" in page


def test_save_and_continue_goes_to_the_next_criterion_and_the_task_list_says_completed(
    inspection_world: InspectionWorld,
) -> None:
    url, case = _lead_case_url(inspection_world)
    client = lead_client(inspection_world)
    first = client.get(url + "criteria/1.1/").content.decode()
    assert "criterion 1 of" in first and "Save and continue" in first
    framework = framework_of(inspection_world.inspection)
    answers = {f"answer-{q.id}": "yes" for q in framework.criterion("1.1").all_questions}
    for row in Answer.objects.filter(sampled_case=case, question_id__startswith="1.1."):
        answers[f"version-{row.question_id}"] = str(row.version)
    response = client.post(url + "criteria/1.1/", answers)
    assert response.status_code == 302 and response["Location"] == url + "criteria/1.2/"
    task_list = client.get(url).content.decode()
    assert 'id="status-1.1">Completed</div>' in task_list
    assert "You have completed 1 of" in task_list
    back = client.post(url + "criteria/1.2/", {"answer-1.2.a": "no", "then": "list"})
    assert back["Location"] == url + "#criterion-1.2"
    assert (
        'id="status-1.2"><strong class="govuk-tag govuk-tag--light-blue">In progress'
        in client.get(url).content.decode()
    )


def test_a_refused_save_keeps_every_answer_and_note_typed_on_the_page(
    inspection_world: InspectionWorld,
) -> None:
    url, case = _lead_case_url(inspection_world)
    client = lead_client(inspection_world)
    response = client.post(
        url + "criteria/1.2/",
        {
            "answer-1.2.a": "no",
            "note-1.2.a": "No victim information in the PSR",
            "note-1.2.b": "A note typed before choosing an answer",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "<title>Error: " in page
    assert "Question 1.2.b: choose yes, no or not relevant for the note to be saved" in page
    assert 'id="answer-1.2.a-no" name="answer-1.2.a" type="radio" value="no" checked' in page
    assert 'value="No victim information in the PSR"' in page
    assert 'value="A note typed before choosing an answer"' in page
    assert not Answer.objects.filter(
        sampled_case=case, question_id="1.2.a", confirmed_at__isnull=False
    ).exists()


def test_a_criterion_that_does_not_exist_is_not_found(inspection_world: InspectionWorld) -> None:
    url, _ = _lead_case_url(inspection_world)
    assert lead_client(inspection_world).get(url + "criteria/9.9/").status_code == 404
