"""Follow-up condensation: "and what about its Shenzhen subsidiary?" → a standalone question for retrieval.

Retrieval reads one question; a conversation refers back ("it", "that rule", "what about SMIC?"). With a
chat model configured, the model rewrites the follow-up (prompts.CONDENSE_*). Without one, deterministic
rules carry the subjects (citation ids and party names) of the last user turn that named any into a
follow-up that refers back with a pronoun, "this/that <noun>", or is elliptical ("And the licence policy?").
A question that names its own subject and does not refer back is returned unchanged.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from assistant.compose import prompts
from assistant.ids import find_ids

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

log = logging.getLogger(__name__)

History = Sequence[dict[str, str]]
# Returns the party names a text mentions, as written (the Assistant passes the index's name table).
PartyFinder = Callable[[str], list[str]]

FOLLOW_UP_NOTE = "Read as a follow-up: {question}"
MAX_TURNS = 6
MAX_TURN_CHARS = 600

_POSSESSIVE = re.compile(r"\b(?:its|their)\b", re.IGNORECASE)
_PRONOUN = re.compile(r"\b(?:it|they|them)\b(?!\s+(?:is\s+)?(?:true|possible|likely|clear|necessary|legal)\b)", re.I)
_REFERRING = re.compile(
    r"\b(?:this|that|these|those|the same|the said)\s+(?:company|companies|entity|entities|party|parties|firm|"
    r"entry|entries|rule|rules|section|paragraph|eccn|item|items|document|notice|article|one|organi[sz]ation|"
    r"regulation|provision|record|listing|business|supplier|customer)\b",
    re.IGNORECASE,
)
# A bare "this"/"that" used as a pronoun: "What does that require?", "Is this still in force?"
_DEMONSTRATIVE = re.compile(
    r"\b(?:this|that)\b(?=\s*(?:\?|$|(?:still\s+)?(?:require|requires|mean|means|cover|covers|apply|applies|say|"
    r"says|control|controls|include|includes|change|changed|say|is|was)\b))",
    re.IGNORECASE,
)
_ELLIPTICAL = re.compile(
    r"^\s*(?:and|also|ok(?:ay)?,?\s*and|so|then|what about|how about|and what about|and how about|what of|"
    r"same for|same question for|and for|what if)\b",
    re.IGNORECASE,
)
_LEADING_CONJUNCTION = re.compile(r"^\s*(?:and|also|ok(?:ay)?,?\s*and|so|then)\s+", re.IGNORECASE)
# Capitalised runs that may name a party when no name table is given: "Yangtze Memory Technologies Co., Ltd."
_NAME_RUN = re.compile(
    r"\b[A-Z][\w&'-]*(?:,?\s+(?:(?:of|and|for|de|&)\s+)?(?:[A-Z][\w&'-]*\.?|Co\.|Ltd\.|Inc\.|Corp\.))*"
)
_NOT_SUBJECTS = frozenset(
    (
        "is are was were does do did can could should would will what which who whom when where why how the a an "
        "and or of on in to for by with under entity list lists listed unverified military end user users ear bis "
        "commerce department united states us u.s federal register license licence licenses export exports eccn "
        "cfr part section supplement supp rule final interim policy review presumption denial approval also and "
        "ok okay so then same what about how is it its their this that these those i please tell me give list"
    ).split()
)


def turns(history: History | None) -> list[tuple[str, str]]:
    """(role, content) of the well-formed user/assistant turns, oldest first, at most MAX_TURNS."""
    out = []
    for turn in history or []:
        if not isinstance(turn, dict):
            continue
        role, content = turn.get("role"), turn.get("content")
        if role in ("user", "assistant") and isinstance(content, str) and content.strip():
            out.append((role, " ".join(content.split())))
    return out[-MAX_TURNS:]


def subjects(text: str, parties: PartyFinder | None = None) -> list[str]:
    """Citation ids and party names `text` mentions, in order of appearance, as written."""
    found = [(text.find(m.id.split()[-1]), m.id) for m in find_ids(text)]
    names = parties(text) if parties is not None else _name_runs(text)
    found += [(text.find(n), n) for n in names]
    ordered = [s for _, s in sorted(found, key=lambda pair: (pair[0] < 0, pair[0]))]
    return list(dict.fromkeys(s for s in ordered if s))


def _name_runs(text: str) -> list[str]:
    out = []
    for m in _NAME_RUN.finditer(text):
        words = m.group(0).split()
        while words and words[0].lower().strip(",.?") in _NOT_SUBJECTS:
            words = words[1:]
        while words and words[-1].lower().strip(",.?") in _NOT_SUBJECTS:
            words = words[:-1]
        run = " ".join(words).strip(" ,?")
        if run and not all(w.lower().strip(",.?") in _NOT_SUBJECTS for w in run.split()):
            out.append(run)
    return out


def refers_back(question: str) -> bool:
    """Does the question point at something said before ("its", "that rule", "what does it require")?"""
    return any(p.search(question) for p in (_POSSESSIVE, _PRONOUN, _REFERRING, _DEMONSTRATIVE))


def is_elliptical(question: str) -> bool:
    """ "And SMIC?", "What about the licence policy?": a fragment that reuses the previous question."""
    return bool(_ELLIPTICAL.match(question)) or len(question.split()) <= 3


def condense_rules(question: str, history: History | None, parties: PartyFinder | None = None) -> str:
    """The deterministic condenser (no model)."""
    previous = [content for role, content in turns(history) if role == "user"]
    if not previous:
        return question
    prior_subjects: list[str] = []
    prior_question = ""
    for content in reversed(previous):
        prior_subjects = subjects(content, parties)
        if prior_subjects:
            prior_question = content
            break
    if not prior_subjects:
        return question
    own = subjects(question, parties)
    subject, all_subjects = prior_subjects[0], " and ".join(prior_subjects[:3])
    if refers_back(question):
        out = _POSSESSIVE.sub(lambda m: _possessive(subject if m.group(0).lower() == "its" else all_subjects), question)
        out = _REFERRING.sub(subject, out)
        out = _PRONOUN.sub(lambda m: subject if m.group(0).lower() == "it" else all_subjects, out)
        out = _DEMONSTRATIVE.sub(subject, out)
        return _tidy(out)
    if not is_elliptical(question):
        return question
    if own:
        # "What about SMIC?" after "Is YMTC on the Entity List?" → "Is SMIC on the Entity List?"
        replaced = prior_question
        for old, new in zip(prior_subjects, own, strict=False):
            replaced = replaced.replace(old, new, 1)
        return replaced if replaced != prior_question else _tidy(f"{question.rstrip('?. ')} ({prior_question})")
    return _tidy(f"{question.rstrip('?. ')} ({all_subjects})?")


def _possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def _tidy(text: str) -> str:
    text = _LEADING_CONJUNCTION.sub("", " ".join(text.split()))
    return text[:1].upper() + text[1:]


def condense_with_model(question: str, history: History | None, model: BaseChatModel) -> str | None:
    """The model's standalone rewrite, or None when it gives nothing usable."""
    from langchain_core.messages import HumanMessage, SystemMessage

    past = turns(history)
    if not any(role == "user" for role, _ in past):
        return None
    lines = "\n".join(f"{role}: {content[:MAX_TURN_CHARS]}" for role, content in past)
    messages = [
        SystemMessage(content=prompts.CONDENSE_SYSTEM_PROMPT),
        HumanMessage(content=prompts.CONDENSE_TEMPLATE.format(history=lines, question=question)),
    ]
    reply = model.invoke(messages).content
    text = reply if isinstance(reply, str) else " ".join(str(b.get("text", "")) for b in reply if isinstance(b, dict))
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    line = re.sub(r"^(?:standalone question|question|rewritten)\s*:\s*", "", line, flags=re.IGNORECASE)
    line = line.strip().strip("\"'`").strip()
    # A reply much longer than the conversation's question is an answer, not a rewrite.
    if not line or len(line) > max(400, 4 * len(question)):
        return None
    return line


def condense(
    question: str,
    history: History | None,
    model: BaseChatModel | None = None,
    parties: PartyFinder | None = None,
) -> str:
    """A standalone version of `question` given the conversation so far (unchanged without history)."""
    if not any(role == "user" for role, _ in turns(history)):
        return question
    if model is not None:
        try:
            rewritten = condense_with_model(question, history, model)
        except Exception as exc:  # the rules still give a usable question; the answer step reports the outage
            log.warning("follow-up condensation by the model failed, using the rules: %s", exc)
            rewritten = None
        if rewritten:
            return rewritten
    return condense_rules(question, history, parties)
