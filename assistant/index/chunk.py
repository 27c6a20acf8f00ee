"""Unit → Chunks. Units are already paragraph-sized; only over-long ones are split (LangChain's splitter),
and every chunk keeps its unit's citation id and is an exact substring of the unit's text, so a chunk can
be quoted as it stands."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from langchain_text_splitters import RecursiveCharacterTextSplitter

from assistant.models import Chunk, Unit


class Chunker:
    def __init__(self, chunk_chars: int = 900, overlap: int = 120) -> None:
        self.chunk_chars = chunk_chars
        self._splitter = RecursiveCharacterTextSplitter(
            chunk_size=chunk_chars,
            chunk_overlap=overlap,
            separators=["\n\n", "\n", "; ", ". ", " ", ""],
            keep_separator="end",
            add_start_index=True,
            strip_whitespace=True,
        )

    def split(self, unit: Unit) -> list[Chunk]:
        context = " > ".join(unit.heading_path[-3:]) if unit.heading_path else unit.title
        unit_hash = unit.content_hash
        text = unit.text.strip() or unit.title
        if len(text) <= self.chunk_chars:
            pieces = [text]
        else:
            pieces = []
            for doc in self._splitter.create_documents([text]):
                start = int(doc.metadata.get("start_index", -1))
                piece = doc.page_content
                # The splitter reports where each piece starts; fall back to a search if it could not.
                if start < 0 or text[start : start + len(piece)] != piece:
                    start = text.find(piece)
                pieces.append(text[start : start + len(piece)] if start >= 0 else piece)
        return [
            Chunk(
                id=f"{unit.id}#{i}",
                unit_id=unit.id,
                source_type=unit.source_type,
                ordinal=i,
                text=piece,
                context=context,
                unit_hash=unit_hash,
            )
            for i, piece in enumerate(pieces)
        ]

    def split_all(self, units: Iterable[Unit]) -> Iterator[Chunk]:
        for unit in units:
            yield from self.split(unit)


def embedding_text(chunk: Chunk, unit: Unit) -> str:
    """What the dense model reads. List records are embedded by name, aliases and list only: the full record
    (addresses, policy boilerplate) would cost five times the embedding time and blur the name signal."""
    if unit.entry is not None:
        entry = unit.entry
        parts = [entry.name, *entry.aliases, entry.list_name, *entry.countries]
        return "; ".join(p for p in parts if p)
    return chunk.index_text
