-- One step of the claim chain on a different claim each request, for `wrk -s` (used by
-- scripts/bench): POST /api/v1/claims/{id}/actions {"action": BENCH_ACTION} (review by default)
-- as the bearer token BENCH_TOKEN, for the ids in the file BENCH_IDS (one a line, prepared
-- before). Thread n of BENCH_THREADS takes every n-th id, so no claim is asked twice; a thread
-- that has used up its ids repeats its last one, which the claim desk refuses (409) and wrk
-- counts as a non-2xx answer: scripts/bench sizes the pool so that this does not happen.
local threads = 0

function setup(thread)
    threads = threads + 1
    thread:set("number", threads)
end

function init(args)
    wrk.method = "POST"
    wrk.headers["Content-Type"] = "application/json"
    wrk.headers["Accept-Language"] = "zh-Hans"
    wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
    body = '{"action":"' .. (os.getenv("BENCH_ACTION") or "review") .. '"}'
    ids = {}
    local total = tonumber(os.getenv("BENCH_THREADS") or "2")
    local index = 0
    for line in io.lines(os.getenv("BENCH_IDS")) do
        if (index % total) + 1 == number then ids[#ids + 1] = line end
        index = index + 1
    end
    count = 0
end

function request()
    count = count + 1
    return wrk.format(nil, "/api/v1/claims/" .. ids[math.min(count, #ids)] .. "/actions", nil, body)
end
