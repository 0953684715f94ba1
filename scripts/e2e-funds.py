#!/usr/bin/env python3
"""End-to-end check of the subsidy funds (DOMAIN.md §4, issue 4) on a running `yunwei demo`, in
headless Chromium, once in Simplified Chinese and once in English.

Each person does their part in the browser, as the role who does it:

- `county_admin` imports next year's factor data (this year's, exported from /imports), creates
  the next free year's allocation by factors with the form (pool, base, weights), reads the village
  table and one village's explanation, approves and publishes it, and downloads its CSV;
- `township_finance` disburses ¥1,000 to the first village, choosing it in the table of what is
  left to disburse (the demo disburses this year's allocation in full, so from the allocation
  just published), lands on the village statement with the new row, downloads its vouchers and
  opens the township summary;
- `village_clerk` drafts a claim (a wrong amount first, refused beside its field; "add row" once,
  two invoices, a scan) and submits it; `finance_group` reviews, `village_head` approves,
  `township_leader` reviews (审核) and `township_finance` posts (报账), each from their default
  inbox tab at /claims; the printable 报账单 shows the Chinese capitals and the chain's names;
- the public (no login, fresh session) finds the posted claim on the village's public page;
- `county_auditor` runs the self-inspection of the county for this year (the demo's planted
  findings), reads the report's four parts and downloads it;
- payroll: `village_clerk` adds a caretaker contract, `township_finance` makes and issues the
  month's batch, the clerk drafts the village's claim from it; ID and passbook numbers are masked.

Every page is checked for `<html lang>`, for raw catalog keys, for an error page, and in English
for Chinese in the interface's own texts (user data such as unit names excepted). Purposes and
invoice numbers carry a random token and the allocation takes the next free year, so the script
runs again against the same demo.

    .ci/venv/bin/python scripts/e2e-funds.py --base http://127.0.0.1:8089 --screenshots DIR

Prints one ok line per checked step; stops at the first failure with a FAIL line, a screenshot and
the page's HTML, and exits non-zero. Shares its helpers with scripts/e2e-cases.py through
scripts/e2e_support.py (on scripts/e2e.py).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import secrets
import sys
import time
from pathlib import Path

import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import e2e_support  # noqa: E402  (scripts/e2e_support.py: the page checks, sign_in(), submit_form(), the run)
from e2e import check  # noqa: E402
from e2e_support import SHANGHAI, squash  # noqa: E402

COUNTY = "510121000000"  # 云岭县
FIRST_TOWNSHIP = "510121100000"  # 城关镇: township_leader, township_finance
FIRST_VILLAGE = "510121100001"  # 城东社区: village_clerk, finance_group, village_head
PLANTED_RULES = ("R1", "R5", "R6", "R8")  # README "Demo money flows"
ID_PATTERN = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")


def resident_id(birth: str, sequence: int) -> str:
    """A resident ID number of the county with a valid check character (GB 11643)."""
    body = f"510121{birth}{sequence % 1000:03d}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(d) * w for d, w in zip(body, weights))
    return body + "10X98765432"[total % 11]


def fen(text: str) -> int:
    """The fen of a shown amount such as ¥1,234.50 or -¥3.00."""
    match = re.search(r"(-?)¥?\s*(-?)([\d,]+)(?:\.(\d{1,2}))?", text.replace("￥", "¥"))
    check(bool(match), f"no amount in {text!r}")
    sign = -1 if (match.group(1) or match.group(2)) else 1
    cents = (match.group(4) or "0").ljust(2, "0")
    return sign * (int(match.group(3).replace(",", "")) * 100 + int(cents))


class Flow:
    """What one language's run has made so far."""

    def __init__(self, lang: str):
        self.lang = lang
        short = "zh" if lang == "zh-Hans" else "en"
        self.token = f"e2e{short}{secrets.token_hex(4)}"
        self.digits = f"{int(time.time()) % 10**8:08d}{secrets.randbelow(10**4):04d}"
        self.year: int | None = None  # the new allocation's year
        self.villages = 0
        self.allocation_id: int | None = None
        self.claim_id: int | None = None
        self.amount_fen = 123450  # ¥1,234.50: below the 公示 threshold
        self.payroll_claim: int | None = None
        self.batch_path: str | None = None
        self.id_number = resident_id("19680315", secrets.randbelow(1000))
        self.passbook = f"62170{self.digits}"[:19]
        self.caretaker = "e2e管护员" + self.token[-4:] if lang == "zh-Hans" else f"Caretaker {self.token[-4:]}"

    @property
    def purpose(self) -> str:
        if self.lang == "zh-Hans":
            return f"村道路灯维修，更换灯泡十只。{self.token}"
        return f"Repair of the village road lamps, ten bulbs. {self.token}"


class FundsE2E(e2e_support.BrowserE2E):
    """The shared browser helpers (page_ok, sign_in, submit_form, …), with funds steps; stops at
    the first failure."""

    stops_at_failure = True

    def __init__(self, base, screenshots, chromium, chromedriver, catalog, scan: Path):
        super().__init__(base, screenshots, chromium, chromedriver, catalog, scan)
        # Texts of the data, never of the interface: unit and people's names, shown in Chinese
        # in both languages.
        self.user_data: set[str] = set()

    def new_flow(self, lang: str) -> Flow:
        return Flow(lang)

    # --- checks ------------------------------------------------------------------------

    def allowed_in_english(self) -> list[str]:
        """The brand, and in English Chinese unit and people's names (data) too."""
        self.learn_names()
        return sorted(self.user_data | set(super().allowed_in_english()), key=len, reverse=True)

    def learn_names(self) -> None:
        """Unit names (Chinese in both languages: data, not interface) beside their unit codes, as in
        城关镇 510121100000 or 城东社区（510121100001）: the English check allows them."""
        text = self.all_text()
        for pattern in (r"([\u3400-\u9fff]{2,20})\s*[（(]?\d{12}", r"\d{12}[）)]?\s*([\u3400-\u9fff]{2,20})"):
            self.user_data.update(re.findall(pattern, text))

    def session(self) -> requests.Session:
        """A requests session with the browser's cookies, for downloads."""
        session = requests.Session()
        for cookie in self.driver.get_cookies():
            session.cookies.set(cookie["name"], cookie["value"])
        return session

    def download(self, href: str, kind: str) -> requests.Response:
        response = self.session().get(self.url(href) if href.startswith("/") else href, timeout=60)
        check(response.status_code == 200, f"{href} answered {response.status_code}")
        got = response.headers.get("Content-Type", "")
        check(kind in got, f"{href} answered {got!r}, expected {kind}")
        return response

    def nav(self, href: str) -> None:
        """Follows the header's link to `href`."""
        self.click_link(f'header nav a[href="{href}"]', f"the header's link to {href}")
        check(self.path() == href, f"the header's link to {href} led to {self.path()}")

    def state_is(self, state: str, where: str) -> None:
        shown = squash(self.find("#claim-state").text)
        expected = squash(self.T(f"claim_state.{state}"))
        check(shown == expected, f"{where}: claim #{self.flow.claim_id} shows {shown!r}, expected {expected!r}")

    def need(self, *values) -> None:
        check(all(v is not None for v in values), "an earlier step did not make what this step needs")

    @property
    def shanghai_today(self) -> dt.date:
        return dt.datetime.now(SHANGHAI).date()

    # --- 0. the language -----------------------------------------------------------------

    def language(self) -> None:
        self.logout_if_needed()
        self.get("/login")
        self.set_language(self.lang)
        self.page_ok("login.title")

    # --- 1. county admin: the allocation -------------------------------------------------

    def factors(self) -> None:
        """Next year has no factor data in the demo: the admin imports this year's as next year's."""
        flow = self.flow
        self.sign_in("county_admin")
        self.nav("/allocations")
        self.page_ok("allocation_pages.title")
        years = {int(a.text) for a in self.driver.find_elements(By.CSS_SELECTOR, "table#allocations tbody th a")}
        this_year = self.shanghai_today.year
        flow.year = next(y for y in range(this_year + 1, this_year + 100) if y not in years)
        self.nav("/imports")
        self.page_ok()
        exported = self.download("/exports/factors.csv", "csv")
        rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
        header, body = rows[0], rows[1:]
        check("year" in header and "unit" in header, f"factors.csv header: {header}")
        year_col = header.index("year")
        current = [r for r in body if r and r[year_col] == str(this_year)]
        check(len(current) > 0, f"factors.csv has no rows of {this_year}")
        flow.villages = len(current)
        for row in current:
            row[year_col] = str(flow.year)
        path = Path(self.photo).parent / f"factors-{flow.year}.csv"
        with path.open("w", encoding="utf-8", newline="") as file:
            csv.writer(file).writerows([header, *current])
        form = self.find("form#import-factors")
        form.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(str(path))
        self.submit_form(form, "importing next year's factor data")
        self.fail_on_errors("importing next year's factor data")
        check(self.path() == "/imports", f"the import led to {self.path()}")
        self.page_ok("import.done")

    def allocation_draft(self) -> None:
        flow = self.flow
        self.need(flow.year)
        self.get("/allocations")
        self.click_link("a#allocation-new", "the new allocation button")
        self.page_ok("allocation_pages.new_title", "allocation_pages.field.weights")
        pool = flow.villages * 40000
        self.type_into("#a-year", str(flow.year))
        self.type_into("#a-pool", f"{pool}.00")
        self.type_into("#a-base", "5000")
        for factor, weight in (("population", "0.4"), ("area", "0.2"), ("location", "0.15"), ("income", "0.15"),
                               ("performance", "0.1")):
            self.type_into(f"#w-{factor}", weight)
        self.screenshot(f"{self.short}-allocation-form")
        self.submit_form(self.find("form#allocation"), "computing the allocation")
        self.fail_on_errors("computing the allocation")
        match = re.fullmatch(r"/allocations/(\d+)", self.path())
        check(bool(match), f"computing the allocation led to {self.path()}, expected /allocations/ID")
        flow.allocation_id = int(match.group(1))
        self.page_ok("allocation_pages.created", "allocation_status.draft")
        rows = self.driver.find_elements(By.CSS_SELECTOR, "table#allocation-table tbody tr")
        check(len(rows) == flow.villages, f"the village table has {len(rows)} rows, expected {flow.villages}")
        total = fen(self.find("#total").text)
        check(total == pool * 100, f"the table's total is {total} fen, expected the pool {pool * 100}")
        amounts = [fen(r.find_elements(By.CSS_SELECTOR, "td.num")[-1].text) for r in rows]
        check(sum(amounts) == pool * 100, f"the villages' amounts sum to {sum(amounts)} fen, not the pool")

    def allocation_explain(self) -> None:
        flow = self.flow
        self.need(flow.allocation_id)
        self.click_link(f'table#allocation-table a[href*="village={FIRST_VILLAGE}"]', "one village's explanation")
        check(self.path() == f"/allocations/{flow.allocation_id}", f"the explanation link led to {self.path()}")
        self.page_ok("allocation_pages.unrounded", "allocation_pages.formula")
        lines = self.driver.find_elements(By.CSS_SELECTOR, "section#explain tbody tr")
        check(len(lines) >= 6, f"the explanation has {len(lines)} lines, expected the base and five factors")
        row = self.find("table#allocation-table tr.sel")
        shown = fen(self.find("#explain-amount").text)
        table = fen(row.find_elements(By.CSS_SELECTOR, "td.num")[-1].text)
        check(shown == table, f"the explanation says {shown} fen, the table {table} fen")
        self.screenshot(f"{self.short}-allocation-explain")

    def allocation_publish(self) -> None:
        flow = self.flow
        self.need(flow.allocation_id)
        self.get(f"/allocations/{flow.allocation_id}")
        check(not self.driver.find_elements(By.ID, "publish"), "a draft offers publish before approval")
        self.click_and_wait(self.find("button#approve"))
        self.fail_on_errors("approving")
        self.page_ok("allocation_status.approved")
        check(squash(self.find("#status").text) == squash(self.T("allocation_status.approved")), "not approved")
        self.click_and_wait(self.find("button#publish"))
        self.fail_on_errors("publishing")
        self.page_ok()
        check(squash(self.find("#status").text) == squash(self.T("allocation_status.published")), "not published")
        self.get("/allocations")
        self.page_ok()
        check(
            bool(self.driver.find_elements(By.CSS_SELECTOR, f'table#allocations a[href$="/{flow.allocation_id}"]')),
            "the published allocation is not listed on /allocations",
        )

    def allocation_csv(self) -> None:
        flow = self.flow
        self.need(flow.allocation_id)
        self.get(f"/allocations/{flow.allocation_id}")
        href = self.find("a#allocation-csv").get_attribute("href")
        text = self.download(href, "csv").content.decode("utf-8-sig")
        rows = [r for r in csv.reader(io.StringIO(text)) if r]
        check(len(rows) >= 2 and len(rows[0]) >= 3, f"the allocation CSV has no header row: {rows[:1]}")
        villages = [r for r in rows[1:] if any(re.fullmatch(r"\d{12}", c) for c in r)]
        check(len(villages) == flow.villages, f"the CSV has {len(villages)} village rows, expected {flow.villages}")
        check(not self.catalog.raw_key.search(",".join(rows[0])), f"the CSV header has raw keys: {rows[0]}")

    # --- 2. township finance: the disbursement -------------------------------------------

    def disburse(self) -> None:
        self.sign_in("township_finance")
        self.nav("/ledger")
        self.page_ok("ledger_pages.title")
        self.click_link("a#disburse-new", "the disburse button")
        self.page_ok("ledger_pages.disburse_title")
        # The demo disburses this year's allocation in full (README "Demo money flows"): the
        # first village has nothing left of it, so the township disburses from the allocation
        # the county admin has just published, chosen from the table of what is left.
        flow = self.flow
        self.need(flow.allocation_id)
        choose = f"/ledger/disbursements/new?allocation={flow.allocation_id}&village={FIRST_VILLAGE}"
        self.click_link(
            f'table#remaining a[href="{choose}"]',
            f"choosing allocation {flow.allocation_id} and the first village in the table of what is left",
        )
        self.page_ok("ledger_pages.disburse_title")
        chosen = Select(self.find("#d-allocation")).first_selected_option.get_attribute("value")
        check(chosen == str(flow.allocation_id), f"the form has allocation {chosen}, expected {flow.allocation_id}")
        village = Select(self.find("#d-village")).first_selected_option.get_attribute("value")
        check(village == FIRST_VILLAGE, f"the form has village {village} chosen, expected {FIRST_VILLAGE}")
        self.type_into("#d-amount", "1000")
        self.type_into("#d-date", self.shanghai_today.isoformat())
        self.submit_form(self.find("form#disbursement"), "disbursing ¥1,000")
        self.fail_on_errors("disbursing")
        check(self.path() == f"/ledger/villages/{FIRST_VILLAGE}", f"disbursing led to {self.path()}")
        self.page_ok("ledger_pages.opening", "ledger_pages.available")
        rows = self.driver.find_elements(By.CSS_SELECTOR, "table#statement tbody tr")
        today = self.shanghai_today.isoformat()
        new = [r for r in rows if today in r.text and "1,000.00" in r.text]
        check(bool(new), f"the statement has no row of {today} with ¥1,000.00")

    def vouchers(self) -> None:
        check(self.path().startswith(f"/ledger/villages/{FIRST_VILLAGE}"), f"not on the statement: {self.path()}")
        href = self.find("a#vouchers-csv").get_attribute("href")
        text = self.download(href, "csv").content.decode("utf-8-sig")
        rows = [r for r in csv.reader(io.StringIO(text)) if r]
        check(len(rows) >= 2, f"vouchers.csv has {len(rows)} lines")
        check(any("1000.00" in ",".join(r) or "1,000.00" in ",".join(r) for r in rows[1:]),
              "vouchers.csv has no line of 1000.00")

    def summary(self) -> None:
        self.get("/ledger")
        self.click_link(f'section#t-{FIRST_TOWNSHIP} a.summary-link', "the township summary link")
        check(self.path() == f"/ledger/townships/{FIRST_TOWNSHIP}", f"the summary link led to {self.path()}")
        self.page_ok("ledger_pages.total")
        check(bool(self.driver.find_elements(By.CSS_SELECTOR, f"table#summary tr#v-{FIRST_VILLAGE}")),
              "the township summary has no line of the first village")

    # --- 3–7. the claim chain --------------------------------------------------------------

    def claim_form(self) -> None:
        flow = self.flow
        self.sign_in("village_clerk")
        self.nav("/claims")
        self.page_ok("claim_pages.title")
        self.click_link("a#claim-new", "the new claim button")
        self.page_ok("claim_pages.new_title", "claim_pages.add_row")
        Select(self.find("#c-category")).select_by_value("infrastructure")
        self.type_into("#c-amount", "abc")
        self.type_into("#c-purpose", flow.purpose)
        self.find("input[name=payee_kind][value=organisation]").click()
        payee = "城东五金店" if self.lang == "zh-Hans" else "East Town Hardware"
        self.type_into("#c-payee-name", payee)
        # A facility, as the demo's claims link them: a project link would be an R4 finding (no
        # project is accepted 验收 yet), which the self-inspection below would then list.
        Select(self.find("#c-link-kind")).select_by_value("facility")
        self.type_into("#c-link-id", "3")
        # Add a row: the form comes back with one more invoice row and everything kept.
        number_fields = "table#invoice-rows tbody input[name^=inv_number_]"
        rows_before = len(self.driver.find_elements(By.CSS_SELECTOR, number_fields))
        self.click_and_wait(self.find('form#claim button[name="more"]'))
        rows_after = len(self.driver.find_elements(By.CSS_SELECTOR, number_fields))
        check(rows_after == rows_before + 1, f"add row: {rows_before} invoice rows before, {rows_after} after")
        check(rows_after >= 2, f"{rows_after} invoice rows after adding one")
        check(self.find("#c-purpose").get_attribute("value") == flow.purpose, "add row lost the purpose")
        invoices = ((f"{flow.digits}1", "800.00"), (f"{flow.digits}2", "434.50"))
        issuer = "城东五金店" if self.lang == "zh-Hans" else "East Town Hardware"
        for n, (number, amount) in enumerate(invoices, start=1):
            self.type_into(f"input[name=inv_number_{n}]", number)
            self.type_into(f"input[name=inv_issuer_{n}]", issuer)
            self.type_into(f"input[name=inv_date_{n}]", self.shanghai_today.isoformat())
            self.type_into(f"input[name=inv_amount_{n}]", amount)
        self.find("#c-scans").send_keys(str(self.photo))
        self.submit_form(self.find("form#claim"), "saving a claim with the amount abc")
        check(self.path() in ("/claims", "/claims/new"), f"a claim with amount abc led to {self.path()}")
        self.page_ok("claim_pages.fix")
        errors = self.driver.find_elements(By.CSS_SELECTOR, "#e-amount")
        check(bool(errors) and errors[0].text.strip(), "no error beside the amount field for abc")
        check(self.find("#c-purpose").get_attribute("value") == flow.purpose, "the refused form lost the purpose")
        self.screenshot(f"{self.short}-claim-error")

    def claim_save(self) -> None:
        flow = self.flow
        check(self.path() in ("/claims", "/claims/new"), f"not on the claim form: {self.path()}")
        self.type_into("#c-amount", "1234.50")
        numbers = [self.find(f"input[name=inv_number_{n}]").get_attribute("value") for n in (1, 2)]
        check(all(numbers), f"the refused form lost the invoice rows: {numbers}")
        self.find("#c-scans").send_keys(str(self.photo))  # a file field never keeps its file
        self.submit_form(self.find("form#claim"), "saving the claim")
        self.fail_on_errors("saving the claim")
        match = re.fullmatch(r"/claims/(\d+)", self.path())
        check(bool(match), f"saving the claim led to {self.path()}, expected /claims/ID")
        flow.claim_id = int(match.group(1))
        self.page_ok("claim_pages.field.invoices")
        self.state_is("draft", "the saved claim")
        text = self.body_text()
        check(flow.purpose in text, "the claim page does not show its purpose")
        check("1,234.50" in text, "the claim page does not show ¥1,234.50")
        facts = squash(self.find("#claim-facts").text)
        link = f"{squash(self.T('claim_pages.link_kind.facility'))} #3"
        check(link in facts, f"the claim page does not show its link {link!r}")
        invoices = self.driver.find_elements(By.CSS_SELECTOR, "table#invoices tbody tr")
        check(len(invoices) == 2, f"the claim has {len(invoices)} invoices, expected 2")
        check(len(self.driver.find_elements(By.CSS_SELECTOR, "ul#scans a.scan-link")) == 1, "the claim has no scan")
        scan = self.find("ul#scans a.scan-link").get_attribute("href")
        self.download(scan, "image/png")

    def act(self, action: str, note: str) -> None:
        """Takes the claim page's step `action` with a note and checks the page says it is done."""
        forms = self.driver.find_elements(By.CSS_SELECTOR, f"form#step-{action}")
        offered = [f.get_attribute("id") for f in self.driver.find_elements(By.CSS_SELECTOR, "form.step")]
        check(bool(forms), f"{self.user} is offered no {action} step on {self.path()} (offered: {offered})")
        self.type_into("textarea[name=note]", note, root=forms[0])
        self.submit_form(forms[0], f"{self.user}: {action}")
        self.fail_on_errors(f"{self.user}: {action}")
        check(self.path() == f"/claims/{self.flow.claim_id}", f"{action} led to {self.path()}")
        self.page_ok(f"claim_pages.done.{action}")

    def claim_submit(self) -> None:
        self.need(self.flow.claim_id)
        self.act("submit", "请审核。" if self.lang == "zh-Hans" else "Please review.")
        self.state_is("submitted", "after submit")

    def chain_step(self, user: str, action: str, state: str, note_zh: str, note_en: str) -> None:
        flow = self.flow
        self.need(flow.claim_id)
        self.sign_in(user)
        self.nav("/claims")
        self.page_ok("claim_pages.title")
        current = self.driver.find_elements(By.CSS_SELECTOR, 'nav.tabs a[aria-current="page"]')
        tab = squash(current[0].text) if current else "?"
        self.click_link(f'table#claims a.claim-link[href$="/claims/{flow.claim_id}"]',
                        f"{user}'s default inbox tab ({tab}) listing claim #{flow.claim_id}")
        check(self.path() == f"/claims/{flow.claim_id}", f"the inbox link led to {self.path()}")
        self.act(action, note_zh if self.lang == "zh-Hans" else note_en)
        self.state_is(state, f"after {action}")
        check((note_zh if self.lang == "zh-Hans" else note_en) in self.find("table#history").text,
              f"the history does not show {user}'s note")

    def finance_return(self) -> None:
        self.chain_step("finance_group", "return", "returned", "发票金额不符。", "Invoice amounts do not match.")

    def claim_edit(self) -> None:
        """The clerk corrects the returned claim through its Edit link: the form comes filled in, the
        change is stored, and the claim stays returned until it is submitted again."""
        flow = self.flow
        self.need(flow.claim_id)
        self.sign_in("village_clerk")
        self.get(f"/claims/{flow.claim_id}")
        self.click_link("a#claim-edit", "the claim page's Edit link")
        check(self.path() == f"/claims/{flow.claim_id}/edit", f"the Edit link led to {self.path()}")
        self.page_ok("claim_pages.edit.title")
        check(self.find("#c-purpose").get_attribute("value") == flow.purpose, "the edit form lost the purpose")
        check(self.find("#c-amount").get_attribute("value") == "1234.50", "the edit form lost the amount")
        check(len(self.driver.find_elements(By.CSS_SELECTOR, "#claim-scans a.scan-link")) == 1,
              "the edit form does not list the claim's scan")
        corrected = f"{flow.digits}3"
        self.type_into("input[name=inv_number_2]", corrected)
        self.submit_form(self.find("form#claim"), "saving the corrected claim")
        self.fail_on_errors("saving the corrected claim")
        check(self.path() == f"/claims/{flow.claim_id}", f"saving the corrected claim led to {self.path()}")
        self.page_ok("claim_pages.edit.saved")
        self.state_is("returned", "after the edit")
        check(corrected in self.find("table#invoices").text, "the claim page does not show the corrected invoice")
        check(len(self.driver.find_elements(By.CSS_SELECTOR, "ul#scans a.scan-link")) == 1, "the edit lost the scan")
        self.screenshot(f"{self.short}-claim-edited")

    def claim_resubmit(self) -> None:
        self.need(self.flow.claim_id)
        self.act("submit", "已更正发票。" if self.lang == "zh-Hans" else "Invoice corrected.")
        self.state_is("submitted", "after submitting again")

    def finance_review(self) -> None:
        self.chain_step("finance_group", "review", "reviewed", "理财小组已核实。", "Checked by the group.")

    def head_approve(self) -> None:
        self.chain_step("village_head", "approve", "village_approved", "同意。", "Approved.")

    def leader_review(self) -> None:
        self.chain_step("township_leader", "leader_review", "leader_reviewed", "审核通过。", "Reviewed.")

    def finance_post(self) -> None:
        self.chain_step("township_finance", "post", "posted", "已报账。", "Posted.")
        text = self.find("#claim-money").text
        check(bool(re.search(r"\d", text)), f"the posted claim names no journal entry: {text!r}")

    def claim_print(self) -> None:
        flow = self.flow
        self.need(flow.claim_id)
        self.get(f"/claims/{flow.claim_id}")
        self.click_link("a#claim-print", "the print link")
        check(self.path() == f"/claims/{flow.claim_id}/print", f"the print link led to {self.path()}")
        self.page_ok()
        capital = squash(self.find("#amount-capital").text)
        check(capital.startswith("人民币"), f"the capitals {capital!r} do not start with 人民币")
        expected = "人民币壹仟贰佰叁拾肆元伍角整"
        check(capital == expected, f"¥1,234.50 in capitals is {capital!r}, expected {expected}")
        signs = self.driver.find_elements(By.CSS_SELECTOR, "table#print-signatures tbody tr")
        names = [squash(r.find_elements(By.TAG_NAME, "td")[0].text) for r in signs]
        check(len(signs) >= 5, f"the signatures table has {len(signs)} rows, expected the five steps")
        check(all(names[:1]) and sum(1 for n in names if n) >= 5, f"the chain's names are missing: {names}")
        css = self.driver.execute_script(
            "return Array.from(document.styleSheets).flatMap(s => { try { return Array.from(s.cssRules) }"
            " catch (e) { return [] } }).some(r => r.media && r.media.mediaText.includes('print'))")
        check(css, "the print page has no @media print rules")

    # --- 8. the public page ------------------------------------------------------------------

    def public_village(self) -> None:
        flow = self.flow
        self.need(flow.claim_id)
        self.logout_if_needed()
        self.driver.delete_all_cookies()
        self.get(f"/public/funds/villages/{FIRST_VILLAGE}")
        if self.html_lang() != self.lang:
            self.set_language(self.lang)
        check(self.path() == f"/public/funds/villages/{FIRST_VILLAGE}", f"the public page is {self.path()}")
        self.page_ok("funds_public.spent_heading")
        check(not self.driver.find_elements(By.CSS_SELECTOR, "form#logout"), "the fresh session is logged in")
        rows = [r for r in self.driver.find_elements(By.CSS_SELECTOR, "table#spent tbody tr") if flow.token in r.text]
        check(len(rows) == 1, f"the public page lists {len(rows)} rows with the claim's purpose, expected 1")
        check("1,234.50" in rows[0].text, f"the public row does not show ¥1,234.50: {squash(rows[0].text)!r}")
        text = self.all_text()
        found = ID_PATTERN.findall(text)
        check(not found, f"the public page shows ID numbers: {found[:3]}")
        check(flow.id_number not in text, "the public page shows the caretaker's ID number")

    # --- 9. the county auditor: the self-inspection ----------------------------------------

    def inspection(self) -> None:
        self.sign_in("county_auditor")
        self.nav("/inspections")
        self.page_ok("inspection_pages.title")
        Select(self.find("#unit")).select_by_value(COUNTY)
        Select(self.find("#year")).select_by_value(str(self.shanghai_today.year))
        self.submit_form(self.find("form#inspection-choose"), "running the self-inspection")
        check(self.path() == f"/inspections/{COUNTY}/{self.shanghai_today.year}",
              f"the self-inspection led to {self.path()}")
        self.page_ok("inspection_pages.summary")
        found = []
        for row in self.driver.find_elements(By.CSS_SELECTOR, "table#inspection-rules tbody tr"):
            rule = (row.get_attribute("id") or "").removeprefix("rule-")
            count = int(squash(row.find_elements(By.CSS_SELECTOR, "td.num")[0].text) or 0)
            if count > 0:
                found.append(rule)
        planted = [r for r in PLANTED_RULES if r in found]
        check(len(planted) >= 3, f"the self-inspection finds {found}, expected at least three of {PLANTED_RULES}")
        for rule in planted:
            check(bool(self.driver.find_elements(By.CSS_SELECTOR, f"section#findings-{rule} tbody tr a[href]")),
                  f"the findings of {rule} have no evidence links")
        self.screenshot(f"{self.short}-inspection")

    def inspection_report(self) -> None:
        year = self.shanghai_today.year
        check(self.path() == f"/inspections/{COUNTY}/{year}", f"not on the inspection: {self.path()}")
        download = self.find("a#inspection-download").get_attribute("href")
        self.click_link("a#inspection-report", "the report button")
        check(self.path() == f"/inspections/{COUNTY}/{year}/report", f"the report button led to {self.path()}")
        self.page_ok()
        headings = [squash(h.text) for h in self.driver.find_elements(By.TAG_NAME, "h2")]
        for part in ("basic", "practice", "findings", "plans"):
            expected = squash(self.T(f"inspection.report.section.{part}"))
            check(expected in headings, f"the report has no part {expected!r}: {headings}")
        response = self.download(download, "html")
        disposition = response.headers.get("Content-Disposition", "")
        check("attachment" in disposition, f"the report download is no attachment: {disposition!r}")

    # --- 10. payroll -------------------------------------------------------------------------

    def contract(self) -> None:
        flow = self.flow
        self.sign_in("village_clerk")
        self.nav("/payroll")
        self.page_ok("payroll.title")
        self.click_link("a#contracts", "the contracts button")
        self.page_ok("payroll.contracts")
        self.click_link("a#contract-new", "the new contract button")
        self.page_ok("payroll.contract_title")
        self.type_into("#c-name", flow.caretaker)
        self.type_into("#c-id", flow.id_number)
        self.type_into("#c-duty", "村道保洁" if self.lang == "zh-Hans" else "Sweeping the village roads")
        self.type_into("#c-labour", "800")
        self.type_into("#c-performance", "300")
        self.type_into("#c-passbook", flow.passbook)
        self.type_into("#c-first", self.shanghai_today.strftime("%Y-%m"))
        self.find("#c-last").clear()
        self.submit_form(self.find("form#contract"), "saving the contract")
        self.fail_on_errors("saving the contract")
        check(self.path() == "/payroll/contracts", f"saving the contract led to {self.path()}")
        self.page_ok("payroll.contracts")
        self.masked("the contracts list")
        rows = self.driver.find_elements(By.CSS_SELECTOR, "table#contracts tbody tr")
        rows = [r for r in rows if flow.caretaker in r.text]
        check(len(rows) == 1, f"the contracts list shows {len(rows)} rows of {flow.caretaker}")
        check("*" in rows[0].text, f"the contract's row shows no masked number: {squash(rows[0].text)!r}")

    def masked(self, where: str) -> None:
        text = self.driver.page_source
        check(self.flow.id_number not in text, f"{where} shows the whole ID number")
        check(self.flow.passbook not in text, f"{where} shows the whole passbook number")

    def batch(self) -> None:
        flow = self.flow
        self.sign_in("township_finance")
        self.nav("/payroll")
        self.page_ok("payroll.title")
        month = self.shanghai_today.replace(day=1)
        for _ in range(36):  # the first month from now without a batch of the township
            self.get("/payroll")
            self.click_link("a#batch-new", "the new batch button")
            self.page_ok("payroll.new_batch")
            self.type_into("#b-month", month.strftime("%Y-%m"))
            self.submit_form(self.find("form#batch"), f"making the batch of {month:%Y-%m}")
            if re.fullmatch(r"/payroll/batches/\d+", self.path()):
                break
            exists = squash(self.T("payroll.error.batch_exists", month=""))[:4]
            error = squash(" ".join(e.text for e in self.driver.find_elements(By.CSS_SELECTOR, ".error")))
            check(bool(error), f"making the batch led to {self.path()} with no error")
            check(exists in error or month.strftime("%Y") in error, f"making the batch of {month:%Y-%m}: {error!r}")
            month = (month + dt.timedelta(days=32)).replace(day=1)
        check(bool(re.fullmatch(r"/payroll/batches/\d+", self.path())), f"no batch made: on {self.path()}")
        flow.batch_path = self.path()
        self.page_ok("payroll.total")
        self.masked("the draft batch")
        lines = self.driver.find_elements(By.CSS_SELECTOR, "table#lines tbody tr")
        lines = [r for r in lines if flow.caretaker in r.text]
        check(bool(lines), "the batch has no line of the new contract")
        cells = [squash(c.text) for c in lines[0].find_elements(By.TAG_NAME, "td")]
        check(len(cells) >= 3 and "*" in cells[1] and "*" in cells[2],
              f"the batch's line does not show masked ID and passbook numbers: {cells[:3]}")
        for score in self.driver.find_elements(By.CSS_SELECTOR, "input[form=scores]"):
            score.clear()
            score.send_keys("90")
        self.click_and_wait(self.find("#issue"))
        self.fail_on_errors("issuing the batch")
        self.page_ok()
        check(self.path() == flow.batch_path, f"issuing led to {self.path()}")
        shown = squash(self.find("#state").text)
        check(shown == squash(self.T("payroll.state.issued")), f"the batch shows {shown!r} after issuing")
        self.masked("the issued batch")

    def payroll_claim(self) -> None:
        flow = self.flow
        self.sign_in("village_clerk")
        self.get(flow.batch_path)
        self.page_ok("payroll.villages")
        forms = self.driver.find_elements(By.CSS_SELECTOR, 'table#villages form[action$="/claims"]')
        check(len(forms) == 1, f"the clerk is offered {len(forms)} claim drafts on the batch, expected 1")
        self.submit_form(forms[0], "drafting the batch's claim")
        self.fail_on_errors("drafting the batch's claim")
        match = re.fullmatch(r"/claims/(\d+)", self.path())
        if not match and self.path() == flow.batch_path:
            links = self.driver.find_elements(By.CSS_SELECTOR, 'table#villages a[href^="/claims/"]')
            check(bool(links), "after drafting, the batch links no claim")
            self.click_and_wait(links[0])
            match = re.fullmatch(r"/claims/(\d+)", self.path())
        check(bool(match), f"drafting the batch's claim led to {self.path()}")
        flow.payroll_claim = int(match.group(1))
        self.page_ok()
        shown = squash(self.find("#claim-state").text)
        check(shown == squash(self.T("claim_state.draft")), f"the batch's claim is {shown!r}, expected a draft")
        self.masked("the batch's claim")

    # --- run -------------------------------------------------------------------------------

    def run_language(self) -> None:
        for name, func in (
            ("language", self.language),
            ("admin-imports-next-year-factors", self.factors),
            ("admin-allocation-draft", self.allocation_draft),
            ("admin-allocation-explain", self.allocation_explain),
            ("admin-allocation-approve-publish", self.allocation_publish),
            ("admin-allocation-csv", self.allocation_csv),
            ("finance-disburse", self.disburse),
            ("finance-vouchers-csv", self.vouchers),
            ("finance-township-summary", self.summary),
            ("clerk-claim-wrong-amount", self.claim_form),
            ("clerk-claim-save", self.claim_save),
            ("clerk-claim-submit", self.claim_submit),
            ("finance-group-return", self.finance_return),
            ("clerk-claim-edit", self.claim_edit),
            ("clerk-claim-resubmit", self.claim_resubmit),
            ("finance-group-review", self.finance_review),
            ("village-head-approve", self.head_approve),
            ("leader-review", self.leader_review),
            ("township-finance-post", self.finance_post),
            ("claim-print", self.claim_print),
            ("public-village-page", self.public_village),
            ("auditor-inspection", self.inspection),
            ("auditor-inspection-report", self.inspection_report),
            ("clerk-caretaker-contract", self.contract),
            ("finance-payroll-batch-issue", self.batch),
            ("clerk-payroll-claim", self.payroll_claim),
        ):
            self.step(f"{self.short}-{name}", func)
            if self.failed:
                break


def main() -> int:
    return e2e_support.main(
        __doc__,
        FundsE2E,
        screenshots="screenshots/funds",
        temp_prefix="yunwei-e2e-funds-",
        photo="invoice-scan.png",
        timed=True,
    )


if __name__ == "__main__":
    sys.exit(main())
