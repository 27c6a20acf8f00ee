"""Grounding check: real questions through both generators on the real index, and what the verifier did.

    ASKEAR_HOME=/path/with/index .venv/bin/python evals/grounding_check.py          # both generators
    ASKEAR_HOME=... .venv/bin/python evals/grounding_check.py --generator llm --show  # one, with every answer

The LLM path runs the real LLM composer and verifier over a scripted stand-in for a chat model (no server is
needed): it reads the numbered sources in the prompt, answers with the source sentences that best match the
question, paraphrased, each with its [n]; like a careless model it sometimes invents a number or date, cites
the wrong source or adds an uncited remark; and it gives the abstention sentence when no source sentence
matches the question. Per generator the script prints:

- citation hit rate: answerable questions whose answer cites a gold unit (evals/grounding_questions.jsonl);
- removed: share of drafted sentences the verifier removed, and how many of the scripted faults it caught;
- abstention accuracy: questions where the answer abstained exactly when the corpus cannot answer;
- grounded: kept sentences supported by the quote (not the whole unit) of a source they cite — the goal is 100%.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from langchain_core.language_models import BaseChatModel  # noqa: E402
from langchain_core.messages import AIMessage, BaseMessage  # noqa: E402
from langchain_core.outputs import ChatGeneration, ChatResult  # noqa: E402

from assistant.assistant import Assistant  # noqa: E402
from assistant.compose.llm import LLMComposer  # noqa: E402
from assistant.compose.prompts import ABSTAIN_TEXT  # noqa: E402
from assistant.index.lexical import tokenize  # noqa: E402
from assistant.models import Answer  # noqa: E402
from assistant.settings import Settings, offline_environment  # noqa: E402
from assistant.text import sentences as split_text  # noqa: E402
from assistant.verify import supported_by_quote  # noqa: E402

QUESTIONS = Path(__file__).with_name("grounding_questions.jsonl")
_SOURCE = re.compile(r'<source n="(\d+)">\n\[\d+\] ([^\n]*)\n(.*?)\n</source>', re.DOTALL)
_QUESTION = re.compile(r"<question>\n(.*?)\n</question>", re.DOTALL)
_GENERIC = frozenset("what which who how does do is are can under ear eccn cfr part section apply applies".split())
# Paraphrases a model typically makes of the corpus's wording (the verifier must accept them).
_REWRITES = (
    (r"^License review policy: (.+)$", r"The license review policy is \1"),
    (r"^License requirement: (.+)$", r"A license is required: \1"),
    (r"^Reason for Control: (.+)$", r"The reasons for control are \1"),
    (r"^Federal Register citation: (.+)$", r"The Federal Register citation is \1"),
    (r"\bis listed on the\b", "appears on the"),
    (r"^In this (final |interim final )?rule, ", ""),
    (r"\bthe Bureau of Industry and Security \(BIS\)", "BIS"),
    (r"\bthe Export Administration Regulations \(EAR\)", "the EAR"),
    (r"\bIn accordance with\b", "Under"),
    (r"\s*\(see List of Items Controlled\)", ""),
    (r"\bamends\b", "changes"),
    (r"\bhave been determined\b", "were found"),
    (r"\bunder (China|Russia|Iran|Türkiye)\b", r"in \1"),
    (r"\bSupplement No\. (\d+) to Part (\d+) of the EAR\b", r"Supp. \1 to 15 CFR Part \2"),
    (r"\bapplications\b", "license applications"),
    (r"\bprovides\b", "sets out"),
)


@dataclass
class Fault:
    kind: str
    sentence: str


@dataclass
class ScriptLog:
    faults: list[Fault] = field(default_factory=list)


class ScriptedParaphraser(BaseChatModel):
    """A deterministic stand-in for a chat model that reads the prompt (see the module docstring)."""

    log: Any = None
    calls: int = 0

    @property
    def _llm_type(self) -> str:
        return "scripted-paraphraser"

    def _generate(
        self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None, **kw: Any
    ) -> ChatResult:
        self.calls += 1
        prompt = str(messages[-1].content)
        text = self.reply(prompt)
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])

    def reply(self, prompt: str) -> str:
        question_match = _QUESTION.search(prompt)
        question = question_match.group(1) if question_match else prompt
        q_tokens = {t for t in tokenize(question) if t not in _GENERIC}
        scored = []
        for n, header, body in _SOURCE.findall(prompt):
            for rank, sentence in enumerate(split_text(body)):
                if len(sentence) < 15 or sentence.startswith("[line removed"):
                    continue
                overlap = len(q_tokens & set(tokenize(f"{header} {sentence}")))
                scored.append((overlap - 0.01 * rank - 0.05 * int(n), int(n), sentence, header))
        scored.sort(key=lambda item: -item[0])
        # Like a model told to abstain: decline when no source sentence covers half the question's topic words.
        if not scored or scored[0][0] < max(1.0, 0.5 * len(q_tokens)):
            return ABSTAIN_TEXT
        seed = zlib.crc32(question.encode())
        chosen = [s for s in scored if s[0] >= max(1.0, scored[0][0] * 0.5)][:3]
        sources = sorted({n for _, n, _, _ in scored})
        out = []
        for i, (_, n, sentence, header) in enumerate(chosen):
            text = _paraphrase(sentence, seed + i, header.startswith("News"))
            same_source = i and chosen[i - 1][1] == n
            if same_source and seed % 3 == 2 and len(out[-1]) + len(text) < 400:
                # Two sentences of one source merged into one, as models do.
                out[-1] = out[-1].removesuffix(f" [{n}].") + f", and {text[:1].lower()}{text[1:]} [{n}]."
            else:
                out.append(f"{text} [{n}].")
        if seed % 3 == 0:  # an invented date
            fake = f"This was last amended on March {3 + seed % 20}, 2019 [{chosen[0][1]}]."
            out.insert(1, fake)
            self.log.faults.append(Fault("invented date", fake))
        elif seed % 3 == 1 and re.search(r"(?<![A-Za-z])\d{2,}", out[0]):  # a number no source states
            changed = re.sub(r"(?<![A-Za-z])\d{2,}", lambda m: _unstated(int(m.group(0)), prompt), out[0], count=1)
            out.insert(1, changed)
            self.log.faults.append(Fault("changed number", changed))
        if seed % 5 == 0:
            remark = "This is an important consideration for exporters."
            out.append(remark)
            self.log.faults.append(Fault("uncited remark", remark))
        others = [n for n in sources if n != chosen[0][1]]
        if seed % 4 == 0 and others:  # the first sentence again, citing another source
            wrong = re.sub(r"\[\d+\]\.$", f"[{others[0]}].", out[0])
            out.append(wrong)
            self.log.faults.append(Fault("wrong source", wrong))
        return " ".join(out)


def _unstated(value: int, prompt: str) -> str:
    while re.search(rf"(?<!\d){value}(?!\d)", prompt):
        value += 7
    return str(value)


def _paraphrase(sentence: str, seed: int, news: bool) -> str:
    text = " ".join(sentence.split()).rstrip(".;:")
    for i, (pattern, repl) in enumerate(_REWRITES):
        if (seed + i) % 4 != 0:  # each rewrite applies to about three sentences in four
            text = re.sub(pattern, repl, text)
    text = text[:1].upper() + text[1:]
    if news and seed % 2 == 0:
        text = "Reportedly, " + text[0].lower() + text[1:] if text[:1].isupper() and text[1:2].islower() else text
    return text


@dataclass
class Tally:
    name: str
    answered: int = 0
    hits: int = 0
    answerable: int = 0
    correct_abstain: int = 0
    total: int = 0
    kept: int = 0
    removed: int = 0
    grounded: int = 0
    grounded_lexical: int = 0
    faults: int = 0
    faults_caught: int = 0
    true_removed: int = 0
    seconds: float = 0.0

    def row(self) -> dict[str, Any]:
        drafted = self.kept + self.removed
        return {
            "generator": self.name,
            "questions": self.total,
            "citation hit rate": f"{self.hits}/{self.answerable} = {self.hits / max(1, self.answerable):.0%}",
            "sentences removed": f"{self.removed}/{drafted} = {self.removed / max(1, drafted):.0%}",
            "scripted faults caught": f"{self.faults_caught}/{self.faults}" if self.faults else "-",
            "other sentences removed": self.true_removed if self.faults else "-",
            "abstention accuracy": f"{self.correct_abstain}/{self.total} = {self.correct_abstain / self.total:.0%}",
            "grounded in quote": f"{self.grounded}/{self.kept} = {self.grounded / max(1, self.kept):.0%}",
            "grounded (lexical only)": f"{self.grounded_lexical}/{self.kept}",
            "seconds/question": round(self.seconds / self.total, 2),
        }


def load(path: Path) -> list[dict[str, Any]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("//"):
            rows.append(json.loads(line))
    return rows


def score(tally: Tally, assistant: Assistant, question: dict[str, Any], answer: Answer) -> list[str]:
    """Add one answer to the tally; returns problems worth printing."""
    problems = []
    tally.total += 1
    tally.correct_abstain += int(answer.abstained == (not question["answerable"]))
    if answer.abstained != (not question["answerable"]):
        problems.append("abstained on an answerable question" if answer.abstained else "answered, should abstain")
    if question["answerable"]:
        tally.answerable += 1
        groups = question.get("cite", [])
        cited = [c.id for c in answer.citations]
        if any(re.search(p, cid) for group in groups for p in group for cid in cited):
            tally.hits += 1
        elif not answer.abstained:
            problems.append(f"no gold citation among {cited}")
    tally.removed += len(answer.removed)
    by_n = {c.n: c for c in answer.citations}
    for sentence in answer.sentences:
        tally.kept += 1
        checks = []
        for n in sentence.cites:
            unit = assistant.source(by_n[n].id)
            if unit is not None:
                checks.append((by_n[n], unit))
        alone = any(supported_by_quote(sentence.text, c, u, assistant._similarity) for c, u in checks)
        if alone or _jointly_grounded(sentence.text, checks, assistant):
            tally.grounded += 1
        else:
            problems.append(f"kept sentence not supported by its quotes: {sentence.text!r}")
        tally.grounded_lexical += int(any(supported_by_quote(sentence.text, c, u) for c, u in checks))
    return problems


def _jointly_grounded(sentence: str, checks: list, assistant: Assistant) -> bool:
    """A sentence verified against several cited sources together: the union of their quotes supports it."""
    from assistant.models import Passage
    from assistant.verify import QUOTE_SEPARATOR, joint_support

    if len(checks) < 2:
        return False
    passages = []
    for citation, unit in checks:
        quote = QUOTE_SEPARATOR.join(p for p in citation.quote.split(QUOTE_SEPARATOR) if p in unit.text)
        passages.append(Passage(n=citation.n, unit=unit.model_copy(update={"text": quote}), text=quote))
    return bool(joint_support(sentence, passages, assistant._similarity))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--questions", type=Path, default=QUESTIONS)
    parser.add_argument("--generator", choices=("extractive", "llm", "both"), default="both")
    parser.add_argument("--limit", type=int, default=0, help="first N questions only")
    parser.add_argument("--show", action="store_true", help="print every answer and what was removed")
    parser.add_argument("--json", type=Path, help="write the summary rows here")
    args = parser.parse_args()

    offline_environment()
    questions = load(args.questions)[: args.limit or None]
    settings = Settings()
    extractive = Assistant(settings)
    extractive.warm_up()
    runs: list[tuple[str, Assistant, ScriptLog | None]] = []
    if args.generator in ("extractive", "both"):
        runs.append(("extractive", extractive, None))
    if args.generator in ("llm", "both"):
        log = ScriptLog()
        model = ScriptedParaphraser(log=log)
        llm = Assistant(settings, embedder=extractive.embedder, index=extractive.index, composer=LLMComposer(model))
        runs.append(("llm (scripted)", llm, log))

    rows = []
    for name, assistant, log in runs:
        tally = Tally(name)
        for q in questions:
            before = len(log.faults) if log else 0
            start = time.perf_counter()
            answer = assistant.ask(q["question"])
            tally.seconds += time.perf_counter() - start
            problems = score(tally, assistant, q, answer)
            if log:
                new_faults = log.faults[before:]
                removed = {_norm(r.text) for r in answer.removed}
                tally.faults += len(new_faults)
                caught = [f for f in new_faults if _norm(f.sentence) in removed or answer.abstained]
                tally.faults_caught += len(caught)
                faulty = {_norm(f.sentence) for f in new_faults}
                tally.true_removed += sum(1 for r in answer.removed if _norm(r.text) not in faulty)
                problems += [f"fault kept ({f.kind}): {f.sentence}" for f in new_faults if f not in caught]
            if args.show or problems:
                mark = "ABSTAIN" if answer.abstained else "answer"
                print(f"\n[{name}] {q['id']} {q['question']}\n  {mark}: {answer.answer[:400]}")
                for r in answer.removed:
                    print(f"  removed: {r.text[:120]!r} ({r.reason[:80]})")
                for p in problems:
                    print(f"  ! {p}")
        rows.append(tally.row())

    print()
    for row in rows:
        print(" | ".join(f"{k}: {v}" for k, v in row.items()))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2), encoding="utf-8")
    return 0


def _norm(text: str) -> str:
    return " ".join(re.sub(r"\s*\[\d+\]", "", text).split()).rstrip(".").lower()


if __name__ == "__main__":
    raise SystemExit(main())
