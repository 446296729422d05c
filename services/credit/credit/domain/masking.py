"""Masking of natural persons on input: the full ID number is never stored."""

from __future__ import annotations

import hashlib

COMPOUND_SURNAMES = frozenset({
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐",
    "长孙", "宇文", "司徒", "夏侯", "轩辕", "端木", "独孤", "南宫", "西门", "百里",
})


def mask_name(name: str) -> str:
    """Keep the surname only: 张三 → 张*, 欧阳娜娜 → 欧阳**."""
    name = name.strip()
    keep = 2 if len(name) >= 3 and name[:2] in COMPOUND_SURNAMES else 1
    return name[:keep] + "*" * max(len(name) - keep, 1)


def mask_id(id_number: str) -> str:
    """Keep the first 3 and last 2 characters: 500103199001011234 → 500*************34."""
    value = id_number.strip().upper()
    if len(value) <= 5:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 5) + value[-2:]


def id_hash(id_number: str, salt: str) -> str:
    """A salted SHA-256 of the normalised ID number, for matching only."""
    value = id_number.strip().upper()
    return hashlib.sha256(f"{salt}|{value}".encode()).hexdigest()


def masked_person(name: str, id_number: str | None, salt: str,
                  role: str = "") -> dict[str, str | None]:
    """The only form in which a person enters an event."""
    return {"name_masked": mask_name(name),
            "id_masked": mask_id(id_number) if id_number else None,
            "id_hash": id_hash(id_number, salt) if id_number else None, "role": role}
