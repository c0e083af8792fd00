-- wrk script for bench/tracker-vs-opentracker.sh: HTTP announces (BEP 3 + BEP 23 compact) in a realistic mix.
--
--   wrk -t T -c C -d D -s tracker-announce.lua http://127.0.0.1:PORT -- HASHES SWARMS PEERS CONN SEED CHECK T
--
--   HASHES  file with one infohash a line (40 hex digits; the first SWARMS lines are used)
--   SWARMS  number of swarms; PEERS  peers per swarm (at most 55,535: peer p announces port 10000 + p)
--   CONN    "close": every request carries `Connection: close`, so every announce is a new TCP connection, as
--           for real clients (one announce every half hour); "keep-alive": no such header
--   SEED    PRNG seed; thread t uses SEED + t
--   CHECK   1: read every response (status 200, a bencoded dictionary without "failure reason", its compact
--           peer count); 0: don't (wrk then skips headers and bodies, which costs the client less)
--   T       wrk's thread count again (the threads' Lua states cannot count each other)
--
-- Peers: peer p of swarm s is 127.0.0.1:(10000 + p) with peer_id "-SB0001-" .. %06d(s) .. %06d(p); all requests
-- come from 127.0.0.1, so a tracker tells peers apart by the port. Peers p < PEERS / 5 are seeders (left=0, 20%).
-- The peers are split between the wrk threads (peer g = s * PEERS + p belongs to thread g % T), so one thread
-- owns each peer's state. Each request picks one of the thread's peers uniformly at random and sends:
--   event=started    if the peer's last announce was `stopped` (it comes back)
--   otherwise        1% event=stopped, 2% event=started (a client restarting), 2% event=completed (a leecher
--                    that finished: left=0 in that announce; seeders send a plain announce instead), and the
--                    rest (95%) a plain re-announce without an event
-- Every request asks for compact=1&numwant=50. The script expects the swarms to be full beforehand
-- (tracker_prefill.py prefill: every peer announced `started` once).
--
-- done() prints one line for the shell script to parse:
--   RESULT requests=N duration_s=S rps=R p50_ms= p90_ms= p99_ms= max_ms= mean_ms= connect= read= write= status=
--          timeout= checked= non200= failures= malformed= peers_avg= sent_none= sent_started= sent_completed=
--          sent_stopped=
-- and, when some response was bad, a line `SAMPLE <first bad response>`.

local threads = {}

function setup(thread)
    thread:set("id", #threads)
    table.insert(threads, thread)
end

-- Thread state (each wrk thread runs its own Lua state).
local swarms, peers, seeders, owned, first, thread_count
local hashes, swarm_ids, peer_ids = {}, {}, {}
local stopped = {}
local connection_close = true

checked, non200, failures, malformed, peers_total, with_peers = 0, 0, 0, 0, 0, 0
sent_none, sent_started, sent_completed, sent_stopped = 0, 0, 0, 0
sample = nil

local function percent_encode_hex(hex)
    local out = {}
    for i = 1, 39, 2 do
        out[#out + 1] = "%" .. hex:sub(i, i + 1):upper()
    end
    return table.concat(out)
end

function init(args)
    local path = args[1]
    swarms = tonumber(args[2])
    peers = tonumber(args[3])
    connection_close = (args[4] or "close") == "close"
    local seed = tonumber(args[5] or "1")
    local check = (args[6] or "1") == "1"
    thread_count = tonumber(args[7])
    assert(path and swarms and peers and thread_count and swarms >= 1 and swarms <= 999999 and peers >= 1
        and peers <= 55535 and id < thread_count and swarms * peers >= thread_count,
        "usage: -- HASHES SWARMS PEERS close|keep-alive SEED CHECK THREADS")
    local file = assert(io.open(path, "r"), "cannot open " .. path)
    for line in file:lines() do
        local hex = line:match("^%s*(%x+)%s*$")
        if hex and #hex == 40 then
            hashes[#hashes + 1] = percent_encode_hex(hex)
            if #hashes == swarms then break end
        end
    end
    file:close()
    assert(#hashes == swarms, "need " .. swarms .. " infohashes in " .. path .. ", found " .. #hashes)
    seeders = math.floor(peers / 5)
    -- Peers g = id, id + T, id + 2T, ... < swarms * peers belong to this thread.
    local total = swarms * peers
    first = id
    owned = math.floor((total - 1 - id) / thread_count) + 1
    math.randomseed(seed + id)
    for p = 0, peers - 1 do peer_ids[p] = string.format("%06d", p) end
    for s = 0, swarms - 1 do swarm_ids[s] = string.format("%06d", s) end
    if connection_close then wrk.headers["Connection"] = "close" end
    if not check then response = nil end
end

function request()
    local g = first + math.random(0, owned - 1) * thread_count
    local s = math.floor(g / peers)
    local p = g - s * peers
    local seeder = p < seeders
    local left = seeder and 0 or (1000000000 - (g % 997) * 1000000)
    local event = ""
    if stopped[g] then
        stopped[g] = nil
        event = "&event=started"
        sent_started = sent_started + 1
    else
        local r = math.random()
        if r < 0.01 then
            stopped[g] = true
            event = "&event=stopped"
            sent_stopped = sent_stopped + 1
        elseif r < 0.03 then
            event = "&event=started"
            sent_started = sent_started + 1
        elseif r < 0.05 and not seeder then
            event = "&event=completed"
            left = 0
            sent_completed = sent_completed + 1
        else
            sent_none = sent_none + 1
        end
    end
    local path = "/announce?info_hash=" .. hashes[s + 1]
        .. "&peer_id=-SB0001-" .. swarm_ids[s] .. peer_ids[p]
        .. "&port=" .. (10000 + p)
        .. "&uploaded=" .. ((g * 7919) % 500000000)
        .. "&downloaded=" .. (seeder and 0 or (g % 997) * 1000000)
        .. "&left=" .. left
        .. "&compact=1&numwant=50" .. event
    return wrk.format("GET", path)
end

function response(status, headers, body)
    checked = checked + 1
    if status ~= 200 then
        non200 = non200 + 1
        if not sample then sample = "status " .. status .. ": " .. body:sub(1, 120) end
        return
    end
    if body:find("failure reason", 1, true) then
        failures = failures + 1
        if not sample then sample = body:sub(1, 160) end
        return
    end
    local n = body:match("5:peers(%d+):")
    if body:sub(1, 1) ~= "d" or not n then
        malformed = malformed + 1
        if not sample then sample = "malformed: " .. body:sub(1, 120) end
        return
    end
    peers_total = peers_total + tonumber(n) / 6
    with_peers = with_peers + 1
end

function done(summary, latency, requests)
    local sums = {checked = 0, non200 = 0, failures = 0, malformed = 0, peers_total = 0, with_peers = 0,
        sent_none = 0, sent_started = 0, sent_completed = 0, sent_stopped = 0}
    local first_sample = nil
    for _, thread in ipairs(threads) do
        for name, _ in pairs(sums) do
            sums[name] = sums[name] + (thread:get(name) or 0)
        end
        first_sample = first_sample or thread:get("sample")
    end
    local seconds = summary.duration / 1e6
    local e = summary.errors
    local function ms(us) return string.format("%.3f", us / 1000) end
    io.write(string.format(
        "RESULT requests=%d duration_s=%.3f rps=%.1f p50_ms=%s p90_ms=%s p99_ms=%s max_ms=%s mean_ms=%s "
            .. "connect=%d read=%d write=%d status=%d timeout=%d checked=%d non200=%d failures=%d malformed=%d "
            .. "peers_avg=%s sent_none=%d sent_started=%d sent_completed=%d sent_stopped=%d\n",
        summary.requests, seconds, summary.requests / seconds,
        ms(latency:percentile(50)), ms(latency:percentile(90)), ms(latency:percentile(99)), ms(latency.max),
        ms(latency.mean), e.connect, e.read, e.write, e.status, e.timeout,
        sums.checked, sums.non200, sums.failures, sums.malformed,
        sums.with_peers > 0 and string.format("%.2f", sums.peers_total / sums.with_peers) or "n/a",
        sums.sent_none, sums.sent_started, sums.sent_completed, sums.sent_stopped))
    if first_sample then
        io.write("SAMPLE " .. first_sample:gsub("[%c]", "?") .. "\n")
    end
end
