"""Issue 12 item 3: long work runs as jobs on the database queue, and `oms worker` runs them for real."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from oms.jobs.models import JobProgress
from oms.standards.models import StoredAction
from tests.factories import World, build_world, ensure_reference_data

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def live_world() -> World:
    """The test world, committed as it goes: a worker sees only what other connections could."""
    ensure_reference_data()
    return build_world()


def _run_worker_until_the_queue_is_empty() -> str:
    out = StringIO()
    call_command("worker", "--batch", "--interval", "0", stdout=out)
    return out.getvalue()


def test_the_nightly_sweep_is_one_job_per_area_and_the_worker_runs_them(live_world: World) -> None:
    StoredAction.objects.all().delete()  # as if every clock had moved on since the last evaluation
    out = StringIO()
    call_command("sweep", "--enqueue", stdout=out)
    assert "Enqueued 2 sweep jobs" in out.getvalue()
    assert DBTaskResult.objects.filter(status="READY").count() == 2
    _run_worker_until_the_queue_is_empty()
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    assert all(p.done == p.total > 0 for p in JobProgress.objects.all())
    assert StoredAction.objects.filter(area=live_world.area).exists()
    verified = StringIO()
    call_command("actions", "--verify", stdout=verified)
    assert "equal a fresh evaluation" in verified.getvalue()


def test_the_digests_run_as_a_job(live_world: World) -> None:
    call_command("remind", "--enqueue", stdout=StringIO())
    assert mail.outbox == []
    _run_worker_until_the_queue_is_empty()
    job = DBTaskResult.objects.get()
    assert job.status == "SUCCESSFUL" and job.return_value["digests"] == len(mail.outbox) > 0  # type: ignore[index]


def test_a_manager_starts_the_sweep_from_the_page_and_watches_it_finish(live_world: World) -> None:
    client = Client()
    client.force_login(live_world.user("aco"))
    started = client.post(reverse("standards:sweep-area"))
    assert started.status_code == 302
    waiting = client.get(started.url).content.decode()
    assert "Ready" in waiting and 'http-equiv="refresh"' in waiting
    _run_worker_until_the_queue_is_empty()
    done = client.get(started.url).content.decode()
    assert "Successful" in done and 'id="job-result"' in done and 'http-equiv="refresh"' not in done
    # Someone else's job is not theirs to see; and an offender manager cannot start a sweep.
    other = Client()
    other.force_login(live_world.user("om"))
    assert other.get(started.url).status_code == 404
    assert other.post(reverse("standards:sweep-area")).status_code == 403


def test_a_long_import_from_the_page_runs_as_a_job(
    live_world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from oms.cases import import_views
    from oms.cases.models import Offender

    monkeypatch.setattr(import_views, "LARGE_IMPORT_ROWS", 5)  # a small file stands in for a long one
    header = "crn,first_name,family_name,date_of_birth,gender,area\n"
    rows = "".join(
        f"Y9{number:05d},Ann,Example{number},1990-02-03,female,{live_world.area.name}\n"
        for number in range(8)
    )
    client = Client()
    client.force_login(live_world.user("caseadmin"))
    started = client.post(
        reverse("cases:import"),
        {"kind": "offenders", "file": SimpleUploadedFile("people.csv", (header + rows).encode())},
    )
    assert started.status_code == 302 and "/jobs/" in started.url
    assert not Offender.objects.filter(crn__startswith="Y9").exists(), "nothing is written by the request"
    _run_worker_until_the_queue_is_empty()
    assert Offender.objects.filter(crn__startswith="Y9").count() == 8
    done = client.get(started.url).content.decode()
    assert "Successful" in done and "Added: 8" in done
