"""Source parsers, keyed by the `parser` names used in corpus/sources.toml.

Parsers are imported lazily so that `askear --help` does not pay for lxml and friends.
"""

from __future__ import annotations

from importlib import import_module

from assistant.errors import ConfigError
from assistant.sources.base import ParseContext, Parser

PARSERS: dict[str, str] = {
    "ecfr": "assistant.sources.ecfr:parse",
    "bis_text": "assistant.sources.bis_text:parse",
    "ecfr_markdown": "assistant.sources.ecfr_markdown:parse",
    "csl": "assistant.sources.csl:parse",
    "federal_register": "assistant.sources.federal_register:parse",
    "fr_xml": "assistant.sources.federal_register:parse_xml",
    "news": "assistant.sources.news:parse",
}


def get_parser(name: str) -> Parser:
    try:
        target = PARSERS[name]
    except KeyError:
        raise ConfigError(f"unknown parser {name!r}; known: {', '.join(sorted(PARSERS))}") from None
    module, _, attr = target.partition(":")
    return getattr(import_module(module), attr)


__all__ = ["PARSERS", "ParseContext", "Parser", "get_parser"]
