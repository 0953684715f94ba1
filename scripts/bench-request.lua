-- One request, the same every time, for `wrk -s` (used by scripts/bench).
-- Environment: BENCH_METHOD (GET), BENCH_BODY, BENCH_CONTENT_TYPE, BENCH_COOKIE, BENCH_TOKEN
-- (sent as a bearer token), BENCH_LANGUAGE (Accept-Language, zh-Hans by default).
wrk.method = os.getenv("BENCH_METHOD") or "GET"
wrk.body = os.getenv("BENCH_BODY")
wrk.headers["Accept-Language"] = os.getenv("BENCH_LANGUAGE") or "zh-Hans"
if os.getenv("BENCH_CONTENT_TYPE") then wrk.headers["Content-Type"] = os.getenv("BENCH_CONTENT_TYPE") end
if os.getenv("BENCH_COOKIE") then wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE") end
if os.getenv("BENCH_TOKEN") then wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN") end
