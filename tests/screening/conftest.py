"""A screener over the real lists (the CSL and the Part 744 tables parsed from ../shared/data), once per session."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def list_units(shared_data: Path):
    from assistant.screening.load import units_from_files

    return units_from_files(shared_data)


@pytest.fixture(scope="session")
def screener(list_units):
    from assistant.screening.matcher import Screener

    return Screener(list_units)


@pytest.fixture(scope="session")
def name_table(list_units):
    """The index's NameTable, built from the same units the way `Index.open` builds it."""
    from assistant.index.reader import NameTable

    names = NameTable()
    for unit in list_units:
        names.add(unit.id, unit.entry.name, unit.entry.aliases)
    return names
