#!/usr/bin/env python3
"""End-to-end check of the case platform (DOMAIN.md §3) on a running `yunwei demo`, in headless
Chromium, once in Simplified Chinese and once in English.

Each person does their whole part the way they would in a browser, from the links the pages give
them:

- the public (no login) files a report from the login page's public link and gets a query code
  查询码; later looks the case up by that code, says it is not resolved (the case goes back to
  the handler), and after the second resolution that it is;
- `grid_worker`, on a 400-px phone, reports a case (category first, then its questions; a wrong
  answer first, refused beside its field) with a photo and finds it under 我上报的 (reported by
  me), and at the end says she is satisfied;
- `township_dispatcher` finds both new cases in 待分类 (to classify), sees the public reporter's
  name and phone, and dispatches the public case to the first village and the grid worker's to
  the first department;
- `village_head` and `department_handler` find them in 待办理 (to handle), accept and resolve them
  (the village head with a photo the public then sees); the village head, as the handler unit,
  sees the public reporter's name and phone (CasePolicy.maySeeReporter);
- `township_leader` (the supervisor: `county_admin` may not supervise) flags the department's case
  with a note and a new deadline and finds it in 督办 (supervised);
- `county_admin` opens /stats (SVG charts) and downloads both CSV files, and at the very end
  switches from English back to Chinese with the header's switch.

Every page is checked for `<html lang>`, for the language's own texts (read from
Resources/Localization), for raw catalog keys such as `case_pages.x.y`, for an error page, and in
English for Chinese in the interface's own texts. Cases are found by a random token in their
description, so the script runs again against the same demo (the public form admits 5 reports per
address and hour: one run files 2).

    .ci/venv/bin/python scripts/e2e-cases.py --base http://127.0.0.1:8091 --screenshots DIR

Prints one ok/FAIL line per step and `N passed, M failed` last; exits non-zero when a step failed.
Shares its helpers with scripts/e2e-funds.py through scripts/e2e_support.py (on scripts/e2e.py).
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import sys
from pathlib import Path
from urllib.parse import urlparse

import requests
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

sys.path.insert(0, str(Path(__file__).resolve().parent))
import e2e_support  # noqa: E402  (scripts/e2e_support.py: the page checks, sign_in(), submit_form(), the run)
from e2e import WAIT, WIDE, StepFailed, check  # noqa: E402
from e2e_support import CJK, SHANGHAI, squash  # noqa: E402

PHONE = (400, 800)

# The demo county (README "Demo logins": "first" means first in code order).
FIRST_VILLAGE = "510121100001"  # 城东社区: village_head, grid_worker
FIRST_DEPARTMENT = "510121100900"  # 城关镇农业服务中心: department_handler
PUBLIC_CATEGORY = "TWN-GARBAGE"  # 垃圾满溢: public, no questions, handled by the village
GRID_CATEGORY = "FAC-ROAD"  # 道路破损: public, asks the damaged area (a required number)
GRID_ANSWER_KEY = "area_m2"
PUBLIC_PHONE = "13800138000"


class Flow:
    """What one language's run has made so far."""

    def __init__(self, lang: str):
        self.lang = lang
        short = "zh" if lang == "zh-Hans" else "en"
        self.token = f"e2e{short}{secrets.token_hex(4)}"
        self.public_code: str | None = None  # the raw query code, as in /track/CODE
        self.public_grouped: str | None = None  # as shown: ABCDE-FGHJK
        self.public_id: int | None = None
        self.grid_id: int | None = None
        self.supervised_deadline: str | None = None
        self.reporter_name = "张三" if lang == "zh-Hans" else "Zhang San"

    @property
    def public_tag(self) -> str:
        return self.token + "P"

    @property
    def grid_tag(self) -> str:
        return self.token + "G"


class CasesE2E(e2e_support.BrowserE2E):
    def __init__(self, base: str, screenshots: Path, chromium: str, chromedriver: str, catalog, photo: Path):
        super().__init__(base, screenshots, chromium, chromedriver, catalog, photo)
        self.chosen_handler: str | None = None
        self.done: set[str] = set()

    def new_flow(self, lang: str) -> Flow:
        return Flow(lang)

    # --- navigation ------------------------------------------------------------------

    def task(self, href: str, key: str) -> None:
        """Follows the home page's task link to `href` (logged in, on /)."""
        links = self.driver.find_elements(By.CSS_SELECTOR, f'ul.tasks a[href="{href}"]')
        check(bool(links), f"{self.user}'s home page has no task link to {href}")
        check(
            squash(links[0].text).lower() == squash(self.T(key)).lower(),
            f"task link {href}: {links[0].text!r}, expected {self.T(key)!r}",
        )
        self.click_and_wait(links[0])

    def inbox(self, box: str, text: str) -> list[int]:
        """On /cases: goes to the `box` tab, filters by `text`, returns the case ids listed."""
        if self.path() != "/cases":
            self.get("/cases")
        tab = self.driver.find_elements(By.CSS_SELECTOR, f'nav.tabs a[href="/cases?box={box}"]')
        check(bool(tab), f"{self.user} has no inbox tab `{box}` on /cases")
        check(
            squash(tab[0].get_attribute("textContent")) == squash(self.T(f"case_pages.box.{box}")),
            f"tab {box}: {tab[0].text!r}, expected {self.T(f'case_pages.box.{box}')!r}",
        )
        if tab[0].get_attribute("aria-current") != "page":
            self.click_and_wait(tab[0])
        check(
            self.find(f'nav.tabs a[href="/cases?box={box}"]').get_attribute("aria-current") == "page",
            f"tab {box} is not the current one after clicking it",
        )
        details = self.find("details.filter")
        if not details.get_attribute("open"):
            details.find_element(By.TAG_NAME, "summary").click()
        self.type_into("#f-q", text)
        self.submit_form(self.find("form#case-filter"), f"filtering {box} by {text}")
        self.page_ok("case_pages.inbox.title")
        check(
            (urlparse(self.driver.current_url).query or "").find(f"box={box}") >= 0,
            f"the filter left the {box} box: {self.driver.current_url}",
        )
        ids = []
        for link in self.driver.find_elements(By.CSS_SELECTOR, "ul.cases a.case-link"):
            match = re.search(r"/cases/(\d+)$", link.get_attribute("href") or "")
            if match:
                ids.append(int(match.group(1)))
        return ids

    def open_case(self, case_id: int) -> None:
        self.click_link(f'ul.cases a.case-link[href$="/cases/{case_id}"]', f"opening case {case_id}")
        check(self.path() == f"/cases/{case_id}", f"the link to case {case_id} led to {self.path()}")
        self.page_ok("case_pages.case.timeline")

    def case_state(self) -> str:
        return squash(self.find("h1 + p.meta .kind").text)

    def expect_state(self, state: str, where: str) -> None:
        shown = self.case_state() if self.path().startswith("/cases/") else squash(self.find("dl.facts .kind").text)
        expected = self.T(f"case_state.{state}")
        check(shown == expected, f"{where}: the state shows {shown!r}, expected {expected!r} ({state})")

    def act(
        self,
        action: str,
        *,
        handler: str | None = None,
        note: str | None = None,
        deadline: str | None = None,
        satisfied: str | None = None,
        photo: bool = False,
    ) -> None:
        """Takes one step from the case page's form for it, and checks the page says it is done."""
        forms = self.driver.find_elements(By.CSS_SELECTOR, f"details#act-{action}")
        offered = [d.get_attribute("id") for d in self.driver.find_elements(By.CSS_SELECTOR, "details.action")]
        check(bool(forms), f"{self.user} is offered no `{action}` step on {self.path()} (offered: {offered})")
        details = forms[0]
        summary = details.find_element(By.TAG_NAME, "summary")
        check(
            squash(summary.text) == squash(self.T(f"case_action.{action}")),
            f"the {action} step is called {summary.text!r}, expected {self.T(f'case_action.{action}')!r}",
        )
        if not details.get_attribute("open"):
            summary.click()
        form = details.find_element(By.TAG_NAME, "form")
        if handler is not None:
            select = Select(form.find_element(By.CSS_SELECTOR, "select[name=handler]"))
            values = [o.get_attribute("value") for o in select.options]
            check(handler in values, f"the {action} form does not offer handler {handler} (offers {values})")
            select.select_by_value(handler)
            self.chosen_handler = squash(select.first_selected_option.text)
        if deadline is not None:
            self.set_value(form.find_element(By.CSS_SELECTOR, "input[name=deadline]"), deadline)
        if satisfied is not None:
            form.find_element(By.CSS_SELECTOR, f"input[name=satisfied][value={satisfied}]").click()
        if note is not None:
            area = form.find_element(By.CSS_SELECTOR, "textarea[name=note]")
            area.clear()
            area.send_keys(note)
        if photo:
            form.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(str(self.photo))
        self.submit_form(form, f"{self.user}: {action}")
        self.fail_on_errors(f"{self.user}: {action}")
        self.page_ok(f"case_pages.done.{action}")

    def need(self, *values) -> None:
        if any(v is None for v in values):
            raise StepFailed("skipped: an earlier step of this language did not make its case")

    def phone(self) -> None:
        self.driver.set_window_size(*PHONE)
        WebDriverWait(self.driver, WAIT).until(lambda d: d.execute_script("return window.innerWidth") == PHONE[0])

    def wide(self) -> None:
        self.driver.set_window_size(*WIDE)

    def fits_phone(self, what: str) -> None:
        width, room = self.driver.execute_script(
            "const e = document.documentElement; return [e.scrollWidth, e.clientWidth];"
        )
        check(width <= room, f"{what} at {PHONE[0]} px is {width} px wide in {room} px: it scrolls sideways")

    def image_loads(self, css: str) -> None:
        images = self.driver.find_elements(By.CSS_SELECTOR, css)
        check(bool(images), f"no image `{css}` on {self.path()}")
        image = images[0]
        self.driver.execute_script("arguments[0].loading = 'eager'; arguments[0].scrollIntoView();", image)
        try:
            WebDriverWait(self.driver, WAIT).until(
                lambda d: d.execute_script("return arguments[0].complete", image)
            )
        except TimeoutException:
            raise StepFailed(f"image {image.get_attribute('src')} did not load within {WAIT} s") from None
        width = self.driver.execute_script("return arguments[0].naturalWidth", image)
        check(width > 0, f"image {image.get_attribute('src')} on {self.path()} is broken (naturalWidth 0)")

    def deadline_in(self, days: int, hour: int) -> str:
        """A Shanghai time `days` ahead, as a datetime-local field holds it."""
        day = dt.datetime.now(SHANGHAI).date() + dt.timedelta(days=days)
        return f"{day.isoformat()}T{hour:02d}:00"

    # --- the steps of one language ---------------------------------------------------

    def language(self) -> None:
        self.logout_if_needed()
        self.get("/login")
        self.set_language(self.lang)
        self.page_ok("login.title", "login.public_report", "login.public_track")
        self.get("/login")
        check(self.html_lang() == self.lang, f"the language {self.lang} did not stick after reloading /login")

    def public_report(self) -> None:
        flow = self.flow
        self.logout_if_needed()
        self.get("/login")
        self.click_link('a[href="/report"]', "the login page's public report link")
        self.page_ok("case_pages.report.public_title", "case_pages.report.choose_category")
        self.click_link(f'ul.choices a[href*="category={PUBLIC_CATEGORY}"]', f"choosing {PUBLIC_CATEGORY}")
        check(self.path() == "/report", f"choosing a category led to {self.path()}")
        self.page_ok("case_pages.report.change_category", "case_pages.field.village", "case_pages.report.contact")
        form = self.find("form#report")
        Select(form.find_element(By.ID, "r-village")).select_by_value(FIRST_VILLAGE)
        description = (
            f"村口垃圾桶已满三天，请尽快清运。{flow.public_tag}"
            if self.lang == "zh-Hans"
            else f"The bins at the village entrance have been full for three days. {flow.public_tag}"
        )
        self.type_into("#r-description", description)
        self.type_into("#r-address", "城东社区村口" if self.lang == "zh-Hans" else "Village entrance, east side")
        self.type_into("#r-name", flow.reporter_name)
        self.type_into("#r-phone", PUBLIC_PHONE)
        self.submit_form(form, "filing the public report")
        if self.path() == "/report":
            check(
                squash(self.T("case_pages.report.too_many", max="5")) not in self.body_text(),
                "the public form refused the report: over its limit of 5 reports an hour from one address "
                "(each run files 2: run against a fresh demo, or in the next hour)",
            )
            self.fail_on_errors("filing the public report")
        match = re.fullmatch(r"/track/([A-Za-z0-9-]+)", self.path())
        check(bool(match), f"after filing, the browser is on {self.path()}, expected /track/CODE")
        self.page_ok("case_pages.report.received", "case_pages.track.your_code", "case_pages.track.keep_code")
        grouped = squash(self.find("p.query-code").text)
        check(bool(re.fullmatch(r"[A-Z0-9]{4,}(-[A-Z0-9]{4,})*", grouped)), f"the query code looks wrong: {grouped!r}")
        self.expect_state("reported", "the public's new case")
        check(flow.public_tag in self.body_text(), "the track page does not show the description just filed")
        text = self.body_text()
        check(
            PUBLIC_PHONE not in text and flow.reporter_name not in text,
            "the public track page shows the reporter's name or phone",
        )
        flow.public_code = match.group(1)
        flow.public_grouped = grouped

    def grid_report(self) -> None:
        flow = self.flow
        self.phone()
        try:
            self.sign_in("grid_worker")
            self.task("/cases/new", "task.report_case")
            self.page_ok("case_pages.report.title", "case_pages.report.choose_category")
            self.fits_phone("the category step of /cases/new")
            self.screenshot(f"{self.short}-grid-categories")
            self.click_link(f'ul.choices a[href*="category={GRID_CATEGORY}"]', f"choosing {GRID_CATEGORY}")
            self.page_ok("case_pages.report.change_category", "case_pages.field.photos")
            form = self.find("form#report")
            question = form.find_elements(By.CSS_SELECTOR, f"#q-{GRID_ANSWER_KEY}")
            check(bool(question), f"the {GRID_CATEGORY} form does not ask its question {GRID_ANSWER_KEY}")
            label = squash(self.find(f'label[for="q-{GRID_ANSWER_KEY}"]').text)
            check(
                bool(CJK.search(label)) == (self.lang == "zh-Hans"),
                f"the question's label {label!r} is not in {self.lang}",
            )
            village = Select(form.find_element(By.ID, "r-village")).first_selected_option.get_attribute("value")
            check(village == FIRST_VILLAGE, f"the grid worker's form starts at village {village}, expected {FIRST_VILLAGE}")
            question[0].send_keys("twelve")  # not a number: refused beside the field, all else kept
            description = (
                f"村道路面坑洼，雨后积水，影响通行。{flow.grid_tag}"
                if self.lang == "zh-Hans"
                else f"Potholes in the village road fill with water after rain. {flow.grid_tag}"
            )
            self.type_into("#r-description", description)
            self.type_into("#r-address", "城东社区二组" if self.lang == "zh-Hans" else "Group 2, east side")
            self.find("#r-photos").send_keys(str(self.photo))
            self.submit_form(form, "filing the grid worker's report with a wrong answer")
            check(self.path() == "/cases", f"a report with a wrong answer led to {self.path()}, expected the form again")
            self.page_ok("case_pages.form.fix", "case.answer.not_a_number")
            check(
                self.find("#r-description").get_attribute("value") == description,
                "the form shown again with its error lost the description typed",
            )
            self.fits_phone("the report form with an error")
            self.screenshot(f"{self.short}-grid-form-error")
            form = self.find("form#report")
            answer = self.find(f"#q-{GRID_ANSWER_KEY}")
            answer.clear()
            answer.send_keys("12.5")
            self.find("#r-photos").send_keys(str(self.photo))  # a file field never keeps its file
            self.fits_phone(f"the {GRID_CATEGORY} report form")
            self.screenshot(f"{self.short}-grid-form")
            self.submit_form(form, "filing the grid worker's report")
            if self.path() in ("/cases", "/cases/new"):
                self.fail_on_errors("filing the grid worker's report")
            match = re.fullmatch(r"/cases/(\d+)", self.path())
            check(bool(match), f"after filing, the grid worker is on {self.path()}, expected /cases/ID")
            self.page_ok("case_pages.report.filed", "case_pages.case.photos")
            self.expect_state("reported", "the grid worker's new case")
            text = self.body_text()
            check(flow.grid_tag in text, "the new case's page does not show its description")
            check("12.5" in text, "the new case's page does not show the answer to its question (12.5)")
            self.image_loads('section ul.photos img[src^="/photos/"]')
            self.fits_phone("the new case's page")
            self.screenshot(f"{self.short}-grid-case-phone")
            flow.grid_id = int(match.group(1))
        finally:
            self.wide()

    def grid_mine(self) -> None:
        flow = self.flow
        self.need(flow.grid_id)
        self.phone()
        try:
            self.get("/")
            self.task("/cases?box=mine", "task.my_cases")
            ids = self.inbox("mine", flow.token)
            check(ids == [flow.grid_id], f"我上报的 (mine) filtered by the token lists {ids}, expected [{flow.grid_id}]")
            self.fits_phone("the mine box")
            self.screenshot(f"{self.short}-grid-mine-phone")
        finally:
            self.wide()

    def dispatcher_classify(self) -> None:
        flow = self.flow
        check(flow.grid_id is not None or flow.public_code is not None, "skipped: neither report was filed")
        self.sign_in("township_dispatcher")
        self.task("/cases?box=classify", "task.classify_cases")
        ids = self.inbox("classify", flow.token)
        self.screenshot(f"{self.short}-classify")
        others = [i for i in ids if i != flow.grid_id]
        if len(others) == 1 and flow.public_code is not None:
            flow.public_id = others[0]
        if flow.grid_id is not None:
            check(flow.grid_id in ids, f"the grid worker's case {flow.grid_id} is not in 待分类 (to classify): {ids}")
        if flow.public_code is not None:
            check(len(others) == 1, f"to classify lists {ids} for the token: expected one public case besides the grid case")

    def dispatch_to(self, case_id: int | None, handler: str, tag: str) -> None:
        """township_dispatcher finds the case in to classify and dispatches it to `handler`."""
        self.need(case_id)
        if self.user != "township_dispatcher":
            self.sign_in("township_dispatcher")
        self.get("/cases")
        ids = self.inbox("classify", tag)
        check(ids == [case_id], f"to classify filtered by {tag} lists {ids}, expected [{case_id}]")
        self.open_case(case_id)
        check(tag in self.body_text(), f"case {case_id} does not show its description with {tag}")
        self.expect_state("reported", f"case {case_id} before dispatch")
        deadline = self.find("details#act-dispatch input[name=deadline]")
        check(
            bool(deadline.get_attribute("value")),
            f"case {case_id}: the dispatch form has no deadline filled in from the category",
        )
        if case_id == self.flow.public_id:
            source = self.fact("case_pages.field.source")
            check(
                self.flow.reporter_name in source and PUBLIC_PHONE in source,
                f"the dispatcher does not see the public reporter's name and phone: source {source!r}",
            )
        self.act("dispatch", handler=handler, note="请尽快处理。" if self.lang == "zh-Hans" else "Please see to it soon.")
        self.expect_state("dispatched", f"case {case_id} after dispatch")
        shown = self.fact("case_pages.field.handler")
        check(
            shown == self.chosen_handler,
            f"case {case_id}: the handler shows {shown!r} after dispatching to {self.chosen_handler!r} ({handler})",
        )
        check(bool(self.fact("case_pages.field.deadline")), f"case {case_id}: no deadline shown after dispatch")
        self.screenshot(f"{self.short}-dispatched-{case_id}")
        ids = self.inbox("classify", tag)
        check(case_id not in ids, f"case {case_id} is still in to classify after dispatch")

    def dispatch_public(self) -> None:
        self.dispatch_to(self.flow.public_id, FIRST_VILLAGE, self.flow.public_tag)

    def dispatch_grid(self) -> None:
        self.dispatch_to(self.flow.grid_id, FIRST_DEPARTMENT, self.flow.grid_tag)

    def fact(self, key: str) -> str:
        """On a case page: the text after the `dl.facts` term `key`, '' when there is none."""
        return squash(
            self.driver.execute_script(
                "const dt = [...document.querySelectorAll('dl.facts dt')]"
                "  .find(d => d.textContent.replace(/\\s+/g, ' ').trim() === arguments[0]);"
                "return dt ? dt.nextElementSibling.textContent : '';",
                squash(self.T(key)),
            )
        )

    def village_resolve(self) -> None:
        flow = self.flow
        self.need(flow.public_id)
        self.sign_in("village_head")
        self.task("/cases?box=handle", "task.handle_cases")
        ids = self.inbox("handle", flow.token)
        check(ids == [flow.public_id], f"village_head's 待办理 (to handle) lists {ids}, expected [{flow.public_id}]")
        self.open_case(flow.public_id)
        self.act("accept")
        self.expect_state("in_progress", "after accept")
        note = "垃圾已清运，桶已冲洗。" if self.lang == "zh-Hans" else "The bins were emptied and washed."
        self.act("resolve", note=f"{note} {flow.public_tag}", photo=True)
        self.expect_state("resolved", "after resolve")

    def handler_sees_reporter(self) -> None:
        """The handler unit may see who reported (CasePolicy.maySeeReporter: "the handler unit,
        which may need to ask where exactly the problem is"), as the case API shows it."""
        flow = self.flow
        if self.user != "village_head":
            self.sign_in("village_head")
        self.get(f"/cases/{flow.public_id}")
        self.page_ok("case_pages.case.timeline")
        source = self.fact("case_pages.field.source")
        check(
            flow.reporter_name in source and PUBLIC_PHONE in source,
            f"village_head, the handler, does not see the public reporter's name and phone on /cases/{flow.public_id}: "
            f"source {source!r}; CasePolicy.maySeeReporter lets the handler unit see them",
        )

    def department_accept(self) -> None:
        flow = self.flow
        self.need(flow.grid_id)
        self.sign_in("department_handler")
        self.task("/cases?box=handle", "task.handle_cases")
        ids = self.inbox("handle", flow.token)
        check(ids == [flow.grid_id], f"department_handler's to handle lists {ids}, expected [{flow.grid_id}]")
        self.open_case(flow.grid_id)
        self.act("accept")
        self.expect_state("in_progress", "after accept")

    def supervise(self) -> None:
        flow = self.flow
        self.need(flow.grid_id)
        self.sign_in("township_leader")
        self.get("/cases")
        ids = self.inbox("all", flow.grid_tag)
        check(ids == [flow.grid_id], f"township_leader's all cases filtered by the token lists {ids}, expected [{flow.grid_id}]")
        self.open_case(flow.grid_id)
        flow.supervised_deadline = self.deadline_in(3, 18)
        self.act(
            "supervise",
            note="请三日内修复。" if self.lang == "zh-Hans" else "Repair it within three days.",
            deadline=flow.supervised_deadline,
        )
        self.expect_state("in_progress", "after supervise (the state does not change)")
        self.screenshot(f"{self.short}-supervised-{flow.grid_id}")
        self.shows("case_pages.supervised")
        shown = flow.supervised_deadline.replace("T", " ")
        check(shown in self.body_text(), f"the new deadline {shown} is not shown on the case")
        self.get("/")
        self.task("/cases?box=supervised", "task.supervise_cases")
        ids = self.inbox("supervised", flow.token)
        check(flow.grid_id in ids, f"督办 (supervised) does not list case {flow.grid_id}: {ids}")
        line = self.find(f'ul.cases a.case-link[href$="/cases/{flow.grid_id}"]').find_element(By.XPATH, "..")
        check(
            squash(self.T("case_pages.supervised")) in squash(line.text),
            "the supervised case's line has no supervised badge",
        )

    def department_resolve(self) -> None:
        flow = self.flow
        self.need(flow.grid_id)
        self.sign_in("department_handler")
        self.get("/cases")
        ids = self.inbox("handle", flow.token)
        check(ids == [flow.grid_id], f"department_handler's to handle lists {ids}, expected [{flow.grid_id}]")
        self.open_case(flow.grid_id)
        if f"{self.short}-leader-supervise" in self.done:
            self.shows("case_pages.supervised")
        self.act("resolve", note="路面已修补。" if self.lang == "zh-Hans" else "The road surface was patched.")
        self.expect_state("resolved", "after resolve")

    def grid_feedback(self) -> None:
        flow = self.flow
        self.need(flow.grid_id)
        self.phone()
        try:
            self.sign_in("grid_worker")
            self.task("/cases?box=mine", "task.my_cases")
            ids = self.inbox("mine", flow.token)
            check(ids == [flow.grid_id], f"mine lists {ids}, expected [{flow.grid_id}]")
            self.open_case(flow.grid_id)
            self.expect_state("resolved", "the grid worker's case")
            self.act(
                "feedback", satisfied="yes",
                note="已修好，村民满意。" if self.lang == "zh-Hans" else "Fixed; the villagers are happy.",
            )
            self.expect_state("closed", "after satisfied feedback")
            self.fits_phone("the closed case")
            self.screenshot(f"{self.short}-grid-closed-phone")
        finally:
            self.wide()

    def public_track(self) -> None:
        flow = self.flow
        self.need(flow.public_code)
        self.logout_if_needed()
        self.get("/login")
        self.click_link('a[href="/track"]', "the login page's tracking link")
        self.page_ok("case_pages.track.title", "case_pages.track.intro")
        self.type_into("#t-code", flow.public_grouped.lower())
        self.submit_form(self.find("form#track"), "looking up the query code")
        check(self.path() == f"/track/{flow.public_code}", f"the lookup led to {self.path()}, expected /track/{flow.public_code}")
        self.page_ok("case_pages.track.your_code", "case_pages.track.feedback_heading", "case_pages.case.timeline")
        self.expect_state("resolved", "the tracked case")
        text = self.body_text()
        check(flow.public_tag in text, "the track page does not show the handler's result")
        check(squash(self.T("case_action.resolve")) in text, "the timeline has no resolve step")
        self.image_loads(f'ol.timeline img[src*="code={flow.public_code}"]')
        for name in ("村主要负责人", "village_head", "township_dispatcher"):
            check(name not in text, f"the public track page names a person: {name}")

    def public_unsatisfied(self) -> None:
        flow = self.flow
        self.need(flow.public_code)
        self.get(f"/track/{flow.public_code}")
        form = self.find("form#feedback-form")
        form.find_element(By.CSS_SELECTOR, "input[name=satisfied][value=no]").click()
        form.find_element(By.ID, "t-comment").send_keys(
            "还有一个桶没清。" if self.lang == "zh-Hans" else "One bin was not emptied."
        )
        self.submit_form(form, "unsatisfied feedback")
        self.fail_on_errors("unsatisfied feedback")
        check(self.path() == f"/track/{flow.public_code}", f"feedback led to {self.path()}")
        self.page_ok("case_pages.track.thanks")
        self.expect_state("in_progress", "after unsatisfied feedback (the case reopens)")
        check(not self.driver.find_elements(By.CSS_SELECTOR, "form#feedback-form"), "the feedback form is still offered")

    def village_resolve_again(self) -> None:
        flow = self.flow
        self.need(flow.public_id)
        self.sign_in("village_head")
        self.task("/cases?box=handle", "task.handle_cases")
        ids = self.inbox("handle", flow.token)
        check(ids == [flow.public_id], f"the reopened case is not back in to handle: {ids}, expected [{flow.public_id}]")
        self.open_case(flow.public_id)
        self.expect_state("in_progress", "the reopened case")
        self.shows("case_pages.field.reopened")
        self.act("resolve", note="剩余的桶也已清运。" if self.lang == "zh-Hans" else "The last bin was emptied too.")
        self.expect_state("resolved", "after the second resolve")

    def public_satisfied(self) -> None:
        flow = self.flow
        self.need(flow.public_code)
        self.logout_if_needed()
        self.get(f"/track/{flow.public_code}")
        form = self.find("form#feedback-form")
        form.find_element(By.CSS_SELECTOR, "input[name=satisfied][value=yes]").click()
        form.find_element(By.ID, "t-comment").send_keys("谢谢！" if self.lang == "zh-Hans" else "Thank you!")
        self.submit_form(form, "satisfied feedback")
        self.fail_on_errors("satisfied feedback")
        self.page_ok("case_pages.track.thanks", "case_pages.satisfied.yes")
        self.expect_state("closed", "after satisfied feedback")

    def stats(self) -> None:
        self.sign_in("county_admin")
        self.click_link('header nav a[href="/stats"]', "the header's statistics link")
        check(self.path() == "/stats", f"the statistics link led to {self.path()}")
        self.page_ok("stats.summary", "stats.by_category", "stats.by_month", "stats.download_stats")
        svgs = self.driver.find_elements(By.CSS_SELECTOR, "main figure svg")
        check(len(svgs) >= 2, f"/stats shows {len(svgs)} SVG charts, expected 2")
        for svg in svgs:
            size = svg.size
            check(size["width"] > 50 and size["height"] > 50, f"an SVG chart is drawn {size['width']}x{size['height']}")
        check(bool(self.driver.find_elements(By.CSS_SELECTOR, "table#stats-summary tbody tr")), "/stats has no summary")
        session = requests.Session()
        for cookie in self.driver.get_cookies():
            session.cookies.set(cookie["name"], cookie["value"])
        for css, header_key in (("a#stats-csv", "stats.collected"), ("a#cases-csv", None)):
            href = self.find(css).get_attribute("href")
            with session.get(href, stream=True, timeout=60) as response:
                check(response.status_code == 200, f"{css} {href} answered {response.status_code}")
                kind = response.headers.get("Content-Type", "")
                check("csv" in kind, f"{css} {href} answered {kind!r}, expected text/csv")
                first = next(response.iter_lines(), b"").decode("utf-8-sig", "replace")
                check(first.count(",") >= 2, f"{css}: the first line is no CSV header: {first[:100]!r}")
                if header_key:
                    check(self.T(header_key) in first, f"{css}: the header {first[:100]!r} is not in {self.lang}")
                check(not self.catalog.raw_key.search(first), f"{css}: the header has raw keys: {first[:120]!r}")

    def language_back(self) -> None:
        """From English back to Chinese with the header's switch, staying on the same page."""
        check(self.lang == "zh-Hans", "language_back runs in Chinese")
        if self.user != "county_admin":
            self.sign_in("county_admin")
        self.get("/stats")
        check(self.html_lang() == "en", f'/stats before switching back: <html lang="{self.html_lang()}">, expected "en"')
        self.click_and_wait(self.find("a#lang-zh"))
        check(self.path() == "/stats", f"switching the language from /stats led to {self.path()}")
        self.page_ok("stats.summary", "nav.stats")

    # --- run ---------------------------------------------------------------------

    def step_after(self, name: str, func, needs: tuple[str, ...]) -> None:
        """A step of this language, failed without running when a step it needs failed."""
        missing = [n for n in needs if f"{self.short}-{n}" not in self.done]

        def guarded():
            check(not missing, f"skipped: needs {', '.join(missing)}, which failed")
            func()

        passed = self.passed
        self.step(f"{self.short}-{name}", guarded)
        if self.passed > passed:
            self.done.add(f"{self.short}-{name}")

    def run_language(self) -> None:
        # name, what it does, the steps of this language it needs
        for name, func, needs in (
            ("language", self.language, ()),
            ("public-report", self.public_report, ()),
            ("grid-report-phone", self.grid_report, ()),
            ("grid-mine", self.grid_mine, ("grid-report-phone",)),
            ("dispatcher-classify", self.dispatcher_classify, ()),
            ("dispatch-public-to-village", self.dispatch_public, ("public-report",)),
            ("dispatch-grid-to-department", self.dispatch_grid, ("grid-report-phone",)),
            ("village-accept-resolve", self.village_resolve, ("dispatch-public-to-village",)),
            ("village-head-sees-reporter", self.handler_sees_reporter, ("dispatch-public-to-village",)),
            ("department-accept", self.department_accept, ("dispatch-grid-to-department",)),
            ("leader-supervise", self.supervise, ("department-accept",)),
            ("department-resolve", self.department_resolve, ("department-accept",)),
            ("grid-feedback-satisfied", self.grid_feedback, ("department-resolve",)),
            ("public-track", self.public_track, ("village-accept-resolve",)),
            ("public-unsatisfied-reopens", self.public_unsatisfied, ("public-track",)),
            ("village-resolve-again", self.village_resolve_again, ("public-unsatisfied-reopens",)),
            ("public-satisfied-closes", self.public_satisfied, ("village-resolve-again",)),
            ("stats", self.stats, ()),
        ):
            self.step_after(name, func, needs)

    def after_languages(self) -> None:
        self.lang = "zh-Hans"
        self.step("language-back-to-zh", self.language_back)


def main() -> int:
    return e2e_support.main(
        __doc__, CasesE2E, screenshots="screenshots/cases", temp_prefix="yunwei-e2e-cases-", photo="photo.png"
    )


if __name__ == "__main__":
    sys.exit(main())
