#!/usr/bin/env python3
"""The form, upload and Open311 fuzzer of `scripts/fuzz` (issue 5, "Bad input"; docs/robustness.md).

Against a running Yunwei (`yunwei demo`), signed in as a few roles (county_admin,
township_finance, village_clerk, and the anonymous public):

1. crawls the signed-in pages (GET, following same-site links) and collects every <form> with
   its fields, file inputs and encoding; every crawled page counts as a request too;
2. posts each form again and again with generated values: its own values with one or several
   fields replaced by hostile ones (huge strings, unicode, control characters, negative and huge
   numbers, malformed dates and amounts), fields left out, fields sent twice, array indexes out
   of range, wrong content types (JSON, text, XML, random bytes), random bytes and oversized
   files as uploads, a hostile `idempotency_key`, and the action's path with a mutated id;
3. fuzzes Open311 GeoReport v2: the form-encoded POST of requests.{json,xml} from valid
   requests with mutated fields, and the GET filters.

Every answer must come within the time limit (10 s), never be a 5xx, and every 4xx must be
structured: an HTML page for the forms (the error page with its status and message, or the
form again with the message beside the field for a 422), the GeoReport error list in the URL's
format for Open311. A failure prints the request so it can be sent again (method, URL, content
type, body; the whole body is written to the failures folder) and the script exits 1.

    .ci/venv/bin/python scripts/fuzz_forms.py --base http://127.0.0.1:8089 --requests 4000 --seed 1

Prints one summary line `forms: N requests, M failures` (and per-route counts with -v).
"""

from __future__ import annotations

import argparse
import html.parser
import json
import os
import random
import re
import sys
import time
import urllib.parse
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import requests

PASSWORD = "demo1234"
ROLES = ("county_admin", "township_finance", "village_clerk")
# Logins the fuzzer uses (and the demo's other well-known ones): their password, grants and
# enabled state are never posted to, so the run keeps its sessions.
PROTECTED_USERS = ROLES + ("county_auditor", "township_leader", "finance_group", "village_head")
OPEN311_KEY = "demo-open311-key"
COUNTY = "510121000000"
VILLAGE = "510121100001"
LIMIT_SECONDS = 10.0
OVERSIZED = 33 * 1024 * 1024  # over the largest body any route takes (32 MB)
MAX_QUERY_VALUE = 4000  # characters of one query parameter (GET forms)

# Paths never posted to: signing out ends the session the run needs.
SKIP_POST = re.compile(r"^/logout$")
SKIP_GET = re.compile(r"^/logout$|^/open311/v2/|\.(png|jpe?g|gif|webp|ico|css|js)$")


@dataclass
class Form:
    page: str
    action: str
    method: str
    enctype: str
    fields: list = field(default_factory=list)  # (name, kind, value, options)
    files: list = field(default_factory=list)  # names of <input type=file>
    role: str = ""

    def shape(self) -> tuple:
        names = tuple(sorted({f[0] for f in self.fields} | set(self.files)))
        return (self.method, shape_of(self.action), names)


def shape_of(path: str) -> str:
    """/claims/123/actions -> /claims/N/actions: one crawl and one form per kind of page."""
    path = urllib.parse.urlsplit(path).path
    return re.sub(r"/\d+(?=/|$)", "/N", re.sub(r"/[0-9a-f]{32,}(?=/|$)", "/H", path))


class PageParser(html.parser.HTMLParser):
    """The links and forms of one page."""

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.links: list[str] = []
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.select: list | None = None
        self.textarea: list | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            action = urllib.parse.urljoin(self.page, a.get("action") or self.page)
            self.form = Form(
                page=self.page,
                action=action,
                method=(a.get("method") or "get").lower(),
                enctype=(a.get("enctype") or "application/x-www-form-urlencoded").lower(),
            )
            self.forms.append(self.form)
        elif self.form is None:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text").lower()
            if kind == "file":
                self.form.files.append(a["name"])
            elif kind in ("checkbox", "radio") and "checked" not in a:
                self.form.fields.append((a["name"], kind + "-off", a.get("value", "on"), None))
            elif kind not in ("submit", "button", "image", "reset"):
                self.form.fields.append((a["name"], kind, a.get("value", ""), None))
        elif tag == "select" and a.get("name"):
            self.select = [a["name"], []]
        elif tag == "option" and self.select is not None:
            self.select[1].append(a.get("value", ""))
        elif tag == "textarea" and a.get("name"):
            self.textarea = [a["name"], ""]
        elif tag == "button" and a.get("name"):
            self.form.fields.append((a["name"], "button", a.get("value", ""), None))

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select" and self.select is not None and self.form is not None:
            options = [o for o in self.select[1]]
            self.form.fields.append((self.select[0], "select", options[0] if options else "", options))
            self.select = None
        elif tag == "textarea" and self.textarea is not None and self.form is not None:
            self.form.fields.append((self.textarea[0], "textarea", self.textarea[1], None))
            self.textarea = None


class Fuzzer:
    def __init__(self, base: str, budget: int, seed: int, failures_dir: str, verbose: bool, max_upload: int):
        self.base = base.rstrip("/")
        self.max_upload = max_upload
        self.budget = budget
        self.rng = random.Random(seed)
        self.seed = seed
        self.failures_dir = failures_dir
        self.verbose = verbose
        self.count = 0
        self.by_route: Counter = Counter()
        self.statuses: Counter = Counter()
        self.failures: list[str] = []
        self.warnings: Counter = Counter()
        self.slowest = (0.0, "")
        self.sessions: dict[str, requests.Session] = {}
        self.csrf: dict[str, str] = {}

    # --- sending and judging ---------------------------------------------------------------

    def send(self, who: str, method: str, url: str, kind: str, route: str, **kwargs) -> requests.Response | None:
        """Sends one request as `who` and judges the answer; kind is html, open311-json or
        open311-xml (what a 4xx must look like)."""
        session = self.sessions[who]
        self.count += 1
        self.by_route[f"{method} {route}"] += 1
        started = time.monotonic()
        response = None
        for attempt in range(3):
            try:
                response = session.request(method, url, timeout=LIMIT_SECONDS + 5, allow_redirects=False, **kwargs)
                break
            except requests.ConnectionError as error:
                # A kept-alive connection the server closed after refusing an oversized body
                # (413 before reading it) fails the next request on it: that one is sent again on
                # a new connection. An oversized body itself may be cut off while it is sent.
                if self.oversized(kwargs) and self.alive():
                    self.statuses["cut off"] += 1
                    return None
                if attempt < 2 and "timed out" not in str(error).lower():
                    session.close()
                    time.sleep(0.2)
                    started = time.monotonic()
                    continue
                self.fail(who, method, url, kwargs, f"no answer: {error}")
                return None
            except requests.RequestException as error:
                self.fail(who, method, url, kwargs, f"no answer within {LIMIT_SECONDS + 5:.0f} s: {error}")
                return None
        elapsed = time.monotonic() - started
        if elapsed > self.slowest[0]:
            self.slowest = (elapsed, f"{method} {route}")
        self.statuses[response.status_code // 100 * 100] += 1
        problem = None
        if elapsed > LIMIT_SECONDS:
            problem = f"took {elapsed:.1f} s"
        elif response.status_code >= 500:
            problem = f"answered {response.status_code}"
        elif 400 <= response.status_code < 500:
            problem = self.unstructured(response, kind)
        if problem == "WARN":
            self.warnings[f"{method} {route}"] += 1
        elif problem:
            self.fail(who, method, url, kwargs, problem, response)
        return response

    @staticmethod
    def oversized(kwargs) -> bool:
        files = kwargs.get("files") or []
        return any(len(f[1][1]) >= OVERSIZED for f in files)

    def alive(self) -> bool:
        try:
            return requests.get(f"{self.base}/healthz", timeout=10).status_code == 200
        except requests.RequestException:
            return False

    @staticmethod
    def unstructured(response: requests.Response, kind: str) -> str | None:
        """Why a 4xx answer is not the structured one its kind promises, or None."""
        ctype = response.headers.get("Content-Type", "")
        status = response.status_code
        if kind == "open311-json":
            try:
                body = response.json()
            except ValueError:
                return f"{status} with a body that is not JSON ({ctype})"
            ok = (
                isinstance(body, list)
                and body
                and all(isinstance(e, dict) and e.get("code") == status and isinstance(e.get("description"), str)
                        for e in body)
            )
            return None if ok else f"{status} without the GeoReport error list: {response.text[:200]!r}"
        if kind == "open311-xml":
            text = response.text
            ok = "xml" in ctype and "<errors>" in text and f"<code>{status}</code>" in text
            return None if ok else f"{status} without the GeoReport XML errors: {text[:200]!r}"
        # An HTML page: the error page (status line and message) or a form shown again with
        # its messages (422).
        if "text/html" not in ctype:
            return f"{status} answered {ctype or 'no content type'}, not an HTML page"
        text = response.text
        if 'class="status"' in text and 'class="error"' in text:
            return None
        if re.search(r'class="[^"]*\berror\b', text):
            return None
        if status == 422 and "<main" in text:
            return "WARN"  # the form again, but without a message beside a field
        squashed = re.sub(r"\s+", " ", text)[:300]
        return f"{status} HTML page without a message: {squashed!r}"

    def fail(self, who, method, url, kwargs, problem, response=None) -> None:
        number = len(self.failures) + 1
        os.makedirs(self.failures_dir, exist_ok=True)
        dump = os.path.join(self.failures_dir, f"failure-{number}.txt")
        body = kwargs.get("data")
        files = kwargs.get("files")
        headers = kwargs.get("headers") or {}
        with open(dump, "w", encoding="utf-8", errors="replace") as out:
            out.write(f"{method} {url}\nas: {who}\nheaders: {headers}\nproblem: {problem}\n")
            out.write(f"data: {body!r}\n")
            if kwargs.get("params") is not None:
                out.write(f"params: {kwargs['params']!r}\n")
            if files:
                out.write("files: " + repr([(n, f[0], len(f[1]), f[2] if len(f) > 2 else "") for n, f in files]) + "\n")
            if response is not None:
                out.write(f"\n--- answer {response.status_code} {response.headers.get('Content-Type')}\n")
                out.write(response.text[:5000])
        shown = repr(body)
        if len(shown) > 400:
            shown = shown[:400] + f"… ({len(shown)} characters, whole in {dump})"
        if kwargs.get("params") is not None:
            shown = repr(kwargs["params"])[:400]
        line = f"FAIL  {method} {url} as {who}: {problem}\n      headers {headers} data {shown}"
        if files:
            line += "\n      files " + repr([(n, f[0], len(f[1])) for n, f in files])
        line += f"\n      (request {self.count}, --seed {self.seed}; {dump})"
        print(line, flush=True)
        self.failures.append(line)

    # --- sessions ------------------------------------------------------------------------------

    def sign_in(self, who: str) -> None:
        session = requests.Session()
        session.headers["Accept-Language"] = self.rng.choice(["zh-Hans", "en"])
        self.sessions[who] = session
        page = session.get(f"{self.base}/login", timeout=30)
        csrf = re.search(r'name="_csrf" value="([^"]+)"', page.text).group(1)
        self.csrf[who] = csrf
        if who == "public":
            return
        answer = session.post(
            f"{self.base}/login", data={"username": who, "password": PASSWORD, "_csrf": csrf},
            allow_redirects=False, timeout=30)
        if answer.status_code not in (302, 303):
            sys.exit(f"fuzz: could not sign in as {who}: {answer.status_code}")
        # A new session may come with a new token: read it from a signed-in page.
        page = session.get(f"{self.base}/", timeout=30)
        found = re.search(r'name="_csrf" value="([^"]+)"', page.text)
        if found:
            self.csrf[who] = found.group(1)

    def still_signed_in(self, who: str) -> None:
        if who == "public":
            return
        answer = self.sessions[who].get(f"{self.base}/account", timeout=30, allow_redirects=False)
        if answer.status_code in (302, 303, 401, 403):
            print(f"note  {who} was signed out (by a fuzzed request); signing in again", flush=True)
            self.sign_in(who)

    # --- crawling ----------------------------------------------------------------------------

    def crawl(self, who: str, max_pages: int) -> list[Form]:
        seeds = ["/", "/account", "/claims", "/cases", "/report", "/track", "/allocations", "/ledger", "/payroll",
                 "/units", "/users", "/categories", "/imports", "/open311/clients", "/audit", "/stats",
                 "/inspections", "/public"]
        queue = [self.base + s for s in seeds]
        seen_urls: set[str] = set()
        per_shape: Counter = Counter()
        forms: list[Form] = []
        pages = 0
        while queue and pages < max_pages:
            url = queue.pop(0)
            if url in seen_urls:
                continue
            seen_urls.add(url)
            path = urllib.parse.urlsplit(url).path
            shape = shape_of(url)
            if SKIP_GET.search(path) or per_shape[shape] >= 2:
                continue
            per_shape[shape] += 1
            pages += 1
            response = self.send(who, "GET", url, "html", shape)
            if response is None or response.status_code != 200:
                continue
            if "text/html" not in response.headers.get("Content-Type", ""):
                continue
            parser = PageParser(url)
            try:
                parser.feed(response.text)
            except Exception:  # noqa: BLE001 - a page the parser chokes on still had its request judged
                continue
            for form in parser.forms:
                form.role = who
                forms.append(form)
            for href in parser.links:
                target = urllib.parse.urljoin(url, href).split("#")[0]
                if target.startswith(self.base + "/") and target not in seen_urls:
                    queue.append(target)
        return forms

    # --- generated values --------------------------------------------------------------------

    def hostile(self) -> str:
        r = self.rng
        choices = [
            "", " ", "0", "-1", "-0", "+1", "1.5", "-0.01", "0.001", "1e309", "-1e309", "NaN", "Infinity",
            "9" * 19, "9" * 40, "-" + "9" * 19, "18446744073709551616", "2147483648", "-2147483649",
            "¥1,000.00", "1,000", "１２３", "一千", "12.345", " 12 ", "0x10", "1_000", "٣", "1/2",
            "2026-13-45", "2026-02-30", "0000-00-00", "9999-12-31", "-2026-01-01", "2026-1-1",
            "2026-01-01T25:61:00", "20260101", "2026年1月1日", "yesterday", "1970-01-01", "10000-01-01",
            "null", "true", "[]", "{}", "\x00", "a\x00b", "\r\n", "\t", "\u202e\u0645", "\ufeff", "\ud7ff",
            "😀" * r.randint(1, 300), "中" * r.randint(1, 6000), "x" * r.randint(256, 200_000),
            "<script>alert(1)</script>", "'; DROP TABLE users; --", "' OR '1'='1", "%00", "%", "%%41",
            "../../../../etc/passwd", "${jndi:x}", "{{7*7}}", "#(7)", "\\", '"', "&amp;", "\u0000\u0001\u001f",
            "510121100201", "510121101201", "510121100000", "510121000000", "999999999999", "51012110020",
            "5101211002011", "abcdefghijkl", "A" * 12, "-510121100201", "FAC-ROAD", "fac-road", "R1",
            str(r.randint(-10**12, 10**12)), str(r.random() * 10**r.randint(0, 20)), uuid.uuid4().hex,
            "".join(chr(r.randint(1, 0x2FFF)) for _ in range(r.randint(1, 80))),
            "".join(chr(r.randint(0xD800 - 200, 0xD7FF)) for _ in range(20)),
            bytes(r.randint(0, 255) for _ in range(r.randint(1, 64))).decode("latin-1"),
        ]
        return r.choice(choices)

    def plausible(self, name: str, kind: str, value: str, options) -> str:
        r = self.rng
        if options:
            return r.choice(options)
        if value and kind not in ("text", "textarea") or (value and r.random() < 0.7):
            return value
        lowered = name.lower()
        if kind == "date" or "date" in lowered or lowered.endswith("_on"):
            return f"2026-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}"
        if kind == "month" or "month" in lowered:
            return f"2026-{r.randint(1, 12):02d}"
        if kind == "number" or any(w in lowered for w in ("amount", "yuan", "fen", "year", "weight", "score",
                                                          "count", "area", "pool", "base", "wage")):
            return str(r.choice([1, 12, 100, 1234, r.randint(0, 100000)]))
        if "code" in lowered or "village" in lowered or "unit" in lowered:
            return r.choice(["510121100201", "510121100001", "510121100000", "510121101201"])
        if "phone" in lowered:
            return r.choice(["13800138000", "12345", "138001380001"])
        if "username" in lowered:
            return "fuzz" + uuid.uuid4().hex[:8]
        return r.choice(["村道路灯维修", "fuzz", "测试说明，五个字以上", "Road lamp repair"])

    def fill(self, form: Form) -> list[tuple[str, str]]:
        pairs = []
        for name, kind, value, options in form.fields:
            if kind.endswith("-off") and self.rng.random() < 0.5:
                continue
            if name == "_csrf":
                pairs.append((name, self.csrf.get(form.role, value)))
            elif name == "idempotency_key":
                pairs.append((name, str(uuid.uuid4())))
            else:
                pairs.append((name, self.plausible(name, kind, value, options)))
        return pairs

    def upload(self, big: bool = False) -> tuple:
        r = self.rng
        if big:
            return (r.choice(["big.jpg", "big.pdf"]), os.urandom(OVERSIZED), "image/jpeg")
        size = r.choice([0, 1, 16, 1024, 64 * 1024, self.max_upload])
        data = bytes(r.getrandbits(8) for _ in range(min(size, 4096))) + os.urandom(max(0, size - 4096))
        if r.random() < 0.3:
            data = b"\x89PNG\r\n\x1a\n" + data  # looks like a picture, is not one
        elif r.random() < 0.2:
            data = b"\xff\xd8\xff\xe0" + data
        name = r.choice(["scan.jpg", "invoice.pdf", "a.png", "../../etc/passwd", "中文.jpeg", "", "x" * 300,
                         "evil.php", "no-extension", "a.jpg\x00.exe", "units.csv"])
        ctype = r.choice(["image/jpeg", "image/png", "application/pdf", "text/plain", "application/octet-stream",
                          "", "text/csv", "image/svg+xml"])
        return (name, data, ctype)

    # --- mutating one form ------------------------------------------------------------------------

    def mutated(self, form: Form) -> tuple[str, dict, str]:
        """One generated request for `form`: (url, requests kwargs, what was done)."""
        r = self.rng
        url = form.action
        pairs = self.fill(form)
        names = [n for n, _ in pairs if n not in ("_csrf",)]
        files = []
        strategy = r.choice(["one", "one", "one", "several", "all", "missing", "duplicate", "index", "ctype",
                             "upload", "idempotency", "path", "empty"])
        headers: dict[str, str] = {}
        if strategy == "one" and names:
            target = r.choice(names)
            pairs = [(n, self.hostile() if n == target else v) for n, v in pairs]
        elif strategy == "several" and names:
            targets = set(r.sample(names, r.randint(1, len(names))))
            pairs = [(n, self.hostile() if n in targets else v) for n, v in pairs]
        elif strategy == "all":
            pairs = [(n, v if n == "_csrf" else self.hostile()) for n, v in pairs]
        elif strategy == "missing" and names:
            gone = set(r.sample(names, r.randint(1, len(names))))
            pairs = [(n, v) for n, v in pairs if n not in gone]
        elif strategy == "duplicate" and names:
            for name in r.sample(names, r.randint(1, min(3, len(names)))):
                pairs.append((name, self.hostile()))
        elif strategy == "index":
            extra = r.choice(["rows[99999999][amount]", "rows[-1][amount]", "rows[][amount]", "rows[x]",
                              "rows[0][0][0][0][0][0][0][0]", "a[" * 50 + "]" * 50, "rows", "rows[0]",
                              "scores[999999]", "attribute[]", "items[1e9]", "[]", "]", "rows[0][amount][]"])
            renamed = []
            for n, v in pairs:
                if "[" in n and r.random() < 0.5:
                    n = re.sub(r"\[\d+\]", "[" + r.choice(["99999999", "-1", "", "abc", "0x1"]) + "]", n)
                renamed.append((n, v))
            pairs = renamed + [(extra, self.hostile())]
        elif strategy == "idempotency":
            pairs = [(n, v) for n, v in pairs if n != "idempotency_key"]
            pairs.append(("idempotency_key", r.choice(["", " ", "x" * 256, "x" * 10000, "中文", "a\x00b", "\x7f",
                                                       "a b", "k" + "😀", str(uuid.uuid4())])))
        elif strategy == "path":
            replacement = r.choice(["0", "-1", "abc", "99999999999999999999", "1.5", "%00", "中", "1e3",
                                    "9223372036854775807", "9223372036854775808", "..", "510121101201", "x" * 300])
            parts = urllib.parse.urlsplit(url)
            segments = parts.path.split("/")
            candidates = [i for i, s in enumerate(segments) if re.fullmatch(r"\d+|[0-9a-f]{32,}|[A-Za-z0-9_-]+", s)
                          and i > 1]
            if candidates:
                segments[r.choice(candidates)] = urllib.parse.quote(replacement, safe="")
            url = urllib.parse.urlunsplit((parts.scheme, parts.netloc, "/".join(segments), parts.query, ""))
        elif strategy == "empty":
            pairs = [(n, v) for n, v in pairs if n == "_csrf"]

        if strategy == "ctype":
            headers["X-CSRF-Token"] = self.csrf.get(form.role, "")
            choice = r.choice(["json", "json-bad", "text", "xml", "bytes", "multipart-lie", "urlencoded-bytes",
                               "form-no-ctype", "gzip-lie"])
            if choice == "json":
                headers["Content-Type"] = "application/json"
                body = json.dumps({n: r.choice([v, 1, -1, None, [], {}, 10**30, True]) for n, v in pairs})
            elif choice == "json-bad":
                headers["Content-Type"] = "application/json"
                body = r.choice(["{", "[1,2", "null", '"x"', "{\"amount\": 1e999}", "\x00\x01", "[]" * 1000])
            elif choice == "text":
                headers["Content-Type"] = "text/plain"
                body = urllib.parse.urlencode(pairs)
            elif choice == "xml":
                headers["Content-Type"] = "application/xml"
                body = "<?xml version='1.0'?><!DOCTYPE a [<!ENTITY x SYSTEM 'file:///etc/passwd'>]><a>&x;</a>"
            elif choice == "bytes":
                headers["Content-Type"] = r.choice(["application/octet-stream", "image/jpeg"])
                body = os.urandom(r.randint(0, 100_000))
            elif choice == "multipart-lie":
                headers["Content-Type"] = "multipart/form-data; boundary=" + r.choice(["xyz", "", "-" * 80])
                body = urllib.parse.urlencode(pairs)
            elif choice == "urlencoded-bytes":
                headers["Content-Type"] = "application/x-www-form-urlencoded"
                body = urllib.parse.urlencode(pairs).encode() + b"&" + os.urandom(r.randint(1, 2000))
            elif choice == "gzip-lie":
                headers["Content-Type"] = "application/x-www-form-urlencoded"
                headers["Content-Encoding"] = "gzip"
                body = urllib.parse.urlencode(pairs)
            else:
                body = urllib.parse.urlencode(pairs)
            return url, {"data": body, "headers": headers}, f"{strategy}:{choice}"

        multipart = form.enctype.startswith("multipart") or (form.files and r.random() < 0.5)
        if form.files or multipart:
            for name in form.files:
                if strategy == "upload" or r.random() < 0.5:
                    for _ in range(r.choice([1, 1, 2, 7])):
                        files.append((name, self.upload()))
            if strategy == "upload" and r.random() < 0.03:
                files.append((r.choice(form.files or ["file"]), self.upload(big=True)))
        if strategy == "upload" and not form.files and r.random() < 0.5:
            files.append(("file", self.upload()))
        if files or multipart:
            if not files:
                files.append(("_", ("", b"", "application/octet-stream")))
            return url, {"data": pairs, "files": files}, strategy
        if form.method == "get":
            # The HTTP parser closes the connection on a request head over 80 KB, before Yunwei
            # sees it: query strings stay below that.
            return url, {"params": [(n, v[:MAX_QUERY_VALUE]) for n, v in pairs]}, strategy
        return url, {"data": pairs}, strategy

    def protected(self, form: Form) -> bool:
        path = urllib.parse.urlsplit(form.action).path
        if SKIP_POST.search(path) or path.startswith("/open311/v2/"):
            return True
        if path == "/account/password":
            return True  # the fuzzer's own password
        return any(re.search(rf"/users/{u}(/|$)", path) for u in PROTECTED_USERS)

    # --- Open311 -------------------------------------------------------------------------------

    def open311(self, budget: int) -> None:
        base = f"{self.base}/open311/v2"
        session = self.sessions.setdefault("open311", requests.Session())
        services = session.get(f"{base}/services.json", timeout=30).json()
        codes = [s["service_code"] for s in services] or ["FAC-ROAD"]
        attributes: dict[str, list] = {}
        for code in codes[:20]:
            definition = session.get(f"{base}/services/{code}.json", timeout=30).json()
            attributes[code] = definition.get("attributes", [])
        r = self.rng
        for number in range(budget):
            ext = r.choice(["json", "json", "xml"])
            kind = f"open311-{ext}"
            if number % 4 == 3:
                params = self.open311_filters()
                route = f"/open311/v2/requests.{ext}"
                path = r.choice([f"requests.{ext}", f"requests.{ext}", f"services.{ext}", f"discovery.{ext}",
                                 f"services/{r.choice(codes + [self.hostile()[:50]])}.{ext}",
                                 f"requests/{r.choice(['1', '-1', '0', 'abc', '9' * 30, self.hostile()[:40]])}.{ext}"])
                url = f"{base}/{urllib.parse.quote(path, safe='/.')}"
                route = "/open311/v2/" + shape_of(path).split("/")[0]
                self.send("open311", "GET", url, kind, route, params=params)
                continue
            code = r.choice(codes)
            pairs = [("api_key", OPEN311_KEY), ("jurisdiction_id", COUNTY), ("service_code", code),
                     ("attribute[village]", r.choice(["510121100201", "510121100001", "510121101201"])),
                     ("lat", "30.657421"), ("long", "104.065735"),
                     ("description", "村口水泥路塌陷，约两米宽"), ("first_name", "张"), ("last_name", "三"),
                     ("phone", "13800138000"), ("email", "a@example.org")]
            for attribute in attributes.get(code, []):
                if attribute.get("code") == "village":
                    continue
                values = attribute.get("values") or []
                value = r.choice(values)["key"] if values else r.choice(["12", "text", "3.5"])
                pairs.append((f"attribute[{attribute['code']}]", str(value)))
            strategy = r.choice(["one", "one", "several", "missing", "duplicate", "extra", "ctype", "key"])
            names = [n for n, _ in pairs]
            if strategy == "one":
                target = r.choice(names)
                pairs = [(n, self.hostile() if n == target else v) for n, v in pairs]
            elif strategy == "several":
                targets = set(r.sample(names, r.randint(2, len(names))))
                pairs = [(n, self.hostile() if n in targets else v) for n, v in pairs]
            elif strategy == "missing":
                gone = set(r.sample(names, r.randint(1, len(names))))
                pairs = [(n, v) for n, v in pairs if n not in gone]
            elif strategy == "duplicate":
                pairs += [(n, self.hostile()) for n in r.sample(names, r.randint(1, 3))]
            elif strategy == "extra":
                pairs += [(r.choice(["attribute[]", "attribute[x][y]", "attribute", "attribute[" * 30,
                                     "address_string", "address_id", "media_url", "account_id", "device_id",
                                     f"attribute[{self.hostile()[:30]}]"]), self.hostile())]
            elif strategy == "key":
                pairs = [(n, r.choice(["", "wrong", "x" * 5000, "demo-open311-key ", "DEMO-OPEN311-KEY"])
                          if n == "api_key" else v) for n, v in pairs]
            kwargs: dict = {"data": pairs}
            if strategy == "ctype":
                kwargs = {"data": r.choice([json.dumps(dict(pairs)), os.urandom(500), "a=%zz&b=%", "&&&==&"]),
                          "headers": {"Content-Type": r.choice(["application/json", "text/plain", "multipart/form-data",
                                                                "application/x-www-form-urlencoded", "image/png"])}}
            self.send("open311", "POST", f"{base}/requests.{ext}", kind, f"/open311/v2/requests.{ext}", **kwargs)

    def open311_filters(self) -> list:
        r = self.rng
        pairs = []
        for name in r.sample(["service_request_id", "service_code", "status", "start_date", "end_date", "page",
                              "page_size", "jurisdiction_id"], r.randint(0, 5)):
            good = {
                "service_request_id": "1,2,3", "service_code": "FAC-ROAD", "status": "open,closed",
                "start_date": "2026-01-01T00:00:00+08:00", "end_date": "2026-02-01", "page": "2",
                "page_size": "10", "jurisdiction_id": COUNTY,
            }[name]
            pairs.append((name, good if r.random() < 0.4 else self.hostile()[:3000]))
        return pairs

    # --- the run -----------------------------------------------------------------------------

    def run(self, max_pages: int) -> int:
        started = time.monotonic()
        for who in ROLES + ("public",):
            self.sign_in(who)
        forms: dict[tuple, Form] = {}
        for who in ROLES + ("public",):
            for form in self.crawl(who, max_pages):
                forms.setdefault(form.shape(), form)
        crawled = self.count
        targets = [f for f in forms.values() if not self.protected(f)]
        print(f"forms: crawled {crawled} pages as {', '.join(ROLES)} and the public; "
              f"{len(targets)} distinct forms to fuzz", flush=True)
        open311_budget = max(50, (self.budget - crawled) // 6)
        self.open311(open311_budget)
        remaining = max(0, self.budget - self.count)
        per_form = max(1, remaining // max(1, len(targets)))
        for index, form in enumerate(targets):
            for _ in range(per_form):
                url, kwargs, strategy = self.mutated(form)
                method = "GET" if form.method == "get" else "POST"
                self.send(form.role, method, url, "html", shape_of(form.action), **kwargs)
            if index % 5 == 4:
                for who in ROLES:
                    self.still_signed_in(who)
        elapsed = time.monotonic() - started
        if self.verbose:
            for route, n in sorted(self.by_route.items()):
                print(f"      {n:5d}  {route}")
        statuses = ", ".join(f"{k // 100}xx: {v}" if isinstance(k, int) else f"{k}: {v}"
                             for k, v in sorted(self.statuses.items(), key=lambda kv: str(kv[0])))
        print(f"forms: {self.count} requests in {elapsed:.0f} s ({statuses}); {len(self.by_route)} routes; "
              f"slowest {self.slowest[0]:.2f} s ({self.slowest[1]})", flush=True)
        for route, n in sorted(self.warnings.items()):
            print(f"warn  {route}: {n} answers 422 without a message beside a field", flush=True)
        print(f"forms: {self.count - len(self.failures)} passed, {len(self.failures)} failed", flush=True)
        return 1 if self.failures else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", required=True, help="the server, e.g. http://127.0.0.1:8089")
    parser.add_argument("--requests", type=int, default=4000, help="about how many requests to send")
    parser.add_argument("--pages", type=int, default=120, help="at most this many pages crawled per role")
    parser.add_argument("--seed", type=int, default=int(time.time()) % 100000)
    parser.add_argument("--failures", default="fuzz-failures", help="folder for the failing requests' bodies")
    parser.add_argument("--max-upload", type=int, default=256 * 1024,
                        help="the largest random upload in bytes (beside the oversized ones); the debug build "
                             "decodes a multipart body at about 4 s a megabyte")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    print(f"forms: {args.base}, about {args.requests} requests, --seed {args.seed}", flush=True)
    return Fuzzer(args.base, args.requests, args.seed, args.failures, args.verbose, args.max_upload).run(args.pages)


if __name__ == "__main__":
    sys.exit(main())
