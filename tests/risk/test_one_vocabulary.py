"""Risk of harm levels are defined once (oms/risk/levels.py): every module speaks the same vocabulary."""

from __future__ import annotations

import ast
from pathlib import Path

import oms
from oms.cases.models import Offender
from oms.inspection import sampling
from oms.risk import levels
from oms.standards import engine

PACKAGE = Path(oms.__file__).parent


def test_risk_of_harm_level_is_defined_only_in_the_risk_levels_module() -> None:
    definitions = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.ClassDef) and node.name == "RiskOfHarmLevel"
    ]
    assert definitions == ["risk/levels.py"]


def test_every_module_uses_the_same_levels_and_the_stored_codes_are_theirs() -> None:
    assert sampling.RiskOfHarmLevel is levels.RiskOfHarmLevel
    assert engine.RiskOfHarmLevel is levels.RiskOfHarmLevel
    stored = dict(Offender._meta.get_field("risk_of_harm_level").choices or [])
    assert stored == {level.value: level.label for level in levels.RiskOfHarmLevel}
    assert levels.RiskOfHarmLevel.VERY_HIGH == "very_high"  # a stored code is the level itself
