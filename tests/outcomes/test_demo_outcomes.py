"""The demo history holds outcomes at the report's rates (the report's figures are the shape, a seeded
area of 300 cases the sample), and its published inspection report is frozen."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from oms.demo.area import seed_area
from oms.inspection.constants import InspectionStatus
from oms.inspection.models import Inspection
from oms.inspection.report import render_report_html, render_report_pdf

pytestmark = pytest.mark.django_db


def test_the_demo_area_has_outcomes_at_the_reports_rates_and_a_frozen_published_report() -> None:
    seed_area(cases=300, seed=14, area_name="Outcomes", as_of=date(2026, 11, 27), with_logins=False)
    out = StringIO()
    call_command("outcomes", "--area", "Outcomes", "--to", "2026-11-27", "--json", stdout=out)
    figures = json.loads(out.getvalue())
    # Report 3.1 (b): 22 reconvicted, one more cautioned; 3.2 (d): rescored 63%, no improvement in two
    # thirds; 3.1 (e): 42% of skills for life starters achieved an award. Bounds allow a 300-case draw.
    assert 12 <= figures["reconvicted"]["percent"] <= 32
    assert 45 <= figures["needs"]["rescored"]["percent"] <= 80
    assert 50 <= figures["needs"]["no_improvement"]["percent"] <= 85
    assert 20 <= figures["skills_for_life_awards"]["percent"] <= 65
    assert figures["needs_profile"][0]["need"] == "thinking_behaviour"
    assert figures["tier_movement"]["down"] <= figures["tier_movement"]["up"]
    assert figures["restrictive_measures"]["eased"] <= figures["restrictive_measures"]["increased"]
    assert figures["domestic_violence"]["not_known"] > 0

    published = Inspection.objects.get(area__name="Outcomes", status=InspectionStatus.PUBLISHED)
    version = published.published_reports.get()
    assert "Caseload at end of" in version.html
    assert hashlib.sha256(render_report_pdf(published)).hexdigest() == version.pdf_sha256
    assert render_report_html(published) == version.html
