"""The README's walkthrough in a real headless Chromium at phone width: the first
administrator signs in with the printed initial password, must change it, creates a 渝中区 and
a 南岸区 civil-affairs clerk; the 渝中区 clerk signs in (changing the initial password), gets a
token from the identity service and files a 渝中区 institution but cannot change a 南岸区 one;
the projection's department page signs in through the same provider."""

from __future__ import annotations

import re

import pytest
import requests
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from devtools.devstack.identity_dev import IdentityTokens
from tests.e2e.conftest import bearer, filing, make_uscc
from tests.e2e.test_browser import make_browser

ADMIN_NEW = "Chongqing-Passw0rd-2026"  # (not containing the login)
CLERK_NEW = "Yuzhong-Clerk-Passw0rd-1"


@pytest.fixture()
def phone():
    b = make_browser()
    yield b
    b.quit()


def _fill(b, **fields: str) -> None:
    for name, value in fields.items():
        box = b.find_element(By.NAME, name)
        box.clear()
        box.send_keys(value)


def _submit(b, form_action: str) -> None:
    """Click the form's button and wait until the next page has loaded."""
    button = b.find_element(By.CSS_SELECTOR,
                            f'form[action="{form_action}"] button[type="submit"]')
    b.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
    _navigate(b, button.click)


def _navigate(b, action) -> None:
    b.execute_script("window.__before = true")
    action()

    def loaded(d) -> bool:
        try:
            return bool(d.execute_script(
                "return window.__before === undefined && document.readyState === 'complete'"))
        except WebDriverException:
            return False  # between two documents

    WebDriverWait(b, 20).until(loaded)


def _fits_phone(b) -> None:
    inner, width = b.execute_script(
        "return [window.innerWidth, document.documentElement.scrollWidth]")
    assert width <= inner, f"{b.current_url} overflows a phone screen ({width}px > {inner}px)"


def _create(b, login: str, name: str, region: str) -> str:
    _fill(b, login=login, name=name, regions=region)
    box = b.find_element(By.CSS_SELECTOR, 'input[name="duties"][value="clerk"]')
    b.execute_script("arguments[0].scrollIntoView({block: 'center'})", box)
    box.click()
    assert box.is_selected()
    _submit(b, "/admin/accounts")
    notice = b.find_element(By.CSS_SELECTOR, ".notice").text
    m = re.search(r"初始口令[^：]*：(\S+)", notice)
    assert m, notice
    return m.group(1)


def test_the_readme_walkthrough_in_a_browser(stack, phone):
    idp = stack.urls["identity"]
    login, initial = stack.admin
    assert initial, "make run prints the first administrator's initial password"
    phone.get(f"{idp}/admin/accounts")
    assert "/login" in phone.current_url and "登录" in phone.title
    _fits_phone(phone)
    _fill(phone, login=login, password=initial)
    _submit(phone, "/login")
    assert "/password" in phone.current_url and "首次登录须修改初始口令" in phone.page_source
    _fill(phone, current=initial, new=ADMIN_NEW, again=ADMIN_NEW)
    _submit(phone, "/password")
    assert phone.current_url.endswith("/admin/accounts") and "账号管理" in phone.title
    _fits_phone(phone)
    yz_initial = _create(phone, "yz.clerk", "渝中区民政经办人", "500103")
    _create(phone, "na.clerk", "南岸区民政经办人", "500108")
    listed = phone.find_element(By.TAG_NAME, "table").text
    assert "yz.clerk" in listed and "na.clerk" in listed and "500108" in listed
    phone.get(f"{idp}/")
    _submit(phone, "/logout")
    assert "已退出登录" in phone.page_source

    # the 渝中区 clerk: first sign-in forces a new password
    phone.get(f"{idp}/login")
    _fill(phone, login="yz.clerk", password=yz_initial)
    _submit(phone, "/login")
    _fill(phone, current=yz_initial, new=CLERK_NEW, again=CLERK_NEW)
    _submit(phone, "/password")

    # the projection's department page signs in through the provider (already signed in)
    phone.get(f"{stack.urls['projection']}/regulator/unfiled-leads")
    _navigate(phone, lambda: phone.find_element(By.ID, "sign-in").click())
    WebDriverWait(phone, 20).until(lambda b: "/regulator/unfiled-leads" in b.current_url)
    assert phone.current_url.startswith(stack.urls["projection"] + "/regulator/unfiled-leads")
    assert "未备案" in phone.page_source

    # curl's way: a token of the clerk from the identity service (code flow with PKCE)
    token = IdentityTokens(stack.env)._sign_in(("yz.clerk", CLERK_NEW))
    headers = {"Authorization": f"Bearer {token}"}
    reg = stack.urls["registry"]
    yz, nanan = make_uscc(77001), make_uscc(77002, district="500108")
    mine = requests.post(f"{reg}/api/v1/institutions/{yz}/filing", headers=headers,
                         json=filing("重庆市渝中区走查养老院"), timeout=10)
    assert mine.status_code == 201, mine.text
    requests.post(f"{reg}/api/v1/institutions/{nanan}/filing",
                  headers=bearer(stack, "civil_affairs"), timeout=10,
                  json=filing("重庆市南岸区走查养老院", district_code="500108",
                              address="重庆市南岸区南坪1号")).raise_for_status()
    theirs = requests.patch(f"{reg}/api/v1/institutions/{nanan}/filing", headers=headers,
                            json={"beds": 80}, timeout=10)
    assert theirs.status_code == 403 and "500108" in theirs.json()["detail"]
    env = requests.get(f"{reg}/api/v1/institutions/{yz}", headers=headers, timeout=10)
    assert env.status_code == 200
