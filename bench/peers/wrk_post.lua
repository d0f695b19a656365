-- bench/serve.sh's wrk script: POSTs the body in the file $WRK_BODY (JSON; or, when $WRK_HEADER_LENGTH is set, a
-- JSON header of that many bytes and binary tensor data) to the URL wrk is given, and prints one line for the
-- script: WRKRESULT requests duration-us p50-ms p99-ms mean-ms non-2xx socket-errors timeouts
local f = assert(io.open(os.getenv("WRK_BODY"), "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
if os.getenv("WRK_HEADER_LENGTH") then
  wrk.headers["Content-Type"] = "application/octet-stream"
  wrk.headers["Inference-Header-Content-Length"] = os.getenv("WRK_HEADER_LENGTH")
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("WRKRESULT %d %d %.3f %.3f %.3f %d %d %d\n", summary.requests, summary.duration,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.mean / 1000, e.status,
    e.connect + e.read + e.write, e.timeout))
end
