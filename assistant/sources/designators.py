"""CFR paragraph designators: `(a)(1)(i)(A)(1)(i)` → the paragraph path that forms a citation id.

The CFR outline has six levels: (a) letters, (1) digits, (i) lower roman, (A) capitals, then italic (1)
and italic (i). `(i)`, `(v)` and `(x)` are both letters and roman numerals; which one is meant follows
from the paragraph before (and, where that is not enough, the paragraph after), as a reader would decide.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence

_LEADING = re.compile(r"^\s*((?:\((?:[a-z]{1,5}|\d{1,3}|[A-Z]{1,2})\)\s*)+)")
_TOKEN = re.compile(r"\(([a-zA-Z]{1,5}|\d{1,3})\)")
_ROMAN = re.compile(r"^(?=[ivxl])(x{0,3}l?)(ix|iv|v?i{0,3})$")

# Outline levels by the kind of designator they use.
_KIND = {1: "letter", 2: "digit", 3: "roman", 4: "upper", 5: "digit", 6: "roman"}
# Preference when several readings fit equally: deeper first, the way the old rule "(i) after (h)(1) is
# (h)(1)(i)" reads, because the CFR never gives a paragraph a single child.
_PREFERENCE = (6, 5, 4, 3, 2, 1)


def split_leading(text: str) -> tuple[list[str], str]:
    """`"(a)(1) Introduction. In this part"` → (["a", "1"], "Introduction. In this part")."""
    match = _LEADING.match(text)
    if not match:
        return [], text
    return _TOKEN.findall(match.group(1)), text[match.end() :]


def is_roman(token: str) -> bool:
    return bool(_ROMAN.match(token))


def designation(path: Sequence[str]) -> str:
    """`("b", "1", "i")` → `"(b)(1)(i)"`, the part of a citation id after the section."""
    return "".join(f"({p})" for p in path)


def _roman_value(token: str) -> int:
    values = {"i": 1, "v": 5, "x": 10, "l": 50}
    total = 0
    for i, ch in enumerate(token):
        v = values[ch]
        total += -v if i + 1 < len(token) and values[token[i + 1]] > v else v
    return total


def _letter_value(token: str) -> int:
    # CFR runs past (z) as (aa), (bb), ...
    return (ord(token[0].lower()) - ord("a") + 1) + 26 * (len(token) - 1)


def _value(token: str, level: int) -> int | None:
    """The ordinal of `token` read as a designator of `level`, or None when it cannot be one."""
    kind = _KIND[level]
    if kind == "digit":
        return int(token) if token.isdigit() else None
    if kind == "upper":
        return _letter_value(token) if token.isalpha() and token.isupper() and len(set(token)) == 1 else None
    if kind == "roman":
        return _roman_value(token) if is_roman(token) else None
    return _letter_value(token) if token.isalpha() and token.islower() and len(set(token)) == 1 else None


def _candidates(token: str, italic: bool | None) -> tuple[int, ...]:
    """Levels a token may stand at. eCFR sets levels 5 and 6 in italics, so when the caller knows whether
    the designator was italic the choice between (1)/(i) at level 2/3 and at level 5/6 is settled."""
    levels = tuple(lvl for lvl in _PREFERENCE if _value(token, lvl) is not None)
    if italic is True:
        return tuple(lvl for lvl in levels if lvl >= 5) or levels
    if italic is False:
        return tuple(lvl for lvl in levels if lvl < 5) or levels
    return levels


def _fits(token: str, level: int, path: Sequence[str], levels: Sequence[int]) -> bool:
    """Whether `token` at `level` continues the outline: the next sibling at that level, or the first
    child of the deepest paragraph so far."""
    value = _value(token, level)
    if value is None:
        return False
    if level in levels:
        prev = _value(path[levels.index(level)], level)
        if prev is not None and value == prev + 1:
            return True
    deepest = levels[-1] if levels else 0
    return value == 1 and level == deepest + 1


def _cut(path: Sequence[str], levels: Sequence[int], token: str, level: int) -> tuple[list[str], list[int]]:
    keep = [i for i, lvl in enumerate(levels) if lvl < level]
    cut = keep[-1] + 1 if keep else 0
    return [*path[:cut], token], [*levels[:cut], level]


class Outline:
    """Tracks the current paragraph path while paragraphs are read in document order."""

    def __init__(self) -> None:
        self.path: list[str] = []
        self._levels: list[int] = []

    def reset(self) -> None:
        self.path, self._levels = [], []

    def _fallback(self, token: str, italic: bool | None) -> int:
        # Nothing continues the outline (a source skip or error): place by kind alone.
        if token.isdigit():
            return 5 if italic or (italic is None and any(lvl >= 4 for lvl in self._levels)) else 2
        if token.isupper():
            return 4
        if not is_roman(token):
            return 1
        if italic or (italic is None and any(lvl >= 5 for lvl in self._levels)):
            return 6
        # `(ii)`, `(iv)` can only be roman; `(i)`, `(v)`, `(x)` that continue nothing read as letters.
        return 3 if len(set(token)) > 1 else 1

    def _level_of(self, token: str, italic: bool | None, following: tuple[str, bool | None] | None) -> int:
        fitting = [lvl for lvl in _candidates(token, italic) if _fits(token, lvl, self.path, self._levels)]
        if not fitting and italic is not None:
            # The markup is a hint, not a guarantee: eCFR sometimes sets a level-5 "(1)" upright.
            fitting = [lvl for lvl in _candidates(token, None) if _fits(token, lvl, self.path, self._levels)]
        if not fitting:
            # A first child that skips a level, e.g. "(f)" then "(i)" in § 740.29: the nearest level wins.
            deepest = self._levels[-1] if self._levels else 0
            skipping = sorted(
                lvl for lvl in _candidates(token, italic) if lvl > deepest + 1 and _value(token, lvl) == 1
            )
            return skipping[0] if skipping else self._fallback(token, italic)
        if len(fitting) > 1 and following is not None:
            # `(i)` after `(h)(1)` may be `(h)(1)(i)` or the letter `(i)`: the paragraph after decides
            # (`(ii)` or `(A)` means roman, `(j)` or `(1)` means the letter).
            nxt, nxt_italic = following
            readable = []
            for lvl in fitting:
                path, levels = _cut(self.path, self._levels, token, lvl)
                if any(_fits(nxt, n, path, levels) for n in _candidates(nxt, nxt_italic)):
                    readable.append(lvl)
            if readable:
                fitting = readable
        return fitting[0]

    def place(
        self,
        tokens: Sequence[str],
        italic: Sequence[bool | None] | None = None,
        following: tuple[str, bool | None] | None = None,
    ) -> tuple[str, ...]:
        """Place the designators that open a paragraph and return its full path.

        `italic[i]` says whether tokens[i] was set in italics (None: unknown). `following` is the first
        designator of the next paragraph (and whether it was italic), used only to settle `(i)`/`(v)`/`(x)`.
        """
        flags = list(italic) if italic is not None else [None] * len(tokens)
        for i, token in enumerate(tokens):
            after = (tokens[i + 1], flags[i + 1]) if i + 1 < len(tokens) else following
            level = self._level_of(token, flags[i], after)
            self.path, self._levels = _cut(self.path, self._levels, token, level)
        return tuple(self.path)

    def designation(self) -> str:
        return designation(self.path)


def is_designator(token: str) -> bool:
    """Whether a parenthesised token can be a paragraph designator at all (`(see)` cannot)."""
    return any(_value(token, level) is not None for level in _PREFERENCE)


def _readings(token: str) -> list[tuple[str, int]]:
    """Every reading of a designator as (kind, value): `i` is both the letter 9 and the roman 1."""
    out: list[tuple[str, int]] = []
    if token.isdigit():
        out.append(("digit", int(token)))
    elif token.isupper():
        out.append(("upper", _letter_value(token)))
    else:
        if len(set(token)) == 1:
            out.append(("letter", _letter_value(token)))
        if is_roman(token):
            out.append(("roman", _roman_value(token)))
    return out


def continues_outline(outline: Outline, tokens: Sequence[str]) -> bool:
    """Whether designators at a line start open a paragraph rather than continue a sentence.

    A line of running text can begin with a cross-reference such as "(b)(8)(ii) of this section"; a real
    paragraph continues its outline: each token is the first of a deeper level or the successor of its
    sibling. `outline` is left as it was.
    """
    trial = copy.deepcopy(outline)
    for token in tokens:
        before = list(trial.path)
        after = trial.place([token])
        depth = len(after) - 1
        sibling = before[depth] if depth < len(before) and before[:depth] == list(after[:depth]) else None
        readings = _readings(token)
        if sibling is None:
            if not any(value == 1 for _, value in readings):
                return False
        elif not any(k == k2 and v == v2 + 1 for k, v in readings for k2, v2 in _readings(sibling)):
            return False
    return True
