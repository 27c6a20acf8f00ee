"""Hand-made units and answers for the evaluation tests."""

from __future__ import annotations

import pytest

from assistant.models import Answer, Citation, SentenceSupport, Unit

YMTC_TEXT = (
    "Yangtze Memory Technologies Co., Ltd. is listed on the Entity List (Supplement No. 4 to Part 744 of the EAR) "
    "under China.\nLicense review policy: Presumption of denial\nFederal Register citation: 87 FR 77508, 12/19/22."
)
RECORDS_TEXT = "(a) All records required to be kept by the EAR must be retained for five years from the latest time."


@pytest.fixture
def units() -> dict[str, Unit]:
    return {
        "list:EL:Yangtze Memory Technologies Co., Ltd.": Unit(
            id="list:EL:Yangtze Memory Technologies Co., Ltd.", title="YMTC", source_type="list", source_id="ecfr-744",
            text=YMTC_TEXT,
        ),
        "15 CFR 762.6(a)": Unit(
            id="15 CFR 762.6(a)", title="(a)", source_type="regulation", source_id="ecfr-745-772", text=RECORDS_TEXT
        ),
    }  # fmt: skip


def citation(n: int, uid: str, quote: str, source_type: str = "regulation") -> Citation:
    return Citation(n=n, id=uid, title=uid, source_type=source_type, quote=quote)


@pytest.fixture
def good_answer() -> Answer:
    """A verified-looking answer: each sentence verbatim in the quote it cites."""
    s1 = "License review policy: Presumption of denial"
    s2 = "All records required to be kept by the EAR must be retained for five years from the latest time."
    return Answer(
        question="q",
        answer=f"{s1} [1] {s2} [2]",
        abstained=False,
        citations=[
            citation(1, "list:EL:Yangtze Memory Technologies Co., Ltd.", s1, "list"),
            citation(2, "15 CFR 762.6(a)", "(a) " + s2),
        ],
        sentences=[
            SentenceSupport(text=s1, cites=(1,), supported=True),
            SentenceSupport(text=s2, cites=(2,), supported=True),
        ],
    )
