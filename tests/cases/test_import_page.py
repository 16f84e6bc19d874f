"""The import page: case administrators upload a file, see its counts or every error, and nothing is
half-written; everyone else is refused; every attempt is in the access log."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from oms.accounts.models import AccessLogEntry
from oms.cases.models import Offender
from oms.supervision.models import Contact
from tests.factories import ROLES, World

URL = reverse("cases:import")
HEADER = "crn,contact_type,starts_at,duration_minutes,outcome,absence_reason,staff,notes\n"


def _client(world: World, role: str = "caseadmin") -> Client:
    client = Client()
    user: Any = world.user(role)
    client.force_login(user)
    return client


def _upload(name: str, text: str | bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode() if isinstance(text, str) else text)


def _post(client: Client, kind: str, name: str, text: str | bytes, *, dry_run: bool = False) -> str:
    data: dict[str, object] = {"kind": kind, "file": _upload(name, text)}
    if dry_run:
        data["dry_run"] = "on"
    response = client.post(URL, data)
    assert response.status_code == 200
    return response.content.decode()


def test_only_case_administrators_and_superusers_may_open_the_page(world: World) -> None:
    for role in ROLES:
        response = _client(world, role).get(URL)
        if role == "caseadmin":
            assert response.status_code == 200
            page = response.content.decode()
            assert "Import a file" in page and "Contacts and appointments" in page
            assert 'type="file"' in page and 'enctype="multipart/form-data"' in page
        else:
            assert response.status_code == 403, role
            assert "Only case administrators import files" in response.content.decode()
            assert AccessLogEntry.objects.filter(
                username=role, action="refused", what__contains="bulk import"
            ).exists()
    superuser = get_user_model().objects.create_superuser("root", "root@probation.example", "x")
    client = Client()
    client.force_login(superuser)
    assert client.get(URL).status_code == 200


def test_a_refused_upload_writes_nothing(world: World) -> None:
    crn = world.cases["own"].crn
    response = _client(world, "om").post(
        URL,
        {"kind": "contacts", "file": _upload("c.csv", HEADER + f"{crn},office,2026-03-02T10:00,30,,,,\n")},
    )
    assert response.status_code == 403
    assert not Contact.objects.exists()


def test_a_dry_run_shows_the_counts_and_writes_nothing(world: World) -> None:
    crn = world.cases["own"].crn
    page = _post(
        _client(world),
        "contacts",
        "contacts.csv",
        HEADER
        + f"{crn},office,2026-03-02T10:00,30,attended_complied,,om,\n{crn},telephone,2026-03-03T10:00,15,,,,\n",
        dry_run=True,
    )
    assert "File checked: no errors" in page and "nothing has been written" in page
    assert "Would be added" in page
    assert not Contact.objects.exists()
    entry = AccessLogEntry.objects.get(username="caseadmin", what__startswith="checked contacts")
    assert "(dry run): 2 new" in entry.what


def test_an_import_writes_the_file_and_is_in_the_access_log(world: World) -> None:
    crn = world.cases["own"].crn
    text = HEADER + f"{crn},office,2026-03-02T10:00,30,attended_complied,,om,Seen in the office\n"
    page = _post(_client(world), "contacts", "contacts.csv", text)
    assert "File imported" in page
    assert Contact.objects.get(offender__crn=crn).notes == "Seen in the office"
    assert AccessLogEntry.objects.filter(
        username="caseadmin", action="create", what="imported contacts from contacts.csv: 1 new, 0 changed"
    ).exists()
    # The case's own access log says who imported its contacts.
    assert AccessLogEntry.objects.filter(
        username="caseadmin", crn=crn, what__startswith="imported contacts"
    ).exists()
    again = _post(_client(world), "contacts", "contacts.csv", text)
    assert "Already held, unchanged" in again
    assert Contact.objects.count() == 1


def test_errors_are_listed_by_row_field_and_reason_and_nothing_is_written(world: World) -> None:
    crn = world.cases["own"].crn
    page = _post(
        _client(world),
        "contacts",
        "contacts.csv",
        HEADER
        + f"{crn},office,2026-03-02T10:00,30,attended_complied,,,\n"
        + f"{crn},coffee,2026-03-05T10:00,30,,,,\n"
        + f"{crn},office,2026-03-06T10:00,30,acceptable_absence,,,\n",
    )
    assert "There is a problem" in page
    assert "2 errors in the file: nothing was imported" in page
    # Numbered as a spreadsheet shows them: the header is row 1, the bad second data row is row 3.
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">3</td>' in page
    assert "row 1 is the header" in page
    assert "contact_type" in page and "&#x27;coffee&#x27; is not a contact type" in page
    assert "absence_reason" in page and "is required for an acceptable absence" in page
    assert not Contact.objects.exists()
    assert AccessLogEntry.objects.filter(
        what="import of contacts from contacts.csv refused: 2 errors"
    ).exists()


def test_a_file_that_cannot_be_read_is_named_on_the_file_field(world: World) -> None:
    page = _post(_client(world), "offenders", "people.csv", "crn,first_name\nY1,Zo\xeb\n".encode("latin-1"))
    assert "There is a problem" in page and "not UTF-8" in page and 'href="#id_file"' in page
    page = _post(_client(world), "offenders", "people.csv", "crn,first_name\nY1,Ann\n")
    assert "missing columns family_name, date_of_birth, gender, area" in page
    page = _post(_client(world), "offenders", "people.xlsx", "crn\n")
    assert "The file must be a .csv or .json file" in page
    assert not Offender.objects.filter(crn="Y1").exists()


def test_a_form_without_kind_or_file_names_both(world: World) -> None:
    response = _client(world).post(URL, {})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose what the file holds" in page and "Choose a file to import" in page


def test_a_case_administrator_imports_only_into_cases_they_may_read_and_their_own_area(world: World) -> None:
    far = world.cases["other_area"].crn
    page = _post(_client(world), "contacts", "c.csv", HEADER + f"{far},office,2026-03-02T10:00,30,,,,\n")
    assert f"case &#x27;{far}&#x27; is not one you have access to" in page
    assert not Contact.objects.exists()
    people = "crn,first_name,family_name,date_of_birth,gender,area\n"
    page = _post(
        _client(world),
        "offenders",
        "o.csv",
        people + f"Y9,Ann,New,1990-01-01,female,{world.other_area.code}\n",
    )
    assert "you can only add cases to your own area" in page
    assert not Offender.objects.filter(crn="Y9").exists()
    page = _post(
        _client(world), "offenders", "o.csv", people + f"Y9,Ann,New,1990-01-01,female,{world.area.code}\n"
    )
    assert "File imported" in page
    assert Offender.objects.get(crn="Y9").area == world.area


def test_a_clean_dry_run_offers_to_import_the_records_without_choosing_the_file_again(world: World) -> None:
    crn = world.cases["own"].crn
    client = _client(world)
    page = _post(
        client,
        "contacts",
        "contacts.csv",
        HEADER + f"{crn},office,2026-03-02T10:00,30,attended_complied,,om,\n",
        dry_run=True,
    )
    assert "Import these records" in page
    token = page.split('name="checked" value="', 1)[1].split('"', 1)[0]
    assert not Contact.objects.exists()
    imported = client.post(URL, {"checked": token}).content.decode()
    assert "File imported" in imported
    assert Contact.objects.filter(offender__crn=crn).count() == 1
    # The same check cannot be used twice.
    assert client.post(URL, {"checked": token}).status_code == 302
    assert Contact.objects.count() == 1


def test_the_page_lists_the_columns_of_each_kind_of_file(world: World) -> None:
    page = _client(world).get(URL).content.decode()
    assert "in the README" not in page
    columns = page[page.index('id="import-columns"') :]
    assert "crn, first_name, family_name, date_of_birth" in columns
    assert "starts_at" in columns and "completed_on" in columns
