"""`askear serve`: the HTTP API and chat page under uvicorn. FastAPI and uvicorn load only when it runs."""

from __future__ import annotations

from typing import Annotated

import typer

FACTORY = "assistant.web.app:create_app"
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def register(app: typer.Typer) -> None:
    @app.command()
    def serve(
        host: Annotated[str, typer.Option(help="Interface to listen on (0.0.0.0 for every interface)")] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="TCP port")] = 8000,
        workers: Annotated[int, typer.Option(min=1, help="Worker processes (each loads its own index)")] = 1,
        log_level: Annotated[str, typer.Option(help="debug, info, warning or error")] = "info",
    ) -> None:
        """Serve the chat page at / and the API under /v1 (OpenAPI docs at /docs).

        Example: askear serve --port 8000 --workers 2
        """
        try:
            import uvicorn
        except ImportError:
            typer.echo("error: the web service needs its extras: pip install 'askear[web]'", err=True)
            raise typer.Exit(1) from None
        from assistant.settings import Settings
        from assistant.web.logs import log_config

        settings = Settings()
        if host not in LOOPBACK and settings.web.api_token is None:
            typer.echo(f"warning: listening on {host} without ASKEAR_WEB__API_TOKEN: anyone who can reach it may ask",
                       err=True)  # fmt: skip
        # An import string with factory=True: uvicorn needs one to start several worker processes, and using
        # it for one worker too keeps a single start-up path.
        uvicorn.run(
            FACTORY, factory=True, host=host, port=port, workers=workers,
            log_config=log_config(log_level), log_level=log_level, access_log=False,
            timeout_graceful_shutdown=10,
        )  # fmt: skip
