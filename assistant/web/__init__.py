"""The HTTP service and chat page: `create_app()` in `app.py`, `askear serve` in `cli.py`.

Nothing here is imported by the CLI at start-up except `cli.py`, which imports FastAPI and uvicorn lazily.
"""
