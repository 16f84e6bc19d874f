"""One rule at every door: each write of the issue, for each of the ten roles and each relation to the
case, gets the same answer from the service itself, its page, the API, the import page and
`oms import --as`, and each refusal leaves exactly one entry in the access log.

The expected answers are written from the rules (README "Demo sign-ins" and the permission modules'
docstrings), not read from the code:

- who reads which case (READS, as tests/accounts/test_permission_matrix.py);
- who may make each write on a case they read (Write.roles);
- bulk import is case administration: the import page and `oms import --as` are open to case
  administrators only, and then each row gets the answer of the service that makes the same write by
  hand (so an import never does what the page refuses, and the command line never does what the page
  refuses either).

Each attempt is judged by what it did, not only by its status: "done" (the write is in the database),
"refused" (403, or the command's refusal, and one refusal in the log) or "rule" (a rule of the domain
answered, such as an assistant chief officer signing a recall before the SPO: nothing written, no
refusal).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from oms.accounts.models import AccessAction, AccessLogEntry
from oms.cases import services as case_services
from oms.cases.constants import EventKind
from oms.cases.models import ContactType, Event, Offender, Requirement, Transfer
from oms.cases.services import CaseRuleError
from oms.organisation.models import Staff
from oms.planning import services as planning_services
from oms.planning.models import SentencePlan
from oms.risk import services as risk_services
from oms.risk.countersigning import CountersigningStatus
from oms.risk.models import RiskOfHarmScreening
from oms.supervision import services as supervision_services
from oms.supervision.constants import ContactOutcome, RecallStatus, RecallType
from oms.supervision.models import Breach, Contact, EnforcementWarning, RecallRecommendation
from oms.tiering import services as tiering_services
from oms.tiering.models import TierDecision
from oms.tiering.recalculation import recalculate_cases
from tests.factories import RELATIONS, ROLES, World, make_roh_screening, make_staff

ALL_ROLES = [*ROLES, "national"]
# Which relations each role reads (the "own" case is granted to partner, prison and inspector).
AREA_WIDE = {"own", "team", "other_team"}
READS = {
    "om": {"own"},
    "spo": {"own", "team"},
    "caseadmin": AREA_WIDE,
    "aco": AREA_WIDE,
    "vlo": AREA_WIDE,
    "interventions": AREA_WIDE,
    "partner": {"own"},
    "prison": {"own"},
    "inspector": {"own"},
    "national": set(),
}
IMPORTERS = {"caseadmin"}

DONE, REFUSED, RULE = "done", "refused", "rule"
# The import's words for a row refused for its case (oms/cases/bulk.py rows_out_of_reach).
OUT_OF_REACH = ("not one you have access to", "you cannot import", "your own area")


@dataclass
class Scene:
    world: World
    role: str
    relation: str
    case: Offender
    client: Client
    tmp: Path

    @property
    def user(self) -> Any:
        return self.world.user(self.role)


# A door makes one attempt and says whether it was refused; the write's `done` check says whether
# it happened. Each door prepares its own target, so one door's success never changes the next's.
Door = Callable[[Scene], tuple[bool, bool]]


@dataclass(frozen=True)
class Write:
    roles: frozenset[str]
    doors: dict[str, Door]
    # roles -> the answer on a readable case when it is a rule rather than the write (see RULE).
    told_a_rule: frozenset[str] = frozenset()


# ---------------------------------------------------------------------------- the doors' mechanics
def _page(scene: Scene, url: str, data: dict[str, Any]) -> bool:
    status = scene.client.post(url, data).status_code
    assert status in (200, 302, 400, 403), (url, status)
    return status == 403


def _service(call: Callable[[], Any]) -> bool:
    try:
        call()
    except PermissionDenied:
        return True
    except CaseRuleError:
        return False
    return False


def _import_page(scene: Scene, kind: str, csv: str) -> bool:
    upload = SimpleUploadedFile(f"{kind}.csv", csv.encode(), content_type="text/csv")
    response = scene.client.post("/cases/import/", {"kind": kind, "file": upload})
    assert response.status_code in (200, 403), response.status_code
    return response.status_code == 403 or any(words in response.content.decode() for words in OUT_OF_REACH)


def _import_command(scene: Scene, kind: str, csv: str) -> bool:
    path = scene.tmp / f"{kind}-{scene.relation}.csv"
    path.write_text(csv, encoding="utf-8")
    out, err = StringIO(), StringIO()
    try:
        call_command("import", kind, str(path), "--as", scene.role, stdout=out, stderr=err)
    except CommandError as error:
        words = f"{error} {err.getvalue()}"
        return "import files" in words or any(out_of_reach in words for out_of_reach in OUT_OF_REACH)
    return False


def _yesterday_at(hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(timezone.localdate() - timedelta(days=1), time(hour, 0)))


def _contact(case: Offender, hour: int, **values: Any) -> Contact:
    start = _yesterday_at(hour)
    return Contact.objects.create(
        offender=case,
        event=case.events.get(number=1),
        contact_type=ContactType.objects.get(code="office"),
        starts_at=start,
        ends_at=start + timedelta(minutes=30),
        staff=case.offender_manager,
        booked_by=case.offender_manager,
        **values,
    )


def _failure(case: Offender, hour: int) -> Contact:
    """An unacceptable absence not yet enforced (as after "not enforceable" was proposed)."""
    return _contact(case, hour, outcome=ContactOutcome.UNACCEPTABLE_ABSENCE, enforceable=False)


def _warned_failure(case: Offender, hour: int) -> Contact:
    """A failure a week after a warned one: the next step is breach (CJA 2003 Sch 8 para 6)."""
    earlier = _contact(case, 8, outcome=ContactOutcome.UNACCEPTABLE_ABSENCE, enforceable=True)
    week_before = earlier.starts_at - timedelta(days=7)
    Contact.objects.filter(pk=earlier.pk).update(
        starts_at=week_before, ends_at=week_before + timedelta(minutes=30)
    )
    EnforcementWarning.objects.create(
        offender=case, event=earlier.event, failure=earlier, issued_on=timezone.localdate(week_before)
    )
    return _failure(case, hour)


def _licence(case: Offender) -> Event:
    event, _ = Event.objects.get_or_create(
        offender=case,
        number=9,
        defaults={
            "kind": EventKind.LICENCE,
            "court": "Northampton Crown Court",
            "offence_id": "02801",
            "sentence_date": date(2026, 1, 5),
            "release_date": date(2026, 6, 1),
            "length_months": 24,
            "prison": "HMP Onley",
        },
    )
    return event


def _recommendation(case: Offender, reason: str) -> RecallRecommendation:
    return RecallRecommendation.objects.create(
        offender=case,
        event=_licence(case),
        recall_type=RecallType.STANDARD,
        reason=reason,
        recommended_on=timezone.localdate(),
    )


def _spare(case: Offender, door: str) -> Staff:
    """A probation officer of the case's area with an empty caseload, one for each door."""
    username = f"spare-{door}-{case.crn}".lower()
    existing = Staff.objects.filter(user__username=username).first()
    return existing or make_staff("PO", case.area, case.offender_manager.team, username=username)


def _offender_row(case: Offender, **changes: str) -> str:
    values = {
        "crn": case.crn,
        "first_name": case.first_name,
        "family_name": case.family_name,
        "date_of_birth": str(case.date_of_birth),
        "gender": case.gender,
        "area": case.area.code,
        "offender_manager": "",
        "first_language": case.first_language,
    } | changes
    return ",".join(values) + "\n" + ",".join(values.values()) + "\n"


def _recorded(case: Offender, **fields: Any) -> bool:
    return Offender.objects.filter(pk=case.pk, **fields).exists()


# ------------------------------------------------------------------------------------ the writes
def _outcome_doors() -> dict[str, Door]:
    def page(s: Scene) -> bool:
        c = _contact(s.case, 10)
        refused = _page(s, f"/supervision/contacts/{c.pk}/", {"outcome": "attended_complied", "version": 1})
        done = Contact.objects.get(pk=c.pk).outcome != ""
        return refused, done

    def api(s: Scene) -> bool:
        c = _contact(s.case, 11)
        status = s.client.post(
            f"/api/v1/supervision/contacts/{c.pk}/outcome",
            {"outcome": "attended_complied", "version": 1},
            content_type="application/json",
        ).status_code
        assert status in (200, 403), status
        return status == 403, Contact.objects.get(pk=c.pk).outcome != ""

    def service(s: Scene) -> bool:
        c = _contact(s.case, 12)
        outcome = supervision_services.OutcomeInput(ContactOutcome.ATTENDED_COMPLIED)
        refused = _service(
            lambda: supervision_services.record_outcome(s.user, c, outcome, expected_version=1)
        )
        done = Contact.objects.get(pk=c.pk).outcome != ""
        return refused, done

    return {"service": service, "page": page, "API": api}


def _warning_doors() -> dict[str, Door]:
    def page(s: Scene) -> bool:
        c = _failure(s.case, 10)
        refused = _page(s, f"/supervision/contacts/{c.pk}/enforce/", {})
        done = EnforcementWarning.objects.filter(failure=c).exists()
        return refused, done

    def service(s: Scene) -> bool:
        c = _failure(s.case, 11)
        refused = _service(lambda: supervision_services.give_warning(s.user, c))
        done = EnforcementWarning.objects.filter(failure=c).exists()
        return refused, done

    return {"service": service, "page": page}


def _breach_doors() -> dict[str, Door]:
    def page(s: Scene) -> bool:
        c = _warned_failure(s.case, 10)
        refused = _page(s, f"/supervision/contacts/{c.pk}/enforce/", {"action": "breach"})
        done = Breach.objects.filter(failure=c).exists()
        Breach.objects.filter(failure=c).delete()  # one breach at a time on an order
        return refused, done

    def service(s: Scene) -> bool:
        c = _warned_failure(s.case, 11)
        refused = _service(lambda: supervision_services.initiate_breach(s.user, c))
        done = Breach.objects.filter(failure=c).exists()
        Breach.objects.filter(failure=c).delete()
        return refused, done

    return {"service": service, "page": page}


def _recall_doors() -> dict[str, Door]:
    def page(s: Scene) -> bool:
        licence = _licence(s.case)
        refused = _page(
            s,
            f"/supervision/cases/{s.case.crn}/recall/new/",
            {"event": licence.pk, "recall_type": RecallType.STANDARD, "reason": "Page door"},
        )
        done = RecallRecommendation.objects.filter(event=licence).exists()
        RecallRecommendation.objects.filter(event=licence).delete()  # one waiting at a time
        return refused, done

    def service(s: Scene) -> bool:
        licence = _licence(s.case)
        refused = _service(
            lambda: supervision_services.recommend_recall(
                s.user, licence, recall_type=RecallType.STANDARD, emergency=False, reason="Service door"
            )
        )
        done = RecallRecommendation.objects.filter(event=licence).exists()
        RecallRecommendation.objects.filter(event=licence).delete()
        return refused, done

    return {"service": service, "page": page}


def _recall_sign_off_doors() -> dict[str, Door]:
    def signed(recommendation: RecallRecommendation) -> bool:
        recommendation.refresh_from_db()
        return recommendation.status != RecallStatus.AWAITING_SPO

    def page(s: Scene) -> bool:
        r = _recommendation(s.case, "Page door")
        refused = _page(s, f"/supervision/recalls/{r.pk}/", {"action": "sign", "version": 1})
        done = signed(r)
        r.delete()
        return refused, done

    def service(s: Scene) -> bool:
        r = _recommendation(s.case, "Service door")
        refused = _service(lambda: supervision_services.sign_off_recall(s.user, r, expected_version=1))
        done = signed(r)
        r.delete()
        return refused, done

    return {"service": service, "page": page}


def _risk_author_doors() -> dict[str, Door]:
    def started(case: Offender) -> bool:
        found = RiskOfHarmScreening.objects.filter(offender=case).exists()
        RiskOfHarmScreening.objects.filter(offender=case).delete()
        return found

    def page(s: Scene) -> bool:
        refused = _page(s, f"/risk/cases/{s.case.crn}/screening/start/", {})
        done = started(s.case)
        return refused, done

    def service(s: Scene) -> bool:
        refused = _service(lambda: risk_services.start_document(s.user, s.case, "screening"))
        done = started(s.case)
        return refused, done

    return {"service": service, "page": page}


def _countersign_doors() -> dict[str, Door]:
    def submitted(case: Offender) -> Any:
        document = make_roh_screening(case, case.offender_manager)
        RiskOfHarmScreening.objects.filter(pk=document.pk).update(countersigning_required=True)
        document.refresh_from_db()
        return document

    def locked(document: Any) -> bool:
        document.refresh_from_db()
        found = document.status == CountersigningStatus.LOCKED
        document.delete()
        return found

    def page(s: Scene) -> bool:
        document = submitted(s.case)
        refused = _page(
            s,
            f"/risk/cases/{s.case.crn}/screening/{document.pk}/countersign/",
            {"version": document.version, "decision": "countersign"},
        )
        done = locked(document)
        return refused, done

    def service(s: Scene) -> bool:
        document = submitted(s.case)
        refused = _service(
            lambda: risk_services.countersign_document(s.user, document, expected_version=document.version)
        )
        done = locked(document)
        return refused, done

    return {"service": service, "page": page}


def _plan_doors() -> dict[str, Door]:
    def started(case: Offender) -> bool:
        found = SentencePlan.objects.filter(offender=case).exists()
        SentencePlan.objects.filter(offender=case).delete()
        return found

    def page(s: Scene) -> bool:
        refused = _page(s, f"/planning/cases/{s.case.crn}/start/", {})
        done = started(s.case)
        return refused, done

    def service(s: Scene) -> bool:
        refused = _service(lambda: planning_services.start_plan(s.user, s.case))
        done = started(s.case)
        return refused, done

    return {"service": service, "page": page}


def _allocate_doors() -> dict[str, Door]:
    def form(s: Scene, door: str) -> tuple[Staff, dict[str, Any]]:
        s.case.refresh_from_db()
        spare = _spare(s.case, door)
        return spare, {
            "version": s.case.version,
            "offender_manager": spare.pk,
            "reason": f"Allocated at the {door} door",
            "start_date": str(timezone.localdate()),
        }

    def held_by(s: Scene, spare: Staff) -> bool:
        return _recorded(s.case, offender_manager=spare)

    def page(s: Scene) -> bool:
        spare, data = form(s, "page")
        refused = _page(s, f"/cases/{s.case.crn}/allocate/", data)
        done = held_by(s, spare)
        return refused, done

    def queue_page(s: Scene) -> bool:
        spare, data = form(s, "queue")
        refused = _page(s, f"/tiering/allocation/{s.case.crn}/", data)
        done = held_by(s, spare)
        return refused, done

    def service(s: Scene) -> bool:
        spare, data = form(s, "service")
        refused = _service(
            lambda: case_services.allocate(
                s.user,
                s.case,
                spare,
                reason="Service door",
                on=timezone.localdate(),
                expected_version=data["version"],
            )
        )
        done = held_by(s, spare)
        return refused, done

    def import_page(s: Scene) -> bool:
        spare = _spare(s.case, "import")
        refused = _import_page(s, "offenders", _offender_row(s.case, offender_manager=spare.user.username))
        done = held_by(s, spare)
        return refused, done

    def command(s: Scene) -> bool:
        spare = _spare(s.case, "command")
        refused = _import_command(s, "offenders", _offender_row(s.case, offender_manager=spare.user.username))
        done = held_by(s, spare)
        return refused, done

    return {
        "service": service,
        "page": page,
        "allocation queue": queue_page,
        "import page": import_page,
        "oms import": command,
    }


def _override_doors() -> dict[str, Door]:
    def other_tier(case: Offender) -> str:
        current = TierDecision.objects.filter(offender=case, is_current=True).first()
        if current is None:
            recalculate_cases([case.pk], trigger="first")
            current = TierDecision.objects.get(offender=case, is_current=True)
        return "2" if current.tier != "2" else "3"

    def page(s: Scene) -> bool:
        tier = other_tier(s.case)
        refused = _page(s, f"/tiering/cases/{s.case.crn}/", {"tier": tier, "reason": "Page door"})
        done = _recorded(s.case, tier=tier)
        return refused, done

    def service(s: Scene) -> bool:
        tier = other_tier(s.case)
        refused = _service(
            lambda: tiering_services.override_tier(
                s.user, s.case, tier=tier, reason="Service door", expected_decision_id=None
            )
        )
        done = _recorded(s.case, tier=tier)
        return refused, done

    return {"service": service, "page": page}


def _personal_details_doors() -> dict[str, Door]:
    def page(s: Scene) -> bool:
        s.case.refresh_from_db()
        birth = s.case.date_of_birth
        refused = _page(
            s,
            f"/cases/{s.case.crn}/personal-details/",
            {
                "first_name": s.case.first_name,
                "family_name": s.case.family_name,
                "gender": s.case.gender,
                "first_language": "Polish",
                "version": s.case.version,
                "date_of_birth_day": birth.day,
                "date_of_birth_month": birth.month,
                "date_of_birth_year": birth.year,
            },
        )
        done = _recorded(s.case, first_language="Polish")
        return refused, done

    def service(s: Scene) -> bool:
        s.case.refresh_from_db()
        refused = _service(
            lambda: case_services.update_personal_details(
                s.user, s.case, {"first_language": "Welsh"}, s.case.version
            )
        )
        done = _recorded(s.case, first_language="Welsh")
        return refused, done

    def import_page(s: Scene) -> bool:
        s.case.refresh_from_db()
        refused = _import_page(s, "offenders", _offender_row(s.case, first_language="Urdu"))
        done = _recorded(s.case, first_language="Urdu")
        return refused, done

    def command(s: Scene) -> bool:
        s.case.refresh_from_db()
        refused = _import_command(s, "offenders", _offender_row(s.case, first_language="Gujarati"))
        done = _recorded(s.case, first_language="Gujarati")
        return refused, done

    return {"service": service, "page": page, "import page": import_page, "oms import": command}


def _transfer_doors() -> dict[str, Door]:
    def transferred(case: Offender) -> bool:
        found = Transfer.objects.filter(offender=case).exists()
        if found:  # put the case back as it was for the next door
            Transfer.objects.filter(offender=case).delete()
            case.events.update(is_active=True, terminated_on=None, termination_reason="")
        return found

    def page(s: Scene) -> bool:
        s.case.refresh_from_db()
        refused = _page(
            s,
            f"/cases/{s.case.crn}/transfer-out/",
            {
                "other_area": "Bedfordshire",
                "transfer_date": str(timezone.localdate()),
                "notes": "",
                "version": s.case.version,
            },
        )
        done = transferred(s.case)
        return refused, done

    def service(s: Scene) -> bool:
        s.case.refresh_from_db()
        refused = _service(
            lambda: case_services.transfer_out(
                s.user,
                s.case,
                to_area="Bedfordshire",
                on=timezone.localdate(),
                notes="",
                expected_version=s.case.version,
            )
        )
        done = transferred(s.case)
        return refused, done

    return {"service": service, "page": page}


def _events_import_doors() -> dict[str, Door]:
    header = "crn,event_number,kind,court,offence_code,sentence_date,length_months\n"

    def row(case: Offender, number: int) -> str:
        return (
            header
            + f"{case.crn},{number},community_order,Northampton Magistrates' Court,02801,2026-09-01,12\n"
        )

    def page(s: Scene) -> bool:
        refused = _import_page(s, "events", row(s.case, 2))
        done = s.case.events.filter(number=2).exists()
        return refused, done

    def command(s: Scene) -> bool:
        refused = _import_command(s, "events", row(s.case, 3))
        done = s.case.events.filter(number=3).exists()
        return refused, done

    return {"import page": page, "oms import": command}


def _requirements_import_doors() -> dict[str, Door]:
    header = "crn,event_number,requirement_type,length_months\n"

    def added(case: Offender) -> bool:
        found = Requirement.objects.filter(
            event__offender=case, requirement_type__code="supervision"
        ).exists()
        Requirement.objects.filter(event__offender=case, requirement_type__code="supervision").delete()
        return found

    def page(s: Scene) -> bool:
        refused = _import_page(s, "requirements", header + f"{s.case.crn},1,supervision,12\n")
        done = added(s.case)
        return refused, done

    def command(s: Scene) -> bool:
        refused = _import_command(s, "requirements", header + f"{s.case.crn},1,supervision,12\n")
        done = added(s.case)
        return refused, done

    return {"import page": page, "oms import": command}


def _contacts_import_doors() -> dict[str, Door]:
    header = "crn,contact_type,starts_at,duration_minutes,outcome\n"

    def row(case: Offender, hour: int) -> str:
        return header + f"{case.crn},office,{_yesterday_at(hour).isoformat()},30,attended_complied\n"

    def page(s: Scene) -> bool:
        refused = _import_page(s, "contacts", row(s.case, 14))
        done = Contact.objects.filter(offender=s.case).exists()
        Contact.objects.filter(offender=s.case).delete()
        return refused, done

    def command(s: Scene) -> bool:
        refused = _import_command(s, "contacts", row(s.case, 15))
        done = Contact.objects.filter(offender=s.case).exists()
        Contact.objects.filter(offender=s.case).delete()
        return refused, done

    return {"import page": page, "oms import": command}


MANAGE = frozenset({"om", "spo", "caseadmin"})  # book, judge, enforce, recommend recall
ADMINISTER = frozenset({"spo", "caseadmin"})  # allocate, register events, transfer
ASSESS = frozenset({"om", "spo", "prison"})  # risk work and sentence plans

WRITES: dict[str, Write] = {
    "record an outcome": Write(MANAGE, _outcome_doors()),
    "give a warning": Write(MANAGE, _warning_doors()),
    "start breach action": Write(MANAGE, _breach_doors()),
    "recommend recall": Write(MANAGE, _recall_doors()),
    # The SPO signs first; an ACO coming first is told the order, not refused.
    "sign off a recall": Write(frozenset({"spo"}), _recall_sign_off_doors(), told_a_rule=frozenset({"aco"})),
    "author a risk assessment": Write(ASSESS, _risk_author_doors()),
    "countersign": Write(frozenset({"spo"}), _countersign_doors()),
    "start a sentence plan": Write(ASSESS, _plan_doors()),
    "allocate": Write(ADMINISTER, _allocate_doors()),
    "override a tier": Write(frozenset({"spo", "aco"}), _override_doors()),
    "change personal details": Write(ADMINISTER | {"om"}, _personal_details_doors()),
    "transfer out": Write(ADMINISTER, _transfer_doors()),
    "import events": Write(ADMINISTER, _events_import_doors()),
    "import requirements": Write(ADMINISTER, _requirements_import_doors()),
    "import contacts": Write(MANAGE | {"interventions", "partner"}, _contacts_import_doors()),
}
IMPORT_DOORS = {"import page", "oms import"}


def expected(write: Write, role: str, relation: str, door: str) -> str:
    readable = relation in READS[role]
    if not readable:
        return REFUSED
    if door in IMPORT_DOORS and role not in IMPORTERS:
        return REFUSED
    if role in write.told_a_rule:
        return RULE
    return DONE if role in write.roles else REFUSED


def _refusals(username: str) -> int:
    return AccessLogEntry.objects.filter(action=AccessAction.REFUSED, username=username).count()


@pytest.fixture
def national(world: World) -> World:
    world.staff["national"] = make_staff("NPD", None, username="national")
    return world


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("write", list(WRITES))
def test_every_door_gives_the_services_answer_and_logs_each_refusal_once(
    national: World, frozen_today: datetime, tmp_path: Path, write: str, role: str
) -> None:
    world = national
    client = Client()
    client.force_login(world.user(role))
    wrong = []
    for relation in RELATIONS:
        scene = Scene(world, role, relation, world.cases[relation], client, tmp_path)
        for door, attempt in WRITES[write].doors.items():
            before = _refusals(role)
            refused, done = attempt(scene)
            logged = _refusals(role) - before
            answer = REFUSED if refused and not done else DONE if done and not refused else RULE
            if refused and done:
                answer = "refused yet written"
            want = expected(WRITES[write], role, relation, door)
            # A service refuses; the door that called it (page, API, command) logs the refusal.
            if answer != want or logged != (1 if refused and door != "service" else 0):
                wrong.append(f"{relation} at the {door}: {answer}, {logged} refusals logged; expected {want}")
    assert not wrong, f"{role} {write}: {wrong}"


def test_the_table_covers_every_role() -> None:
    assert set(READS) == set(ALL_ROLES)
    for write in WRITES.values():
        assert write.roles | write.told_a_rule <= set(ALL_ROLES)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_a_new_case_is_imported_only_by_a_case_administrator_and_only_into_their_own_area(
    national: World, frozen_today: datetime, tmp_path: Path, role: str
) -> None:
    header = "crn,first_name,family_name,date_of_birth,gender,area\n"
    client = Client()
    client.force_login(national.user(role))
    wrong = []
    for number, (door, area) in enumerate(
        [
            (door, area)
            for door in ("import page", "oms import")
            for area in (national.area, national.other_area)
        ]
    ):
        crn = f"N{number:06d}"
        scene = Scene(national, role, f"new-{number}", national.cases["own"], client, tmp_path)
        csv = header + f"{crn},New,Case,1990-01-01,male,{area.code}\n"
        before = _refusals(role)
        refused = (_import_page if door == "import page" else _import_command)(scene, "offenders", csv)
        done = Offender.objects.filter(crn=crn).exists()
        allowed = role in IMPORTERS and area == national.area
        logged = _refusals(role) - before
        if (done, refused, logged) != (allowed, not allowed, 0 if allowed else 1):
            wrong.append(f"{door}, {area.name}: done {done}, refused {refused}, {logged} refusals logged")
    assert not wrong, f"{role}: {wrong}"
