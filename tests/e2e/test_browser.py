"""The public directory in a real headless Chromium (Debian's), at phone width."""

from __future__ import annotations

import shutil
import tempfile

import pytest
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait


def make_browser(width: int | None = None, height: int = 900):
    """Headless Chromium: a 390 px phone screen, or a window ``width`` px wide (desktop or
    tablet)."""
    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    assert chromium and driver, "Debian chromium/chromium-driver missing: run make browser"
    opts = webdriver.ChromeOptions()
    opts.binary_location = chromium
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync",
                 f"--user-data-dir={tempfile.mkdtemp()}"):
        opts.add_argument(flag)
    if width is None:
        # headless windows are at least 500 px wide; emulate a 390 px phone screen instead
        opts.add_experimental_option("mobileEmulation", {"deviceMetrics": {
            "width": 390, "height": 844, "pixelRatio": 3}})
    else:
        opts.add_argument(f"--window-size={width},{height}")
    b = webdriver.Chrome(service=Service(driver), options=opts)
    b.set_page_load_timeout(30)
    return b


@pytest.fixture(scope="module")
def browser():
    b = make_browser()
    yield b
    b.quit()


def test_directory_lists_searches_and_opens_an_institution_on_a_phone(stack, browser):
    browser.get(stack.urls["projection"] + "/")
    assert "养老机构" in browser.title
    rows = browser.find_elements(By.CSS_SELECTOR, ".institution")
    assert rows, "no institutions listed"
    inner, width = browser.execute_script(
        "return [window.innerWidth, document.documentElement.scrollWidth]")
    assert inner == 390 and width <= inner, f"page overflows a phone screen ({width}px)"
    first_name = rows[0].find_element(By.CSS_SELECTOR, "a").text
    box = browser.find_element(By.NAME, "q")
    box.send_keys(first_name[-6:])
    box.submit()
    # the results page replaces this one: wait for it (an element read from the old page
    # mid-navigation goes stale)
    WebDriverWait(browser, 15, ignored_exceptions=(StaleElementReferenceException,)).until(
        lambda b: "q=" in b.current_url
        and first_name in b.find_element(By.ID, "directory").text)
    browser.find_element(By.LINK_TEXT, first_name).click()
    assert first_name in browser.find_element(By.TAG_NAME, "h1").text
    assert "备案" in browser.page_source


def test_large_text_and_high_contrast_switch_on_and_stay_on_across_pages(stack, browser):
    """适老化: body text 16 px by default, line spacing at least 1.3; 大字 and 高对比度 switch
    on with one press, are announced as pressed, and stay on on the next page."""
    browser.get(stack.urls["projection"] + "/")
    size, spacing = browser.execute_script(
        "var s = getComputedStyle(document.body);"
        "return [parseFloat(s.fontSize), parseFloat(s.lineHeight) / parseFloat(s.fontSize)]")
    assert size >= 16 and spacing >= 1.3
    browser.find_element(By.ID, "toggle-large-text").click()
    browser.find_element(By.ID, "toggle-high-contrast").click()
    assert browser.find_element(By.ID, "toggle-large-text").get_attribute("aria-pressed") == \
        "true"
    browser.get(stack.urls["projection"] + "/complaints/")
    classes = browser.execute_script("return document.documentElement.className")
    assert "large-text" in classes and "high-contrast" in classes
    bigger = browser.execute_script(
        "return parseFloat(getComputedStyle(document.body).fontSize)")
    assert bigger >= 20
    inner, width = browser.execute_script(
        "return [window.innerWidth, document.documentElement.scrollWidth]")
    assert width <= inner, f"large text overflows a phone screen ({width}px)"
    browser.find_element(By.ID, "toggle-large-text").click()  # and off again, kept off
    browser.find_element(By.ID, "toggle-high-contrast").click()
    browser.get(stack.urls["projection"] + "/")
    assert browser.execute_script("return document.documentElement.className") == ""


def test_everything_on_a_public_page_is_reachable_and_usable_by_keyboard(stack, browser):
    """适老化 for keyboard users: the first Tab shows 跳到正文; the reading aids are reached by
    Tab and switched with Space; the focused control is visibly outlined."""
    from selenium.webdriver.common.keys import Keys

    browser.get(stack.urls["projection"] + "/credit/penalties")
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    first = browser.switch_to.active_element
    assert first.text == "跳到正文" and first.is_displayed()
    for _ in range(6):
        if browser.switch_to.active_element.get_attribute("id") == "toggle-large-text":
            break
        browser.switch_to.active_element.send_keys(Keys.TAB)
    toggle = browser.switch_to.active_element
    assert toggle.get_attribute("id") == "toggle-large-text", "reading aids not reached by Tab"
    outline = browser.execute_script(
        "var s = getComputedStyle(document.activeElement); return [s.outlineStyle, "
        "parseFloat(s.outlineWidth)]")
    assert outline[0] != "none" and outline[1] >= 2
    toggle.send_keys(Keys.SPACE)
    assert toggle.get_attribute("aria-pressed") == "true"
    toggle.send_keys(Keys.SPACE)  # and off again
    assert toggle.get_attribute("aria-pressed") == "false"
    browser.get(stack.urls["projection"] + "/")
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    browser.switch_to.active_element.send_keys(Keys.ENTER)  # skip to the content
    assert browser.execute_script("return document.activeElement.id") == "main"
