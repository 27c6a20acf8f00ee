"""Slack front end: answers `@askear` mentions, direct messages and `/askear` in the thread they came from.

Modules: `app.py` builds the bolt App, `listeners.py` wires events and the slash command, `replies.py`
turns a question or a screen into messages, `blocks.py` / `screen_blocks.py` render Block Kit (pure),
`mrkdwn.py` escapes and splits text (pure), `commands.py` parses `/askear` text (pure), `history.py` reads
a thread back as chat history, `dedupe.py` drops Slack's retries, `http.py` mounts `/slack/events` on a
FastAPI app, `socket.py` runs Socket Mode and `cli.py` adds `askear slack`.

Nothing here imports slack_bolt at package import: `askear --help` must not pay for it.
"""
