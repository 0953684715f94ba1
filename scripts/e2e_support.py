"""What scripts/e2e-cases.py and scripts/e2e-funds.py share, on top of scripts/e2e.py (the browser,
click_and_wait(), login(), e2e.py's step()): the texts of both languages (Resources/Localization),
the page checks (`page_ok`: no error page, the flow's language, no raw catalog key, in English no
Chinese interface text), signing in and forms, steps that name where a browser error happened,
whole-page screenshots, the run over both languages, and the command line.

A script subclasses `BrowserE2E` with its `Flow` (what one language's run has made, with a random
`token`) and its steps (`run_language`), and calls `main` with its docstring.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import json
import os
import re
import struct
import sys
import tempfile
import time
import traceback
import zlib
from pathlib import Path

from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import e2e  # noqa: E402  (scripts/e2e.py: the browser, step(), login(), submit(), screenshot())
from e2e import PASSWORD, StepFailed, check  # noqa: E402

LANGUAGES = ("zh-Hans", "en")
# Where a browser error is located: the steps' scripts and this module, not e2e.py's helpers.
SCRIPTS = {HERE / name for name in ("e2e-cases.py", "e2e-funds.py", "e2e_support.py")}
SHANGHAI = dt.timezone(dt.timedelta(hours=8))

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# The interface's own texts; in English none may be Chinese. Unit names (Chinese only) appear in
# none of these, category names and question labels have their English names.
CHROME_CSS = (
    "h2, label, button, summary, legend, th[scope=col], header nav a, nav.tabs a, ul.tasks a, .hint, "
    ".notice, .error, .kind, .badge, footer, p.query-code + p"
)


def tiny_png(width: int = 8, height: int = 8) -> bytes:
    """A valid RGB PNG of one colour."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + b"\x2a\x8c\x5a" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


class Catalog:
    """Resources/Localization/*.json: key → {"zh-Hans": …, "en": …}."""

    def __init__(self, folder: Path):
        self.entries: dict[str, dict[str, str]] = {}
        for file in sorted(folder.glob("*.json")):
            self.entries.update(json.loads(file.read_text(encoding="utf-8")))
        check(bool(self.entries), f"no catalog in {folder}")
        prefixes = sorted({key.split(".")[0] for key in self.entries}, key=len, reverse=True)
        # A key shown instead of its text: `case_pages.done.accept`, never part of a path or a word.
        self.raw_key = re.compile(
            r"(?<![\w/.@-])(?:" + "|".join(map(re.escape, prefixes)) + r")\.[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*(?![\w/-])"
        )

    def text(self, key: str, lang: str, **args: str) -> str:
        entry = self.entries.get(key)
        if entry is None:
            raise StepFailed(f"the catalog has no key {key!r} (the script expects it)")
        text = entry.get(lang) or entry.get("zh-Hans") or key
        for name, value in args.items():
            text = text.replace("{" + name + "}", value)
        return text


class BrowserE2E(e2e.E2E):
    """One browser through both languages: a subclass names its flow (`new_flow`) and the steps of
    one language (`run_language`). `photo` is a small PNG the steps attach (a photo, a scan)."""

    stops_at_failure = False  # whether the next language still runs after a failed step

    def __init__(self, base: str, screenshots: Path, chromium: str, chromedriver: str, catalog: Catalog, photo: Path):
        super().__init__(base, screenshots, chromium, chromedriver)
        self.catalog = catalog
        self.photo = photo
        self.lang = "zh-Hans"
        self.flow = self.new_flow(self.lang)
        self.user: str | None = None

    def new_flow(self, lang: str):
        """What one language's run makes, with a random `token` the English check allows."""
        raise NotImplementedError

    # --- language and page checks ----------------------------------------------------

    def T(self, key: str, **args: str) -> str:
        return self.catalog.text(key, self.lang, **args)

    def body_text(self) -> str:
        """The visible text of the page, whitespace squashed."""
        return squash(self.driver.execute_script("return document.body ? document.body.innerText : ''"))

    def all_text(self) -> str:
        """Every text of the page, hidden ones and attributes people read (alt, title, …) too."""
        return squash(
            self.driver.execute_script(
                "const parts = [document.title, document.body ? document.body.textContent : ''];"
                "for (const e of document.querySelectorAll('[alt],[title],[placeholder],[aria-label]')) {"
                "  for (const a of ['alt', 'title', 'placeholder', 'aria-label']) {"
                "    if (e.hasAttribute(a)) parts.push(e.getAttribute(a)); } }"
                "return parts.join(' ');"
            )
        )

    def shows(self, key: str, **args: str) -> None:
        """The page shows the catalog text of `key` in the current language."""
        expected = squash(self.T(key, **args))
        check(
            expected.lower() in self.body_text().lower(),
            f"{self.path()} does not show {key} ({expected!r}) in {self.lang}",
        )

    def page_ok(self, *keys: str) -> None:
        """The page is no error page, is in the flow's language, shows `keys`' texts, shows no raw
        catalog key, and in English has no Chinese in its own texts (`allowed_in_english` aside)."""
        allowed = self.allowed_in_english() if self.lang == "en" else []
        status = self.driver.find_elements(By.CSS_SELECTOR, "main p.status")
        if status:
            message = " ".join(e.text for e in self.driver.find_elements(By.CSS_SELECTOR, "main .error"))
            raise StepFailed(f"{self.path()} is an error page: {squash(status[0].text)} {squash(message)!r}")
        lang = self.html_lang()
        check(lang == self.lang, f'{self.path()}: <html lang="{lang}">, expected "{self.lang}"')
        for key in keys:
            self.shows(key)
        raw = sorted(set(self.catalog.raw_key.findall(self.all_text())))
        check(not raw, f"{self.path()} shows raw catalog keys: {', '.join(raw[:8])}")
        if self.lang == "en":
            chinese = []
            for element in self.driver.find_elements(By.CSS_SELECTOR, CHROME_CSS):
                text = squash(element.get_attribute("textContent"))
                for name in allowed:
                    text = text.replace(name, "")
                if CJK.search(text) and self.flow.token not in text:
                    chinese.append(text[:60])
            title = self.driver.title
            for name in allowed:
                title = title.replace(name, "")
            if CJK.search(title):
                chinese.append(f"<title>{title}")
            check(not chinese, f"{self.path()} in English shows Chinese interface text: {chinese[:5]}")

    def allowed_in_english(self) -> list[str]:
        """Chinese texts an English page may show, longest first: the name, 运维 included, is the
        brand in both languages."""
        return [squash(self.T("app.name"))]

    def set_language(self, lang: str) -> None:
        if self.html_lang() != lang:
            self.click_and_wait(self.find("a#lang-en" if lang == "en" else "a#lang-zh"))
        check(self.html_lang() == lang, f'after switching: <html lang="{self.html_lang()}">, expected "{lang}"')

    # --- navigation ------------------------------------------------------------------

    def fail_on_errors(self, doing: str) -> None:
        errors = [squash(e.text) for e in self.driver.find_elements(By.CSS_SELECTOR, "main .error") if e.text.strip()]
        check(not errors, f"{doing}: {self.path()} answered with errors: {errors[:4]}")

    def click_link(self, css: str, doing: str) -> None:
        links = self.driver.find_elements(By.CSS_SELECTOR, css)
        check(bool(links), f"{doing}: no link `{css}` on {self.path()}")
        visible = [a for a in links if a.is_displayed()]
        self.click_and_wait((visible or links)[0])

    def submit_form(self, form, doing: str) -> None:
        """Submits `form` by its (first) submit button, after the browser's own validation."""
        invalid = self.driver.execute_script(
            "return Array.from(arguments[0].elements).filter(e => e.willValidate && !e.checkValidity())"
            ".map(e => (e.name || e.id) + ': ' + e.validationMessage);",
            form,
        )
        check(not invalid, f"{doing}: the browser refuses the form on {self.path()}: {invalid}")
        buttons = form.find_elements(By.CSS_SELECTOR, "button[type=submit], input[type=submit], button:not([type])")
        check(bool(buttons), f"{doing}: the form on {self.path()} has no submit button")
        self.click_and_wait(buttons[0])

    def type_into(self, css: str, text: str, root=None) -> None:
        element = root.find_element(By.CSS_SELECTOR, css) if root is not None else self.find(css)
        element.clear()
        element.send_keys(text)

    def set_value(self, element, value: str) -> None:
        """For a date-time picker: the value a person picks, as the browser stores it."""
        self.driver.execute_script(
            "arguments[0].value = arguments[1];"
            "arguments[0].dispatchEvent(new Event('input', {bubbles: true}));"
            "arguments[0].dispatchEvent(new Event('change', {bubbles: true}));",
            element,
            value,
        )

    def logout_if_needed(self) -> None:
        if not self.driver.find_elements(By.CSS_SELECTOR, "form#logout"):
            self.get("/")
        if self.driver.find_elements(By.CSS_SELECTOR, "form#logout"):
            self.submit("form#logout")
        self.user = None

    def sign_in(self, username: str) -> None:
        """Logs out whoever is in, logs `username` in and lands on the home page with its tasks."""
        self.logout_if_needed()
        self.login(username, PASSWORD)
        if self.path() == "/login":
            errors = [squash(e.text) for e in self.driver.find_elements(By.CSS_SELECTOR, ".error")]
            raise StepFailed(f"{username} could not log in: {errors}")
        self.user = username
        if self.path() != "/":
            self.get("/")
        self.page_ok()

    def step(self, name: str, func) -> None:
        """e2e.py's step, and a browser error says where in the scripts that use this module (or
        in this module) it happened."""

        def located():
            try:
                func()
            except WebDriverException as error:
                frames = [f for f in traceback.extract_tb(error.__traceback__) if Path(f.filename).resolve() in SCRIPTS]
                last = frames[-1] if frames else None
                where = f" ({Path(last.filename).name}:{last.lineno} in {last.name})" if last else ""
                first = (error.msg or "").strip().splitlines()[0] if error.msg else ""
                raise StepFailed(f"{type(error).__name__}: {first}{where}") from None

        super().step(name, located)

    def screenshot(self, name: str) -> None:
        """The whole page, not only what the window shows (e2e.py's, when Chromium cannot)."""
        try:
            metrics = self.driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
            size = metrics.get("cssContentSize") or metrics["contentSize"]
            # Drawn whole, the page has no scroll bar and is as wide as the window.
            width = max(size["width"], self.driver.execute_script("return window.innerWidth"))
            clip = {"x": 0, "y": 0, "width": width, "height": min(size["height"], 10000), "scale": 1}
            shot = self.driver.execute_cdp_cmd(
                "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True, "clip": clip}
            )
            (self.screenshots / f"{self.step_no:02d}-{name}.png").write_bytes(base64.b64decode(shot["data"]))
        except (WebDriverException, KeyError, OSError, ValueError):
            super().screenshot(name)

    @property
    def short(self) -> str:
        return "zh" if self.lang == "zh-Hans" else "en"

    # --- run ---------------------------------------------------------------------

    def run_language(self) -> None:
        """The steps of one language (`self.lang`, `self.flow`)."""
        raise NotImplementedError

    def after_languages(self) -> None:
        """Steps after both languages."""

    def run(self) -> int:
        """/healthz, then each language with a new flow, then `after_languages`; prints the
        screenshots' folder and `N passed, M failed`, and is 0 when all passed."""
        try:
            self.step("healthz", self.healthz)
            for lang in LANGUAGES:
                if self.stops_at_failure and self.failed:
                    break
                self.lang = lang
                self.flow = self.new_flow(lang)
                print(f"---- {lang}: token {self.flow.token}", flush=True)
                self.run_language()
            self.after_languages()
        finally:
            self.driver.quit()
        print(f"screenshots: {self.screenshots}", flush=True)
        print(f"{self.passed} passed, {self.failed} failed", flush=True)
        return 0 if self.failed == 0 and self.passed > 0 else 1


def main(
    doc: str, script: type[BrowserE2E], *, screenshots: str, temp_prefix: str, photo: str, timed: bool = False
) -> int:
    """A script's command line: `script` on --base, its screenshots in --screenshots (by default
    `screenshots`), a tiny PNG named `photo` in a temporary folder for it to attach; with `timed`,
    how long it took, last."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", default="http://127.0.0.1:8089", help="address of the running server")
    parser.add_argument("--screenshots", default=screenshots, help="folder for screenshots (created)")
    parser.add_argument("--chromium", default=os.environ.get("CHROMIUM", "/usr/bin/chromium"))
    parser.add_argument("--chromedriver", default=os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
    parser.add_argument(
        "--resources",
        default=str(HERE.parent / "Resources"),
        help="the server's Resources folder, for the texts of both languages",
    )
    args = parser.parse_args()

    folder = Path(args.screenshots)
    folder.mkdir(parents=True, exist_ok=True)
    try:
        catalog = Catalog(Path(args.resources) / "Localization")
    except (OSError, ValueError, StepFailed) as error:
        print(f"FAIL could not read the catalog: {error}", flush=True)
        print("0 passed, 1 failed", flush=True)
        return 1
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix=temp_prefix) as temp:
        attached = Path(temp) / photo
        attached.write_bytes(tiny_png())
        try:
            run = script(args.base, folder, args.chromium, args.chromedriver, catalog, attached)
        except WebDriverException as error:
            print(f"FAIL could not start headless Chromium: {error}", flush=True)
            print("0 passed, 1 failed", flush=True)
            return 1
        code = run.run()
    if timed:
        print(f"took {time.monotonic() - started:.0f} s", flush=True)
    return code
