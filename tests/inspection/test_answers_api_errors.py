"""The inspection API answers the service's refusals through the one handler: a broken rule is 422 in
JSON naming the question, a stale answer 409 (as every API module does: tests/api/test_domain_errors.py)."""

from __future__ import annotations

import json
from typing import Any

from oms.inspection.models import Answer
from tests.api.test_domain_errors import _rule_broken, _stale
from tests.inspection.conftest import InspectionWorld
from tests.inspection.test_assessment import lead_client, start_fieldwork


def _post(client: Any, url: str, body: Any) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def test_inspection_a_broken_rule_is_422_naming_the_question_and_a_stale_answer_409(
    inspection_world: InspectionWorld,
) -> None:
    sampled = start_fieldwork(inspection_world)[0]
    answer = Answer.objects.get(sampled_case=sampled, question_id="1.4.c")
    client = lead_client(inspection_world)
    url = f"/api/v1/inspections/{inspection_world.inspection.pk}/cases/{sampled.offender.crn}/answers"
    _rule_broken(_post(client, url, [{"question_id": "1.4.c", "value": "maybe"}]), "answer-1.4.c")
    opened = answer.version
    saved = _post(client, url, [{"question_id": "1.4.c", "value": "no", "expected_version": opened}])
    assert saved.status_code == 200, saved.content
    _stale(_post(client, url, [{"question_id": "1.4.c", "value": "yes", "expected_version": opened}]))
    answer.refresh_from_db()
    assert answer.value == "no"
