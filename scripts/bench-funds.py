#!/usr/bin/env python3
"""Fills a large demo county with ten years of subsidy-fund bookkeeping, then times the fund's
heaviest reads against the running server.

    # 1. a big county: yunwei demo --scale 100 (12,000 villages), then stop it, and
    #    start `yunwei serve` on the same database (release build)
    # 2. fill (once): the year's allocation through the API, then ~10 million ledger lines
    .ci/venv/bin/python scripts/bench-funds.py fill --base http://127.0.0.1:8095 --sqlite /tmp/scale/yunwei-demo.sqlite
    .ci/venv/bin/python scripts/bench-funds.py fill --base http://127.0.0.1:8095 --postgres postgres://yunwei:yunwei@127.0.0.1:5432/yunwei_bench
    # 3. time
    .ci/venv/bin/python scripts/bench-funds.py time --base http://127.0.0.1:8095 [--repeat 20]

What `fill` writes, per village (12,000 at scale 100):
- the current fund year, as the application writes it: the allocation by factors (made and
  approved through `POST /api/v1/allocations`), its pool funding, two disbursements 拨付
  (March and July, half the allocated amount each), and ten claims 报账 with one or two
  invoices each, posted through the whole chain (draft, submit, review, approve, leader review,
  post, each by a different person), with their ledger entries;
- nine earlier years of ledger entries only (two disbursements and twenty claim postings a
  year), so the ledger holds about 10 million lines and a statement's opening balance has a
  long history to sum.

Rows are written directly (COPY on PostgreSQL, one transaction on SQLite) in the shapes
`LedgerBook`, `DisbursementDesk` and `ClaimDesk` write, so that `yunwei verify`-style checks
(balanced entries, reservations) hold. `time` then asks, as the county admin, for a village
statement (API and page), a township summary (API and page), and the county-year
self-inspection, and prints the median and slowest of `--repeat` requests.
"""
import argparse
import csv
import datetime as dt
import io
import json
import random
import re
import sqlite3
import statistics
import subprocess
import sys
import time

import functools

import requests

print = functools.partial(print, flush=True)  # progress shows when piped

PASSWORD = "demo1234"
CATEGORIES = ["infrastructure", "agriculture", "life", "social", "labour"]
CATEGORY_WEIGHTS = [40, 10, 35, 10, 5]
EXPENSE = {
    "infrastructure": ("expense_infrastructure", "55101"),
    "agriculture": ("expense_agriculture", "55102"),
    "life": ("expense_life", "55103"),
    "social": ("expense_social", "55104"),
    "labour": ("expense_labour", "55105"),
}
PURPOSES = {
    "infrastructure": ["村道坑洼修补", "排水沟清淤", "路灯更换", "便民桥护栏维修"],
    "agriculture": ["灌溉渠防渗修补", "提灌站水泵检修", "田间道路平整"],
    "life": ["垃圾清运", "公厕保洁", "饮水管网维修", "垃圾桶更换"],
    "social": ["活动室设施维护", "文化广场照明维修", "农家书屋桌椅更换"],
    "labour": ["临时保洁劳务", "道路清扫劳务"],
}
ISSUERS = ["金堂县兴隆建材经营部", "成都市青白江区顺达农机维修部", "金堂县洁美环卫服务部", "金堂县宏发五金店",
           "成都市新都区利民水电安装部"]
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


# MARK: the database

class Writer:
    """Bulk rows into SQLite (one transaction) or PostgreSQL (psql \\copy)."""

    def __init__(self, sqlite_path=None, postgres_url=None):
        self.sqlite = sqlite3.connect(sqlite_path, isolation_level=None) if sqlite_path else None
        self.postgres = postgres_url
        if self.sqlite:
            self.sqlite.execute("PRAGMA busy_timeout = 60000")

    def begin(self):
        if self.sqlite:
            self.sqlite.execute("BEGIN IMMEDIATE")

    def query(self, sql):
        if self.sqlite:
            return self.sqlite.execute(sql).fetchall()
        out = subprocess.run(["psql", self.postgres, "-At", "-F", "\t", "-c", sql], check=True,
                             capture_output=True, text=True).stdout
        return [tuple(line.split("\t")) for line in out.splitlines() if line]

    def time(self, instant):
        return instant.timestamp() if self.sqlite else instant.strftime("%Y-%m-%d %H:%M:%S+00")

    def copy(self, table, columns, rows):
        if self.sqlite:
            marks = ", ".join("?" for _ in columns)
            self.sqlite.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)
            return
        process = subprocess.Popen(
            ["psql", self.postgres, "-q", "-v", "ON_ERROR_STOP=1", "-c",
             f"\\copy {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv)"],
            stdin=subprocess.PIPE, text=True)
        buffer = io.StringIO()
        out = csv.writer(buffer)
        for count, row in enumerate(rows, 1):
            out.writerow(["" if value is None else value for value in row])
            if count % 50000 == 0:
                process.stdin.write(buffer.getvalue())
                buffer.seek(0)
                buffer.truncate()
        process.stdin.write(buffer.getvalue())
        process.stdin.close()
        if process.wait() != 0:
            sys.exit(f"COPY into {table} failed")

    def finish(self, tables):
        if self.sqlite:
            self.sqlite.execute("COMMIT")
            self.sqlite.execute("ANALYZE")
            return
        for table in tables:
            self.query(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")
        self.query("ANALYZE")

    def next_id(self, table):
        return int(self.query(f"SELECT COALESCE(MAX(id), 0) FROM {table}")[0][0]) + 1


# MARK: the API

def token(base, username):
    response = requests.post(f"{base}/api/v1/tokens", json={"username": username, "password": PASSWORD})
    if response.status_code not in (200, 201):
        sys.exit(f"could not get a token for {username}: {response.status_code} {response.text[:200]}")
    return {"Authorization": f"Bearer {response.json()['token']}"}


def signed_in(base, username):
    session = requests.Session()
    page = session.get(f"{base}/login")
    csrf = re.search(r'name="_csrf" value="([^"]+)"', page.text).group(1)
    response = session.post(f"{base}/login", data={"username": username, "password": PASSWORD, "_csrf": csrf},
                            allow_redirects=False)
    if response.status_code != 303:
        sys.exit(f"could not sign in as {username}: {response.status_code}")
    return session


def allocation(base, db, year, villages):
    """The year's approved allocation, made through the API if there is none."""
    found = db.query(f"SELECT id FROM allocations WHERE year = {year} AND status IN ('approved', 'published') "
                     "ORDER BY version DESC LIMIT 1")
    if found:
        return int(found[0][0])
    headers = token(base, "county_admin")
    pool = len(villages) * 3_000_000  # ¥30,000 a village
    body = {"year": year, "pool": pool, "base": 1_000_000,
            "weights": {"population": 0.4, "area": 0.2, "location": 0.15, "income": 0.15, "performance": 0.1}}
    started = time.perf_counter()
    response = requests.post(f"{base}/api/v1/allocations", json=body, headers=headers)
    if response.status_code != 201:
        sys.exit(f"allocation refused: {response.status_code} {response.text[:300]}")
    made = response.json()
    approved = requests.post(f"{base}/api/v1/allocations/{made['id']}/approve", headers=headers)
    if approved.status_code != 200:
        sys.exit(f"approval refused: {approved.status_code} {approved.text[:300]}")
    print(f"allocation {made['id']} over {len(villages)} villages made and approved through the API in "
          f"{time.perf_counter() - started:.1f} s")
    return int(made["id"])


# MARK: fill

def fill(args):
    db = Writer(args.sqlite, args.postgres)
    rng = random.Random(20261129)
    county_id, county_code = db.query("SELECT id, code FROM units WHERE kind = 'county' ORDER BY id LIMIT 1")[0]
    county_id = int(county_id)
    units = {int(row[0]): row for row in db.query("SELECT id, code, path, kind FROM units")}
    villages = [(int(row[0]), row[1], row[2]) for row in db.query(
        "SELECT id, code, path FROM units WHERE kind = 'village' ORDER BY code")]
    code_to_id = {row[1]: uid for uid, row in units.items()}
    users = {row[1]: int(row[0]) for row in db.query("SELECT id, username FROM users")}
    chain = [users[name] for name in ["village_clerk", "finance_group", "village_head", "township_leader",
                                      "township_finance"]]
    if db.query("SELECT 1 FROM ledger_lines WHERE account LIKE 'village:%' AND accounting_date < "
                f"'{args.year - 1}-01-01' LIMIT 1"):
        sys.exit("this database already holds the earlier years: fill runs once")
    alloc_id = allocation(args.base, db, args.year, villages)
    amounts = {int(row[0]): int(row[1]) for row in db.query(
        f"SELECT village_id, amount_fen FROM allocation_rows WHERE allocation_id = {alloc_id}")}
    pool_total = sum(amounts.values())

    ids = {table: db.next_id(table) for table in
           ["ledger_entries", "ledger_lines", "disbursements", "claims", "claim_invoices", "claim_events"]}
    entries, lines, disbursements, claims, invoices, events = [], [], [], [], [], []
    synthetic_source = 900_000_000
    pool_account = f"county:{county_code}:pool"
    disbursed_account = f"county:{county_code}:disbursed"

    def entry(village_id, day, memo, kind, source, posting):
        nonlocal synthetic_source
        entry_id = ids["ledger_entries"]
        ids["ledger_entries"] += 1
        instant = dt.datetime(day.year, day.month, day.day, 2, rng.randrange(60), tzinfo=dt.timezone.utc)
        entries.append((entry_id, county_id, village_id, db.time(instant), day.isoformat(), memo, kind, source,
                        None, chain[4]))
        for position, (account, unit_id, account_kind, chart, debit, credit) in enumerate(posting):
            lines.append((ids["ledger_lines"], entry_id, position, account, unit_id, account_kind, chart,
                          day.isoformat(), debit, credit))
            ids["ledger_lines"] += 1
        return entry_id, instant

    def disbursement_lines(code, village_id, amount):
        return [(disbursed_account, county_id, "disbursed", None, amount, 0),
                (pool_account, county_id, "pool", None, 0, amount),
                (f"village:{code}:bank", village_id, "bank", "102", amount, 0),
                (f"village:{code}:special_payable", village_id, "special_payable", "241", 0, amount)]

    def claim_lines(code, village_id, category, amount):
        kind, chart = EXPENSE[category]
        return [(f"village:{code}:{kind}", village_id, kind, chart, amount, 0),
                (f"village:{code}:bank", village_id, "bank", "102", 0, amount),
                (f"village:{code}:special_payable", village_id, "special_payable", "241", amount, 0),
                (f"village:{code}:subsidy_income", village_id, "subsidy_income", "522", 0, amount)]

    def day_in(year, first_month, last_month):
        start = dt.date(year, first_month, 1)
        end = dt.date(year, last_month, 28)
        return start + dt.timedelta(days=rng.randrange((end - start).days + 1))

    started = time.perf_counter()
    today = dt.datetime.now(SHANGHAI).date()
    # The pool is funded once, at the year's first disbursement.
    entry(None, dt.date(args.year, 3, 1), f"{args.year}年度运维补助资金入池", "allocation", alloc_id,
          [(pool_account, county_id, "pool", None, pool_total, 0),
           (f"county:{county_code}:fund", county_id, "fund", None, 0, pool_total)])
    for village_id, code, path in villages:
        township_id = code_to_id[code[:9] + "000"]
        # Earlier years: ledger entries only.
        for year in range(args.year - args.history, args.year):
            for month in (3, 7):
                amount = 1_500_000
                synthetic_source += 1
                entry(village_id, day_in(year, month, month), f"拨付{year}年度运维补助", "disbursement",
                      synthetic_source, disbursement_lines(code, village_id, amount))
            for _ in range(20):
                category = rng.choices(CATEGORIES, CATEGORY_WEIGHTS)[0]
                amount = rng.randrange(30_000, 140_000)
                synthetic_source += 1
                entry(village_id, day_in(year, 3, 12), f"报账：{rng.choice(PURPOSES[category])}", "claim",
                      synthetic_source, claim_lines(code, village_id, category, amount))
        # The current year: disbursements and claims as the desks store them.
        allocated = amounts.get(village_id, 3_000_000)
        for month, share in ((3, allocated // 2), (7, allocated - allocated // 2)):
            day = day_in(args.year, month, month)
            disbursement_id = ids["disbursements"]
            ids["disbursements"] += 1
            entry_id, instant = entry(village_id, day, f"拨付{args.year}年度运维补助", "disbursement",
                                      disbursement_id, disbursement_lines(code, village_id, share))
            disbursements.append((disbursement_id, alloc_id, village_id, share, day.isoformat(), entry_id,
                                  db.time(instant), chain[4]))
        last_month = min(11, today.month) if today.year == args.year else 12
        for _ in range(args.claims):
            category = rng.choices(CATEGORIES, CATEGORY_WEIGHTS)[0]
            amount = rng.randrange(30_000, max(31_000, min(480_000, allocated // args.claims)))
            purpose = rng.choice(PURPOSES[category])
            claim_id = ids["claims"]
            ids["claims"] += 1
            drafted = day_in(args.year, 3, max(3, last_month - 1))
            when = dt.datetime(drafted.year, drafted.month, drafted.day, 1, 0, tzinfo=dt.timezone.utc)
            steps = [("draft", None, "draft", "draft", chain[0]), ("submit", "draft", "submitted", "draft", chain[0]),
                     ("review", "submitted", "reviewed", "review", chain[1]),
                     ("approve", "reviewed", "village_approved", "approve", chain[2]),
                     ("leader_review", "village_approved", "leader_reviewed", "leader_review", chain[3]),
                     ("post", "leader_reviewed", "posted", "post", chain[4])]
            for number, (action, source, target, duty, actor) in enumerate(steps):
                at = when + dt.timedelta(days=number)
                events.append((ids["claim_events"], claim_id, db.time(at), actor, action, source, target, None, duty,
                               "演示"))
                ids["claim_events"] += 1
            posted_day = (when + dt.timedelta(days=5)).astimezone(SHANGHAI).date()
            entry_id, posted_at = entry(village_id, posted_day, f"报账：{purpose}", "claim", claim_id,
                                        claim_lines(code, village_id, category, amount))
            claims.append((claim_id, county_id, township_id, village_id, path, "posted", amount, category,
                           "organisation", rng.choice(ISSUERS), None, None, purpose, json.dumps([{"kind": "facility", "id": village_id}]), None, chain[0],
                           db.time(when), db.time(posted_at), entry_id))
            parts = [amount] if amount < 200_000 or rng.random() < 0.5 else [amount // 2, amount - amount // 2]
            for position, part in enumerate(parts):
                number = f"{rng.randrange(10**7, 10**8)}"
                issuer = rng.choice(ISSUERS)
                invoices.append((ids["claim_invoices"], claim_id, position, number, issuer, issuer, number,
                                 drafted.isoformat(), part))
                ids["claim_invoices"] += 1
    print(f"generated {len(entries):,} entries, {len(lines):,} lines, {len(claims):,} claims in "
          f"{time.perf_counter() - started:.1f} s; writing…")
    started = time.perf_counter()
    db.begin()
    db.copy("ledger_entries", ["id", "county_id", "village_id", "at", "accounting_date", "memo", "source_kind",
                               "source_id", "reverses_id", "created_by"], entries)
    db.copy("ledger_lines", ["id", "entry_id", "position", "account", "unit_id", "kind", "chart_code",
                             "accounting_date", "debit_fen", "credit_fen"], lines)
    db.copy("disbursements", ["id", "allocation_id", "village_id", "amount_fen", "accounting_date", "entry_id",
                              "created_at", "created_by"], disbursements)
    db.copy("claims", ["id", "county_id", "township_id", "village_id", "village_path", "state", "amount_fen",
                       "category", "payee_kind", "payee_name", "payee_user_id", "payee_id_number", "purpose", "links",
                       "notice_started_at", "created_by", "created_at", "updated_at", "posted_entry_id"], claims)
    db.copy("claim_invoices", ["id", "claim_id", "position", "number", "issuer", "issuer_key", "number_key", "date",
                               "amount_fen"], invoices)
    db.copy("claim_events", ["id", "claim_id", "at", "actor_id", "action", "from_state", "to_state", "note", "duty",
                             "actor_name"], events)
    db.finish(["ledger_entries", "ledger_lines", "disbursements", "claims", "claim_invoices", "claim_events"])
    total = db.query("SELECT COUNT(*) FROM ledger_lines")[0][0]
    print(f"written in {time.perf_counter() - started:.1f} s; the ledger now holds {int(total):,} lines")


# MARK: time

def timed(session, url, repeat, headers=None):
    first = session.get(url, headers=headers)
    if first.status_code != 200:
        sys.exit(f"{url} answered {first.status_code}: {first.text[:300]}")
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = session.get(url, headers=headers)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, url
    return statistics.median(times), max(times), len(first.content)


def time_reads(args):
    admin = signed_in(args.base, "county_admin")
    api = token(args.base, "county_admin")
    village = args.village
    township = village[:9] + "000"
    county = village[:6] + "000000"
    period = f"from={args.year}-01-01&to={args.year}-12-31"
    checks = [
        ("village statement, API (year)", f"/api/v1/villages/{village}/statement?{period}", api),
        ("village statement, page (year)", f"/ledger/villages/{village}?{period}", None),
        ("township summary, API (year)", f"/api/v1/townships/{township}/summary?{period}", api),
        ("township summary, page (year)", f"/ledger/townships/{township}?{period}", None),
        ("township self-inspection, API", f"/api/v1/inspections?unit={township}&year={args.year}", api),
        ("county self-inspection, API", f"/api/v1/inspections?unit={county}&year={args.year}", api),
    ]
    print(f"{'read':36} {'median ms':>10} {'max ms':>8} {'bytes':>9}")
    for name, path, headers in checks:
        repeat = args.repeat if "county" not in name else max(3, args.repeat // 4)
        median, slowest, size = timed(admin if headers is None else requests.Session(), args.base + path, repeat,
                                      headers)
        print(f"{name:36} {median:10.1f} {slowest:8.1f} {size:9d}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    filling = sub.add_parser("fill")
    filling.add_argument("--base", required=True)
    where = filling.add_mutually_exclusive_group(required=True)
    where.add_argument("--sqlite")
    where.add_argument("--postgres")
    filling.add_argument("--year", type=int, default=dt.datetime.now(SHANGHAI).year)
    filling.add_argument("--history", type=int, default=9, help="earlier years of ledger entries")
    filling.add_argument("--claims", type=int, default=10, help="claims per village in the current year")
    timing = sub.add_parser("time")
    timing.add_argument("--base", required=True)
    timing.add_argument("--year", type=int, default=dt.datetime.now(SHANGHAI).year)
    timing.add_argument("--village", default="510121100201")
    timing.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    fill(args) if args.command == "fill" else time_reads(args)


if __name__ == "__main__":
    main()
