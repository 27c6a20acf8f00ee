from pathlib import Path

import pytest

from assistant.settings import Settings, describe

README = Path(__file__).resolve().parents[1] / "README.md"


def test_every_setting_is_described_and_documented() -> None:
    readme = README.read_text(encoding="utf-8")
    for env, _, description in describe(Settings(home=Path("/tmp/x"))):
        assert description, f"{env} has no description"
        assert f"`{env}`" in readme, f"{env} is missing from the README table (run scripts/config_table.py)"


def test_environment_reaches_nested_groups(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASKEAR_RETRIEVE__TOP_K", "5")
    monkeypatch.setenv("ASKEAR_GROUNDING", "flag")
    settings = Settings()
    assert settings.retrieve.top_k == 5 and settings.grounding == "flag"


def test_invalid_value_names_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASKEAR_GROUNDING", "lenient")
    with pytest.raises(Exception, match="grounding"):
        Settings()


def test_secrets_are_masked() -> None:
    rows = {env: value for env, value, _ in describe(Settings(home=Path("/tmp/x"), llm_api_key="sk-secret"))}
    assert rows["ASKEAR_LLM_API_KEY"] == "(set)"
