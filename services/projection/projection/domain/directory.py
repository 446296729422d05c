"""What a visitor can ask of the public directory (filters shared by pages and open data)."""

from __future__ import annotations

from dataclasses import dataclass

STATUS_CHOICES: dict[str, str] = {"filed": "已备案", "cancelled": "已注销备案", "all": "全部"}
PER_PAGE = 20


@dataclass(frozen=True)
class DirectoryQuery:
    """Filters of the directory; None means "any"."""

    q: str | None = None
    district: str | None = None
    operator_type: str | None = None
    status: str = "filed"

    def filing_status(self) -> str | None:
        """The filing status to match, None for all."""
        return None if self.status == "all" else self.status


def page_count(total: int, per_page: int) -> int:
    """How many pages ``total`` rows fill (at least one, so page 1 always exists)."""
    return max(1, -(-total // per_page))
