#!/usr/bin/env bash
# Benchmark: a streaming swarm on loopback, Shoal's three picker modes against libtorrent watchers, side by side.
#
# Makes a test video (FFmpeg's testsrc2 + sine, H.264 High 854x480 at 24 fps with a key frame every 2 s, CBR
# ~1.6 Mbit/s, AAC 128 kbit/s: ~1.75 Mbit/s in all; --duration seconds, default 90), ingests it with
# `shoal ingest --segment-duration 2 --tracker` (2-s segments, one per key frame: what a player needs right after
# it starts is 2 s of video at a time; docs/streaming.md) and runs opentracker
# (Debian's, whitelisted infohash) on 127.0.0.1. B = the stream's average bit rate in bytes/s (init + segments /
# playlist duration).
# Then in each round, for each mode (the shoal modes of --modes, then libtorrent):
#   origin    shoal seed NAME.torrent --data DIR --max-upload-rate 2B      (a fresh one per mode)
#   watchers  --watchers N (default 20) joining at seeded-random instants within --stagger s (default 10; the
#             same schedule for every mode of a round), each capped at 1.5B upload:
#     shoal:      shoal watch NAME.torrent --peer ORIGIN --port 0 --bind 127.0.0.1 --http-port 0 --player none
#                   --max-upload-rate 1.5B --streaming-mode MODE -o DIR --quiet
#                 and, as soon as it prints `HLS: URL`, bench/scripts/virtual_player.py URL (an hls.js-like player
#                 that plays in real time, keeping --target s, default 30, buffered ahead)
#     libtorrent: bench/scripts/lt_watcher.py (python3-libtorrent with set_piece_deadline, the same player model)
#   Peers find each other through the tracker (and all dial the origin). When every player has finished, each
#   shoal watcher's GET /api/torrents/<infohash> is read (quality.deadlineMisses*, sources), then everything of
#   the mode is stopped.
# Figures per mode (medians over rounds when --rounds > 1):
#   startup p50 / p95   seconds from the player's first playlist request (shoal) or from adding the torrent
#                       (libtorrent) to the init segment and the first segment received (nearest-rank percentiles)
#   stalls              total count over the watchers: the playhead reached the end of what was received
#   stall ratio         total stall time / (total played time + total stall time)
#   deadline misses     total over the watchers of the pieces had after their deadline while playing (after the
#                       first segment was in): shoal's own count (quality.deadlineMissesWhilePlaying), lt_watcher's
#                       for libtorrent, the same deadlines (segment start - 1 s, 45-s window); shoal's count with
#                       startup included (quality.deadlineMisses) is in the round lines and the JSON
#   origin offload      1 - bytes watchers received from the origin / all bytes they received; the origin is
#                       its listen address plus the local addresses of the connections it dialled (sampled with ss
#                       every second), and for libtorrent also the origin's peer id
#   redundant           (round lines only) payload the watchers received of no use (had already, or no longer
#                       wanted) / all payload they received: shoal's redundantBytes, libtorrent's
#                       total_redundant_bytes
# Targets (deadline mode): zero stalls, startup p95 <= 2 s, offload >= 85%, and better than libtorrent on every
# figure (both at zero counts as not worse). A figure the shoal side does not report yet is "n/a" (and named).
# The report (a markdown table) goes to stdout and bench/out/streaming-swarm-latest.txt.
#
# Usage: bench/streaming-swarm.sh [--watchers N] [--duration S] [--modes LIST] [--rounds R] [--stagger S]
#                                 [--seed N] [--target S] [--no-libtorrent]
#   --modes LIST     comma- or space-separated from: deadline rarest-first sequential (default: all three)
#   --seed N         seed of the join schedule (default 1; round r uses N + r - 1)
#
# Environment (all optional):
#   SHOAL_SCRATCH_PATH / SHOAL_BIN   as for the other benchmarks (SHOAL_BIN skips the release build)
#   BENCH_TMPDIR      parent of the temporary directory                      (default: /tmp)
#   BENCH_PYTHON      the python that imports libtorrent                     (default: /usr/bin/python3)
#   BENCH_IDLE_WAIT   before each mode, wait up to this many seconds for >= 90% idle CPUs (default: 30)
#   BENCH_TIMEOUT     seconds a mode may run beyond stagger + 2 x duration   (default: 180)
#   BENCH_OUT         report file                       (default: <repo>/bench/out/streaming-swarm-latest.txt)
#   BENCH_STRICT      1 = exit with status 2 if a target is missed           (default: 0)
#   BENCH_KEEP        1 = keep the temporary directory (logs, JSON of every watcher) (default: 0)
#   BENCH_PLAYER_ARGS more arguments for every virtual_player.py (e.g. --trace: a line per segment in pN.err)
#   BENCH_SHOAL_ARGS  more arguments for every shoal seed and shoal watch (e.g. --log-level trace: every request,
#                     block, choke and refusal, stamped to the millisecond, in origin.log and wN.err)
#   BENCH_LT_WINDOW   lt_watcher.py --window: seconds ahead of the playhead with piece deadlines (default: 45,
#                     Shoal's read-ahead; 0 = the whole video, as libtorrent's docs/streaming.rst suggests)
set -euo pipefail
export LC_ALL=C

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
scratch=${SHOAL_SCRATCH_PATH:-$repo/.build}
tmp_parent=${BENCH_TMPDIR:-/tmp}
python=${BENCH_PYTHON:-/usr/bin/python3}
idle_wait=${BENCH_IDLE_WAIT:-30}
extra_timeout=${BENCH_TIMEOUT:-180}
out=${BENCH_OUT:-$repo/bench/out/streaming-swarm-latest.txt}
strict=${BENCH_STRICT:-0}
keep=${BENCH_KEEP:-0}
lt_window=${BENCH_LT_WINDOW:-45}
player=$repo/bench/scripts/virtual_player.py
lt_watcher=$repo/bench/scripts/lt_watcher.py

watchers=20 duration=90 modes_arg="deadline rarest-first sequential" rounds=1 stagger=10 rng_seed=1 target=30
with_lt=1

die() { echo "streaming-swarm: $*" >&2; exit 1; }
note() { echo "==> $*" >&2; }
is_uint() { [[ $1 =~ ^[0-9]+$ ]]; }
usage() { sed -n '/^# Usage:/,/^#   --seed/p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

while (($#)); do
    case $1 in
        --watchers | --duration | --modes | --rounds | --stagger | --seed | --target)
            (($# >= 2)) || die "$1 needs a value"
            case $1 in
                --watchers) watchers=$2 ;; --duration) duration=$2 ;; --modes) modes_arg=$2 ;;
                --rounds) rounds=$2 ;; --stagger) stagger=$2 ;; --seed) rng_seed=$2 ;; --target) target=$2 ;;
            esac
            shift 2
            ;;
        --watchers=* | --duration=* | --modes=* | --rounds=* | --stagger=* | --seed=* | --target=*)
            set -- "${1%%=*}" "${1#*=}" "${@:2}"
            ;;
        --no-libtorrent) with_lt=0; shift ;;
        -h | --help) usage; exit 0 ;;
        *) usage >&2; die "unknown argument '$1'" ;;
    esac
done

# shellcheck source=bench/common.sh
source "$repo/bench/common.sh"
check_uint --watchers "$watchers" 1 200
check_uint --duration "$duration" 8
check_uint --rounds "$rounds" 1
check_uint --stagger "$stagger" 0
check_uint --seed "$rng_seed" 0
check_uint --target "$target" 1
check_uint BENCH_IDLE_WAIT "$idle_wait" 0
check_uint BENCH_TIMEOUT "$extra_timeout" 1
check_uint BENCH_LT_WINDOW "$lt_window" 0
modes=()
for m in ${modes_arg//,/ }; do
    case $m in deadline | rarest-first | sequential) modes+=("$m") ;; *) die "unknown mode '$m' (deadline, rarest-first, sequential)" ;; esac
done
((${#modes[@]} || with_lt)) || die "nothing to run (no modes and --no-libtorrent)"
[[ -f $player && -f $lt_watcher ]] || die "bench/scripts/virtual_player.py or lt_watcher.py is missing"

# --- Tools -----------------------------------------------------------------------------------------------
have_lt() { "$python" -c 'import libtorrent' 2>/dev/null; }
missing=()
((with_lt == 0)) || have_lt || missing+=(python3-libtorrent)
command -v ffmpeg >/dev/null || missing+=(ffmpeg)
command -v opentracker >/dev/null || missing+=(opentracker)
command -v ss >/dev/null || missing+=(iproute2)
[[ -x $python ]] || die "$python is not an executable (set BENCH_PYTHON)"
if ((${#missing[@]})); then
    [[ $(id -u) == 0 ]] || die "missing: ${missing[*]}. Install them first (sudo apt-get install ${missing[*]}) or run this script as root."
    command -v apt-get >/dev/null || die "missing: ${missing[*]}, and there is no apt-get to install them with."
    note "installing ${missing[*]} with apt-get"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    { ((with_lt == 0)) || have_lt; } && command -v ffmpeg >/dev/null && command -v opentracker >/dev/null \
        && command -v ss >/dev/null || die "installing ${missing[*]} did not work"
fi

resolve_shoal_binary
# The script works in its temporary directory: make the paths given relative to the caller's absolute.
[[ $shoal == /* ]] || shoal=$PWD/$shoal
[[ $out == /* ]] || out=$PWD/$out

# --- Processes and clean-up ------------------------------------------------------------------------------
mkdir -p "$tmp_parent"
work=$(mktemp -d "$tmp_parent/shoal-streaming-bench.XXXXXX")
work=$(cd "$work" && pwd)
cd "$work"
tracker_pid="" origin_pid="" sampler_pid="" mode_dir="" mode_kind="" launchers=()
# Stops the current mode's launchers (SIGTERM), then its players (SIGTERM) and watchers (shoal: SIGINT, a clean
# stop in which trackers hear 'stopped'; libtorrent: SIGTERM), all at once; SIGKILL for any left after 10 s.
# Background jobs of a non-interactive shell ignore SIGINT, hence SIGTERM for the scripts' own processes.
wait_gone() { # seconds pid...: waits until none of the pids is alive, at most that long
    local tenths=$(($1 * 10)) i pid alive
    shift
    for ((i = 0; i < tenths; i++)); do
        alive=0
        for pid in "$@"; do kill -0 "$pid" 2>/dev/null && { alive=1; break; }; done
        ((alive)) || return 0
        sleep 0.1
    done
    for pid in "$@"; do kill -KILL "$pid" 2>/dev/null || true; done
}
stop_mode_processes() {
    local pid f signal pids=()
    if ((${#launchers[@]})); then
        for pid in "${launchers[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
        wait_gone 5 "${launchers[@]}"
        for pid in "${launchers[@]}"; do wait "$pid" 2>/dev/null || true; done
        launchers=()
    fi
    [[ -n $mode_dir && -d $mode_dir ]] || return 0
    for f in "$mode_dir"/*.pid; do
        [[ -e $f ]] || continue
        pid=$(<"$f")
        signal=TERM
        [[ $f == */w*.pid && $mode_kind == shoal ]] && signal=INT
        kill -"$signal" "$pid" 2>/dev/null || true
        pids+=("$pid")
    done
    ((${#pids[@]} == 0)) || wait_gone 10 "${pids[@]}"
    rm -f "$mode_dir"/*.pid
}
cleanup() {
    stop_mode_processes
    stop_pid "$sampler_pid" TERM
    stop_pid "$origin_pid" INT
    stop_pid "$tracker_pid" TERM
    if [[ $keep == 1 ]]; then note "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() { "$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# Sleeps until `t0` + $1 seconds (t0: an $EPOCHREALTIME value).
sleep_until() {
    local s
    s=$(awk -v t0="$t0" -v at="$1" -v now="$EPOCHREALTIME" 'BEGIN { d = t0 + at - now; printf "%.3f", (d > 0 ? d : 0) }')
    sleep "$s"
}

# --- Video, torrent, tracker -----------------------------------------------------------------------------
video=$work/video.mp4
note "making a ${duration} s test video (854x480, 24 fps, H.264 CBR 1.6 Mbit/s + AAC 128 kbit/s)"
ffmpeg -v error -nostdin -y -f lavfi -i "testsrc2=size=854x480:rate=24" -f lavfi -i "sine=f=440:sample_rate=48000" \
    -t "$duration" -c:v libx264 -preset veryfast -profile:v high -pix_fmt yuv420p \
    -g 48 -keyint_min 48 -sc_threshold 0 -threads 1 \
    -b:v 1600k -minrate 1600k -maxrate 1600k -bufsize 1600k -x264-params nal-hrd=cbr \
    -c:a aac -b:a 128k -ac 2 -movflags +faststart "$video" || die "ffmpeg could not make the test video"

tracker_port=$(free_port)
announce=http://127.0.0.1:$tracker_port/announce
content=$work/content
name=stream
"$shoal" ingest "$video" -o "$content" --segment-duration 2 --tracker "$announce" --name "$name" -q >"$work/ingest.log" 2>&1 \
    || { cat "$work/ingest.log" >&2; die "shoal ingest failed (output above)"; }
torrent=$content/$name.torrent
info_hash=$(sed -n 's/^infohash: *\([0-9a-fA-F]\{40\}\)$/\1/p' "$work/ingest.log" | head -n1)
[[ -n $info_hash && -f $torrent ]] || { cat "$work/ingest.log" >&2; die "no infohash or torrent from shoal ingest"; }
info_hash=${info_hash,,}
ingest_bitrate=$(sed -n 's/^bitrate: *//p' "$work/ingest.log")
# The stream's average bit rate, in bytes/s, from what a player fetches: init + segments over the playlist's
# duration.
read -r bitrate_bytes piece_length piece_count segment_count < <("$python" - "$content/$name" "$torrent" <<'PY'
import os, re, sys
folder, torrent = sys.argv[1], sys.argv[2]
text = open(os.path.join(folder, "media.m3u8")).read()
durations = [float(d) for d in re.findall(r"^#EXTINF:([0-9.]+)", text, re.M)]
uris = [l for l in text.splitlines() if l and not l.startswith("#")]
init = re.search(r'#EXT-X-MAP:URI="([^"]+)"', text).group(1)
size = os.path.getsize(os.path.join(folder, init)) + sum(os.path.getsize(os.path.join(folder, u)) for u in uris)
raw = open(torrent, "rb").read()
piece = int(re.search(rb"12:piece lengthi(\d+)e", raw).group(1))
pieces = int(re.search(rb"6:pieces(\d+):", raw).group(1)) // 20
print(int(size / sum(durations)), piece, pieces, len(uris))
PY
)
is_uint "${bitrate_bytes:-}" && ((bitrate_bytes > 0)) || die "could not work out the stream's bit rate"
origin_cap=$((2 * bitrate_bytes))
watcher_cap=$((3 * bitrate_bytes / 2))
note "video: $segment_count segments, $((bitrate_bytes * 8 / 1000)) kbit/s ($bitrate_bytes B/s; ingest says $ingest_bitrate);" \
    "pieces of $piece_length bytes x $piece_count; caps: origin $origin_cap B/s, watchers $watcher_cap B/s"

tracker_dir=$work/tracker
mkdir -p "$tracker_dir"
chmod 755 "$tracker_dir"
echo "$info_hash" >"$tracker_dir/whitelist.txt"
chmod 644 "$tracker_dir/whitelist.txt"
# Debian's opentracker accepts whitelisted infohashes only; as root it changes root into -d and drops to nobody,
# so the whitelist path is relative to that folder. A fresh tracker per mode: no stale peers from the last one.
start_tracker() {
    local i
    opentracker -i 127.0.0.1 -p "$tracker_port" -P "$tracker_port" -d "$tracker_dir" -w /whitelist.txt \
        >"$work/tracker.log" 2>&1 &
    tracker_pid=$!
    for ((i = 0; i < 100; i++)); do
        if ss -Htln "sport = :$tracker_port" | grep -q .; then return 0; fi
        kill -0 "$tracker_pid" 2>/dev/null || break
        sleep 0.1
    done
    cat "$work/tracker.log" >&2
    die "opentracker did not listen on 127.0.0.1:$tracker_port"
}
stop_tracker() { stop_pid "$tracker_pid" TERM; tracker_pid=""; }

# --- One mode ----------------------------------------------------------------------------------------------
start_origin() {
    local log=$mode_dir/origin.log i
    : >"$log"
    # shellcheck disable=SC2086 # BENCH_SHOAL_ARGS is a list of words
    "$shoal" seed "$torrent" --data "$content" --port 0 --bind 127.0.0.1 --max-upload-rate "$origin_cap" -q \
        ${BENCH_SHOAL_ARGS:-} >"$log" 2>&1 &
    origin_pid=$!
    origin_port=""
    for ((i = 0; i < 1200; i++)); do
        origin_port=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9][0-9]*\)$/\1/p' "$log")
        [[ -n $origin_port ]] && return 0
        kill -0 "$origin_pid" 2>/dev/null || { cat "$log" >&2; die "the origin exited before serving (output above)"; }
        sleep 0.1
    done
    cat "$log" >&2
    die "the origin was not serving after 120 s (output above)"
}
stop_origin() { stop_pid "$origin_pid" INT; origin_pid=""; }

# Every second, the local addresses of the origin's TCP connections: a watcher sees a connection the origin
# dialled as coming from one of them, not from its listen port.
sample_origin() {
    local pid=$1 file=$2
    while kill -0 "$pid" 2>/dev/null; do
        ss -Htnp state established 2>/dev/null | awk -v p="pid=$pid," 'index($0, p) { print $3 }' >>"$file" || true
        sleep 1
    done
}

# Sets `hls` to the URL of the `HLS: URL` line of a watcher's output; fails while there is none (no fork).
find_hls() {
    local line
    hls=""
    [[ -s $1 ]] || return 1
    while IFS= read -r line; do
        if [[ $line == "HLS: "* ]]; then hls=${line#HLS: }; return 0; fi
    done <"$1"
    return 1
}

# Runs in the background: at t0 + offset, starts shoal watcher i, waits for its HLS line, runs the player.
launch_shoal() {
    local i=$1 offset=$2 mode=$3 d=$mode_dir wpid ppid rc=0
    sleep_until "$offset"
    echo "$EPOCHREALTIME" >"$d/w$i.launched"
    # shellcheck disable=SC2086 # BENCH_SHOAL_ARGS is a list of words
    "$shoal" watch "$torrent" --peer "127.0.0.1:$origin_port" --port 0 --bind 127.0.0.1 --http-port 0 \
        --player none --max-upload-rate "$watcher_cap" --streaming-mode "$mode" -o "$d/w$i" --quiet \
        ${BENCH_SHOAL_ARGS:-} >"$d/w$i.log" 2>"$d/w$i.err" &
    wpid=$!
    echo "$wpid" >"$d/w$i.pid"
    until find_hls "$d/w$i.log"; do
        if ! kill -0 "$wpid" 2>/dev/null; then
            echo "shoal watch exited before printing its HLS line" >"$d/w$i.fail"
            return 0
        fi
        sleep 0.05
    done
    echo "$EPOCHREALTIME" >"$d/w$i.hls"
    echo "$hls" >"$d/w$i.url"
    # shellcheck disable=SC2086 # BENCH_PLAYER_ARGS is a list of words
    "$python" "$player" "$hls" --target "$target" ${BENCH_PLAYER_ARGS:-} >"$d/p$i.json" 2>"$d/p$i.err" &
    ppid=$!
    echo "$ppid" >"$d/p$i.pid"
    wait "$ppid" || rc=$?
    rm -f "$d/p$i.pid"
    ((rc == 0)) || echo "virtual_player.py exited with status $rc: $(tail -n1 "$d/p$i.err")" >"$d/w$i.fail"
}

# Runs in the background: at t0 + offset, starts libtorrent watcher i (it keeps seeding after its playback)
# and returns once it has printed its JSON line or exited.
launch_lt() {
    local i=$1 offset=$2 d=$mode_dir wpid
    sleep_until "$offset"
    echo "$EPOCHREALTIME" >"$d/w$i.launched"
    "$python" "$lt_watcher" "$torrent" "$d/w$i" 0 "127.0.0.1:$origin_port" "$watcher_cap" --target "$target" \
        --window "$lt_window" --keep-seeding >"$d/p$i.json" 2>"$d/p$i.err" &
    wpid=$!
    echo "$wpid" >"$d/w$i.pid"
    until [[ -s $d/p$i.json ]]; do
        if ! kill -0 "$wpid" 2>/dev/null; then
            [[ -s $d/p$i.json ]] || echo "lt_watcher.py exited: $(tail -n1 "$d/p$i.err")" >"$d/w$i.fail"
            return 0
        fi
        sleep 0.5
    done
}

# The join schedule of a round: one offset (seconds from t0) per watcher, seeded, the same for every mode.
schedule() {
    "$python" -c 'import random, sys
n, stagger, seed = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
rng = random.Random(seed)
print(" ".join("%.3f" % t for t in sorted(rng.uniform(0, stagger) for _ in range(n))))' "$watchers" "$stagger" "$1"
}

# Reads every shoal watcher's /api/torrents/<infohash> into w<i>.api.json (one python for all of them).
read_apis() {
    "$python" - "$mode_dir" "$watchers" "$info_hash" <<'PY'
import json, os, sys, urllib.parse, urllib.request
folder, count, info_hash = sys.argv[1], int(sys.argv[2]), sys.argv[3]
for i in range(count):
    path = os.path.join(folder, "w%d.url" % i)
    if not os.path.exists(path):
        continue
    parts = urllib.parse.urlsplit(open(path).read().strip())
    url = "%s://%s/api/torrents/%s" % (parts.scheme, parts.netloc, info_hash)
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            body = json.loads(response.read().decode("utf-8"))
    except Exception as error:  # the API may not exist yet: the report says n/a
        body = {"_error": "%s: %s" % (url, error)}
    with open(os.path.join(folder, "w%d.api.json" % i), "w") as out:
        json.dump(body, out)
PY
}

# Reads the origin's own /api/torrents/<infohash> (it serves a video torrent: `HLS:` in its log) into
# origin.api.json: its `uploaded` is every byte it sent, the same measure for shoal and libtorrent watchers.
read_origin_api() {
    "$python" - "$mode_dir" "$info_hash" <<'PY'
import json, os, sys, urllib.parse, urllib.request
folder, info_hash = sys.argv[1], sys.argv[2]
line = next((l for l in open(os.path.join(folder, "origin.log")) if l.startswith("HLS: ")), None)
body = {"_error": "no HLS line in origin.log"}
if line:
    parts = urllib.parse.urlsplit(line[5:].strip())
    url = "%s://%s/api/torrents/%s" % (parts.scheme, parts.netloc, info_hash)
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            body = json.loads(response.read().decode("utf-8"))
    except Exception as error:
        body = {"_error": "%s: %s" % (url, error)}
with open(os.path.join(folder, "origin.api.json"), "w") as out:
    json.dump(body, out)
PY
}

# Figures of one mode as one JSON line (appended to $work/results.jsonl).
aggregate() { # round mode kind
    "$python" - "$mode_dir" "$watchers" "$1" "$2" "$3" "$origin_port" <<'PY'
import json, math, os, sys
folder, count, rnd, mode, kind, origin_port = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5], sys.argv[6]
origin = {"127.0.0.1:%s" % origin_port}
path = os.path.join(folder, "origin-endpoints.txt")
if os.path.exists(path):
    origin.update(line.strip() for line in open(path) if line.strip())
def load(name):
    try:
        with open(os.path.join(folder, name)) as f:
            text = f.read().strip()
        return json.loads(text.splitlines()[-1]) if text else None
    except (OSError, ValueError):
        return None
def nearest_rank(values, q):
    values = sorted(values)
    return values[max(0, math.ceil(q * len(values)) - 1)] if values else None
players, fails, notes, apis = [], [], [], []
for i in range(count):
    p = load("p%d.json" % i)
    if p is None or "startup_s" not in p:
        fail = os.path.join(folder, "w%d.fail" % i)
        fails.append(open(fail).read().strip() if os.path.exists(fail) else "no result")
        continue
    players.append(p)
    if kind == "shoal":
        apis.append(load("w%d.api.json" % i))
row = {"round": rnd, "mode": mode, "kind": kind, "watchers": count, "ok": len(players), "failures": fails[:3],
       "failed": len(fails)}
startups = [p["startup_s"] for p in players]
row["startup_p50"] = nearest_rank(startups, 0.50)
row["startup_p95"] = nearest_rank(startups, 0.95)
row["stalls"] = sum(p["stalls"] for p in players) if players else None
stall = sum(p["stall_s"] for p in players)
played = sum(p["played_s"] for p in players)
row["stall_s"] = round(stall, 3)
row["stall_ratio"] = stall / (played + stall) if played + stall > 0 else None
row["retries"] = sum(p.get("retries", 0) for p in players)
row["errors"] = sum(p.get("errors", 0) for p in players)
if kind == "libtorrent":
    row["misses"] = sum(p["deadline_misses"] for p in players) if players else None
    from_origin = total = 0
    for p in players:
        peers = p.get("by_peer", {})
        origin_pids = {e["pid"] for k, e in peers.items() if k == "127.0.0.1:%s" % origin_port and e.get("pid")}
        for key, entry in peers.items():
            total += entry["bytes"]
            if key in origin or entry.get("pid") in origin_pids:
                from_origin += entry["bytes"]
    row["offload"] = 1 - from_origin / total if total else None
    row["offload_kind"] = "exact"
    row["bytes_from_origin"], row["bytes_received"] = from_origin, total
else:
    good = [a for a in apis if a and "_error" not in a]
    if len(good) < len(apis):
        notes.append("%d watcher API answers missing (%s)" % (len(apis) - len(good),
                     next((a["_error"] for a in apis if a and "_error" in a), "no answer")))
    misses = [a.get("quality", {}).get("deadlineMissesWhilePlaying") for a in good]
    all_misses = [a.get("quality", {}).get("deadlineMisses") for a in good]
    if good and len(good) == len(players) and all(isinstance(m, int) for m in misses + all_misses):
        row["misses"] = sum(misses)
        row["misses_total"] = sum(all_misses)
    else:
        row["misses"] = row["misses_total"] = None
        notes.append("quality.deadlineMisses(WhilePlaying) missing from /api/torrents/<infohash>")
    if good and len(good) == len(players) and all(isinstance(a.get("sources"), list) for a in good):
        from_origin = total = 0
        for a in good:
            for source in a["sources"]:
                total += source["bytes"]
                if source["peer"] in origin:
                    from_origin += source["bytes"]
        row["offload"] = 1 - from_origin / total if total else None
        row["offload_kind"] = "exact"
        row["bytes_from_origin"], row["bytes_received"] = from_origin, total
    elif good and len(good) == len(players) and all(isinstance(a.get("bytesFromSeeds"), int) and isinstance(a.get("bytesFromPeers"), int) for a in good):
        # Bytes from seeds include watchers that had finished: offload is at least the share from non-seeds.
        seeds = sum(a["bytesFromSeeds"] for a in good)
        peers = sum(a["bytesFromPeers"] for a in good)
        row["offload"] = peers / (seeds + peers) if seeds + peers else None
        row["offload_kind"] = "lower-bound"
        notes.append("no `sources` in /api/torrents/<infohash>: offload is a lower bound (bytesFromPeers / all;"
                     " bytes from finished watchers count as the origin's)")
    else:
        row["offload"] = None
        row["offload_kind"] = None
        notes.append("no `sources` (nor bytesFromSeeds/bytesFromPeers) in /api/torrents/<infohash>: offload n/a")
# Preferred: the origin's own count of bytes sent over all bytes the watchers received (for shoal watchers their
# accepted payload, `downloaded`; for libtorrent the sum over its peers). Exact for both kinds alike.
origin_api = load("origin.api.json") or {}
if isinstance(origin_api.get("uploaded"), int):
    if kind == "libtorrent":
        received = sum(sum(e["bytes"] for e in p.get("by_peer", {}).values()) for p in players)
    else:
        good = [a for a in apis if a and isinstance(a.get("downloaded"), int)]
        received = sum(a["downloaded"] for a in good) if len(good) == len(players) else 0
    if received:
        row["offload"] = max(0.0, 1 - origin_api["uploaded"] / received)
        row["offload_kind"] = "exact"
        row["bytes_from_origin"], row["bytes_received"] = origin_api["uploaded"], received
        notes[:] = [n for n in notes if "offload" not in n]
# Received payload of no use (had already, or no longer wanted): shoal's redundantBytes, libtorrent's
# total_redundant_bytes; a share of all payload received.
if kind == "libtorrent":
    sources = [(p.get("redundant"), p.get("bytes")) for p in players]
else:
    sources = [(a.get("redundantBytes"), a.get("downloaded")) for a in apis if a and "_error" not in a]
if sources and len(sources) == len(players) and all(isinstance(r, int) and isinstance(b, int) for r, b in sources):
    wasted = sum(r for r, _ in sources)
    received = wasted + sum(b for _, b in sources)
    row["redundant"] = wasted / received if received else None
else:
    row["redundant"] = None
launch = []
for i in range(count):
    try:
        a = float(open(os.path.join(folder, "w%d.launched" % i)).read())
        b = float(open(os.path.join(folder, "w%d.hls" % i)).read())
        launch.append(b - a)
    except (OSError, ValueError):
        pass
row["launch_to_hls_p50"] = nearest_rank(launch, 0.5)
row["notes"] = notes
print(json.dumps(row))
PY
}

# One mode of one round: origin, watchers on the schedule, players, figures, clean-up.
run_mode() { # round mode offsets...
    local round=$1 mode=$2 kind=shoal i deadline_s now_s alive pid
    shift 2
    local offsets=("$@")
    [[ $mode == libtorrent ]] && kind=libtorrent
    mode_kind=$kind
    mode_dir=$work/round$round-$mode
    mkdir -p "$mode_dir"
    start_tracker
    start_origin
    : >"$mode_dir/origin-endpoints.raw"
    sample_origin "$origin_pid" "$mode_dir/origin-endpoints.raw" &
    sampler_pid=$!
    wait_for_quiet
    note "round $round/$rounds, $mode: origin on 127.0.0.1:$origin_port, $watchers watchers joining within $stagger s"
    t0=$EPOCHREALTIME
    launchers=()
    for ((i = 0; i < watchers; i++)); do
        if [[ $kind == shoal ]]; then launch_shoal "$i" "${offsets[i]}" "$mode" & else launch_lt "$i" "${offsets[i]}" & fi
        launchers+=($!)
    done
    deadline_s=$((stagger + 2 * duration + extra_timeout))
    while :; do
        alive=0
        for pid in "${launchers[@]}"; do kill -0 "$pid" 2>/dev/null && { alive=1; break; }; done
        ((alive)) || break
        now_s=$(awk -v t0="$t0" -v now="$EPOCHREALTIME" 'BEGIN { printf "%d", now - t0 }')
        if ((now_s > deadline_s)); then
            note "round $round, $mode: players still running after $deadline_s s; stopping them"
            break
        fi
        sleep 1
    done
    [[ $kind == shoal ]] && read_apis
    read_origin_api
    stop_mode_processes
    stop_pid "$sampler_pid" TERM
    sampler_pid=""
    stop_origin
    stop_tracker
    sort -u "$mode_dir/origin-endpoints.raw" >"$mode_dir/origin-endpoints.txt"
    aggregate "$round" "$mode" "$kind" >>"$work/results.jsonl" || die "could not aggregate $mode_dir"
    note "$(tail -n1 "$work/results.jsonl" | "$python" -c 'import json, sys
r = json.load(sys.stdin)
f = lambda v, fmt: "n/a" if v is None else fmt % v
print("%s: %d/%d players finished, startup p50 %s s p95 %s s, %s stalls (ratio %s), %s deadline misses, offload %s%s" % (
    r["mode"], r["ok"], r["watchers"], f(r["startup_p50"], "%.2f"), f(r["startup_p95"], "%.2f"), f(r["stalls"], "%d"),
    f(r["stall_ratio"], "%.4f"), f(r["misses"], "%d"), f(r["offload"] and 100 * r["offload"], "%.1f%%"),
    "" if r["offload_kind"] != "lower-bound" else " (lower bound)"))')"
    # The watchers' copies of the video are not needed any more.
    for ((i = 0; i < watchers; i++)); do rm -rf "${mode_dir:?}/w$i"; done
    mode_dir=""
}

# --- Runs ----------------------------------------------------------------------------------------------------
all_modes=("${modes[@]}")
((with_lt)) && all_modes+=(libtorrent)
: >"$work/results.jsonl"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for ((r = 1; r <= rounds; r++)); do
    read -r -a offsets <<<"$(schedule $((rng_seed + r - 1)))"
    note "round $r/$rounds: join offsets (s) ${offsets[*]}"
    for mode in "${all_modes[@]}"; do
        run_mode "$r" "$mode" "${offsets[@]}"
    done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# --- Report ------------------------------------------------------------------------------------------------
report=$("$python" - "$work/results.jsonl" "$(IFS=,; echo "${all_modes[*]}")" <<'PY'
import json, statistics, sys
rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
order = sys.argv[2].split(",")
def med(mode, key):
    values = [r[key] for r in rows if r["mode"] == mode and r.get(key) is not None]
    return statistics.median(values) if values else None
def kind_of(mode):
    kinds = [r.get("offload_kind") for r in rows if r["mode"] == mode]
    return "lower-bound" if "lower-bound" in kinds else ("exact" if "exact" in kinds else None)
keys = ["startup_p50", "startup_p95", "stalls", "stall_ratio", "misses", "offload"]
lower_better = {"startup_p50": True, "startup_p95": True, "stalls": True, "stall_ratio": True, "misses": True, "offload": False}
figures = {m: {k: med(m, k) for k in keys} for m in order}
def fmt(key, v, mode=None):
    if v is None:
        return "n/a"
    if key.startswith("startup"):
        return "%.2f" % v
    if key == "stall_ratio":
        return "%.2f%%" % (100 * v)
    if key == "offload":
        return ("≥ " if mode and kind_of(mode) == "lower-bound" else "") + "%.1f%%" % (100 * v)
    return "%g" % v
def compare(key, s, l):
    """(text, verdict) of shoal's figure s against libtorrent's l: verdict True = better (or both zero)."""
    if s is None or l is None:
        return "n/a", None
    if lower_better[key]:
        if l == 0:
            return ("= 0" if s == 0 else "%s vs 0" % fmt(key, s)), s == 0
        return "%.2f" % (s / l), s < l
    if l == 0:
        return "n/a", s > 0
    return "%.2f" % (s / l), s > l
lt = figures.get("libtorrent")
names = {"startup_p50": "startup p50", "startup_p95": "p95", "stalls": "stalls", "stall_ratio": "stall ratio",
         "misses": "misses", "offload": "offload"}
print("| mode | startup p50 (s) | startup p95 (s) | stalls | stall ratio | deadline misses | origin offload | vs libtorrent: better on |")
print("|---|---:|---:|---:|---:|---:|---:|---|")
verdicts = {}
for mode in order:
    f = figures[mode]
    if mode == "libtorrent" or lt is None:
        cmp_text = "(anchor)" if mode == "libtorrent" else "n/a"
    else:
        v = {k: compare(k, f[k], lt[k])[1] for k in keys}
        verdicts[mode] = v
        known = [k for k in keys if v[k] is not None]
        cmp_text = "%d of %d%s" % (sum(1 for k in known if v[k]), len(known),
                                   "" if len(known) == len(keys) else " (%d n/a)" % (len(keys) - len(known)))
    print("| %s | %s | %s | %s | %s | %s | %s | %s |" % (
        mode if mode != "libtorrent" else "libtorrent (set_piece_deadline)",
        fmt("startup_p50", f["startup_p50"]), fmt("startup_p95", f["startup_p95"]), fmt("stalls", f["stalls"]),
        fmt("stall_ratio", f["stall_ratio"]), fmt("misses", f["misses"]), fmt("offload", f["offload"], mode), cmp_text))
if lt is not None and len(order) > 1:
    print()
    print("Ratios shoal / libtorrent (lower is better; offload: higher is better):")
    print()
    print("| mode | " + " | ".join(names[k] for k in keys) + " |")
    print("|---|" + "---:|" * len(keys))
    for mode in order:
        if mode == "libtorrent":
            continue
        print("| %s | %s |" % (mode, " | ".join(compare(k, figures[mode][k], lt[k])[0] for k in keys)))
print()
d = figures.get("deadline")
if d is not None:
    def verdict(ok):
        return "n/a " if ok is None else ("PASS" if ok else "FAIL")
    checks = [
        ("zero stalls", None if d["stalls"] is None else d["stalls"] == 0, fmt("stalls", d["stalls"])),
        ("startup p95 <= 2 s", None if d["startup_p95"] is None else d["startup_p95"] <= 2.0, fmt("startup_p95", d["startup_p95"]) + " s"),
        # A lower bound at or above 85% passes; below it, the true figure is unknown.
        ("offload >= 85%", None if d["offload"] is None else (True if d["offload"] >= 0.85 else
                                                             (False if kind_of("deadline") == "exact" else None)),
         fmt("offload", d["offload"], "deadline")),
    ]
    if lt is not None:
        v = verdicts["deadline"]
        worse = [names[k] for k in keys if v[k] is False]
        unknown = [names[k] for k in keys if v[k] is None]
        ok = False if worse else (None if unknown else True)
        detail = ("worse or equal: " + ", ".join(worse)) if worse else ("n/a: " + ", ".join(unknown) if unknown else "all six")
        checks.append(("better than libtorrent on every figure", ok, detail))
    for i, (label, ok, detail) in enumerate(checks, 1):
        print("target %d, deadline mode, %-40s %s (%s)" % (i, label + ":", verdict(ok), detail))
notes = []
for r in rows:
    for n in r.get("notes", []):
        text = "%s: %s" % (r["mode"], n)
        if text not in notes:
            notes.append(text)
    if r["failed"]:
        notes.append("round %d, %s: %d of %d watchers gave no result (%s)" % (
            r["round"], r["mode"], r["failed"], r["watchers"], "; ".join(r["failures"])))
if notes:
    print()
    for n in notes:
        print("note: " + n)
PY
)
passes=$(grep -cE '^target .*: +PASS' <<<"$report" || true)
targets=$(grep -cE '^target ' <<<"$report" || true)

describe_build
lt_version=n/a
((with_lt)) && lt_version=$("$python" -c 'import libtorrent; print(libtorrent.__version__)')
per_round=$("$python" -c 'import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    f = lambda v, fmt: "n/a" if v is None else fmt % v
    print("round %d  %-13s %2d/%-2d ok  startup p50 %5s p95 %5s s  stalls %3s (%6s s, ratio %s)  misses %4s%s  offload %6s  redundant %6s  launch->HLS p50 %s s  retries %d" % (
        r["round"], r["mode"], r["ok"], r["watchers"], f(r["startup_p50"], "%.2f"), f(r["startup_p95"], "%.2f"),
        f(r["stalls"], "%d"), f(r["stall_s"], "%.1f"), f(r["stall_ratio"], "%.4f"), f(r["misses"], "%d"),
        " (%d with startup)" % r["misses_total"] if r.get("misses_total") is not None else "",
        f(r["offload"] and 100 * r["offload"], "%.1f%%"), f(r.get("redundant") and 100 * r["redundant"], "%.1f%%"),
        f(r["launch_to_hls_p50"], "%.2f"), r["retries"]))' "$work/results.jsonl")

mkdir -p "$(dirname "$out")"
{
    echo "shoal streaming swarm vs libtorrent, loopback — $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
    echo "machine:   $(nproc) cores ($cpu_model), $(uname -sr)"
    echo "versions:  $("$shoal" version 2>/dev/null | head -n1) ($commit), libtorrent $lt_version"
    echo "video:     ${duration} s, 854x480 24 fps H.264 + AAC, $segment_count segments, $((bitrate_bytes * 8 / 1000)) kbit/s average" \
        "(B = $bitrate_bytes B/s), $piece_count pieces of $piece_length bytes; infohash $info_hash"
    echo "swarm:     origin shoal seed capped at 2B = $origin_cap B/s; $watchers watchers joining within $stagger s" \
        "(seed $rng_seed), each capped at 1.5B = $watcher_cap B/s; opentracker; player buffer target $target s;" \
        "libtorrent deadline window $lt_window s; $rounds round(s)"
    echo "load avg:  $load_before before, $load_after after (1/5/15 min); waited $waits s for quiet CPUs," \
        "$busy_runs mode(s) started on a busy machine"
    echo
    printf '%s\n' "$per_round"
    echo
    echo "$report"
    echo
    echo "startup: shoal from the virtual player's first playlist request, libtorrent from add_torrent (both after"
    echo "process start), to the init segment and the first media segment fully received. percentiles: nearest rank."
    echo "stall ratio: total stall time / (played + stall time). offload: 1 - bytes from the origin / bytes received."
} | tee "$out"
note "report written to $out"

if [[ $strict == 1 && $passes != "$targets" ]]; then exit 2; fi
