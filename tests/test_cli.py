"""The `oms` console script as a user runs it: JSON out, errors to stderr with a non-zero exit."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

OMS = [sys.executable, "-m", "oms.cli"]


def run(
    args: list[str], stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        OMS + args,
        input=stdin,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


def test_calc_ogrs3_json_in_and_out() -> None:
    payload = {
        "gender": "male",
        "date_of_birth": "1980-01-01",
        "date_of_current_conviction": "2007-04-02",
        "date_of_start_of_follow_up": "2007-04-02",
        "total_sanctions": 5,
        "age_at_first_sanction": 16,
        "offence_code": "02801",
    }
    result = run(["calc", "ogrs3", "--json"], json.dumps(payload))
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert set(out) >= {"one_year", "two_year", "band", "components"}


def test_calc_invalid_input_exits_2_naming_every_field() -> None:
    result = run(["calc", "ogrs3", "--json"], json.dumps({"gender": "male"}))
    assert result.returncode == 2
    error = json.loads(result.stdout)["error"]
    assert error["code"] == "MISSING_MANDATORY_INPUT"
    assert {"date_of_birth", "total_sanctions", "offence_code"} <= set(error["fields"])


def test_calc_array_gives_results_in_order_with_errors_in_place() -> None:
    result = run(
        ["calc", "add-working-days", "--json"],
        json.dumps([{"date": "2007-04-05", "days": 5}, {"date": "nope", "days": 1}]),
    )
    assert result.returncode == 2
    first, second = json.loads(result.stdout)
    assert first == {"date": "2007-04-16"}
    assert "error" in second


@pytest.mark.django_db(transaction=True)
def test_seed_and_caseload_on_a_fresh_database(tmp_path: Path) -> None:
    env = (
        {"DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}"}
        if "postgres" not in os.environ.get("DATABASE_URL", "")
        else {}
    )
    if not env:
        pytest.skip("uses its own SQLite file; the PostgreSQL run covers the same code through call_command")
    assert run(["migrate", "-v0"], env=env).returncode == 0
    seeded = run(["seed", "--cases", "200", "--seed", "3", "--no-logins"], env=env)
    assert seeded.returncode == 0, seeded.stderr
    assert "200 current cases" in seeded.stdout
    figures = json.loads(run(["caseload", "--json"], env=env).stdout)
    assert figures["total_caseload"] == 200
    again = run(["seed", "--cases", "200", "--seed", "3"], env=env)
    assert again.returncode == 2 and "already exists" in again.stderr
    missing = run(["case", "Z999999", "--json"], env=env)
    assert missing.returncode != 0 and "No case with CRN Z999999" in missing.stderr
