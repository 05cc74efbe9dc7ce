-- Every request replays the one key that was executed before the round started
-- (BENCH_REPLAY_KEY, default bench-replay, with the body BENCH_BODY, default a payment).
wrk.method = "POST"
wrk.body = os.getenv("BENCH_BODY") or '{"amount":1000,"currency":"EUR"}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Idempotency-Key"] = '"' .. (os.getenv("BENCH_REPLAY_KEY") or "bench-replay") .. '"'
