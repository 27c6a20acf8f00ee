from assistant.index.chunk import Chunker, embedding_text
from assistant.models import ListEntry, Unit


def _unit(text: str) -> Unit:
    return Unit(
        id="15 CFR 744.11(b)", title="§ 744.11(b)", heading_path=("Part 744", "§ 744.11", "(b)"),
        source_type="regulation", source_id="t", text=text,
    )  # fmt: skip


def test_short_unit_is_one_chunk_with_its_id() -> None:
    chunks = Chunker(900, 100).split(_unit("Short paragraph."))
    assert [c.id for c in chunks] == ["15 CFR 744.11(b)#0"]
    assert chunks[0].unit_id == "15 CFR 744.11(b)"
    assert "§ 744.11" in chunks[0].index_text


def test_long_unit_splits_into_exact_substrings_that_keep_the_citation() -> None:
    text = "\n\n".join(f"Paragraph {i} says something about licence requirements number {i}." * 4 for i in range(40))
    unit = _unit(text)
    chunks = Chunker(400, 60).split(unit)
    assert len(chunks) > 5
    for chunk in chunks:
        assert chunk.unit_id == unit.id and chunk.id.startswith(unit.id + "#")
        assert chunk.text in unit.text
        assert len(chunk.text) <= 400
    covered = "".join(c.text for c in chunks)
    assert "Paragraph 39" in covered and "Paragraph 0" in covered


def test_list_records_are_embedded_by_name_and_aliases() -> None:
    entry = ListEntry(list_code="EL", list_name="Entity List", name="Yangtze Memory Technologies Co., Ltd.",
                      aliases=("YMTC",), countries=("China",))  # fmt: skip
    unit = Unit(id="list:EL:Yangtze Memory Technologies Co., Ltd.", title=entry.name, source_type="list",
                source_id="csl", text="Long record text with addresses", entry=entry)  # fmt: skip
    chunk = Chunker().split(unit)[0]
    text = embedding_text(chunk, unit)
    assert "YMTC" in text and "addresses" not in text
