"""`askear slack`: run the Slack bot in Socket Mode. slack_bolt is imported only when the command runs."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the `slack` command to the askear CLI (called by assistant.cli at start-up)."""
    app.command("slack")(slack)


def slack() -> None:
    """Answer @askear mentions, direct messages and /askear in Slack over Socket Mode (no public URL).

    Needs SLACK_BOT_TOKEN (xoxb-…) and SLACK_APP_TOKEN (xapp-…), or ASKEAR_SLACK__BOT_TOKEN and
    ASKEAR_SLACK__APP_TOKEN. See slack/manifest.yml and the README's Slack section to create the app.
    """
    from assistant.assistant import Assistant
    from assistant.errors import AskearError
    from assistant.settings import Settings

    try:
        from assistant.slack.socket import socket_mode_handler
    except ModuleNotFoundError as exc:
        _fail(f"{exc.name} is not installed: pip install 'askear[slack]'")
    settings = Settings()
    try:
        assistant = Assistant.from_settings(settings)
        handler = socket_mode_handler(assistant, settings)  # checks the tokens before the slow warm-up
        typer.echo("loading the model and index…", err=True)
        assistant.warm_up()
        typer.echo("askear is connecting to Slack (Ctrl-C to stop)", err=True)
        handler.start()
    except AskearError as exc:
        _fail(str(exc))
    except KeyboardInterrupt:
        raise typer.Exit(0) from None


def _fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(1)
