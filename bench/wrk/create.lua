-- wrk script: POST /4.0/profiles with one product application, a new profile
-- (a new name and customer_ref) per request, so every request takes the
-- success path of a creation. wrk counts non-2xx answers itself ("Non-2xx or
-- 3xx responses"); a response() hook would slow wrk down.
-- Usage: wrk -s bench/wrk/create.lua URL -- [APIKEY [PREFIX]]
-- PREFIX is the base path, /4.0 by default ("" for Prism, which serves the
-- spec at the root).
local apikey, prefix
local n = 0
thread_id = 0 -- set per thread by setup()
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("thread_id", counter)
end

function init(args)
  apikey = args[1] or "local-mock-key"
  prefix = args[2] or "/4.0"
end

local template = '{"role":"INDIVIDUAL_CUSTOMER","collected_data":{"entity_type":"INDIVIDUAL",' ..
  '"customer_ref":"wrk-%d-%d","personal_details":{"name":{"given_names":["Ada"],"family_name":"Lovelace%d"},' ..
  '"dob":"1990-12-10","nationality":"GBR"}},"applications":[{"product":{"alias":"forexo_basic"}}]}'

function request()
  n = n + 1
  local body = string.format(template, thread_id, n, n)
  return wrk.format("POST", prefix .. "/profiles",
    { ["apikey"] = apikey, ["Content-Type"] = "application/json" }, body)
end
