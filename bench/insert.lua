-- wrk script: POST /bench/insert with the very same body and token as scan.lua: the bare-insert yardstick.
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(dir .. "wrk_common.lua")
