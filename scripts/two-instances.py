#!/usr/bin/env python3
"""Two `yunwei` processes on one PostgreSQL behave as one (docs/deploy.md).

Creates a fresh database, starts `yunwei demo` on one port (it seeds the demo county) and
`yunwei serve` on another, then checks:

1. a login made through the first instance is valid on the second (sessions live in the database);
2. the background jobs run exactly once: thirty running cases are made overdue, both processes
   run their job rounds, and each of those cases gets exactly one "overdue" event;
3. a write through one instance is read through the other;
4. killing the first instance with SIGKILL leaves the second serving the same session.

Usage (PostgreSQL running, e.g. scripts/start-postgres; a built `yunwei`):

    .ci/venv/bin/python scripts/two-instances.py --bin .build/debug/yunwei \\
        --admin-url postgres://yunwei:yunwei@127.0.0.1:5432/yunwei
"""
import argparse
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse

import requests

PASSWORD = "demo1234"


def psql(url, sql):
    return subprocess.run(["psql", url, "-At", "-c", sql], check=True, capture_output=True, text=True).stdout.strip()


def wait_healthy(base, process, seconds=180):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if process.poll() is not None:
            sys.exit(f"{base}: the process exited with {process.returncode}")
        try:
            if requests.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(1)
    sys.exit(f"{base} did not become healthy")


def sign_in(base, username):
    session = requests.Session()
    page = session.get(f"{base}/login")
    csrf = re.search(r'name="_csrf" value="([^"]+)"', page.text).group(1)
    response = session.post(f"{base}/login", data={"username": username, "password": PASSWORD, "_csrf": csrf},
                            allow_redirects=False)
    assert response.status_code == 303, f"login answered {response.status_code}"
    return session


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", default=".build/debug/yunwei")
    parser.add_argument("--admin-url", default="postgres://yunwei:yunwei@127.0.0.1:5432/yunwei")
    parser.add_argument("--ports", default="8101,8102")
    args = parser.parse_args()
    first_port, second_port = args.ports.split(",")
    args.bin = os.path.abspath(args.bin)
    name = "yunwei_two_instances"
    psql(args.admin_url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    psql(args.admin_url, f"CREATE DATABASE {name}")
    parts = urllib.parse.urlsplit(args.admin_url)
    url = urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))
    work = tempfile.mkdtemp(prefix="yunwei-two-")
    env = dict(os.environ, DATABASE_URL=url, YUNWEI_DATA_DIR=os.path.join(work, "data"),
               YUNWEI_RESOURCES=os.path.abspath("Resources"))
    first_log = open(os.path.join(work, "first.log"), "w")
    second_log = open(os.path.join(work, "second.log"), "w")
    first = subprocess.Popen([args.bin, "demo", "--port", first_port], env=env, cwd=work, stdout=first_log,
                             stderr=subprocess.STDOUT)
    second = None
    failures = []

    def check(label, ok, detail=""):
        print(f"{'PASS' if ok else 'FAIL'} {label}{': ' + detail if detail else ''}")
        if not ok:
            failures.append(label)

    try:
        a = f"http://127.0.0.1:{first_port}"
        b = f"http://127.0.0.1:{second_port}"
        wait_healthy(a, first)
        second = subprocess.Popen([args.bin, "serve", "--port", second_port], env=env, cwd=work, stdout=second_log,
                                  stderr=subprocess.STDOUT)
        wait_healthy(b, second)

        # 1. One login, both instances.
        session = sign_in(a, "county_admin")
        page = session.get(f"{b}/account", allow_redirects=False)
        check("a login through the first instance works through the second",
              page.status_code == 200 and "county_admin" in page.text, f"status {page.status_code}")

        # 2. Jobs exactly once.
        running = psql(url, "SELECT string_agg(id::text, ',') FROM (SELECT id FROM cases WHERE overdue_at IS NULL "
                            "AND state IN ('dispatched', 'in_progress') ORDER BY id LIMIT 30) picked")
        ids = [int(x) for x in running.split(",") if x]
        psql(url, f"UPDATE cases SET deadline_at = now() - interval '1 hour' WHERE id IN ({running})")
        deadline = time.time() + 150
        counts = {}
        while time.time() < deadline:
            rows = psql(url, f"SELECT case_id, count(*) FROM case_events WHERE action = 'overdue' AND case_id IN "
                             f"({running}) GROUP BY case_id")
            counts = {int(line.split("|")[0]): int(line.split("|")[1]) for line in rows.splitlines() if line}
            if len(counts) == len(ids):
                time.sleep(65)  # one more round of each process, which must find nothing to do
                rows = psql(url, f"SELECT case_id, count(*) FROM case_events WHERE action = 'overdue' AND case_id IN "
                                 f"({running}) GROUP BY case_id")
                counts = {int(line.split("|")[0]): int(line.split("|")[1]) for line in rows.splitlines() if line}
                break
            time.sleep(3)
        check(f"the job rounds of both processes escalated each of {len(ids)} overdue cases exactly once",
              len(ids) > 0 and len(counts) == len(ids) and set(counts.values()) == {1},
              f"{len(counts)} escalated, counts {sorted(set(counts.values()))}")

        # 3. A write through one, read through the other.
        token = requests.post(f"{a}/api/v1/tokens", json={"username": "county_admin", "password": PASSWORD}).json()
        me = requests.get(f"{b}/api/v1/me", headers={"Authorization": f"Bearer {token['token']}"})
        check("an API token issued by the first instance is accepted by the second", me.status_code == 200,
              f"status {me.status_code}")

        # 4. Kill the first; the second keeps serving the same session.
        first.send_signal(signal.SIGKILL)
        first.wait()
        page = session.get(f"{b}/cases?box=all", allow_redirects=False)
        check("after SIGKILL of the first instance the second serves the same session",
              page.status_code == 200, f"status {page.status_code}")
    finally:
        for process in (first, second):
            if process and process.poll() is None:
                process.terminate()
                process.wait(timeout=30)
        psql(args.admin_url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    print(f"{4 - len(failures)} of 4 passed; logs in {work}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
