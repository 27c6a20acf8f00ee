"""Build the screening evaluation set from the real lists.

    .venv/bin/python evals/screening/generate.py                  # writes variants.jsonl, non_listed.jsonl
    .venv/bin/python evals/screening/generate.py --seed 7 --out /tmp/dev   # a development sample

Listed side: a seeded, list-stratified sample of records; for each, the forms a user would type — a
misspelling, the name without its legal form, another legal form, reordered words, an alias, an acronym,
a transliteration variant (Latin or Cyrillic), extra words such as "Group", and plain lower case. Each
line says which record (`expected_id`) a screen must return.

Non-listed side: the hand-written companies in non_listed.tsv, each checked against every listed name,
alias and a.k.a. part by exact normalised comparison; a name that is listed is dropped and reported.

The variant rules here are deliberately independent of assistant.screening.normalize (their own legal-form
list, their own transliteration table), so the matcher is not graded on its own definitions.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO))

from assistant.models import Unit  # noqa: E402

# How many records to draw per list (others: the remaining CSL lists together).
PER_LIST = {"EL": 120, "SDN": 120, "DPL": 40, "MEU": 25, "UVL": 25}
OTHERS = 40

LEGAL = re.compile(
    r"(?:,?\s+|^)(?:co\.?,?\s*ltd\.?|company\s+limited|limited\s+liability\s+company|"
    r"(?:(?:open|closed|public)\s+)?joint[- ]stock\s+company|"
    r"limited|ltd\.?|l\.?l\.?c\.?|inc\.?|incorporated|corp\.?|corporation|gmbh|ooo|o\.o\.o\.|jsc|ojsc|pjsc|cjsc|"
    r"ao|oao|zao|pao|s\.?a\.?|plc|llp|pte\.?|pvt\.?|fze|fzco|co\.?|company)(?=[\s,.]|$)",
    re.IGNORECASE,
)
SWAP_FORMS = {"co., ltd.": "Limited", "ltd.": "Limited", "limited": "Ltd", "llc": "L.L.C.", "inc.": "Incorporated",
              "jsc": "Joint Stock Company", "ooo": "LLC", "corporation": "Corp.", "company": "Co."}  # fmt: skip
EXTRA = ("Group", "Holdings", "International", "Global", "Group Co., Ltd.")
# A slip of the finger: each letter's left-hand neighbour on a QWERTY row.
KEYBOARD = {row[i]: row[i - 1] for row in ("qwertyuiop", "asdfghjkl", "zxcvbnm") for i in range(len(row))}
# Romanisation choices that differ between systems (each applied in one direction only).
TRANSLIT = (("skiy", "sky"), ("sky", "skiy"), ("kh", "h"), ("ts", "tz"), ("ya", "ia"), ("yu", "iu"), ("ey", "ei"),
            ("ei", "ey"), ("iy", "ij"), ("zh", "j"), ("v", "w"))  # fmt: skip
LATIN_TO_CYRILLIC = (("shch", "щ"), ("kh", "х"), ("zh", "ж"), ("ts", "ц"), ("ch", "ч"), ("sh", "ш"), ("yu", "ю"),
                     ("ya", "я"), ("ye", "е"), ("yo", "ё"), ("iy", "ий"), ("ey", "ей"), ("ay", "ай"), ("oy", "ой"),
                     ("uy", "уй"), ("a", "а"), ("b", "б"), ("v", "в"), ("g", "г"), ("d", "д"), ("e", "е"),
                     ("z", "з"), ("i", "и"), ("y", "ы"), ("k", "к"), ("l", "л"), ("m", "м"), ("n", "н"),
                     ("o", "о"), ("p", "п"), ("r", "р"), ("s", "с"), ("t", "т"), ("u", "у"), ("f", "ф"),
                     ("c", "к"), ("h", "х"), ("w", "в"), ("x", "кс"))  # fmt: skip


def _word_spans(text: str) -> list[re.Match[str]]:
    return list(re.finditer(r"[A-Za-z]{5,}", text))


def misspell(name: str, rng: random.Random) -> str | None:
    spans = [m for m in _word_spans(name) if not LEGAL.fullmatch(" " + m.group(0))]
    if not spans:
        return None
    word = max(spans, key=lambda m: len(m.group(0)))
    w = word.group(0)
    i = rng.randrange(1, len(w) - 1)
    op = rng.choice(("sub", "del", "dup", "swap"))
    if op == "sub":
        ch = w[i].lower()
        new = w[:i] + KEYBOARD.get(ch, ch) + w[i + 1 :]
    elif op == "del":
        new = w[:i] + w[i + 1 :]
    elif op == "dup":
        new = w[:i] + w[i] + w[i:]
    else:
        new = w[: i - 1] + w[i] + w[i - 1] + w[i + 1 :]
    return name[: word.start()] + new + name[word.end() :] if new != w else None


def drop_legal(name: str) -> str | None:
    stripped = " ".join(LEGAL.sub(" ", name).split()).strip(" ,.")
    return stripped if stripped and stripped != name.strip(" ,.") and len(stripped) >= 4 else None


def swap_legal(name: str) -> str | None:
    low = name.lower()
    for form, other in SWAP_FORMS.items():
        at = low.rfind(form)
        if (
            at >= 0
            and (at == 0 or not low[at - 1].isalnum())
            and (at + len(form) == len(low) or not low[at + len(form)].isalnum())
        ):
            return name[:at] + other + name[at + len(form) :]
    return None


LEGAL_PREFIX = re.compile(
    r"^(?:(?:open|closed|public|private)\s+)?(?:joint[- ]stock\s+company|limited\s+liability\s+company|"
    r"ooo|oao|zao|pao|ao|jsc|ojsc|pjsc|cjsc|llc|pt)\s+",
    re.IGNORECASE,
)


def reorder(name: str, person: bool) -> str | None:
    """ "LAST, First" → "First LAST"; "JSC Irkut" → "Irkut JSC"; otherwise the first two words swapped."""
    if person and "," in name:
        last, _, first = name.partition(",")
        return f"{first.strip()} {last.strip()}" if first.strip() else None
    if prefix := LEGAL_PREFIX.match(name):
        rest = name[prefix.end() :].strip()
        return f"{rest} {prefix.group(0).strip()}" if rest else None
    words = name.split()
    if len(words) < 2:
        return None
    return " ".join([words[1], words[0], *words[2:]])


def transliterate(name: str, rng: random.Random, cyrillic: bool) -> str | None:
    if cyrillic:
        # A Russian writer leaves out the Latin legal form (or writes ООО/АО, which the matcher also drops).
        out = (drop_legal(name) or name).lower()
        for latin, cyr in LATIN_TO_CYRILLIC:
            out = out.replace(latin, cyr)
        return out if re.search(r"[а-я]{3,}", out) else None
    rules = [r for r in TRANSLIT if r[0] in name.lower()]
    if not rules:
        return None
    old, new = rng.choice(rules)
    at = name.lower().find(old)
    return name[:at] + new + name[at + len(old) :]


def acronym_of(unit: Unit) -> str | None:
    """A bracketed or alias acronym of 3+ letters that is not a legal form ("(PTE)") or a place ("(HK)")."""
    entry = unit.entry
    assert entry is not None
    for text in (entry.name, *entry.aliases):
        for inner in re.findall(r"\(([A-Z][A-Z0-9-]{2,9})\)\s*(?:Co\.?,? ?Ltd\.?|Ltd\.?|Limited|Inc\.?)?\.?$", text):
            if not LEGAL.fullmatch(" " + inner):
                return inner
    for alias in entry.aliases:
        if re.fullmatch(r"[A-Z][A-Z0-9-]{1,9}", alias.strip()):
            return alias.strip()
    return None


def variants(unit: Unit, rng: random.Random) -> list[tuple[str, str]]:
    entry = unit.entry
    assert entry is not None
    name = re.split(r"\.\s*Affiliated Entity:\s*", entry.name)[-1]
    person = (entry.entity_type or "").lower() == "individual"
    russian = any(c in ("RU", "RUSSIA", "BY", "BELARUS") for c in entry.countries)
    short = len((drop_legal(name) or name).split()) <= 2
    out = {
        "misspelling": misspell(name, rng),
        "legal_form_dropped": drop_legal(name),
        "legal_form_changed": swap_legal(name),
        "reordered": reorder(name, person),
        "alias": rng.choice(entry.aliases) if entry.aliases else None,
        "acronym": acronym_of(unit),
        # Cyrillic only for short names: spelling English words ("Research Institute") in Cyrillic letters
        # produces text no Russian writer would type.
        "transliteration": transliterate(name, rng, cyrillic=russian and short and rng.random() < 0.5),
        "extra_words": None if person else f"{drop_legal(name) or name} {rng.choice(EXTRA)}",
        "lower_case": re.sub(r"[^\w\s]", "", name.lower()),
    }
    return [(kind, " ".join(text.split())) for kind, text in out.items() if text and len(text.split()) <= 14]


def first_country(unit: Unit) -> str | None:
    from assistant.screening.countries import country_code

    entry = unit.entry
    assert entry is not None
    codes = [c for c in (country_code(x) for x in entry.countries) if c]
    return codes[0] if codes else None


def sample(units: list[Unit], rng: random.Random) -> list[Unit]:
    by_list: dict[str, list[Unit]] = {}
    for u in units:
        assert u.entry is not None
        by_list.setdefault(u.entry.list_code, []).append(u)
    chosen: list[Unit] = []
    others: list[Unit] = []
    for code, group in sorted(by_list.items()):
        if code in PER_LIST:
            chosen += rng.sample(group, min(PER_LIST[code], len(group)))
        else:
            others += group
    return chosen + rng.sample(others, min(OTHERS, len(others)))


def listed_keys(units: list[Unit]) -> set[str]:
    """Every listed name, alias and a.k.a. part, normalised both ways the project normalises names."""
    from assistant.names import normalize as index_normalize
    from assistant.screening.normalize import name_variants
    from assistant.screening.normalize import normalize as screen_normalize

    keys: set[str] = set()
    for u in units:
        assert u.entry is not None
        for text in (u.entry.name, *u.entry.aliases):
            keys.add(index_normalize(text))
            keys.add(screen_normalize(text))
            keys.update(screen_normalize(v.text) for v in name_variants(text))
    return keys


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data", help="real data folder")
    parser.add_argument("--seed", type=int, default=20260801)
    parser.add_argument("--out", type=Path, default=HERE)
    args = parser.parse_args()

    from assistant.names import normalize as index_normalize
    from assistant.screening.load import units_from_files
    from assistant.screening.normalize import normalize as screen_normalize

    units = units_from_files(args.data)
    rng = random.Random(args.seed)
    rows = []
    for unit in sample(units, rng):
        country = first_country(unit) if rng.random() < 0.5 else None
        assert unit.entry is not None
        for kind, query in variants(unit, rng):
            rows.append({"query": query, "country": country, "expected_id": unit.id, "variant": kind,
                         "list_code": unit.entry.list_code, "listed_name": unit.entry.name})  # fmt: skip
    args.out.mkdir(parents=True, exist_ok=True)
    with (args.out / "variants.jsonl").open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")

    keys = listed_keys(units)
    kept, dropped = [], []
    for line in (HERE / "non_listed.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, _, country = line.partition("\t")
        listed = index_normalize(name) in keys or screen_normalize(name) in keys
        (dropped if listed else kept).append({"query": name.strip(), "country": country.strip() or None})
    with (args.out / "non_listed.jsonl").open("w", encoding="utf-8") as f:
        for row in kept:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    counts = Counter(r["variant"] for r in rows)
    print(f"{len({r['expected_id'] for r in rows})} listed records, {len(rows)} variants: {dict(counts)}")
    print(f"{len(kept)} non-listed names kept; dropped as listed: {[d['query'] for d in dropped]}")


if __name__ == "__main__":
    main()
