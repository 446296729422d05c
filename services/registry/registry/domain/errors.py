"""Refusals of the domain; the API maps them to problem+json statuses."""

from __future__ import annotations


class DomainError(Exception):
    """A command the rules refuse; ``detail`` is shown to users (Chinese)."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class InvalidCommand(DomainError):
    """Field-level rule violations (HTTP 422)."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("请求数据未通过校验")
        self.errors = errors


class NotFound(DomainError):
    """The institution or its filing does not exist (HTTP 404)."""


class Conflict(DomainError):
    """The command contradicts the current state (HTTP 409)."""


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
