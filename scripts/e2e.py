#!/usr/bin/env python3
"""End-to-end check of a running `yunwei demo` in headless Chromium.

Drives what a person does: log in, browse the unit tree down to a village, switch the
language, read the tree on a 360-px phone, log out, and get locked out after repeated wrong
passwords. Each step is one check with a screenshot; the script prints `N passed, M failed`
as its last line and exits non-zero when any step failed.

    .ci/venv/bin/python scripts/e2e.py --base http://127.0.0.1:8089 --screenshots DIR

Needs Debian's chromium and chromium-driver, and selenium + requests (scripts/install-deps).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
import traceback
from pathlib import Path
from urllib.parse import urljoin, urlparse

import requests
from selenium import webdriver
from selenium.common.exceptions import (
    ElementNotInteractableException,
    NoSuchElementException,
    TimeoutException,
    WebDriverException,
)
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

PASSWORD = "demo1234"
WIDE = (1280, 900)
PHONE_WIDTH = 360
WAIT = 20  # seconds for a page to load after an action

# 12-digit statistical division codes: county XXXXXX000000, township XXXXXXYYY000,
# village XXXXXXYYYZZZ (DOMAIN.md §1).
CODE = re.compile(r"(?<!\d)(\d{12})(?!\d)")


def code_kind(code: str) -> str:
    if code[6:] == "000000":
        return "county"
    if code[9:] == "000":
        return "township"
    return "village"


class StepFailed(AssertionError):
    pass


def check(condition: bool, message: str) -> None:
    if not condition:
        raise StepFailed(message)


class E2E:
    def __init__(self, base: str, screenshots: Path, chromium: str, chromedriver: str):
        self.base = base.rstrip("/") + "/"
        self.screenshots = screenshots
        self.passed = 0
        self.failed = 0
        self.step_no = 0
        self.display_name: str | None = None

        options = webdriver.ChromeOptions()
        options.binary_location = chromium
        for arg in (
            "--headless=new",
            "--no-sandbox",
            "--disable-dev-shm-usage",
            f"--window-size={WIDE[0]},{WIDE[1]}",
            "--lang=zh-CN",
        ):
            options.add_argument(arg)
        # Ask for Chinese first, as a browser in China would; the page must default to it.
        options.add_experimental_option("prefs", {"intl.accept_languages": "zh-CN,zh"})
        self.driver = webdriver.Chrome(options=options, service=Service(chromedriver))
        self.driver.set_page_load_timeout(60)

    # --- helpers -----------------------------------------------------------------

    def url(self, path: str) -> str:
        return urljoin(self.base, path.lstrip("/"))

    def path(self) -> str:
        return urlparse(self.driver.current_url).path or "/"

    def get(self, path: str) -> None:
        self.driver.get(self.url(path))

    def html_lang(self) -> str | None:
        return self.driver.find_element(By.TAG_NAME, "html").get_attribute("lang")

    def find(self, css: str):
        try:
            return self.driver.find_element(By.CSS_SELECTOR, css)
        except NoSuchElementException:
            raise StepFailed(f"no element matches `{css}` on {self.path()}") from None

    def click_and_wait(self, element) -> None:
        """Clicks an element that loads a new page and waits for that page. The old page is
        marked rather than held by reference: recent Chromium answers a reference into a replaced
        page with "Node with given id does not belong to the document" instead of a stale-element
        error, which `staleness_of` does not expect."""
        self.driver.execute_script("document.__e2eOld = true;")
        try:
            element.click()
        except ElementNotInteractableException:
            # Hidden (e.g. in a collapsed menu): activate it the way the browser would.
            self.driver.execute_script(
                "const e = arguments[0];"
                "if (e.form && e.type === 'submit') { e.form.requestSubmit(e); } else { e.click(); }",
                element,
            )
        try:
            WebDriverWait(self.driver, WAIT, ignored_exceptions=(WebDriverException,)).until(
                lambda d: d.execute_script("return !document.__e2eOld && document.readyState === 'complete'")
            )
        except TimeoutException:
            raise StepFailed(f"no new page loaded within {WAIT} s after the click (still on {self.path()})") from None

    def submit(self, form_css: str) -> None:
        form = self.find(form_css)
        buttons = form.find_elements(By.CSS_SELECTOR, "button[type=submit], input[type=submit], button:not([type])")
        check(bool(buttons), f"`{form_css}` on {self.path()} has no submit button")
        self.click_and_wait(buttons[0])

    def login(self, username: str, password: str) -> None:
        self.get("/login")
        check(self.path() == "/login", f"GET /login ended on {self.path()}")
        user = self.find("form#login input[name=username]")
        user.clear()
        user.send_keys(username)
        pw = self.find("form#login input[name=password]")
        pw.clear()
        pw.send_keys(password)
        self.submit("form#login")

    def unit_links(self) -> list[tuple[str, str, str]]:
        """(href, kind, text) of every `a.unit-link` on the page, kind from data-kind or the code."""
        links = []
        for a in self.driver.find_elements(By.CSS_SELECTOR, "a.unit-link"):
            href = a.get_attribute("href") or ""
            kind = (a.get_attribute("data-kind") or "").strip()
            if not kind:
                m = CODE.search(href) or CODE.search(a.text)
                kind = code_kind(m.group(1)) if m else ""
            links.append((href, kind, a.text.strip()))
        return links

    def link_to(self, href: str):
        for a in self.driver.find_elements(By.CSS_SELECTOR, "a.unit-link"):
            if a.get_attribute("href") == href:
                return a
        raise StepFailed(f"no `a.unit-link` to {href} on {self.path()}")

    def screenshot(self, name: str) -> None:
        try:
            self.driver.save_screenshot(str(self.screenshots / f"{self.step_no:02d}-{name}.png"))
        except WebDriverException:
            pass

    def save_source(self, name: str) -> None:
        try:
            (self.screenshots / f"{self.step_no:02d}-{name}.html").write_text(self.driver.page_source, encoding="utf-8")
        except (WebDriverException, OSError):
            pass

    def step(self, name: str, func) -> None:
        self.step_no += 1
        started = time.monotonic()
        try:
            func()
        except Exception as error:  # noqa: BLE001 - every failure is reported, then the next step runs
            self.failed += 1
            self.screenshot(name)
            self.save_source(name)
            if isinstance(error, StepFailed):
                reason = str(error)
            elif isinstance(error, WebDriverException):
                # Chromium's message ends in a native stack trace: keep its first line.
                reason = f"{type(error).__name__}: {(error.msg or '').strip().splitlines()[0] if error.msg else ''}"
            elif isinstance(error, requests.RequestException):
                reason = f"{type(error).__name__}: {error}"
            else:
                reason = f"{type(error).__name__}: {error}\n" + traceback.format_exc(limit=3)
            try:
                where = self.driver.current_url
            except WebDriverException:
                where = "?"
            print(f"FAIL {self.step_no:2d} {name}: {reason} (at {where})", flush=True)
        else:
            self.passed += 1
            self.screenshot(name)
            print(f"ok   {self.step_no:2d} {name} ({time.monotonic() - started:.1f} s)", flush=True)

    # --- steps -------------------------------------------------------------------

    def healthz(self) -> None:
        response = requests.get(self.url("/healthz"), timeout=10)
        check(response.status_code == 200, f"GET /healthz returned {response.status_code}, expected 200")
        self.get("/healthz")

    def learn_display_name(self) -> None:
        """The county admin's display name from the JSON API, if it answers (header may show either)."""
        try:
            token = requests.post(
                self.url("/api/v1/tokens"), json={"username": "county_admin", "password": PASSWORD}, timeout=10
            ).json()
            value = token.get("token") if isinstance(token, dict) else None
            if not value:
                return
            me = requests.get(self.url("/api/v1/me"), headers={"Authorization": f"Bearer {value}"}, timeout=10).json()
            for key in ("name", "displayName", "display_name"):
                name = me.get(key) if isinstance(me, dict) else None
                if isinstance(name, str) and name.strip():
                    self.display_name = name.strip()
                    return
        except (requests.RequestException, ValueError):
            pass

    def login_county_admin(self) -> None:
        self.get("/login")
        lang = self.html_lang()
        check(lang == "zh-Hans", f'/login: <html lang="{lang}">, expected "zh-Hans" by default')
        self.login("county_admin", PASSWORD)
        check(self.path() == "/", f"after logging in as county_admin the browser is on {self.path()}, expected /")
        h1 = self.driver.find_elements(By.TAG_NAME, "h1")
        check(bool(h1) and h1[0].text.strip() != "", "home page has no (non-empty) <h1>")
        header = self.find("header").text
        names = ["county_admin"] + ([self.display_name] if self.display_name else [])
        check(
            any(n in header for n in names),
            f"the page's <header> does not show the user ({' or '.join(names)}); header text: {header[:200]!r}",
        )

    def unit_tree(self) -> None:
        self.get("/units")
        check(self.path() == "/units", f"GET /units ended on {self.path()} (logged out?)")
        source = self.driver.page_source
        links = self.unit_links()
        check(bool(links), "/units shows no `a.unit-link`")
        shows_county = (
            any(kind == "county" for _, kind, _ in links)
            or bool(self.driver.find_elements(By.CSS_SELECTOR, "[data-kind=county]"))
            or any(code_kind(c) == "county" for c in CODE.findall(source))
        )
        check(shows_county, "/units does not show the county (no county code XXXXXX000000 nor data-kind=county)")
        townships = [(href, text) for href, kind, text in links if kind == "township"]
        check(bool(townships), f"/units has no `a.unit-link` to a township; links: {links[:5]}")
        href, text = townships[0]
        target = self.link_to(href)
        self.click_and_wait(target)
        township_path = self.path()
        check(township_path != "/units", f"clicking township {text!r} stayed on /units")
        self.screenshot("township")

        villages = [h for h, kind, _ in self.unit_links() if kind == "village"]
        check(bool(villages), f"township page {township_path} has no `a.unit-link` to a village")
        village_link = self.link_to(villages[0])
        self.click_and_wait(village_link)
        check(self.path() not in ("/units", township_path), f"clicking the first village stayed on {self.path()}")
        table = self.find("table.factors")
        years = [
            row for row in table.find_elements(By.CSS_SELECTOR, "tr")
            if row.find_elements(By.TAG_NAME, "td") and re.search(r"\b(19|20)\d\d\b", row.text)
        ]
        check(len(years) >= 2, f"village page {self.path()}: `table.factors` has {len(years)} rows of years, expected at least 2")

    def switch_language(self) -> None:
        self.get("/units")
        link = self.find("a#lang-en")
        self.click_and_wait(link)
        lang = self.html_lang()
        check(lang == "en", f'after clicking a#lang-en: <html lang="{lang}">, expected "en" (on {self.path()})')
        self.get("/units")
        lang = self.html_lang()
        check(lang == "en", f'after reloading /units: <html lang="{lang}">, expected "en" (the choice did not stick)')

    def phone_width(self) -> None:
        self.driver.set_window_size(PHONE_WIDTH, 800)
        try:
            self.get("/units")
            inner = self.driver.execute_script("return window.innerWidth")
            check(inner == PHONE_WIDTH, f"could not make the viewport {PHONE_WIDTH} px wide (it is {inner})")
            self.screenshot("units-360")
            width = self.driver.execute_script("return document.documentElement.scrollWidth")
            check(
                width <= PHONE_WIDTH,
                f"/units at {PHONE_WIDTH} px is {width} px wide: it scrolls sideways",
            )
        finally:
            self.driver.set_window_size(*WIDE)

    def logout(self) -> None:
        self.get("/")
        self.submit("form#logout")
        self.get("/units")
        check(self.path() == "/login", f"after logging out, /units ended on {self.path()}, expected /login")

    def lockout(self) -> None:
        # quality_group: no later script signs in as it, so the lock does not get in their way.
        for attempt in range(1, 6):
            self.login("quality_group", "wrong-password")
            check(self.path() == "/login", f"wrong password #{attempt} for quality_group ended on {self.path()}, expected /login")
        self.login("quality_group", PASSWORD)
        check(
            self.path() == "/login",
            f"after 5 wrong passwords the right one logged quality_group in (now on {self.path()}): no lockout",
        )
        errors = self.driver.find_elements(By.CSS_SELECTOR, ".error")
        check(bool(errors), "after 5 wrong passwords and the right one, /login shows no `.error` lockout message")

    # --- run ---------------------------------------------------------------------

    def run(self) -> int:
        self.learn_display_name()
        try:
            self.step("healthz", self.healthz)
            self.step("login", self.login_county_admin)
            self.step("unit-tree", self.unit_tree)
            self.step("language", self.switch_language)
            self.step("phone-width", self.phone_width)
            self.step("logout", self.logout)
            self.step("lockout", self.lockout)
        finally:
            self.driver.quit()
        print(f"screenshots: {self.screenshots}", flush=True)
        print(f"{self.passed} passed, {self.failed} failed", flush=True)
        return 0 if self.failed == 0 and self.passed > 0 else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", default="http://127.0.0.1:8089", help="address of the running server")
    parser.add_argument("--screenshots", default="screenshots", help="folder for screenshots (created)")
    parser.add_argument("--chromium", default=os.environ.get("CHROMIUM", "/usr/bin/chromium"))
    parser.add_argument("--chromedriver", default=os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
    args = parser.parse_args()

    screenshots = Path(args.screenshots)
    screenshots.mkdir(parents=True, exist_ok=True)
    try:
        e2e = E2E(args.base, screenshots, args.chromium, args.chromedriver)
    except WebDriverException as error:
        print(f"FAIL could not start headless Chromium: {error}", flush=True)
        print("0 passed, 1 failed", flush=True)
        return 1
    return e2e.run()


if __name__ == "__main__":
    sys.exit(main())
