"""A screening result → Slack messages. Pure functions, no I/O.

`Assistant.screen()` belongs to the screening feature; its result (a list of matches, or an object with
`matches`; each match with name, list_code, list_name, score, band, id, source_url, as_of, countries,
license_policy, why; the result's notes and cites) is read by attribute rather than imported, so this
renderer neither breaks nor hides the screen when that model gains fields. A screen that returns an
`Answer` is rendered as one.
"""

from __future__ import annotations

from typing import Any

from assistant.models import Answer
from assistant.slack import mrkdwn
from assistant.slack.blocks import MAX_BLOCKS, Block, SlackMessage, answer_messages, context, section, to_messages

# Shown with every screen whatever the screening feature's notes say: the one caveat that must not be lost.
NOT_A_CLEARANCE = "A screen that finds no list match is not a clearance."
_BAND_ICON = {"probable": ":red_circle:", "review": ":large_orange_circle:", "weak": ":white_circle:"}
# Room for the heading, the summary, the notes and the cites within one message.
MAX_MATCHES = MAX_BLOCKS - 10


def screen_heading(name: str, country: str | None) -> str:
    where = f" (country: {mrkdwn.escape(country)})" if country else ""
    return f"Screening *{mrkdwn.escape(name)}*{where} against the screening lists"


def screen_messages(result: Any, name: str, country: str | None = None) -> list[SlackMessage]:
    """The messages to post for one screen."""
    heading = screen_heading(name, country)
    if isinstance(result, Answer):
        return answer_messages(result, heading)
    matches = getattr(result, "matches", None)
    if matches is None and isinstance(result, list | tuple):
        matches = result  # a screen may return its ranked matches as a plain list
    matches = list(matches or [])
    blocks: list[Block] = [context(heading)]
    found = (
        f"{len(matches)} possible match{'es' if len(matches) != 1 else ''} for"
        if matches
        else "No listed party matched"
    )
    summary = f"{found} *{mrkdwn.escape(name)}*" + (":" if matches else ".")
    blocks.append(section(f":mag: {summary}"))
    blocks.extend(section(match_text(i, m)) for i, m in enumerate(matches[:MAX_MATCHES], start=1))
    if len(matches) > MAX_MATCHES:
        blocks.append(context(f"…and {len(matches) - MAX_MATCHES} weaker matches not shown."))
    notes = [str(n) for n in getattr(result, "notes", None) or []]
    if not any("not a clearance" in n for n in notes):
        notes.insert(0, NOT_A_CLEARANCE)
    blocks.extend(context(f":warning: {mrkdwn.escape(n)}") for n in notes)
    cites = [str(c) for c in getattr(result, "cites", None) or []]
    if cites:
        blocks.append(context("See also: " + ", ".join(f"`{mrkdwn.escape(c)}`" for c in cites)))
    text = summary.replace("*", "")  # the name is escaped already; bold marks are noise in a notification
    return to_messages(blocks, text)


def match_text(i: int, match: Any) -> str:
    """'*1.* <url|Name>  :red_circle: 96 (probable)', then the list, the record id and date, then facts."""
    name = str(getattr(match, "name", "") or getattr(match, "id", "?"))
    url = getattr(match, "source_url", None)
    title = mrkdwn.link(url, name) if url else mrkdwn.escape(name)
    band = str(getattr(match, "band", "") or "")
    score = getattr(match, "score", None)
    scored = f"  {_BAND_ICON.get(band, '')} {score:.0f} ({band})" if isinstance(score, int | float) else ""
    lines = [f"*{i}.* {title}{scored}"]
    listed = getattr(match, "list_name", None) or getattr(match, "list_code", None)
    record = getattr(match, "id", None)
    as_of = getattr(match, "as_of", None)
    where = [
        mrkdwn.escape(str(listed)) if listed else "",
        f"`{mrkdwn.escape(str(record))}`" if record else "",
        f"as of {as_of}" if as_of else "",
    ]
    lines.append(" · ".join(p for p in where if p))
    facts = []
    matched = getattr(match, "matched_name", None)
    if matched and matched != name:
        facts.append(f"matched “{mrkdwn.escape(str(matched))}”")
    countries = getattr(match, "countries", None)
    if countries:
        facts.append("countries: " + mrkdwn.escape(", ".join(map(str, countries))))
    policy = getattr(match, "license_policy", None)
    if policy:
        facts.append("license policy: " + mrkdwn.escape(mrkdwn.shorten(str(policy), 300)))
    why = getattr(match, "why", None)
    if isinstance(why, str) and why:
        facts.append("why: " + mrkdwn.escape(mrkdwn.shorten(why, 300)))
    if facts:
        lines.append(" · ".join(facts))
    return "\n".join(line for line in lines if line)[: mrkdwn.SECTION_TEXT_LIMIT]
