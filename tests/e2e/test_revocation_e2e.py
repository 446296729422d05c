"""Through the running platform (`make run`'s stack): a token a service accepted stops
working within seconds of its account being disabled (the services read the identity
service's revocation list), not at its expiry; another official's token goes on working."""

from __future__ import annotations

import time
import uuid

import requests

from devtools.devstack.identity_dev import _accounts
from tests.e2e.conftest import make_uscc

REFRESH = 10.0  # shared.oidc.Revocations' default interval


def test_a_disabled_officials_token_is_refused_within_the_refresh_interval(stack):
    login, other = f"rv-{uuid.uuid4().hex[:8]}", f"rv-{uuid.uuid4().hex[:8]}"
    token = stack.tokens.official(login, "civil_affairs", ("500103",), ("clerk",))
    still = stack.tokens.official(other, "civil_affairs", ("500103",), ("clerk",))
    url = f"{stack.urls['registry']}/api/v1/institutions/{make_uscc(990_001)}"

    def status(t: str) -> int:
        return requests.get(url, headers={"Authorization": f"Bearer {t}"}, timeout=10
                            ).status_code

    assert status(token) == 404  # accepted: there is simply no such institution
    time.sleep(1.1)  # the disable lands in a later second than the token's iat
    _accounts(stack.env).disable(None, login)
    disabled_at = time.monotonic()
    while status(token) != 401:
        assert time.monotonic() - disabled_at < REFRESH + 5, "still accepted"
        time.sleep(0.25)
    took = time.monotonic() - disabled_at
    print(f"token refused {took:.1f} s after the account was disabled")
    assert status(still) == 404
