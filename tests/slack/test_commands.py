from __future__ import annotations

import pytest

from assistant.slack.commands import Ask, Help, Screen, parse_command


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", Help()),
        ("   ", Help()),
        ("help", Help()),
        ("screen", Help()),
        ("What does 744.21 require?", Ask("What does 744.21 require?")),
        ("  Is SMIC\n listed? ", Ask("Is SMIC listed?")),
        ("screening rules for China?", Ask("screening rules for China?")),
        ("screen Yangtze Memory Technologies", Screen("Yangtze Memory Technologies")),
        ("screen Yangtze Memory Technologies CN", Screen("Yangtze Memory Technologies", "CN")),
        ("Screen Huawei CN", Screen("Huawei", "CN")),
        ("screen SIEMENS AG", Screen("SIEMENS AG")),  # a legal form, not Antigua
        ("screen ACME CO", Screen("ACME CO")),
        ("screen Bank of China", Screen("Bank of China")),  # a country name ends many names
        ('screen "Bank of China" Hong Kong', Screen("Bank of China", "Hong Kong")),
        ("screen “Air China” CN", Screen("Air China", "CN")),
        ('screen "Acme Trading"', Screen("Acme Trading")),
        ('screen ""', Help()),
        ("screen CN", Screen("CN")),
    ],
)
def test_parse_command(text, expected):
    assert parse_command(text) == expected
