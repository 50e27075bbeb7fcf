-- Shared by scan.lua and insert.lua: the same request body, the same device token, the same random codes.
-- Arguments (after wrk's `--`): codes file, device token, site slug, client id prefix.
-- Each wrk thread has its own Lua state, its own random seed and its own client id counter.

local threads = {}
local thread_count = 0

function setup(thread)
   thread_count = thread_count + 1
   thread:set("tid", thread_count)
   table.insert(threads, thread)
end

local codes = {}
local n_codes = 0
local site, prefix, counter = nil, nil, 0
bad, first_bad = 0, ""  -- globals: done() reads them through thread:get()

function init(args)
   for line in io.lines(args[1]) do
      if #line > 0 then
         n_codes = n_codes + 1
         codes[n_codes] = line
      end
   end
   wrk.method = "POST"
   wrk.headers["Authorization"] = "Bearer " .. args[2]
   wrk.headers["Content-Type"] = "application/json"
   site = args[3]
   prefix = args[4] .. "-" .. tid
   math.randomseed(os.time() * 1000 + tid * 7919 + math.floor((os.clock() * 1e6) % 1000))
end

function request()
   counter = counter + 1
   local code = codes[math.random(n_codes)]
   local body = '{"site":"' .. site .. '","code":"' .. code .. '","client_id":"' .. prefix .. "-" .. counter .. '"}'
   return wrk.format(nil, nil, nil, body)
end

function response(status, headers, body)
   if status < 200 or status > 299 then
      bad = bad + 1
      if first_bad == "" then
         first_bad = status .. " " .. string.sub(body or "", 1, 300)
      end
   end
end

local function json_string(s)
   return '"' .. string.gsub(s, '[%c"\\]', function(c) return string.format("\\u%04x", string.byte(c)) end) .. '"'
end

function done(summary, latency, requests)
   local non2xx, sample = 0, ""
   for _, thread in ipairs(threads) do
      non2xx = non2xx + (thread:get("bad") or 0)
      local b = thread:get("first_bad") or ""
      if sample == "" then sample = b end
   end
   local e = summary.errors
   io.write(string.format(
      'WRK_JSON {"requests":%d,"duration_us":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,' ..
      '"non2xx":%d,"connect":%d,"read":%d,"write":%d,"timeout":%d,"http_errors":%d,"sample":%s}\n',
      summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
      latency:percentile(99), latency.max, non2xx, e.connect, e.read, e.write, e.timeout, e.status,
      json_string(sample)))
end
