-- wrk script for bench/bench_api.py and bench/bench_workspace.py: send one request (a JSON POST,
-- or a GET of a page with a session cookie) to paths taken in turn, then write the
-- latency histogram (microseconds, "value count" per line) to HIST_FILE so that the caller can
-- merge rounds and take its own percentiles. Inputs come from the environment:
--   BODY_FILE  the request body (empty: no body)   TOKEN  a bearer token (optional)
--   PATHS      comma-separated request paths        HIST_FILE  where the histogram goes
--   KEY_PREFIX when set, each request carries a fresh Idempotency-Key that starts with it
--   METHOD     GET or POST (default POST)             COOKIE  a Cookie header (optional)
local body_file = os.getenv("BODY_FILE")
local method = os.getenv("METHOD")
wrk.method = (method and method ~= "") and method or "POST"
wrk.body = nil
if body_file and body_file ~= "" then
  local f = assert(io.open(body_file, "r"))
  wrk.body = f:read("*a")
  f:close()
  wrk.headers["Content-Type"] = "application/json"
end
local token = os.getenv("TOKEN")
if token and token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end
local cookie = os.getenv("COOKIE")
if cookie and cookie ~= "" then
  wrk.headers["Cookie"] = cookie
end

local paths = {}
for p in string.gmatch(os.getenv("PATHS"), "[^,]+") do
  paths[#paths + 1] = p
end
local turn = 0
local key_prefix = os.getenv("KEY_PREFIX") or ""

-- Each wrk thread has its own Lua state (and its own `turn`): number the threads so that keys
-- stay unique with any -t.
local threads = 0
setup = function(thread)
  threads = threads + 1
  thread:set("thread_id", threads)
end

request = function()
  turn = turn + 1
  local path = paths[(turn % #paths) + 1]
  if key_prefix == "" then
    return wrk.format(nil, path)
  end
  local headers = {}
  for name, value in pairs(wrk.headers) do
    headers[name] = value
  end
  headers["Idempotency-Key"] = key_prefix .. "-" .. (thread_id or 0) .. "-" .. turn
  return wrk.format(nil, path, headers)
end

done = function(summary, latency, requests)
  local out = assert(io.open(os.getenv("HIST_FILE"), "w"))
  out:write(string.format("# requests %d seconds %.6f non2xx %d socket_errors %d\n",
    summary.requests, summary.duration / 1e6, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
  for i = 1, #latency do
    local value, count = latency(i)
    out:write(value, " ", count, "\n")
  end
  out:close()
end
