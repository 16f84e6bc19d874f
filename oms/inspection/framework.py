"""Inspection frameworks as data: load a framework YAML and check it against the schema.

The spec (``spec/inspection.md``, "Frameworks are data") makes the framework configuration, not code:
the same scoring engine must score ``omi-2007``, a later inspectorate framework or an area's own audit.
So every figure that the report's Appendix 3 leaves to the inspectorate (bands, priority line, summary
weight, re-inspection threshold) lives in the YAML, and this module refuses a file it cannot score with
an error naming every bad key and its path, so an author can fix the file in one pass.

YAML 1.1 reads a bare ``yes``/``no`` as a boolean; the spec writes ``answer_values: [yes, no, na]``
unquoted, so the loader here keeps ``yes``/``no``/``on``/``off`` as strings (only ``true``/``false``
are booleans).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from oms.calculation_errors import CalculatorInputError

# spec "Frameworks are data": shipped frameworks live beside this module, one file per id.
SHIPPED_FRAMEWORKS_DIRECTORY = Path(__file__).resolve().parent / "frameworks"

# spec "Frameworks are data": `answer_values: [yes, no, na]` — the scoring rule defines only these three.
ANSWER_YES = "yes"
ANSWER_NO = "no"
ANSWER_NOT_RELEVANT = "na"
REQUIRED_ANSWER_VALUES = (ANSWER_YES, ANSWER_NO, ANSWER_NOT_RELEVANT)

FRAMEWORK_INVALID = "framework_invalid"
FRAMEWORK_UNKNOWN = "framework_unknown"

_TOP_LEVEL_REQUIRED = ("id", "name", "answer_values", "summary_weight", "priority_line", "bands", "sections")
_TOP_LEVEL_OPTIONAL = ("threads",)
_BAND_KEYS = ("min", "key", "conclusion")
_THREAD_REQUIRED = ("name", "sections")
_THREAD_OPTIONAL = ("reinspection_below",)
_SECTION_REQUIRED = ("id", "title", "criteria")
_SECTION_OPTIONAL = ("rated",)
_SCORED_CRITERION_REQUIRED = ("id", "title", "statement", "questions", "summary")
_RATED_CRITERION_REQUIRED = ("id", "title", "statement")
_QUESTION_REQUIRED = ("id", "text")
_QUESTION_OPTIONAL = ("threads", "prefill", "finding")
# Where a criterion's statement comes from: quoted from the report, or written by the project where
# the report's text lost it (omi-2007's 2.7); shown beside the statement so nobody quotes it as HMI's.
_CRITERION_OPTIONAL = ("statement_source",)
STATEMENT_SOURCES = ("report", "project")

# A prefill rule code is a stable identifier the case-assessment pre-fill engine looks up.
_PREFILL_CODE = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Band:
    """A scoring band: the first band whose ``min`` is at or below the rounded score applies."""

    min: int
    key: str
    conclusion: str


@dataclass(frozen=True)
class Thread:
    """A cross-cutting score (e.g. Risk of Harm) over tagged questions in some sections."""

    id: str
    name: str
    sections: tuple[str, ...]
    reinspection_below: int | None = None


@dataclass(frozen=True)
class Question:
    """One question of the case assessment tool; ``is_summary`` marks a criterion's summary question."""

    id: str
    text: str
    threads: tuple[str, ...] = ()
    prefill: str | None = None
    finding: str | None = None
    is_summary: bool = False


@dataclass(frozen=True)
class Criterion:
    """A general criterion: scored from case questions, or (in a rated section) judged by inspectors."""

    id: str
    title: str
    statement: str
    questions: tuple[Question, ...] = ()
    summary: Question | None = None
    statement_source: str = "report"

    @property
    def statement_written_by_project(self) -> bool:
        return self.statement_source == "project"

    @property
    def all_questions(self) -> tuple[Question, ...]:
        return self.questions + ((self.summary,) if self.summary is not None else ())


@dataclass(frozen=True)
class Section:
    """A section of the framework; ``rated`` holds the allowed judgements when it is not scored."""

    id: str
    title: str
    criteria: tuple[Criterion, ...]
    rated: tuple[str, ...] | None = None

    @property
    def is_rated(self) -> bool:
        return self.rated is not None


@dataclass(frozen=True)
class Framework:
    """A validated framework; lookups are indexed once because scoring touches every answer."""

    id: str
    name: str
    answer_values: tuple[str, ...]
    summary_weight: Decimal
    priority_line: Decimal
    bands: tuple[Band, ...]
    threads: tuple[Thread, ...]
    sections: tuple[Section, ...]

    @cached_property
    def questions_by_id(self) -> dict[str, Question]:
        return {q.id: q for s in self.sections for c in s.criteria for q in c.all_questions}

    @cached_property
    def criterion_of_question(self) -> dict[str, Criterion]:
        return {q.id: c for s in self.sections for c in s.criteria for q in c.all_questions}

    @cached_property
    def section_of_criterion(self) -> dict[str, Section]:
        return {c.id: s for s in self.sections for c in s.criteria}

    @property
    def scored_sections(self) -> tuple[Section, ...]:
        return tuple(s for s in self.sections if not s.is_rated)

    @property
    def rated_sections(self) -> tuple[Section, ...]:
        return tuple(s for s in self.sections if s.is_rated)

    def criterion(self, criterion_id: str) -> Criterion:
        for section in self.sections:
            for criterion in section.criteria:
                if criterion.id == criterion_id:
                    return criterion
        raise KeyError(criterion_id)

    def band_for(self, rounded_score: int) -> Band:
        """The band of a shown (rounded) score; validation guarantees the lowest band starts at 0."""
        for band in self.bands:
            if band.min <= rounded_score:
                return band
        return self.bands[-1]


class _FrameworkLoader(yaml.SafeLoader):
    """SafeLoader where only true/false are booleans, so `answer_values: [yes, no, na]` stays strings."""


_FrameworkLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_FrameworkLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


def read_yaml(text: str, source: str = "<framework>") -> Any:
    """Parse YAML text with the framework loader (yes/no stay strings); a syntax error names the source."""
    try:
        return yaml.load(text, Loader=_FrameworkLoader)  # a SafeLoader subclass
    except yaml.YAMLError as error:
        raise CalculatorInputError(
            FRAMEWORK_INVALID, f"{source}: not valid YAML: {error}", [source]
        ) from error


class _Errors:
    """Collects every schema error so the author sees them all at once, each as `path: problem`."""

    def __init__(self) -> None:
        self.items: list[tuple[str, str]] = []

    def add(self, path: str, problem: str) -> None:
        self.items.append((path, problem))

    def raise_if_any(self, source: str) -> None:
        if self.items:
            lines = [f"{path}: {problem}" for path, problem in self.items]
            raise CalculatorInputError(
                FRAMEWORK_INVALID,
                f"{source}: invalid framework:\n" + "\n".join(lines),
                [path for path, _ in self.items],
            )


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _check_keys(
    errors: _Errors, data: Mapping[str, Any], path: str, required: tuple[str, ...], optional: tuple[str, ...]
) -> None:
    for key in required:
        if key not in data:
            errors.add(_join(path, key), "missing")
    for key in data:
        if key not in required and key not in optional:
            errors.add(_join(path, str(key)), "unknown key")


def _mapping(errors: _Errors, value: Any, path: str) -> Mapping[str, Any] | None:
    if not isinstance(value, Mapping):
        errors.add(path or "<top>", f"must be a mapping, got {type(value).__name__}")
        return None
    return value


def _string(errors: _Errors, data: Mapping[str, Any], key: str, path: str) -> str | None:
    if key not in data:
        return None
    value = data[key]
    if not isinstance(value, str) or not value.strip():
        errors.add(_join(path, key), f'must be a non-empty string (quote ids such as "1.1"), got {value!r}')
        return None
    return value


def _number(
    errors: _Errors, data: Mapping[str, Any], key: str, path: str, low: Decimal, high: Decimal
) -> Decimal | None:
    if key not in data:
        return None
    value = data[key]
    if isinstance(value, bool) or not isinstance(value, int | float):
        errors.add(_join(path, key), f"must be a number, got {value!r}")
        return None
    number = Decimal(str(value))
    if not low <= number <= high:
        errors.add(_join(path, key), f"must be between {low} and {high}, got {value!r}")
        return None
    return number


def _string_list(errors: _Errors, data: Mapping[str, Any], key: str, path: str) -> tuple[str, ...] | None:
    if key not in data:
        return None
    value = data[key]
    if not isinstance(value, list):
        errors.add(_join(path, key), f"must be a list, got {type(value).__name__}")
        return None
    items: list[str] = []
    for index, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            errors.add(f"{_join(path, key)}[{index}]", f"must be a non-empty string, got {item!r}")
        elif item in items:
            errors.add(f"{_join(path, key)}[{index}]", f"duplicate value {item!r}")
        else:
            items.append(item)
    return tuple(items)


def _list(errors: _Errors, data: Mapping[str, Any], key: str, path: str) -> list[Any]:
    if key not in data:
        return []
    value = data[key]
    if not isinstance(value, list):
        errors.add(_join(path, key), f"must be a list, got {type(value).__name__}")
        return []
    return value


def parse_framework(data: Any, source: str = "<framework>") -> Framework:
    """Validate parsed YAML (or an equivalent dict) and build the frozen framework.

    Raises ``CalculatorInputError("framework_invalid", ...)`` naming every bad key by its path, e.g.
    ``sections[0].criteria[2].questions[1].id: missing``.
    """
    errors = _Errors()
    top = _mapping(errors, data, "")
    if top is None:
        errors.raise_if_any(source)
        raise AssertionError("unreachable")
    _check_keys(errors, top, "", _TOP_LEVEL_REQUIRED, _TOP_LEVEL_OPTIONAL)
    framework_id = _string(errors, top, "id", "")
    name = _string(errors, top, "name", "")

    answer_values = _string_list(errors, top, "answer_values", "") or ()
    if "answer_values" in top and isinstance(top["answer_values"], list):
        for required in REQUIRED_ANSWER_VALUES:
            if required not in answer_values:
                errors.add("answer_values", f"must contain {required!r}")
        for index, value in enumerate(answer_values):
            if value not in REQUIRED_ANSWER_VALUES:
                errors.add(
                    f"answer_values[{index}]",
                    f"unsupported answer value {value!r}: scoring defines only yes, no and na",
                )

    summary_weight = _number(errors, top, "summary_weight", "", Decimal(0), Decimal(1))
    priority_line = _number(errors, top, "priority_line", "", Decimal(0), Decimal(100))
    bands = _parse_bands(errors, top)
    sections = _parse_sections(errors, top)
    section_ids = {s.id for s in sections}
    threads = _parse_threads(errors, top, section_ids)
    thread_ids = {t.id for t in threads}
    _check_question_threads(errors, top, thread_ids)

    errors.raise_if_any(source)
    assert framework_id is not None and name is not None
    assert summary_weight is not None and priority_line is not None
    return Framework(
        id=framework_id,
        name=name,
        answer_values=answer_values,
        summary_weight=summary_weight,
        priority_line=priority_line,
        bands=bands,
        threads=threads,
        sections=sections,
    )


def _parse_bands(errors: _Errors, top: Mapping[str, Any]) -> tuple[Band, ...]:
    raw_bands = _list(errors, top, "bands", "")
    if "bands" in top and isinstance(top["bands"], list) and not raw_bands:
        errors.add("bands", "must list at least one band")
    bands: list[Band] = []
    keys: set[str] = set()
    for index, raw in enumerate(raw_bands):
        path = f"bands[{index}]"
        band = _mapping(errors, raw, path)
        if band is None:
            continue
        _check_keys(errors, band, path, _BAND_KEYS, ())
        key = _string(errors, band, "key", path)
        conclusion = _string(errors, band, "conclusion", path)
        minimum = _number(errors, band, "min", path, Decimal(0), Decimal(100))
        if minimum is not None and minimum != minimum.to_integral_value():
            errors.add(f"{path}.min", "must be a whole percentage (bands judge the rounded score)")
            minimum = None
        if key is not None:
            if key in keys:
                errors.add(f"{path}.key", f"duplicate band key {key!r}")
            keys.add(key)
        if minimum is not None and bands and minimum >= bands[-1].min:
            errors.add(
                f"{path}.min", f"bands must be in descending order of min: {minimum} follows {bands[-1].min}"
            )
            continue
        if key is not None and conclusion is not None and minimum is not None:
            bands.append(Band(min=int(minimum), key=key, conclusion=conclusion))
    if bands and bands[-1].min != 0 and len(bands) == len(raw_bands):
        errors.add(
            f"bands[{len(raw_bands) - 1}].min", "the lowest band must start at 0 so every score has a band"
        )
    return tuple(bands)


def _parse_threads(errors: _Errors, top: Mapping[str, Any], section_ids: set[str]) -> tuple[Thread, ...]:
    if "threads" not in top or top["threads"] is None:
        return ()
    raw_threads = _mapping(errors, top["threads"], "threads")
    if raw_threads is None:
        return ()
    threads: list[Thread] = []
    for thread_id, raw in raw_threads.items():
        path = f"threads.{thread_id}"
        if not isinstance(thread_id, str):
            errors.add(path, "thread id must be a string")
            continue
        thread = _mapping(errors, raw, path)
        if thread is None:
            continue
        _check_keys(errors, thread, path, _THREAD_REQUIRED, _THREAD_OPTIONAL)
        name = _string(errors, thread, "name", path)
        sections = _string_list(errors, thread, "sections", path)
        for index, section_id in enumerate(sections or ()):
            if section_id not in section_ids:
                errors.add(f"{path}.sections[{index}]", f"unknown section {section_id!r}")
        below = _number(errors, thread, "reinspection_below", path, Decimal(0), Decimal(100))
        if name is not None and sections is not None:
            threads.append(
                Thread(
                    id=thread_id,
                    name=name,
                    sections=sections,
                    reinspection_below=int(below) if below is not None else None,
                )
            )
    return tuple(threads)


def _parse_sections(errors: _Errors, top: Mapping[str, Any]) -> tuple[Section, ...]:
    raw_sections = _list(errors, top, "sections", "")
    if "sections" in top and isinstance(top["sections"], list) and not raw_sections:
        errors.add("sections", "must list at least one section")
    sections: list[Section] = []
    section_paths: dict[str, str] = {}
    criterion_paths: dict[str, str] = {}
    question_paths: dict[str, str] = {}
    for index, raw in enumerate(raw_sections):
        path = f"sections[{index}]"
        section = _mapping(errors, raw, path)
        if section is None:
            continue
        _check_keys(errors, section, path, _SECTION_REQUIRED, _SECTION_OPTIONAL)
        section_id = _string(errors, section, "id", path)
        title = _string(errors, section, "title", path)
        rated = _string_list(errors, section, "rated", path)
        if rated is not None and not rated:
            errors.add(f"{path}.rated", "must list at least one rating")
        if section_id is not None:
            if section_id in section_paths:
                errors.add(
                    f"{path}.id",
                    f"duplicate section id {section_id!r} (first at {section_paths[section_id]})",
                )
            section_paths.setdefault(section_id, path)
        criteria: list[Criterion] = []
        raw_criteria = _list(errors, section, "criteria", path)
        if "criteria" in section and isinstance(section["criteria"], list) and not raw_criteria:
            errors.add(f"{path}.criteria", "must list at least one criterion")
        for c_index, raw_criterion in enumerate(raw_criteria):
            c_path = f"{path}.criteria[{c_index}]"
            criterion = _parse_criterion(
                errors, raw_criterion, c_path, "rated" in section, criterion_paths, question_paths
            )
            if criterion is not None:
                criteria.append(criterion)
        if section_id is not None and title is not None:
            sections.append(Section(id=section_id, title=title, criteria=tuple(criteria), rated=rated))
    return tuple(sections)


def _parse_criterion(
    errors: _Errors,
    raw: Any,
    path: str,
    is_rated: bool,
    criterion_paths: dict[str, str],
    question_paths: dict[str, str],
) -> Criterion | None:
    criterion = _mapping(errors, raw, path)
    if criterion is None:
        return None
    if is_rated:
        _check_keys(errors, criterion, path, _RATED_CRITERION_REQUIRED, _CRITERION_OPTIONAL)
    else:
        _check_keys(errors, criterion, path, _SCORED_CRITERION_REQUIRED, _CRITERION_OPTIONAL)
    criterion_id = _string(errors, criterion, "id", path)
    statement_source = criterion.get("statement_source", "report")
    if statement_source not in STATEMENT_SOURCES:
        errors.add(
            f"{path}.statement_source",
            f"must be one of {', '.join(STATEMENT_SOURCES)}, got {statement_source!r}",
        )
        statement_source = "report"
    title = _string(errors, criterion, "title", path)
    statement = _string(errors, criterion, "statement", path)
    if criterion_id is not None:
        if criterion_id in criterion_paths:
            errors.add(
                f"{path}.id",
                f"duplicate criterion id {criterion_id!r} (first at {criterion_paths[criterion_id]})",
            )
        criterion_paths.setdefault(criterion_id, path)
    questions: list[Question] = []
    summary: Question | None = None
    if not is_rated:
        for q_index, raw_question in enumerate(_list(errors, criterion, "questions", path)):
            question = _parse_question(
                errors, raw_question, f"{path}.questions[{q_index}]", question_paths, False
            )
            if question is not None:
                questions.append(question)
        if "summary" in criterion:
            summary = _parse_question(errors, criterion["summary"], f"{path}.summary", question_paths, True)
    if criterion_id is None or title is None or statement is None:
        return None
    return Criterion(
        id=criterion_id,
        title=title,
        statement=statement,
        questions=tuple(questions),
        summary=summary,
        statement_source=str(statement_source),
    )


def _parse_question(
    errors: _Errors, raw: Any, path: str, question_paths: dict[str, str], is_summary: bool
) -> Question | None:
    question = _mapping(errors, raw, path)
    if question is None:
        return None
    _check_keys(errors, question, path, _QUESTION_REQUIRED, _QUESTION_OPTIONAL)
    question_id = _string(errors, question, "id", path)
    text = _string(errors, question, "text", path)
    threads = _string_list(errors, question, "threads", path) or ()
    prefill = _string(errors, question, "prefill", path)
    if prefill is not None and not _PREFILL_CODE.match(prefill):
        errors.add(f"{path}.prefill", f"must be a rule code in snake_case, got {prefill!r}")
        prefill = None
    finding = _string(errors, question, "finding", path)
    if question_id is not None:
        if question_id in question_paths:
            errors.add(
                f"{path}.id",
                f"duplicate question id {question_id!r} (first at {question_paths[question_id]})",
            )
        question_paths.setdefault(question_id, path)
    if question_id is None or text is None:
        return None
    return Question(
        id=question_id, text=text, threads=threads, prefill=prefill, finding=finding, is_summary=is_summary
    )


def _check_question_threads(errors: _Errors, top: Mapping[str, Any], thread_ids: set[str]) -> None:
    """A thread tag that names no declared thread would silently drop the question from the thread."""
    raw_sections = top.get("sections")
    if not isinstance(raw_sections, list):
        return
    for s_index, section in enumerate(raw_sections):
        if not isinstance(section, Mapping) or not isinstance(section.get("criteria"), list):
            continue
        for c_index, criterion in enumerate(section["criteria"]):
            if not isinstance(criterion, Mapping):
                continue
            entries: list[tuple[str, Any]] = []
            if isinstance(criterion.get("questions"), list):
                entries += [
                    (f"sections[{s_index}].criteria[{c_index}].questions[{q_index}]", q)
                    for q_index, q in enumerate(criterion["questions"])
                ]
            if "summary" in criterion:
                entries.append((f"sections[{s_index}].criteria[{c_index}].summary", criterion["summary"]))
            for path, question in entries:
                if not isinstance(question, Mapping) or not isinstance(question.get("threads"), list):
                    continue
                for t_index, thread in enumerate(question["threads"]):
                    if isinstance(thread, str) and thread not in thread_ids:
                        errors.add(f"{path}.threads[{t_index}]", f"unknown thread {thread!r}")


def parse_framework_yaml(text: str, source: str = "<framework>") -> Framework:
    """Parse and validate framework YAML text."""
    return parse_framework(read_yaml(text, source), source)


def _looks_like_path(path_or_id: str | Path) -> bool:
    if isinstance(path_or_id, Path):
        return True
    return path_or_id.endswith((".yaml", ".yml")) or "/" in path_or_id or "\\" in path_or_id


def load_framework(path_or_id: str | Path) -> Framework:
    """Load a framework from a YAML file, or a shipped one by its id (``omi-2007``).

    An id resolves to ``frameworks/ID.yaml`` beside this module, so the CLI's ``--framework`` takes
    either a file an area wrote or the inspectorate's shipped framework.
    """
    if _looks_like_path(path_or_id):
        path = Path(path_or_id)
    else:
        path = SHIPPED_FRAMEWORKS_DIRECTORY / f"{path_or_id}.yaml"
        if not path.is_file():
            shipped = ", ".join(list_shipped_frameworks()) or "none"
            raise CalculatorInputError(
                FRAMEWORK_UNKNOWN,
                f"framework: unknown framework {path_or_id!r} (shipped: {shipped}; or give a YAML file path)",
                ["framework"],
            )
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise CalculatorInputError(
            FRAMEWORK_UNKNOWN, f"framework: cannot read {str(path)!r}: {error.strerror}", ["framework"]
        ) from error
    return parse_framework_yaml(text, str(path))


def list_shipped_frameworks() -> list[str]:
    """The ids of the frameworks OMS ships, sorted; each loads with ``load_framework(id)``."""
    if not SHIPPED_FRAMEWORKS_DIRECTORY.is_dir():
        return []
    return sorted(p.stem for p in SHIPPED_FRAMEWORKS_DIRECTORY.glob("*.yaml"))
