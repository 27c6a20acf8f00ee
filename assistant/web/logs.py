"""Request ids for log lines: a context variable set per request and a filter that stamps every record.

The context variable is copied into threadpool workers, so a log line written deep inside
`Assistant.ask` still carries the id of the request that caused it.
"""

from __future__ import annotations

import copy
import logging
from contextvars import ContextVar
from typing import Any

request_id_var: ContextVar[str] = ContextVar("askear_request_id", default="-")


def current_request_id() -> str:
    return request_id_var.get()


class RequestIdFilter(logging.Filter):
    """Adds `record.request_id` so formatters can print it."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


def log_config(level: str = "info") -> dict[str, Any]:
    """uvicorn's logging config plus askear's loggers, with the request id in every askear line.

    Passed to `uvicorn.run(log_config=...)` so that each worker process configures itself the same way.
    """
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["filters"] = {"request_id": {"()": "assistant.web.logs.RequestIdFilter"}}
    config["formatters"]["askear"] = {
        "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
    }
    config["handlers"]["askear"] = {
        "class": "logging.StreamHandler",
        "formatter": "askear",
        "filters": ["request_id"],
        "stream": "ext://sys.stderr",
    }
    config["loggers"]["assistant"] = {"handlers": ["askear"], "level": level.upper(), "propagate": False}
    return config
