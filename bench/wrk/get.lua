-- wrk script: GET one settled product application, over and over.
-- Usage: wrk -s bench/wrk/get.lua URL -- PATH [APIKEY]
-- PATH is /4.0/profiles/{id}/applications/{id} of a profile created first
-- (bench/run.sh creates it); APIKEY defaults to the mock's local key.
local path, apikey

function init(args)
  path = args[1] or "/4.0/whoami"
  apikey = args[2] or "local-mock-key"
end

function request()
  return wrk.format("GET", path, { ["apikey"] = apikey })
end
