"""One settings object (env prefix ASKEAR_), grouped by stage and passed explicitly.

This is the only module that reads the environment.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_home() -> Path:
    return Path.cwd() / ".askear"


class IndexSettings(BaseModel):
    embed_batch_size: int = Field(64, description="Passages per embedding batch")
    chunk_chars: int = Field(900, description="Longest chunk in characters (MiniLM reads 256 tokens)")
    chunk_overlap: int = Field(120, description="Characters shared by neighbouring chunks of one unit")
    keep_generations: int = Field(2, description="Index generations kept on disk (the live one included)")


class RetrieveSettings(BaseModel):
    top_k: int = Field(8, description="Passages handed to the composer")
    candidates: int = Field(40, description="Candidates per retriever before fusion")
    rrf_k: int = Field(60, description="Reciprocal-rank-fusion constant (Cormack et al. 2009 use 60)")


class ComposeSettings(BaseModel):
    max_sentences: int = Field(4, description="Sentences in an extractive answer")
    abstain_threshold: float = Field(
        0.36, description="Best dense similarity below which the extractive composer abstains"
    )


class WebSettings(BaseModel):
    api_token: SecretStr | None = Field(None, description="Bearer token every route but health requires (off if unset)")
    max_body_bytes: int = Field(64_000, description="Largest request body accepted")
    rate_limit_per_minute: int = Field(120, description="Requests per client per minute (0 disables)")
    cors_origins: list[str] = Field(default_factory=list, description="Origins allowed by CORS (off if empty)")
    max_concurrent_answers: int = Field(2, description="Answers computed at once per worker; others wait their turn")


def _slack_env(name: str) -> SecretStr | None:
    # Slack's own variable names (SLACK_BOT_TOKEN, ...) as in Slack's docs; ASKEAR_SLACK__* take precedence.
    value = os.environ.get(name)
    return SecretStr(value) if value else None


class SlackSettings(BaseModel):
    signing_secret: SecretStr | None = Field(
        default_factory=lambda: _slack_env("SLACK_SIGNING_SECRET"),
        description="Slack signing secret (enables /slack/events); else SLACK_SIGNING_SECRET",
    )
    bot_token: SecretStr | None = Field(
        default_factory=lambda: _slack_env("SLACK_BOT_TOKEN"),
        description="Bot token xoxb-… for posting replies; else SLACK_BOT_TOKEN",
    )
    app_token: SecretStr | None = Field(
        default_factory=lambda: _slack_env("SLACK_APP_TOKEN"),
        description="App-level token xapp-… for Socket Mode; else SLACK_APP_TOKEN",
    )
    api_base_url: str | None = Field(None, description="Slack Web API base URL (tests point it at a fake)")


class Settings(BaseSettings):
    """askear's knobs. Every field can be set as ASKEAR_<NAME> (nested: ASKEAR_INDEX__CHUNK_CHARS)."""

    model_config = SettingsConfigDict(env_prefix="ASKEAR_", env_nested_delimiter="__", env_file=".env", extra="ignore")

    home: Path = Field(default_factory=_default_home, description="Folder for downloads, indexes, feedback")
    corpus_file: Path | None = Field(None, description="corpus/sources.toml to use (default: the packaged one)")
    embedder: str = Field("minilm", description="Embedding backend: minilm or a sentence-transformers path")
    chroma_url: str | None = Field(None, description="http://host:port of a `chroma run` server (else embedded)")
    chroma_token: SecretStr | None = Field(None, description="Sent as x-chroma-token (Chroma Cloud, auth proxies)")
    chroma_tenant: str = Field("default_tenant", description="Chroma tenant holding askear's collections")
    chroma_database: str = Field("default_database", description="Chroma database holding askear's collections")
    llm: str = Field("extractive", description="extractive, openai:<model> or ollama:<model>")
    llm_base_url: str | None = Field(None, description="Base URL of an OpenAI-compatible or Ollama server")
    llm_api_key: SecretStr | None = Field(None, description="API key for the LLM server (else provider env vars)")
    grounding: Literal["strict", "flag"] = Field("strict", description="Drop (strict) or flag unsupported sentences")
    max_question_chars: int = Field(2000, description="Longest question accepted")
    index: IndexSettings = Field(default_factory=IndexSettings)
    retrieve: RetrieveSettings = Field(default_factory=RetrieveSettings)
    compose: ComposeSettings = Field(default_factory=ComposeSettings)
    web: WebSettings = Field(default_factory=WebSettings)
    slack: SlackSettings = Field(default_factory=SlackSettings)

    @property
    def raw_dir(self) -> Path:
        """Where `askear corpus sync` puts source files."""
        return self.home / "raw"

    @property
    def index_dir(self) -> Path:
        return self.home / "index"


def offline_environment() -> None:
    """Keep Hugging Face and Chroma from reaching the network: the model ships in a package."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def describe(settings: Settings | None = None) -> list[tuple[str, str, str]]:
    """(environment variable, current value, description) for every setting; secrets are masked."""
    settings = settings or Settings()
    rows: list[tuple[str, str, str]] = []

    def walk(model: BaseModel, prefix: str) -> None:
        for name, field in type(model).model_fields.items():
            value = getattr(model, name)
            env = f"{prefix}{name.upper()}"
            if isinstance(value, BaseModel):
                walk(value, env + "__")
                continue
            shown = "(set)" if isinstance(value, SecretStr) else "" if value is None else str(value)
            rows.append((env, shown, field.description or ""))

    walk(settings, "ASKEAR_")
    return rows
