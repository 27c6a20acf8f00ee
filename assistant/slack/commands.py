"""`/askear` text → what to do: ask a question, screen a party, or show help. Pure.

    /askear <question>
    /askear screen <name> [XX]             a trailing upper-case ISO-2 code is the country
    /askear screen "<name>" [country]      after a quoted name, the rest is the country (code or name)

Country *names* are read only after a quoted name: "Bank of China" and "Air China" are names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.names import LEGAL_FORMS

USAGE = (
    "Ask about US export controls, or screen a party against the screening lists:\n"
    "• `/askear What are the reasons for control for ECCN 3A090?`\n"
    "• `/askear screen Yangtze Memory Technologies CN` (optional country as a two-letter code)\n"
    '• `/askear screen "Bank of China" Hong Kong` (quote the name to give the country by name)\n'
    "In a channel you can also mention me (`@askear …`) and I answer in the thread."
)
_ISO2 = re.compile(r"^[A-Z]{2}$")
_QUOTES = {'"': '"', "“": "”", "'": "'"}


@dataclass(frozen=True)
class Ask:
    question: str


@dataclass(frozen=True)
class Screen:
    name: str
    country: str | None = None


@dataclass(frozen=True)
class Help:
    pass


Command = Ask | Screen | Help


def parse_command(text: str) -> Command:
    """Read the text typed after `/askear`."""
    text = " ".join((text or "").split())
    head, _, rest = text.partition(" ")
    if not text or head.lower() in ("help", "-h", "--help", "?"):
        return Help()
    if head.lower() != "screen":
        return Ask(text)
    return _screen(rest) if rest else Help()


def _screen(rest: str) -> Command:
    close = _QUOTES.get(rest[0])
    if close is not None:
        end = rest.find(close, 1)
        if end > 0:
            name, country = rest[1:end].strip(), rest[end + 1 :].strip()
            return Screen(name, country or None) if name else Help()
    words = rest.split()
    last = words[-1]
    # "SIEMENS AG", "ACME CO": upper-case legal forms are not Antigua or Colombia.
    if len(words) > 1 and _ISO2.match(last) and last.lower() not in LEGAL_FORMS:
        return Screen(" ".join(words[:-1]), last)
    return Screen(rest)
