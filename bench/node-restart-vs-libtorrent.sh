#!/usr/bin/env bash
# Benchmark: how soon a restarted node serves again, Shoal against libtorrent, side by side.
#
# Both hold the same library: BENCH_TORRENTS small torrents whose data is absent (metadata only) and one torrent
# of BENCH_BIG_GIB GiB whose data is on disk and verified. Each side is prepared once (Shoal: `shoal node` given
# the torrents with `shoal add`, stopped cleanly; libtorrent: a session given the torrents, its resume data
# saved with `save_resume_data`). Then, in each round, each is started again on its saved state and a probe
# (bench/scripts/first_byte.py) connects to its peer port, handshakes for the big torrent, and asks for the first
# 16 KiB block: the time from launching the process to receiving that block is "restart to first byte served".
#   shoal:      shoal node --data-dir DIR --port P --bind 127.0.0.1 --api-port 0
#   libtorrent: bench/scripts/lt_library.py serve STATE P   (python3-libtorrent, resume data, not auto-managed)
# Target: Shoal no slower (ratio shoal/libtorrent of the medians <= 1.00). The report goes to
# bench/out/node-restart-latest.txt. See docs/benchmarks.md.
#
# Environment (all optional):
#   SHOAL_SCRATCH_PATH / SHOAL_BIN   as for the other benchmarks
#   BENCH_TORRENTS     small torrents (metadata only)                (default: 1000)
#   BENCH_BIG_GIB      size of the torrent with data, GiB            (default: 10)
#   BENCH_ROUNDS       rounds, each restarting both once             (default: 5)
#   BENCH_TMPDIR       parent of the temporary directory             (default: /tmp)
#   BENCH_IDLE_WAIT    seconds to wait for >= 90% idle CPUs before each start (default: 30)
#   BENCH_PYTHON       the python that imports libtorrent            (default: /usr/bin/python3)
#   BENCH_OUT          report file                                   (default: bench/out/node-restart-latest.txt)
set -euo pipefail
export LC_ALL=C

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
scratch=${SHOAL_SCRATCH_PATH:-$repo/.build}
torrents=${BENCH_TORRENTS:-1000}
big_gib=${BENCH_BIG_GIB:-10}
rounds=${BENCH_ROUNDS:-5}
tmp_parent=${BENCH_TMPDIR:-/tmp}
idle_wait=${BENCH_IDLE_WAIT:-30}
python=${BENCH_PYTHON:-/usr/bin/python3}
out=${BENCH_OUT:-$repo/bench/out/node-restart-latest.txt}
probe=$repo/bench/scripts/first_byte.py
lt_library=$repo/bench/scripts/lt_library.py

die() { echo "node-restart-vs-libtorrent: $*" >&2; exit 1; }
note() { echo "==> $*" >&2; }
[[ $torrents =~ ^[0-9]+$ ]] || die "BENCH_TORRENTS must be a whole number (got '$torrents')"
[[ $big_gib =~ ^[1-9][0-9]*$ ]] || die "BENCH_BIG_GIB must be a whole number >= 1 (got '$big_gib')"
[[ $rounds =~ ^[1-9][0-9]*$ ]] || die "BENCH_ROUNDS must be a whole number >= 1 (got '$rounds')"
"$python" -c 'import libtorrent' 2>/dev/null || die "$python cannot import libtorrent (apt-get install python3-libtorrent)"

# shellcheck source=bench/common.sh
source "$repo/bench/common.sh"
resolve_shoal_binary

mkdir -p "$tmp_parent"
work=$(mktemp -d "$tmp_parent/shoal-restart-bench.XXXXXX")
server_pid=""
stop_server() {
    [[ -n $server_pid ]] || return 0
    kill -INT "$server_pid" 2>/dev/null || true
    local i
    for ((i = 0; i < 300; i++)); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
}
cleanup() { stop_server; rm -rf "$work"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

avail_kib=$(df -Pk "$work" | awk 'NR == 2 { print $4 }')
((avail_kib > big_gib * 1024 * 1024 + 1048576)) || die "not enough space in $tmp_parent for $big_gib GiB"

free_port() { "$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
now() { "$python" -c 'import time; print("%.6f" % time.time())'; }
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# --- The library -------------------------------------------------------------------------------------
note "writing $big_gib GiB of random bytes"
mkdir -p "$work/content" "$work/small" "$work/small-data"
head -c $((big_gib * 1024 * 1024 * 1024)) /dev/urandom >"$work/content/big.bin"
"$shoal" create "$work/content/big.bin" -o "$work/big.torrent" -q >/dev/null || die "shoal create failed"
big_hash=$("$shoal" info "$work/big.torrent" --json | sed -n 's/^ *"infoHash" *: *"\([0-9a-f]*\)".*/\1/p' | head -n1)
note "making $torrents small torrents (metadata only)"
"$python" - "$work/small" "$torrents" <<'PY'
import os, sys
import libtorrent as lt
folder, count = sys.argv[1], int(sys.argv[2])
for i in range(count):
    info = {b"name": b"small-%04d.bin" % i, b"length": 1048576, b"piece length": 262144,
            b"pieces": os.urandom(20 * 4)}
    with open(os.path.join(folder, "small-%04d.torrent" % i), "wb") as out:
        out.write(lt.bencode({b"info": info}))
PY

note "preparing Shoal's library"
shoal_state=$work/shoal-state
"$shoal" node --data-dir "$shoal_state" --port 0 --bind 127.0.0.1 --api-port 0 >"$work/node.log" 2>&1 &
server_pid=$!
for ((i = 0; i < 300; i++)); do grep -q '^control API on' "$work/node.log" && break; sleep 0.1; done
grep -q '^control API on' "$work/node.log" || { cat "$work/node.log" >&2; die "shoal node did not start"; }
"$shoal" add "$work/big.torrent" --save-to "$work/content" --data-dir "$shoal_state" >/dev/null
for torrent in "$work"/small/*.torrent; do
    "$shoal" add "$torrent" --save-to "$work/small-data" --data-dir "$shoal_state" >/dev/null
done
for ((i = 0; i < 6000; i++)); do
    "$shoal" show "$big_hash" --data-dir "$shoal_state" --json | grep -q '"state":"seeding"' && break
    sleep 0.1
done
"$shoal" show "$big_hash" --data-dir "$shoal_state" --json | grep -q '"state":"seeding"' \
    || die "shoal never finished checking the big torrent"
stop_server

note "preparing libtorrent's session (resume data)"
lt_state=$work/lt-state
"$python" "$lt_library" prepare "$lt_state" "$work/content" "$work/big.torrent" "$work"/small/*.torrent >/dev/null \
    || die "libtorrent could not prepare its session"

# --- Rounds ----------------------------------------------------------------------------------------
declare -a shoal_times=() lt_times=()
measure() { # tool -> prints seconds from launch to the first block
    local tool=$1 port t0 result
    port=$(free_port)
    wait_for_quiet
    t0=$(now)
    case $tool in
        shoal) "$shoal" node --data-dir "$shoal_state" --port "$port" --bind 127.0.0.1 --api-port 0 >"$work/server.log" 2>&1 & ;;
        libtorrent) "$python" "$lt_library" serve "$lt_state" "$port" >"$work/server.log" 2>&1 & ;;
    esac
    server_pid=$!
    if ! result=$("$python" "$probe" "$port" "$big_hash" "$t0" 120); then
        cat "$work/server.log" >&2
        die "$tool served no block"
    fi
    stop_server
    echo "$result"
}
for ((r = 1; r <= rounds; r++)); do
    if ((r % 2)); then order=(shoal libtorrent); else order=(libtorrent shoal); fi
    for tool in "${order[@]}"; do
        seconds=$(measure "$tool")
        note "round $r  $tool  $seconds s"
        if [[ $tool == shoal ]]; then shoal_times+=("$seconds"); else lt_times+=("$seconds"); fi
    done
done

shoal_median=$(median "${shoal_times[@]}")
lt_median=$(median "${lt_times[@]}")
ratio=$(awk -v a="$shoal_median" -v b="$lt_median" 'BEGIN { printf "%.3f", a / b }')
verdict=$(awk -v r="$ratio" 'BEGIN { print (r <= 1) ? "PASS" : "FAIL" }')
commit=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)
mkdir -p "$(dirname "$out")"
{
    echo "node restart vs libtorrent session load — $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
    echo "machine:   $(nproc) cores, $(uname -sr); shoal commit $commit; libtorrent $("$python" -c 'import libtorrent; print(libtorrent.__version__)')"
    echo "library:   $torrents torrents of 1 MiB without data + one of $big_gib GiB with verified data; $rounds rounds; waited $waits s for quiet CPUs, $busy_runs busy starts"
    echo
    echo "restart to first byte served (s): shoal ${shoal_times[*]}"
    echo "                                  libtorrent ${lt_times[*]}"
    echo "median: shoal $shoal_median s, libtorrent $lt_median s"
    echo "target, shoal no slower than libtorrent: $verdict (ratio $ratio)"
} | tee "$out"
