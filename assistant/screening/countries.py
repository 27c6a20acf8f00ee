"""Country names and ISO 3166-1 alpha-2 codes, as they occur in the lists and as users type them.

The CSL gives address countries as ISO-2 codes ("CN"); the Part 744 tables give names, sometimes in the
Federal Register's inverted style ("CHINA, PEOPLE'S REPUBLIC OF", "MAN, ISLE OF", "REGION: CRIMEA ...").
Both become one code so that `--country China`, `--country CN` and the record's "CHINA, PEOPLE'S
REPUBLIC OF" agree.
"""

from __future__ import annotations

import re
from functools import lru_cache

from assistant.screening.normalize import fold

# "CODE Name|other name|..." — ISO short names first, then the spellings found in the lists and in use.
_TABLE = """
AD Andorra
AE United Arab Emirates|UAE|Emirates
AF Afghanistan
AG Antigua and Barbuda
AI Anguilla
AL Albania
AM Armenia
AN Netherlands Antilles
AO Angola
AR Argentina
AT Austria
AU Australia
AW Aruba
AZ Azerbaijan
BA Bosnia and Herzegovina|Bosnia
BB Barbados
BD Bangladesh
BE Belgium
BF Burkina Faso
BG Bulgaria
BH Bahrain
BI Burundi
BJ Benin
BM Bermuda
BN Brunei|Brunei Darussalam
BO Bolivia
BR Brazil
BS Bahamas|The Bahamas
BT Bhutan
BW Botswana
BY Belarus
BZ Belize
CA Canada
CD Democratic Republic of the Congo|Congo, Democratic Republic of the|DRC|Congo-Kinshasa
CF Central African Republic
CG Republic of the Congo|Congo|Congo, Republic of the|Congo-Brazzaville
CH Switzerland
CI Cote d'Ivoire|Ivory Coast
CL Chile
CM Cameroon
CN China|People's Republic of China|China, People's Republic of|PRC|Mainland China
CO Colombia
CR Costa Rica
CU Cuba
CV Cabo Verde|Cape Verde
CW Curacao
CY Cyprus
CZ Czechia|Czech Republic
DE Germany
DJ Djibouti
DK Denmark
DM Dominica
DO Dominican Republic
DZ Algeria
EC Ecuador
EE Estonia
EG Egypt
ER Eritrea
ES Spain
ET Ethiopia
FI Finland
FJ Fiji
FR France
GA Gabon
GB United Kingdom|UK|Great Britain|Britain|England|Scotland|Wales|Northern Ireland
GD Grenada
GE Georgia
GG Guernsey
GH Ghana
GI Gibraltar
GM Gambia|The Gambia
GN Guinea
GQ Equatorial Guinea
GR Greece
GT Guatemala
GW Guinea-Bissau
GY Guyana
HK Hong Kong
HN Honduras
HR Croatia
HT Haiti
HU Hungary
ID Indonesia
IE Ireland
IL Israel
IM Isle of Man|Man, Isle of
IN India
IQ Iraq
IR Iran|Iran, Islamic Republic of|Islamic Republic of Iran
IS Iceland
IT Italy
JE Jersey
JM Jamaica
JO Jordan
JP Japan
KE Kenya
KG Kyrgyzstan|Kyrgyz Republic
KH Cambodia
KM Comoros
KN Saint Kitts and Nevis
KP North Korea|Korea, North|Korea, Democratic People's Republic of|DPRK|Democratic People's Republic of Korea
KR South Korea|Korea, South|Korea, Republic of|Republic of Korea|Korea
KW Kuwait
KY Cayman Islands
KZ Kazakhstan
LA Laos|Lao People's Democratic Republic
LB Lebanon
LC Saint Lucia
LI Liechtenstein
LK Sri Lanka
LR Liberia
LS Lesotho
LT Lithuania
LU Luxembourg
LV Latvia
LY Libya
MA Morocco
MC Monaco
MD Moldova
ME Montenegro
MG Madagascar
MH Marshall Islands
MK North Macedonia|Macedonia
ML Mali|Northern Mali
MM Burma|Myanmar
MN Mongolia
MO Macau|Macao
MR Mauritania
MT Malta
MU Mauritius
MV Maldives
MW Malawi
MX Mexico
MY Malaysia
MZ Mozambique
NA Namibia
NE Niger
NG Nigeria
NI Nicaragua
NL Netherlands|The Netherlands|Holland
NO Norway
NP Nepal
NZ New Zealand
OM Oman
PA Panama
PE Peru
PG Papua New Guinea
PH Philippines
PK Pakistan
PL Poland
PR Puerto Rico
PS Palestinian Territories|Palestine|West Bank|Gaza|North Gaza|Northern Gaza
PT Portugal
PW Palau
PY Paraguay
QA Qatar
RO Romania
RS Serbia
RU Russia|Russian Federation
RW Rwanda
SA Saudi Arabia
SB Solomon Islands
SC Seychelles
SD Sudan
SE Sweden
SG Singapore
SI Slovenia
SK Slovakia
SL Sierra Leone
SM San Marino
SN Senegal
SO Somalia
SR Suriname
SS South Sudan|Kafia Kingi
SV El Salvador
SY Syria|Syrian Arab Republic
SZ Eswatini|Swaziland
TD Chad
TG Togo
TH Thailand
TJ Tajikistan
TL Timor-Leste|East Timor
TM Turkmenistan
TN Tunisia
TR Turkey|Turkiye
TT Trinidad and Tobago
TW Taiwan
TZ Tanzania
UA Ukraine|Crimea|Crimea Region of Ukraine|Crimea (Occupied)
UG Uganda
US United States|United States of America|USA|U.S.|America
UY Uruguay
UZ Uzbekistan
VC Saint Vincent and the Grenadines
VE Venezuela
VG British Virgin Islands|Virgin Islands, British
VN Vietnam|Viet Nam
VU Vanuatu
WS Samoa
XK Kosovo
YE Yemen
ZA South Africa
ZM Zambia
ZW Zimbabwe
"""


def _key(text: str) -> str:
    text = re.sub(r"^\s*region:\s*", "", fold(text))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.replace("'", "")).split())


def _build() -> tuple[dict[str, str], dict[str, str]]:
    by_name: dict[str, str] = {}
    names: dict[str, str] = {}
    for line in _TABLE.strip().splitlines():
        code, _, rest = line.partition(" ")
        spellings = rest.split("|")
        names[code] = spellings[0]
        for spelling in spellings:
            by_name.setdefault(_key(spelling), code)
    return by_name, names


_BY_NAME, _NAMES = _build()
ISO_CODES = frozenset(_NAMES)


@lru_cache(maxsize=4096)
def country_code(text: str | None) -> str | None:
    """ISO-2 code of a country code or name ("CN", "China", "CHINA, PEOPLE'S REPUBLIC OF"); None if unknown."""
    if not text:
        return None
    stripped = text.strip()
    if len(stripped) == 2 and stripped.upper() in ISO_CODES:
        return stripped.upper()
    return _BY_NAME.get(_key(stripped))


def country_name(code: str) -> str:
    """Short English name of an ISO-2 code ("CN" → "China"); the code itself if unknown."""
    return _NAMES.get(code, code)


def country_codes(values: tuple[str, ...] | list[str]) -> frozenset[str]:
    """The ISO-2 codes of a record's country fields; names and codes that cannot be placed are skipped."""
    return frozenset(c for c in (country_code(v) for v in values) if c)
