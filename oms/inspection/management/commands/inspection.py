"""`oms inspection sample|score|report|list|scores`: the inspection's scriptable face (spec/inspection.md).

- ``sample --area A --method omi|stratified --size 100 --seed S [--as-of DATE] [--inspection ID] --json``
  prints the sample; with ``--inspection`` it also stores it (with its adjustments) and pre-fills it.
- ``score --framework FILE_OR_ID --input ANSWERS.json --json`` is pure: no database is read or written.
- ``report --inspection ID --format html|pdf --out FILE`` writes the report.
- ``list --json`` lists every inspection and self-assessment: id, area, kind, status and dates.
- ``scores --inspection ID --json`` prints its live scores as shown (rounded; null when not scored):
  criteria, sections, threads and the section 4 ratings.

Errors go to stderr naming the bad field, question id or answer value, with exit status 2.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandParser
from django.db.models import Q
from django.utils import timezone

from oms.calculation_errors import CalculatorInputError
from oms.cases.management.commands._output import to_json, usage_error
from oms.cases.models import Offender
from oms.cases.services import CaseRuleError
from oms.inspection import services
from oms.inspection.constants import DEFAULT_SAMPLE_SIZE, SamplingMethod
from oms.inspection.framework import load_framework
from oms.inspection.models import Inspection
from oms.inspection.queries import draw_sample, inspection_scores
from oms.inspection.report import render_report_html, render_report_pdf
from oms.inspection.scoring import score_answers
from oms.organisation.models import Area

SAMPLE_OUTPUT_KEYS = ("method", "seed", "size", "as_of", "cases", "adjustments", "shortfalls")


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise usage_error(f"--as-of: not a date (YYYY-MM-DD): {value!r}") from error


class Command(BaseCommand):
    help = "Offender Management Inspection: sample cases, score answers, write the report."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)

        sample = actions.add_parser("sample", help="Draw a reproducible sample of an area's cases")
        sample.add_argument("--area", help="Area name or code (with --inspection: the inspection's area)")
        sample.add_argument("--method", choices=SamplingMethod.values, default=SamplingMethod.OMI)
        sample.add_argument("--size", type=int, default=DEFAULT_SAMPLE_SIZE)
        sample.add_argument("--seed", required=True)
        sample.add_argument("--as-of", help="Sample date (default today)")
        sample.add_argument("--inspection", type=int, help="Store the sample on this inspection")
        sample.add_argument("--json", action="store_true")

        score = actions.add_parser("score", help="Score an answers file (pure: no database)")
        score.add_argument("--framework", required=True, help="A shipped framework id or a YAML file")
        score.add_argument("--input", required=True, help="ANSWERS.json ('-' for stdin)")
        score.add_argument("--json", action="store_true")

        report = actions.add_parser("report", help="Write an inspection's report")
        report.add_argument("--inspection", type=int, required=True)
        report.add_argument("--format", choices=["html", "pdf"], default="html")
        report.add_argument("--out", required=True)

        listing = actions.add_parser("list", help="Every inspection and self-assessment")
        listing.add_argument("--json", action="store_true")

        scores = actions.add_parser("scores", help="An inspection's live scores, as shown")
        scores.add_argument("--inspection", type=int, required=True)
        scores.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        handler = {
            "sample": self.sample,
            "score": self.score,
            "report": self.report,
            "list": self.list_inspections,
            "scores": self.scores,
        }[options["action"]]
        handler(options)

    # -------------------------------------------------------------- sample
    def sample(self, options: dict[str, Any]) -> None:
        as_of = _date(options["as_of"]) if options["as_of"] else timezone.localdate()
        if options["size"] < 1:
            raise usage_error(f"--size: must be at least 1, got {options['size']}")
        inspection = None
        if options["inspection"] is not None:
            inspection = Inspection.objects.select_related("area").filter(pk=options["inspection"]).first()
            if inspection is None:
                raise usage_error(f"--inspection: no inspection {options['inspection']}")
            area = inspection.area
            if options["area"] and options["area"].lower() not in (area.name.lower(), area.code.lower()):
                raise usage_error(
                    f"--area: inspection {inspection.pk} is of {area.name}, not {options['area']!r}"
                )
        else:
            if not options["area"]:
                raise usage_error("--area: required without --inspection")
            found = Area.objects.filter(
                Q(name__iexact=options["area"]) | Q(code__iexact=options["area"])
            ).first()
            if found is None:
                raise usage_error(f"--area: no area called {options['area']!r}")
            area = found
        try:
            if inspection is not None:
                result = services.store_sample(
                    _system_user(),
                    inspection,
                    method=options["method"],
                    size=options["size"],
                    seed=options["seed"],
                    as_of=as_of,
                )
            else:
                result = draw_sample(
                    Offender.objects.filter(area=area),
                    options["method"],
                    options["size"],
                    options["seed"],
                    as_of,
                )
        except (CalculatorInputError, CaseRuleError) as error:
            raise usage_error(str(error)) from error
        output = {key: result[key] for key in SAMPLE_OUTPUT_KEYS if key in result}
        output["cases"] = [
            {k: row[k] for k in ("crn", "officer", "stratum", "assessor_role")} for row in result["cases"]
        ]
        if inspection is not None:
            output["inspection"] = inspection.pk
        if options["json"]:
            self.stdout.write(to_json(output))
            return
        self.stdout.write(f"{len(output['cases'])} cases sampled ({output['method']}, seed {output['seed']})")
        for row in output["cases"]:
            self.stdout.write(
                f"  {row['crn']:<10} {row['stratum']:<28} {row['assessor_role']:<14} {row['officer']}"
            )
        for line in result.get("shortfalls", []):
            self.stdout.write(f"  shortfall: {line}")

    # -------------------------------------------------------------- score
    def score(self, options: dict[str, Any]) -> None:
        try:
            framework = load_framework(options["framework"])
        except CalculatorInputError as error:
            raise usage_error(f"--framework: {error.message}") from error
        source = options["input"]
        try:
            text = self.stdin_text() if source == "-" else Path(source).read_text(encoding="utf-8")
        except OSError as error:
            raise usage_error(f"--input: cannot read {source!r}: {error.strerror}") from error
        try:
            payload = json.loads(text)
        except json.JSONDecodeError as error:
            raise usage_error(f"--input: not JSON: {error}") from error
        try:
            result = score_answers(framework, payload)
        except CalculatorInputError as error:
            raise usage_error(error.message) from error
        if options["json"]:
            self.stdout.write(to_json(result))
            return
        for criterion_id, criterion in result["criteria"].items():
            shown = f"{criterion['rounded']}%" if criterion["rounded"] is not None else "not scored"
            self.stdout.write(f"{criterion_id:<6} {shown:<11} {criterion['conclusion'] or ''}")
        for thread_id, thread in result["threads"].items():
            self.stdout.write(
                f"thread {thread_id}: {thread['rounded']}% (re-inspection: {thread['reinspection']})"
            )

    def stdin_text(self) -> str:
        return sys.stdin.read()

    # -------------------------------------------------------------- report
    def report(self, options: dict[str, Any]) -> None:
        inspection = Inspection.objects.select_related("area").filter(pk=options["inspection"]).first()
        if inspection is None:
            raise usage_error(f"--inspection: no inspection {options['inspection']}")
        out = Path(options["out"])
        if not out.parent.exists():
            raise usage_error(f"--out: folder {str(out.parent)!r} does not exist")
        started = time.perf_counter()
        html = render_report_html(inspection)
        if options["format"] == "pdf":
            out.write_bytes(render_report_pdf(inspection, html))
        else:
            out.write_text(html, encoding="utf-8")
        elapsed = time.perf_counter() - started
        self.stderr.write(f"Wrote {out} ({options['format'].upper()}) in {elapsed:.2f} s")

    # -------------------------------------------------------------- list
    def list_inspections(self, options: dict[str, Any]) -> None:
        rows = [
            {
                "id": inspection.pk,
                "area": inspection.area.name,
                "kind": inspection.kind,
                "status": inspection.status,
                "fieldwork_start": inspection.fieldwork_start,
                "fieldwork_end": inspection.fieldwork_end,
                "published_on": inspection.published_on,
            }
            for inspection in Inspection.objects.select_related("area").order_by("-fieldwork_start", "-pk")
        ]
        if options["json"]:
            self.stdout.write(to_json(rows))
            return
        for row in rows:
            self.stdout.write(
                f"{row['id']:>4}  {row['area']:<24} {row['kind']:<16} {row['status']:<12} "
                f"{row['fieldwork_start']} to {row['fieldwork_end']}"
            )

    # -------------------------------------------------------------- scores
    def scores(self, options: dict[str, Any]) -> None:
        inspection = Inspection.objects.select_related("area").filter(pk=options["inspection"]).first()
        if inspection is None:
            raise usage_error(f"--inspection: no inspection {options['inspection']}")
        try:
            result = inspection_scores(inspection)
        except CalculatorInputError as error:
            raise usage_error(error.message) from error
        shown = scores_as_shown(result)
        if options["json"]:
            self.stdout.write(to_json(shown))
            return
        for group in ("criteria", "sections", "threads"):
            for key, value in shown[group].items():
                self.stdout.write(
                    f"{group[:-1] if group != 'criteria' else 'criterion'} {key}: "
                    f"{'not scored' if value is None else f'{value}%'}"
                )
        for key, rating in shown["ratings"].items():
            self.stdout.write(f"rating {key}: {rating or 'not rated'}")


def scores_as_shown(result: dict[str, Any]) -> dict[str, Any]:
    """The scores as the pages show them: each rounded percentage, or None where nothing is scored;
    ratings as stable keys ("satisfactorily met" is "satisfactorily_met")."""
    return {
        "criteria": {key: value["rounded"] for key, value in result["criteria"].items()},
        "sections": {key: value["rounded"] for key, value in result["sections"].items()},
        "threads": {key: value["rounded"] for key, value in result["threads"].items()},
        "ratings": {
            key: rating.replace(" ", "_") if rating else None for key, rating in result["ratings"].items()
        },
    }


def _system_user() -> AnonymousUser:
    """The CLI acts as the system: the access log records "(system)"."""
    return AnonymousUser()
