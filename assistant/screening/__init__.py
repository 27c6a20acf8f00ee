"""Party screening against the lists: fuzzy, alias-aware, explainable, batch.

    normalize.py   names → canonical words (case, diacritics, Cyrillic, legal forms, a.k.a., acronyms)
    countries.py   ISO-2 codes and the country names the lists use
    score.py       IDF-weighted word alignment of two names, with the reasons it found
    table.py       every listed name indexed by word (blocking, vectorised candidate overlap)
    matcher.py     Screener.screen(name) → ranked Matches; models.py holds Match and the bands
    batch.py       CSV in, one row per candidate match out; cli.py the `askear screen` command
    detect.py      listed names inside questions (used by route.find_parties)
    load.py        list units from the index or straight from the source files

Entry points: `Assistant.screen(name, country=None, lists=None, limit=10)` and `askear screen`.
"""
