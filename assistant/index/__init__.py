"""Building and reading the search index: chunk → embed → store (Chroma) + lexical (BM25), in generations."""
