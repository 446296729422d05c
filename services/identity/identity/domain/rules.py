"""The identity service's numbers, each with its default and basis; pure functions on them.

Configured from the environment in identity/config.py (one ELDERCARE_IDENTITY_* per field).
"""

from __future__ import annotations

from dataclasses import dataclass

from shared.rules import RuleError, rule

_MLPS = "GB/T 22239-2019 网络安全等级保护基本要求 8.1.4.1 身份鉴别（登录失败处理、口令复杂度）"


@dataclass(frozen=True)
class Rules:
    """Lockout, password policy and lifetimes."""

    lockout_threshold: int = rule(
        5, f"{_MLPS}：连续失败次数达到该值即锁定；5 次为常见取值", "OPERATIONAL")
    lockout_base_seconds: int = rule(60, "第一次锁定时长；之后每次锁定加倍", "OPERATIONAL")
    lockout_max_seconds: int = rule(3600, "锁定时长上限（一小时）", "OPERATIONAL")
    password_min_length: int = rule(12, f"{_MLPS}：口令长度", "OPERATIONAL")
    password_min_classes: int = rule(
        3, f"{_MLPS}：大写、小写、数字、符号四类中至少几类", "OPERATIONAL")
    token_lifetime_seconds: int = rule(
        600, "访问令牌有效期；平台要求不超过 900 秒（issue 11）", "OPERATIONAL")
    session_idle_seconds: int = rule(1800, "登录会话空闲超时", "OPERATIONAL")
    session_max_seconds: int = rule(8 * 3600, "登录会话最长时长（一个工作日）", "OPERATIONAL")
    code_lifetime_seconds: int = rule(120, "授权码有效期（RFC 6749 建议不超过 10 分钟）",
                                      "OPERATIONAL")

    def __post_init__(self) -> None:
        if not 0 < self.token_lifetime_seconds <= 900:
            raise RuleError("token_lifetime_seconds", "must be between 1 and 900")
        if self.lockout_threshold < 1:
            raise RuleError("lockout_threshold", "must be >= 1")
        if not 0 < self.lockout_base_seconds <= self.lockout_max_seconds:
            raise RuleError("lockout_base_seconds", "must be between 1 and lockout_max_seconds")
        if not 1 <= self.password_min_classes <= 4:
            raise RuleError("password_min_classes", "must be between 1 and 4")
        if self.password_min_length < 8:
            raise RuleError("password_min_length", "must be >= 8")


def lockout_seconds(failures: int, rules: Rules) -> int:
    """How long an account is locked after its ``failures``-th consecutive failed sign-in.

    0 below the threshold; the base at the threshold; each further failure (made after the
    lock ran out) doubles it, never above the cap. A success resets the count."""
    if failures < rules.lockout_threshold:
        return 0
    extra = failures - rules.lockout_threshold
    if extra >= 32:
        return rules.lockout_max_seconds
    return int(min(rules.lockout_base_seconds * 2 ** extra, rules.lockout_max_seconds))


def character_classes(password: str) -> int:
    return sum((any(c.isupper() for c in password), any(c.islower() for c in password),
                any(c.isdigit() for c in password),
                any(not c.isalnum() for c in password)))


def password_problems(password: str, login: str, rules: Rules) -> list[str]:
    """Why ``password`` is not acceptable for ``login`` (empty when it is)."""
    problems = []
    if len(password) < rules.password_min_length:
        problems.append(f"口令至少 {rules.password_min_length} 个字符")
    if character_classes(password) < rules.password_min_classes:
        problems.append(f"口令须包含大写字母、小写字母、数字、符号中的至少 "
                        f"{rules.password_min_classes} 类")
    if login and login.lower() in password.lower():
        problems.append("口令不得包含登录名")
    if len(password) > 256:
        problems.append("口令不得超过 256 个字符")
    return problems
