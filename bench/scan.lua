-- wrk script: POST /api/scans with a random customer's EAN code, as a gate's device does (see bench/README.md).
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(dir .. "wrk_common.lua")
