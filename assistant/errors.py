"""Typed errors with messages a user can act on; translated to exit codes / HTTP statuses at the edge."""

from __future__ import annotations


class AskearError(Exception):
    """Base of every error askear raises on purpose."""


class ConfigError(AskearError):
    """A setting is missing or invalid."""


class SourceError(AskearError):
    """A source file is missing, truncated or malformed. Raised before anything is written to the index."""

    def __init__(self, source: str, message: str) -> None:
        super().__init__(f"{source}: {message}")
        self.source = source


class IndexMissing(AskearError):
    """No index generation has been built yet under ASKEAR_HOME."""


class IndexIncomplete(IndexMissing):
    """A freshly built generation failed its integrity check (vectors missing); it was not switched to."""


class BackendUnavailable(AskearError):
    """A backend (vector store server, LLM endpoint) cannot be reached or is not installed."""


class InvalidQuestion(AskearError):
    """The question is empty or too long."""
