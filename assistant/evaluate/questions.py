"""Question sets: one JSON object a line (evals/dev.jsonl, evals/test.jsonl), loaded and validated.

    {"id": "party-001", "question": "...", "kind": "party", "answerable": true,
     "cite": [["^list:EL:Yangtze Memory", "^15 CFR 744 Supp\\. 4"]], "facts": ["87 FR 77508"], "forbid": []}

`cite` is a list of groups; a group is met when any cited (or retrieved) unit id matches any of its regexes
(`re.search`, case-sensitive: ids are exact). `facts` must all appear in the answer text and `forbid` must not
(`re.search`, case-insensitive: answers quote sources whose capitalisation varies).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Literal, get_args

from pydantic import Field, ValidationError, model_validator

from assistant.errors import AskearError
from assistant.models import Frozen

Kind = Literal[
    "party",  # screening-list records: is X listed, on which list, what licence policy
    "regulation",  # a paragraph of the EAR (Parts 734-772)
    "license_exception",  # Part 740
    "de_minimis_fdp",  # § 734.4 de minimis, § 734.9 foreign-direct product rules, Supp. 2 to Part 734
    "ccl",  # Commerce Control List entries (Part 774 Supp. 1)
    "country",  # Commerce Country Chart (738 Supp. 1) and Country Groups (740 Supp. 1)
    "federal_register",  # Federal Register history
    "news",  # news reporting
    "multi_hop",  # party + item + destination
    "adversarial",  # instructions to ignore sources, false premises
    "unanswerable",  # out of scope or not in the corpus: the right answer is to abstain
]
KINDS: tuple[str, ...] = get_args(Kind)


class QuestionSetError(AskearError):
    """A question file is malformed; the message names the file and line."""


class Question(Frozen):
    """One evaluation question with its gold citations, required facts and forbidden claims."""

    id: str = Field(min_length=1)
    question: str = Field(min_length=1)
    kind: Kind
    answerable: bool
    cite: tuple[tuple[str, ...], ...] = Field(default=(), description="Groups of id regexes; each group must be met")
    facts: tuple[str, ...] = Field(default=(), description="Regexes that must all appear in the answer")
    forbid: tuple[str, ...] = Field(default=(), description="Regexes that must not appear in the answer")

    @model_validator(mode="after")
    def _consistent(self) -> Question:
        for pattern in (*(p for group in self.cite for p in group), *self.facts, *self.forbid):
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"bad regex {pattern!r}: {exc}") from exc
        if any(not group for group in self.cite):
            raise ValueError("an empty cite group can never be met")
        if self.answerable and (not self.cite or not self.facts):
            # Without both, correctness and citation recall could not be judged.
            raise ValueError("an answerable question needs at least one cite group and one fact")
        if not self.answerable and (self.cite or self.facts):
            raise ValueError("an unanswerable question has no gold citations or facts (only forbid)")
        if self.kind == "unanswerable" and self.answerable:
            raise ValueError("kind 'unanswerable' must have answerable false")
        return self


def parse_questions(lines: Iterable[str], source: str = "<questions>") -> list[Question]:
    """Parse JSONL text into questions; blank lines and lines starting with `//` are skipped."""
    questions: list[Question] = []
    seen: set[str] = set()
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        try:
            question = Question.model_validate(json.loads(line))
        except (json.JSONDecodeError, ValidationError) as exc:
            raise QuestionSetError(f"{source}:{number}: {exc}") from exc
        if question.id in seen:
            raise QuestionSetError(f"{source}:{number}: duplicate id {question.id!r}")
        seen.add(question.id)
        questions.append(question)
    if not questions:
        raise QuestionSetError(f"{source}: no questions")
    return questions


def load_questions(path: Path) -> list[Question]:
    """Load and validate a question file."""
    if not path.is_file():
        raise QuestionSetError(f"{path}: no such question file")
    return parse_questions(path.read_text(encoding="utf-8").splitlines(), str(path))


def unmatched_cites(questions: Iterable[Question], unit_ids: Iterable[str]) -> list[str]:
    """Cite groups that match no unit id of the index: a gold citation must exist to be findable."""
    ids = list(unit_ids)
    problems = []
    for q in questions:
        for group in q.cite:
            patterns = [re.compile(p) for p in group]
            if not any(p.search(uid) for uid in ids for p in patterns):
                problems.append(f"{q.id}: no unit id matches {list(group)}")
    return problems
