"""Policy jurisdictions as administrative division codes (GB/T 2260), so a policy's reach
can be checked against an official's regions.

Jurisdictions are named in lowercase pinyin (``chongqing``) or directly by a division code
(``500103``); ``national`` is the whole country. A name this table does not know is treated as
national: only a national account may publish it (least privilege).
"""

from __future__ import annotations

from shared.authority import NATIONAL, valid_region
from shared.domain import uscc_district

NATIONAL_NAME = "national"
PROVINCES = {
    "beijing": "11", "tianjin": "12", "hebei": "13", "shanxi": "14", "neimenggu": "15",
    "liaoning": "21", "jilin": "22", "heilongjiang": "23", "shanghai": "31", "jiangsu": "32",
    "zhejiang": "33", "anhui": "34", "fujian": "35", "jiangxi": "36", "shandong": "37",
    "henan": "41", "hubei": "42", "hunan": "43", "guangdong": "44", "guangxi": "45",
    "hainan": "46", "chongqing": "50", "sichuan": "51", "guizhou": "52", "yunnan": "53",
    "xizang": "54", "shaanxi": "61", "gansu": "62", "qinghai": "63", "ningxia": "64",
    "xinjiang": "65",
}


def region_of(jurisdiction: str) -> str:
    """The division code a jurisdiction covers; NATIONAL for national and unknown names."""
    if jurisdiction in PROVINCES:
        return PROVINCES[jurisdiction]
    if jurisdiction.isdigit() and valid_region(jurisdiction) and jurisdiction != NATIONAL:
        return jurisdiction
    return NATIONAL


district_of = uscc_district  # characters 3–8 of the USCC (shared/domain.py)
