from pathlib import Path

from assistant.index.lexical import Bm25Index, tokenize


def test_tokens_keep_citations_and_their_parts() -> None:
    toks = tokenize("ECCN 3A090.a.1 under 744.11(b) and Country Group D:5")
    for expected in ("3a090.a.1", "3a090", "3a090.a", "744.11", "744", "d:5"):
        assert expected in toks
    assert "the" not in tokenize("the the the")


def test_search_finds_a_cited_paragraph_and_survives_save_load(tmp_path: Path) -> None:
    index = Bm25Index()
    index.build(
        ["a", "b", "c"],
        ["ECCN 3A090.a.1 integrated circuits", "Entity List Yangtze Memory", "744.11 license requirements"],
    )
    assert index.search("3A090", 3)[0][0] == "a"
    assert index.search("what is in 744.11", 3)[0][0] == "c"
    assert index.search("zebra", 3) == []
    index.save(tmp_path / "bm25")
    again = Bm25Index.load(tmp_path / "bm25")
    assert again.search("Yangtze", 3)[0][0] == "b"
