"""`oms inspection score`: the spec's arithmetic on hand-computed examples, pure (no database), and
unknown question ids or answer values named with exit status 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

# Three cases, worked by hand (spec "Scoring"):
#   1.1.a yes, yes, no  -> p = 2/3 = 66.67     1.1.b no, yes, na -> p = 1/2 = 50 (na left out)
#   1.1.s yes, na, no   -> p = 1/2 = 50
#   1.1 = 0.8 x mean(66.67, 50) + 0.2 x 50 = 0.8 x 58.33 + 10 = 56.67 -> shown 57, urgent
#   1.2.a yes, yes, no  -> 66.67; 1.2.s yes, no -> 50; 1.2 = 0.8 x 66.67 + 0.2 x 50 = 63.33 -> 63
#   section 1 = mean(56.67, 63.33) = 60.0
#   RoH thread = mean over tagged questions answered (1.2.a, 1.2.s) = mean(66.67, 50) = 58.33 -> 58,
#   below the re-inspection threshold of 60.
ANSWERS = {
    "cases": [
        {
            "case": "A",
            "answers": {"1.1.a": "yes", "1.1.b": "no", "1.1.s": "yes", "1.2.a": "yes", "1.2.s": "yes"},
        },
        {
            "case": "B",
            "answers": {"1.1.a": "yes", "1.1.b": "yes", "1.1.s": "na", "1.2.a": "yes", "1.2.s": "no"},
        },
        {"case": "C", "answers": {"1.1.a": "no", "1.1.b": "na", "1.1.s": "no", "1.2.a": "no"}},
    ],
    "ratings": {"4.1": "satisfactorily met"},
}
ROOT = Path(__file__).resolve().parents[2]


def run_cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """The real console script, with a database URL that cannot be reached: a pure command never
    notices, any query would fail."""
    environment = {**os.environ, "DATABASE_URL": "postgres://nobody@127.0.0.1:9/no_database"}
    return subprocess.run(
        [sys.executable, "-m", "oms.cli", *args],
        cwd=ROOT,
        env=environment,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_score_agrees_with_the_hand_computed_example_without_a_database(tmp_path: Path) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(ANSWERS))
    result = run_cli("inspection", "score", "--framework", "omi-2007", "--input", str(answers), "--json")
    assert result.returncode == 0, result.stderr
    scores = json.loads(result.stdout)
    assert scores["framework"] == "omi-2007"
    assert scores["questions"]["1.1.b"] == {"yes": 1, "no": 1, "na": 1, "p": 50.0}
    assert scores["criteria"]["1.1"]["score"] == pytest.approx(56.6667, abs=1e-3)
    assert scores["criteria"]["1.1"]["rounded"] == 57
    assert scores["criteria"]["1.1"]["band"] == "urgent"
    assert scores["criteria"]["1.2"]["rounded"] == 63
    assert scores["criteria"]["1.3"] == {"score": None, "rounded": None, "band": None, "conclusion": None}
    assert scores["sections"]["1"]["score"] == pytest.approx(60.0)
    assert scores["threads"]["roh"]["rounded"] == 58
    assert scores["threads"]["roh"]["reinspection"] is True
    assert scores["ratings"]["4.1"] == "satisfactorily met"


def test_framework_given_as_a_file_scores_the_same(tmp_path: Path) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(ANSWERS))
    framework = ROOT / "oms" / "inspection" / "frameworks" / "omi-2007.yaml"
    result = run_cli("inspection", "score", "--framework", str(framework), "--input", str(answers), "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["criteria"]["1.1"]["rounded"] == 57


def test_unknown_question_ids_and_answer_values_are_named_with_exit_2(tmp_path: Path) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(
        json.dumps({"cases": [{"case": "A", "answers": {"1.1.z": "yes", "1.1.a": "maybe", "1.1.b": "yes"}}]})
    )
    result = run_cli("inspection", "score", "--framework", "omi-2007", "--input", str(answers), "--json")
    assert result.returncode == 2
    assert result.stdout == ""
    assert "cases[0].answers.1.1.z: unknown question" in result.stderr
    assert "cases[0].answers.1.1.a: unknown answer value 'maybe'" in result.stderr


def test_unknown_framework_and_missing_file_are_named(tmp_path: Path) -> None:
    result = run_cli("inspection", "score", "--framework", "omi-1999", "--input", str(tmp_path / "x.json"))
    assert result.returncode == 2
    assert "--framework" in result.stderr and "omi-1999" in result.stderr
    result = run_cli("inspection", "score", "--framework", "omi-2007", "--input", str(tmp_path / "x.json"))
    assert result.returncode == 2
    assert "--input" in result.stderr
