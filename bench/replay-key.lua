-- Every request replays the one key that was executed before the round started.
wrk.method = "POST"
wrk.body = '{"amount":1000,"currency":"EUR"}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Idempotency-Key"] = '"bench-replay"'
