-- Every request carries a key no other request has. Each wrk thread has its own Lua state:
-- the address of a table it keeps alive is unique among threads, a counter within one.
-- BENCH_BODY replaces the default body (a payment).
local anchor = {}
local prefix = string.format("bench-%s-%s", os.getenv("BENCH_RUN_ID") or "run", tostring(anchor):match("0x(%x+)"))
local counter = 0

wrk.method = "POST"
wrk.body = os.getenv("BENCH_BODY") or '{"amount":1000,"currency":"EUR"}'
local headers = { ["Content-Type"] = "application/json" }

function request()
  counter = counter + 1
  headers["Idempotency-Key"] = string.format('"%s-%d"', prefix, counter)
  return wrk.format(nil, nil, headers)
end
