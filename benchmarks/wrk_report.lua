-- Makes wrk print its results as one line of JSON (read by benchmarks/loadgen.py).
-- Latencies are in microseconds; "quantiles" samples the latency distribution at
-- QUANTILES evenly spaced points so that several runs can be merged afterwards.
local QUANTILES = 200

done = function(summary, latency, requests)
  local q = {}
  for i = 1, QUANTILES do
    q[i] = tostring(latency:percentile((i - 0.5) * 100 / QUANTILES))
  end
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"duration_us":%d,"bytes":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latency_us":{"p50":%d,"p95":%d,"p99":%d,"max":%d},"quantiles_us":[%s]}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    table.concat(q, ",")))
end
