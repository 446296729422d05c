"""Refusals of the domain; the API maps them to problem+json statuses."""

from __future__ import annotations

from shared.domain import Conflict, DomainError, InvalidCommand, NotFound

__all__ = ["AlreadyCancelled", "AlreadyFiled", "Conflict", "DomainError", "FilingCancelled",
           "InvalidCommand", "NotFiled", "NotFound"]


class NotFiled(NotFound):
    def __init__(self, uscc: str) -> None:
        super().__init__(f"机构 {uscc} 尚未备案")


class AlreadyFiled(Conflict):
    def __init__(self, uscc: str) -> None:
        super().__init__(f"机构 {uscc} 已备案且内容不同；请使用备案变更（PATCH）")


class FilingCancelled(Conflict):
    def __init__(self, uscc: str) -> None:
        super().__init__(f"机构 {uscc} 的备案已注销，不能变更；如需恢复请重新备案")


class AlreadyCancelled(Conflict):
    def __init__(self, uscc: str) -> None:
        super().__init__(f"机构 {uscc} 的备案已以不同理由注销")
