-- The mixed load of server/bench/run.sh: in turns, two bearer calls (GET /api/v1/me with a
-- valid token), a server-rendered console page and a server function (list_tokens), the last
-- two with a console session. Environment: BENCH_TOKEN, BENCH_COOKIE ("name=value"),
-- BENCH_ORIGIN (the server's origin, for the server function's Origin check).
local token = os.getenv("BENCH_TOKEN")
local cookie = os.getenv("BENCH_COOKIE")
local origin = os.getenv("BENCH_ORIGIN")
local turn = 0

request = function()
  turn = turn + 1
  local kind = turn % 4
  if kind == 0 then
    return wrk.format("GET", "/security/api-tokens", { ["Cookie"] = cookie })
  elseif kind == 1 then
    return wrk.format("POST", "/api/list_tokens", {
      ["Cookie"] = cookie,
      ["Origin"] = origin,
      ["Accept"] = "application/json",
      ["Content-Type"] = "application/x-www-form-urlencoded",
    }, "")
  end
  return wrk.format("GET", "/api/v1/me", { ["Authorization"] = "Bearer " .. token })
end
