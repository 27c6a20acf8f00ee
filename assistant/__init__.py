"""askear: answers about US export controls with citations a compliance officer can check.

Public API:
    from assistant import Assistant
    answer = Assistant.from_settings().ask("Is SMIC on the Entity List?")
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["Answer", "Assistant", "Citation", "Settings"]

if TYPE_CHECKING:
    from assistant.assistant import Assistant
    from assistant.models import Answer, Citation
    from assistant.settings import Settings


def __getattr__(name: str) -> Any:
    # Lazy, so that `askear --help` and `import assistant.models` stay fast (torch loads only when asked).
    if name == "Assistant":
        from assistant.assistant import Assistant

        return Assistant
    if name in ("Answer", "Citation"):
        from assistant import models

        return getattr(models, name)
    if name == "Settings":
        from assistant.settings import Settings

        return Settings
    raise AttributeError(name)
