"""Screening through the public API and the CLI, on the real index."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from assistant.screening.models import NO_HIT_NOTE, OWNERSHIP_RULE_ID

pytestmark = pytest.mark.slow


def test_assistant_screen_uses_the_index_lists_and_caches_the_screener(real_assistant) -> None:
    matches = real_assistant.screen("YMTC", country="CN")
    assert matches[0].id == "list:EL:Yangtze Memory Technologies Co., Ltd."
    assert matches[0].license_policy == "Presumption of denial" and matches[0].as_of
    assert real_assistant.source(matches[0].id) is not None  # the id is a citable unit of the index
    screener = real_assistant.screener
    assert real_assistant.screen("Dawning", lists=["EL"])[0].id == "list:EL:Sugon"
    assert real_assistant.screener is screener
    empty = real_assistant.screen("Microsoft Corporation")
    assert empty == [] and NO_HIT_NOTE in empty.notes and empty.cites == [OWNERSHIP_RULE_ID]


def test_a_party_question_carries_the_no_clearance_note(real_assistant) -> None:
    answer = real_assistant.ask("Is Huawei on the Entity List?")
    assert NO_HIT_NOTE in answer.notes
    assert any(c.id.startswith("list:EL:Huawei Technologies") for c in answer.citations)
    assert real_assistant.source(OWNERSHIP_RULE_ID) is not None  # the rule the note cites is indexed
    general = real_assistant.ask("What are the reasons for control for ECCN 3A090?")
    assert NO_HIT_NOTE not in general.notes


def test_cli_screens_one_name_and_a_csv(real_settings, tmp_path, monkeypatch) -> None:
    from assistant.cli import app

    monkeypatch.setenv("ASKEAR_HOME", str(real_settings.home))
    runner = CliRunner()
    result = runner.invoke(app, ["screen", "Yangzte Memory Tech", "--country", "CN", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["matches"][0]["id"] == "list:EL:Yangtze Memory Technologies Co., Ltd."
    assert report["notes"] == [NO_HIT_NOTE] and report["cites"] == [OWNERSHIP_RULE_ID]

    parties = tmp_path / "parties.csv"
    parties.write_text("name,country\nMIPT,RU\n,CN\nSiemens AG,DE\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    result = runner.invoke(app, ["screen", "--csv", str(parties), "--out", str(out), "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert "parties.csv:3: no name" in result.stderr
    rows = out.read_text(encoding="utf-8").splitlines()
    assert rows[1].startswith("2,MIPT,RU,1,probable,100.0,EL,list:EL:Moscow Institute of Physics and Technology")
    assert rows[-1].startswith("4,Siemens AG,DE,,no match")

    bad = runner.invoke(app, ["screen", "Huawei", "--lists", "XYZ"])
    assert bad.exit_code == 1 and "unknown list" in bad.stderr
