"""``?as_of=YYYY-MM-DD`` on every public page and open-data endpoint: what was public at the end
of that day (Beijing time). Checked once per request, before any view: a malformed date, a date
in the future or one before the earliest day the platform answers for is a 422 naming the
field (HTML on pages, problem+json for machines); today means now. Views then read through
``projection.features.active``, which serves the projection folded from events up to that day
(shared.readside.asof), and take the day as their "today" (display periods, deadlines)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from flask import Flask, current_app, g, has_request_context, request

from shared.clock import Clock, SystemClock, china_today
from shared.http.problems import Problem
from shared.readside.asof import Busy

EARLIEST = date(2000, 1, 1)  # before any record the platform holds; older days are refused
CLOCK = "projection.clock"  # tests may set a fixed clock
_FORMAT = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def clock() -> Clock:
    return current_app.extensions.get(CLOCK) or SystemClock()


def requested() -> date | None:
    """The past day this request looks at, or None for now."""
    if not has_request_context():
        return None
    return g.get("as_of")


def today() -> date:
    """The day pages count from: the requested past day, else today in Beijing."""
    return requested() or china_today(clock())


def problem(raw: str) -> str | None:
    """Why ``raw`` is not a day to look at, or None."""
    if not _FORMAT.match(raw):
        return "日期格式须为 YYYY-MM-DD"
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        return "不是有效的日期"
    now = china_today(clock())
    if not EARLIEST <= day <= now:
        return f"日期须在 {EARLIEST.isoformat()} 至今天（{now.isoformat()}）之间"
    return None


def install(app: Flask) -> None:
    @app.before_request
    def _as_of() -> Any:
        g.as_of = None
        raw = (request.args.get("as_of") or "").strip()
        if request.method != "GET" or not raw:
            return None
        why = problem(raw)
        if why is not None:
            from projection.web.errors import MACHINE_PREFIXES, invalid_params

            if not request.path.startswith(MACHINE_PREFIXES):  # a page: an HTML answer
                return invalid_params({"as_of": [why]})
            raise Problem(422, "Unprocessable Entity", f"as_of：{why}", errors={"as_of": [why]})
        day = date.fromisoformat(raw)
        g.as_of = None if day == china_today(clock()) else day
        return None

    @app.errorhandler(Busy)
    def _busy(exc: Busy) -> Any:
        """Another past day is being computed: come back in a few seconds (503)."""
        from projection.web.errors import MACHINE_PREFIXES, error_page

        if request.path.startswith(MACHINE_PREFIXES):
            from shared.http.problems import problem_response

            resp = problem_response(503, "Service Unavailable",
                                    "正在计算另一个历史日期的信息，请几秒后再试")
        else:
            body, status = error_page(503, "请稍后再试", [
                "正在计算另一个历史日期的公开信息，请几秒后刷新本页。"])
            resp = current_app.make_response((body, status))
        resp.headers["Retry-After"] = "5"
        return resp

    @app.context_processor
    def _shown() -> dict[str, Any]:
        return {"as_of": requested()}
