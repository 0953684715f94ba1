#!/usr/bin/env python3
"""Times the case platform's heaviest pages against a running `yunwei demo --scale N`.

Signs in as the county admin (the whole county: the largest dashboard and inboxes) and as a
township dispatcher, requests each page `--repeat` times after one warm-up, and prints the
median and the slowest time of each. Usage:

    .ci/venv/bin/python scripts/bench-cases.py --base http://127.0.0.1:8095 [--repeat 20]
"""
import argparse
import re
import statistics
import sys
import time

import requests


def signed_in(base, username):
    session = requests.Session()
    page = session.get(f"{base}/login")
    token = re.search(r'name="_csrf" value="([^"]+)"', page.text).group(1)
    response = session.post(f"{base}/login", data={"username": username, "password": "demo1234", "_csrf": token},
                            allow_redirects=False)
    if response.status_code != 303:
        sys.exit(f"could not sign in as {username}: {response.status_code}")
    return session


def timed(session, url, repeat):
    first = session.get(url)
    if first.status_code != 200:
        sys.exit(f"{url} answered {first.status_code}")
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = session.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    return statistics.median(times), max(times), len(first.content)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:8080")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    admin = signed_in(args.base, "county_admin")
    dispatcher = signed_in(args.base, "township_dispatcher")
    head = signed_in(args.base, "village_head")
    leader = signed_in(args.base, "township_leader")
    grid = signed_in(args.base, "grid_worker")
    first_page = admin.get(f"{args.base}/cases?box=all").text
    cursor = re.search(r'after=(\d+)', first_page)
    checks = [
        ("county dashboard /stats", admin, "/stats"),
        ("county dashboard, mid-month period", admin, "/stats?from=2026-03-15&to=2026-09-14"),
        ("township dashboard", dispatcher, "/stats"),
        ("county inbox, all cases, page 1", admin, "/cases?box=all"),
        ("county inbox, all cases, page 2", admin, f"/cases?box=all&after={cursor.group(1)}" if cursor else "/cases"),
        ("county inbox, overdue", admin, "/cases?box=overdue"),
        ("county inbox, text search", admin, "/cases?box=all&q=%E8%B7%AF%E7%81%AF"),
        ("county inbox, supervised", admin, "/cases?box=supervised"),
        ("county inbox, one township", admin, "/cases?box=all&unit=510121100000"),
        ("county inbox, category and dates", admin, "/cases?box=all&category=FAC&from=2026-03-01&to=2026-04-01"),
        ("township inbox, all cases", dispatcher, "/cases?box=all"),
        ("township inbox, to classify", dispatcher, "/cases?box=classify"),
        ("township inbox, returned", dispatcher, "/cases?box=returned"),
        ("township inbox, overdue", dispatcher, "/cases?box=overdue"),
        ("township inbox, supervised", dispatcher, "/cases?box=supervised"),
        ("township leader, to handle", leader, "/cases?box=handle"),
        ("village inbox, all cases", head, "/cases?box=all"),
        ("village inbox, to handle", head, "/cases?box=handle"),
        ("village inbox, overdue", head, "/cases?box=overdue"),
        ("grid worker, reported by me", grid, "/cases?box=mine"),
    ]
    print(f"{'page':40} {'median ms':>10} {'max ms':>8} {'bytes':>7}")
    for name, session, path in checks:
        median, slowest, size = timed(session, args.base + path, args.repeat)
        print(f"{name:40} {median:10.1f} {slowest:8.1f} {size:7d}")


if __name__ == "__main__":
    main()
