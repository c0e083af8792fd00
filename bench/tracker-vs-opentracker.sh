#!/usr/bin/env bash
# Benchmark: `shoal tracker` against opentracker (Debian's), HTTP announces driven by wrk, side by side.
#
# Swarms: --swarms (default 1,000) infohashes (SHA-1 of "shoal-tracker-bench-N"), --peers (default 50) peers each;
# all peers are 127.0.0.1, told apart by port (peer p announces port 10000 + p; 20% are seeders, left=0).
# Each round starts both trackers fresh on 127.0.0.1 (opentracker first in odd rounds, shoal first in even ones):
#   opentracker  opentracker -i 127.0.0.1 -p PORT -P PORT -d DIR -w /wl.txt   (the infohashes whitelisted; as
#                root it changes root into DIR and runs as nobody)
#   shoal        shoal tracker --port PORT --bind 127.0.0.1 --open --database DIR/tracker.sqlite
# and, for each:
#   1. probe     bench/scripts/tracker_prefill.py probe: does it close the connection after each reply
#                without saying so (then wrk counts one read error per reply, which is not a failure)?
#   2. prefill   every (swarm, peer) announces event=started once (tracker_prefill.py prefill), and every swarm
#                must then hold --peers peers (tracker_prefill.py verify: complete + incomplete)
#   3. HTTP      wrk -t THREADS -c CONNECTIONS -d DURATION -s bench/scripts/tracker-announce.lua: compact=1,
#                numwant=50, a random peer per request, mostly plain re-announces (95%), 2% started, 2%
#                completed, 1% stopped (a stopped peer comes back with started). Every request carries
#                `Connection: close` (a new TCP connection per announce, as real clients make one announce
#                every half hour, and as opentracker does anyway); --keep-alive drops the header. Every reply
#                is checked (status 200, bencoded, no "failure reason"; --no-check skips that, which is lighter
#                on the client). Figures: requests/s, latency p50/p99 (wrk: from writing the request to the whole
#                reply), the tracker's CPU (utime + stime from /proc/PID/stat) per announce, and its RSS
#                (VmRSS and peak VmHWM from /proc/PID/status) right after the run.
#   4. UDP       (unless --no-udp) bench/scripts/udp_announce_load.py: BEP 15 connect + announces of the same mix,
#                --udp-concurrency in flight, for --udp-duration s. One Python process: its CPU share is
#                reported; near 1.0 it is the limit, not the tracker. Shoal's UDP address is the udp:// URL
#                `shoal tracker` prints (none printed: n/a).
# Medians over the rounds; ratios shoal/opentracker. Target: shoal's HTTP requests/s >= opentracker's.
# A run with errors (socket errors other than the expected close after a reply, non-200 replies, failure
# replies, malformed replies, timeouts) is flagged in the report and the exit status is 3.
# The report (Markdown) goes to stdout; it and every raw output (wrk, probe, prefill, verify, UDP, tracker logs)
# go to bench/out/tracker-<UTC timestamp>/, and the report also to bench/out/tracker-latest.md.
#
# Usage: bench/tracker-vs-opentracker.sh [--rounds N] [--duration S] [--connections N] [--threads N]
#                                        [--swarms N] [--peers N] [--only shoal|opentracker] [--no-udp]
#                                        [--udp-duration S] [--udp-concurrency N] [--keep-alive] [--no-check]
#                                        [--seed N]
#   --rounds N           rounds, each running both trackers              (default 3)
#   --duration S         seconds of each wrk run                         (default 20)
#   --connections N      wrk connections                                 (default 32)
#   --threads N          wrk threads                                     (default 2)
#   --swarms N / --peers N   swarms and peers per swarm                  (default 1000 / 50)
#   --only TRACKER       run one tracker (no ratios): shoal or opentracker
#   --no-udp             skip the UDP load
#   --udp-duration S     seconds of each UDP run                         (default 10)
#   --udp-concurrency N  UDP announces in flight                         (default 64)
#   --keep-alive         no `Connection: close` header (opentracker closes after each reply all the same)
#   --no-check           don't read replies in wrk (status >= 400 and socket errors still count)
#   --seed N             PRNG seed of the mix (round r uses N + r - 1, the same for both trackers; default 1)
#
# Environment (all optional):
#   SHOAL_SCRATCH_PATH / SHOAL_BIN   as for the other benchmarks (SHOAL_BIN skips the release build)
#   BENCH_TMPDIR      parent of the temporary directory (tracker folders, databases)   (default: /tmp)
#   BENCH_PYTHON      python 3 for the helpers (standard library only)                (default: python3)
#   BENCH_IDLE_WAIT   before each measured run, wait up to this many seconds for >= 90% idle CPUs (default: 30)
#   BENCH_OUT_DIR     folder for the report and raw outputs     (default: <repo>/bench/out/tracker-<timestamp>)
#   BENCH_KEEP        1 = keep the temporary directory                                 (default: 0)
#   BENCH_STRICT      1 = exit with status 2 if the target is missed                   (default: 0)
set -euo pipefail
export LC_ALL=C

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
scratch=${SHOAL_SCRATCH_PATH:-$repo/.build}
tmp_parent=${BENCH_TMPDIR:-/tmp}
python=${BENCH_PYTHON:-python3}
idle_wait=${BENCH_IDLE_WAIT:-30}
keep=${BENCH_KEEP:-0}
strict=${BENCH_STRICT:-0}
stamp=$(date -u '+%Y%m%d-%H%M%S')
out_dir=${BENCH_OUT_DIR:-$repo/bench/out/tracker-$stamp}
latest=$repo/bench/out/tracker-latest.md
lua=$repo/bench/scripts/tracker-announce.lua
helper=$repo/bench/scripts/tracker_prefill.py
udp_load=$repo/bench/scripts/udp_announce_load.py

rounds=3 duration=20 connections=32 threads=2 swarms=1000 peers=50 only="" with_udp=1 udp_duration=10
udp_concurrency=64 connection=close check=1 rng_seed=1

die() { echo "tracker-vs-opentracker: $*" >&2; exit 1; }
note() { echo "==> $*" >&2; }
is_uint() { [[ $1 =~ ^[0-9]+$ ]]; }
usage() { sed -n '/^# Usage:/,/^#   --seed/p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

while (($#)); do
    case $1 in
        --rounds | --duration | --connections | --threads | --swarms | --peers | --only | --udp-duration | \
            --udp-concurrency | --seed)
            (($# >= 2)) || die "$1 needs a value"
            case $1 in
                --rounds) rounds=$2 ;; --duration) duration=$2 ;; --connections) connections=$2 ;;
                --threads) threads=$2 ;; --swarms) swarms=$2 ;; --peers) peers=$2 ;; --only) only=$2 ;;
                --udp-duration) udp_duration=$2 ;; --udp-concurrency) udp_concurrency=$2 ;; --seed) rng_seed=$2 ;;
            esac
            shift 2
            ;;
        --rounds=* | --duration=* | --connections=* | --threads=* | --swarms=* | --peers=* | --only=* | \
            --udp-duration=* | --udp-concurrency=* | --seed=*)
            set -- "${1%%=*}" "${1#*=}" "${@:2}"
            ;;
        --no-udp) with_udp=0; shift ;;
        --keep-alive) connection="keep-alive"; shift ;;
        --no-check) check=0; shift ;;
        -h | --help) usage; exit 0 ;;
        *) usage >&2; die "unknown argument '$1'" ;;
    esac
done

# shellcheck source=bench/common.sh
source "$repo/bench/common.sh"
check_uint --rounds "$rounds" 1
check_uint --duration "$duration" 1
check_uint --threads "$threads" 1 64
check_uint --connections "$connections" "$threads" 10000
check_uint --swarms "$swarms" 1 999999
check_uint --peers "$peers" 1 55535
check_uint --udp-duration "$udp_duration" 1
check_uint --udp-concurrency "$udp_concurrency" 1 4096
check_uint --seed "$rng_seed" 0
check_uint BENCH_IDLE_WAIT "$idle_wait" 0
((swarms * peers >= threads)) || die "--swarms x --peers must be at least --threads"
case $only in
    "") trackers=(opentracker shoal) ;;
    shoal | opentracker) trackers=("$only") ;;
    *) die "--only takes shoal or opentracker (got '$only')" ;;
esac
has_tracker() { [[ " ${trackers[*]} " == *" $1 "* ]]; }
[[ -f $lua && -f $helper && -f $udp_load ]] || die "bench/scripts/tracker-announce.lua, tracker_prefill.py or udp_announce_load.py is missing"

# --- Tools ---------------------------------------------------------------------------------------------------
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v curl >/dev/null || missing+=(curl)
has_tracker opentracker && ! command -v opentracker >/dev/null && missing+=(opentracker)
if ((${#missing[@]})); then
    [[ $(id -u) == 0 ]] || die "missing: ${missing[*]}. Install them first (sudo apt-get install ${missing[*]}) or run this script as root."
    command -v apt-get >/dev/null || die "missing: ${missing[*]}, and there is no apt-get to install them with."
    note "installing ${missing[*]} with apt-get"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    if ! command -v wrk >/dev/null || ! command -v curl >/dev/null \
        || { has_tracker opentracker && ! command -v opentracker >/dev/null; }; then
        die "installing ${missing[*]} did not work"
    fi
fi
"$python" -c 'import selectors, hashlib, json' 2>/dev/null || die "$python is not a working python 3 (set BENCH_PYTHON)"

shoal="" shoal_extra=()
if has_tracker shoal; then
    resolve_shoal_binary
    [[ $shoal == /* ]] || shoal=$PWD/$shoal
    shoal_help=$("$shoal" tracker --help 2>&1) \
        || die "$shoal has no working 'tracker' command ('$shoal tracker --help' failed); --only opentracker runs opentracker alone"
    # `shoal tracker` may be a group whose default subcommand (serve) has the options.
    shoal_help+=$("$shoal" tracker serve --help 2>/dev/null || true)
    # All the load comes from 127.0.0.1: a per-address rate limit (if this build has one) would throttle the
    # benchmark, not a real client. opentracker has none.
    [[ $shoal_help == *--rate-limit* ]] && shoal_extra+=(--rate-limit 0)
fi

# --- Processes and clean-up ----------------------------------------------------------------------------------
mkdir -p "$tmp_parent" "$out_dir"
out_dir=$(cd "$out_dir" && pwd)
work=$(mktemp -d "$tmp_parent/shoal-tracker-bench.XXXXXX")
chmod 755 "$work"  # opentracker, as nobody, must reach its folder inside
tracker_pid="" load_pid=""
cleanup() {
    stop_pid "$load_pid" INT
    stop_pid "$tracker_pid" TERM
    if [[ $keep == 1 ]]; then note "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A port free for both TCP and UDP on 127.0.0.1 (opentracker takes the same number for both).
free_port() {
    "$python" -c '
import socket
while True:
    t = socket.socket(); t.bind(("127.0.0.1", 0)); port = t.getsockname()[1]
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        u.bind(("127.0.0.1", port))
    except OSError:
        continue
    print(port); break'
}

# Runs a load generator in the background (so the EXIT trap can stop it) and waits for it.
run_load() { # output-file command...
    local file=$1 rc=0
    shift
    "$@" >"$file" 2>&1 &
    load_pid=$!
    wait "$load_pid" || rc=$?
    load_pid=""
    return "$rc"
}

cpu_ticks() {
    local stat
    stat=$(<"/proc/$1/stat") || die "process $1 is gone"
    stat=${stat##*) }
    awk '{ print $12 + $13 }' <<<"$stat"
}
# CPU seconds the machine spent in user, nice and system mode (irq/softirq, where loopback TCP work may go, left out).
machine_cpu() { awk -v hz="$clk_tck" '/^cpu / { printf "%.2f\n", ($2 + $3 + $4) / hz }' /proc/stat; }
# Sets `children` to the CPU seconds (user + system) of this shell's finished children so far (`times` must run
# in this shell, not in a command substitution).
children_cpu() {
    times >"$work/times"
    children=$(awk 'NR == 2 { print sec($1) + sec($2) } function sec(s, p) { split(s, p, "m"); return p[1] * 60 + substr(p[2], 1, length(p[2]) - 1) }' "$work/times")
}
# Share (%) of all cores that other processes used during a run: machine CPU - tracker CPU - load generator CPU.
others_percent() { # machine_cpu_delta tracker_ticks_delta client_cpu_delta wall_seconds
    awk -v m="$1" -v t="$2" -v hz="$clk_tck" -v c="$3" -v w="$4" -v n="$(nproc)" \
        'BEGIN { o = (m - t / hz - c) / (w * n) * 100; printf "%.0f", (o < 0 ? 0 : o) }'
}
status_kib() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "n/a"; else print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
json_field() { "$python" -c 'import json, sys; v = json.load(open(sys.argv[1])).get(sys.argv[2]); print("n/a" if v is None else v)' "$1" "$2"; }
clk_tck=$(getconf CLK_TCK)
# Median of a list, "n/a" if empty; MiB from KiB.
med() {
    local list=${1:-}
    [[ -n ${list// /} ]] || { echo n/a; return; }
    # shellcheck disable=SC2086 # a space-separated list of numbers
    median $list
}
mib() { [[ $1 == n/a ]] && { echo n/a; return; }; awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
ratio() { [[ $1 == n/a || $2 == n/a ]] && { echo n/a; return; }; awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "n/a"; else printf "%.2f", a / b }'; }
fmt() { [[ $1 == n/a ]] && { echo n/a; return; }; awk -v v="$1" -v d="$2" 'BEGIN { printf "%.*f", d, v }'; }

# --- Infohashes ----------------------------------------------------------------------------------------------
hashes=$out_dir/infohashes.txt
"$python" "$helper" hashes "$swarms" >"$hashes"
[[ $(wc -l <"$hashes") == "$swarms" ]] || die "could not write $swarms infohashes to $hashes"
first_hash_encoded=$(head -n1 "$hashes" | sed 's/../%&/g')

# --- Trackers ------------------------------------------------------------------------------------------------
# Starts a fresh tracker ($1) in $2 on $3; sets tracker_pid, announce_url, udp_host and udp_port (empty: no UDP).
start_tracker() {
    local kind=$1 dir=$2 port=$3 log=$2/tracker.log i url whitelist
    mkdir -p "$dir"
    chmod 755 "$dir"
    announce_url=http://127.0.0.1:$port/announce
    udp_host="" udp_port=""
    case $kind in
        opentracker)
            cp "$hashes" "$dir/wl.txt"
            chmod 644 "$dir/wl.txt"
            # As root it changes root into -d (the whitelist path is then inside it) and drops to nobody.
            whitelist=$dir/wl.txt
            [[ $(id -u) == 0 ]] && whitelist=/wl.txt
            opentracker -i 127.0.0.1 -p "$port" -P "$port" -d "$dir" -w "$whitelist" >"$log" 2>&1 &
            tracker_pid=$!
            url="$announce_url?info_hash=$first_hash_encoded&peer_id=-SB0001-000000000000&port=10000&uploaded=0&downloaded=0&left=0&compact=1&numwant=0&event=stopped"
            for ((i = 0; i < 100; i++)); do
                [[ $(curl -s --max-time 2 "$url" 2>/dev/null | head -c 1) == d ]] && break
                kill -0 "$tracker_pid" 2>/dev/null || { cat "$log" >&2; die "opentracker exited (output above)"; }
                sleep 0.1
            done
            ((i < 100)) || { cat "$log" >&2; die "opentracker did not answer an announce on 127.0.0.1:$port within 10 s"; }
            udp_host=127.0.0.1 udp_port=$port
            ;;
        shoal)
            "$shoal" tracker --port "$port" --bind 127.0.0.1 --open --database "$dir/tracker.sqlite" \
                "${shoal_extra[@]}" >"$log" 2>&1 &
            tracker_pid=$!
            for ((i = 0; i < 300; i++)); do
                curl -sf --max-time 2 "http://127.0.0.1:$port/stats.json" >/dev/null 2>&1 && break
                kill -0 "$tracker_pid" 2>/dev/null || { cat "$log" >&2; die "shoal tracker exited (output above)"; }
                sleep 0.1
            done
            ((i < 300)) || { cat "$log" >&2; die "shoal tracker did not serve /stats.json on 127.0.0.1:$port within 30 s"; }
            grep -q "http://127.0.0.1:$port/announce" "$log" \
                || note "warning: shoal tracker did not print http://127.0.0.1:$port/announce (using it anyway)"
            url=$(grep -o 'udp://127\.0\.0\.1:[0-9]*' "$log" | head -n1 || true)
            if [[ -n $url ]]; then udp_host=127.0.0.1 udp_port=${url##*:}; fi
            ;;
    esac
}

stop_tracker() {
    local signal=TERM
    [[ $1 == shoal ]] && signal=INT
    stop_pid "$tracker_pid" "$signal"
    tracker_pid=""
}

# --- One tracker, one round ----------------------------------------------------------------------------------
declare -A rps=() p50=() p99=() rss=() hwm=() cpu_us=() peers_reply=() udp_rps=() udp_p50=() udp_p99=() udp_cpu_us=() udp_client=()
declare -A errors_total=() closes=()
round_rows=() problems=()

run_tracker() { # kind round
    local kind=$1 r=$2 dir=$work/r$2-$1 port base=$out_dir/r$2-$1 line kv k v t0 t1 tr errs excess udp_note=""
    local m0 c0 w0 others
    local -A w=()
    port=$(free_port)
    note "round $r/$rounds: $kind on 127.0.0.1:$port"
    start_tracker "$kind" "$dir" "$port"

    "$python" "$helper" probe "$announce_url" "$hashes" --connection "$connection" >"$base.probe.json"
    [[ $(json_field "$base.probe.json" problem) == n/a ]] \
        || die "$kind: the probe announce failed: $(json_field "$base.probe.json" problem)"
    local closes_silently=0
    [[ $(json_field "$base.probe.json" closes_after_reply) == True && $(json_field "$base.probe.json" says_connection_close) == False ]] \
        && closes_silently=1
    closes[$kind]=$closes_silently

    "$python" "$helper" prefill "$announce_url" "$hashes" "$swarms" "$peers" --concurrency "$connections" \
        --connection "$connection" >"$base.prefill.json"
    [[ $(json_field "$base.prefill.json" bad_replies) == 0 && $(json_field "$base.prefill.json" connection_errors) == 0 ]] \
        || die "$kind: the prefill failed: $(cat "$base.prefill.json")"
    "$python" "$helper" verify "$announce_url" "$hashes" "$swarms" "$peers" >"$base.verify-before.json"
    [[ $(json_field "$base.verify-before.json" full) == "$swarms" ]] \
        || die "$kind: not every swarm holds $peers peers after the prefill: $(cat "$base.verify-before.json")"
    note "  prefill: $((swarms * peers)) announces in $(json_field "$base.prefill.json" seconds) s, every swarm holds $peers peers"

    wait_for_quiet
    children_cpu
    t0=$(cpu_ticks "$tracker_pid") m0=$(machine_cpu) c0=$children w0=$EPOCHREALTIME
    run_load "$base.wrk.txt" wrk -t "$threads" -c "$connections" -d "${duration}s" --timeout 2s -s "$lua" \
        "http://127.0.0.1:$port" -- "$hashes" "$swarms" "$peers" "$connection" "$((rng_seed + r - 1))" "$check" "$threads" \
        || { cat "$base.wrk.txt" >&2; die "$kind: wrk failed (output above)"; }
    t1=$(cpu_ticks "$tracker_pid")
    children_cpu
    others=$(others_percent "$(awk -v a="$m0" -v b="$(machine_cpu)" 'BEGIN { print b - a }')" "$((t1 - t0))" \
        "$(awk -v a="$c0" -v b="$children" 'BEGIN { print b - a }')" "$(awk -v a="$w0" -v b="$EPOCHREALTIME" 'BEGIN { print b - a }')")
    cp "/proc/$tracker_pid/status" "$base.proc-status.txt"
    rss[$kind]+="$(status_kib "$tracker_pid" VmRSS) " hwm[$kind]+="$(status_kib "$tracker_pid" VmHWM) "
    line=$(grep '^RESULT ' "$base.wrk.txt" | tail -n1) || { cat "$base.wrk.txt" >&2; die "$kind: no RESULT line from wrk"; }
    for kv in ${line#RESULT }; do k=${kv%%=*} v=${kv#*=}; w[$k]=$v; done
    rps[$kind]+="${w[rps]} " p50[$kind]+="${w[p50_ms]} " p99[$kind]+="${w[p99_ms]} "
    tr=$(awk -v d="$((t1 - t0))" -v hz="$clk_tck" -v n="${w[requests]}" 'BEGIN { printf "%.1f", (n > 0 ? d / hz * 1e6 / n : 0) }')
    cpu_us[$kind]+="$tr "
    [[ ${w[peers_avg]} == n/a ]] || peers_reply[$kind]+="${w[peers_avg]} "

    # Errors: a tracker that closes after each reply without saying so gives wrk one read error per reply
    # (wrk reads the EOF before it writes the next request: nothing is lost). Read errors beyond that count.
    excess=${w[read]}
    ((closes_silently)) && excess=$((w[read] > w[requests] ? w[read] - w[requests] : 0))
    errs=$((w[connect] + excess + w[write] + w[timeout] + w[status] + w[non200] + w[failures] + w[malformed]))
    errors_total[$kind]=$((${errors_total[$kind]:-0} + errs))
    if ((errs > 0)); then
        problems+=("round $r, $kind: connect ${w[connect]}, read ${w[read]} ($excess beyond the close after a reply), write ${w[write]}, timeout ${w[timeout]}, status>=400 ${w[status]}, non-200 ${w[non200]}, failure replies ${w[failures]}, malformed ${w[malformed]}$(grep '^SAMPLE ' "$base.wrk.txt" | head -n1 | sed 's/^SAMPLE /; first bad reply: /')")
    fi
    ((check)) && ((w[checked] + 10 * connections < w[requests])) \
        && problems+=("round $r, $kind: only ${w[checked]} of ${w[requests]} replies were checked")

    "$python" "$helper" verify "$announce_url" "$hashes" "$swarms" "$peers" >"$base.verify-after.json"
    note "  HTTP: ${w[rps]} req/s, p50 ${w[p50_ms]} ms, p99 ${w[p99_ms]} ms, tracker CPU $tr us/announce," \
        "RSS $(mib "$(status_kib "$tracker_pid" VmRSS)") MiB, errors $errs, other processes ${others}% of the CPUs; swarm size after: avg $(json_field "$base.verify-after.json" size_avg)"

    local u_rps=n/a u_p50=n/a u_p99=n/a u_cpu=n/a u_client=n/a
    if ((with_udp)); then
        if [[ -n $udp_port ]]; then
            wait_for_quiet
            t0=$(cpu_ticks "$tracker_pid")
            run_load "$base.udp.json" "$python" "$udp_load" "$udp_host" "$udp_port" "$hashes" "$swarms" "$peers" \
                --duration "$udp_duration" --concurrency "$udp_concurrency" --seed "$((rng_seed + r - 1))" \
                || { cat "$base.udp.json" >&2; die "$kind: the UDP load failed (output above)"; }
            t1=$(cpu_ticks "$tracker_pid")
            u_rps=$(json_field "$base.udp.json" per_second) u_p50=$(json_field "$base.udp.json" p50_ms)
            u_p99=$(json_field "$base.udp.json" p99_ms) u_client=$(json_field "$base.udp.json" client_cpu_share)
            u_cpu=$(awk -v d="$((t1 - t0))" -v hz="$clk_tck" -v n="$(json_field "$base.udp.json" announces)" 'BEGIN { printf "%.1f", (n > 0 ? d / hz * 1e6 / n : 0) }')
            udp_rps[$kind]+="$u_rps " udp_p50[$kind]+="$u_p50 " udp_p99[$kind]+="$u_p99 " udp_cpu_us[$kind]+="$u_cpu "
            udp_client[$kind]+="$u_client "
            local ue um ut ua
            ue=$(json_field "$base.udp.json" errors) um=$(json_field "$base.udp.json" malformed)
            ut=$(json_field "$base.udp.json" timeouts) ua=$(json_field "$base.udp.json" announces)
            if ((ue + um > 0 || ut * 100 > ua)); then
                problems+=("round $r, $kind UDP: $ue error replies, $um malformed, $ut timeouts of $ua announces (first error: $(json_field "$base.udp.json" error_sample))")
                errors_total[$kind]=$((${errors_total[$kind]:-0} + ue + um))
            fi
            note "  UDP: $u_rps announces/s, p50 $u_p50 ms, p99 $u_p99 ms, tracker CPU $u_cpu us/announce, client CPU share $u_client, timeouts $ut"
        else
            udp_note=" (no udp:// URL printed)"
            note "  UDP: skipped, $kind printed no udp:// URL"
        fi
    fi
    round_rows+=("| $r | $kind | ${w[rps]} | ${w[p50_ms]} | ${w[p99_ms]} | $(mib "$(status_kib "$tracker_pid" VmRSS)") | $(mib "$(status_kib "$tracker_pid" VmHWM)") | $tr | ${w[peers_avg]} | $errs | $others | $u_rps$udp_note | $u_p50 | $u_p99 | $u_cpu | $u_client |")
    cp "/proc/$tracker_pid/status" "$base.proc-status-end.txt" 2>/dev/null || true
    if [[ $kind == shoal ]]; then  # its own counters (announces, failures, rate-limited, UDP dropped)
        curl -s --max-time 5 "http://127.0.0.1:$port/stats.json" >"$base.stats.json" 2>/dev/null || true
    fi
    stop_tracker "$kind"
    # Tracker logs can be long (a line per request): keep the start and the end.
    if (($(wc -l <"$dir/tracker.log") <= 200)); then
        cp "$dir/tracker.log" "$base.tracker-log.txt"
    else
        { head -n 100 "$dir/tracker.log"; echo "[...]"; tail -n 100 "$dir/tracker.log"; } >"$base.tracker-log.txt"
    fi
    rm -f "$dir/tracker.log"
}

# --- Rounds --------------------------------------------------------------------------------------------------
note "raw outputs: $out_dir"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for ((r = 1; r <= rounds; r++)); do
    if ((r % 2)); then order=("${trackers[@]}"); else order=(); for ((i = ${#trackers[@]} - 1; i >= 0; i--)); do order+=("${trackers[i]}"); done; fi
    for kind in "${order[@]}"; do run_tracker "$kind" "$r"; done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# --- Report --------------------------------------------------------------------------------------------------
cpu_model=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
shoal_line="not run"
if has_tracker shoal; then
    describe_build
    shoal_line="$("$shoal" version 2>/dev/null | head -n1) ($commit)"
fi
ot_version=$(dpkg-query -W -f '${Version}' opentracker 2>/dev/null || echo unknown)
wrk_version=$( (wrk -v 2>&1 || true) | awk 'NR == 1 { print $2 }')

declare -A m=()
for kind in "${trackers[@]}"; do
    m[$kind.rps]=$(med "${rps[$kind]:-}") m[$kind.p50]=$(med "${p50[$kind]:-}") m[$kind.p99]=$(med "${p99[$kind]:-}")
    m[$kind.rss]=$(med "${rss[$kind]:-}") m[$kind.hwm]=$(med "${hwm[$kind]:-}") m[$kind.cpu]=$(med "${cpu_us[$kind]:-}")
    m[$kind.peers]=$(med "${peers_reply[$kind]:-}")
    m[$kind.udp]=$(med "${udp_rps[$kind]:-}") m[$kind.udp50]=$(med "${udp_p50[$kind]:-}") m[$kind.udp99]=$(med "${udp_p99[$kind]:-}")
    m[$kind.udpcpu]=$(med "${udp_cpu_us[$kind]:-}") m[$kind.udpclient]=$(med "${udp_client[$kind]:-}")
done
label() { [[ $1 == shoal ]] && echo "shoal tracker" || echo "opentracker"; }
row() {
    local k=$1
    echo "| $(label "$k") | $(fmt "${m[$k.rps]}" 0) | $(fmt "${m[$k.p50]}" 2) | $(fmt "${m[$k.p99]}" 2) | $(mib "${m[$k.rss]}") | $(mib "${m[$k.hwm]}") | $(fmt "${m[$k.cpu]}" 1) | $(fmt "${m[$k.peers]}" 1) | $(fmt "${m[$k.udp]}" 0) | $(fmt "${m[$k.udp50]}" 2) | $(fmt "${m[$k.udp99]}" 2) | ${errors_total[$k]:-0} |"
}
target_line="target, shoal HTTP announces/s >= opentracker's: not checked (--only $only)"
passed=1
if ((${#trackers[@]} == 2)); then
    req_ratio=$(ratio "${m[shoal.rps]}" "${m[opentracker.rps]}")
    if [[ $req_ratio != n/a ]] && awk -v x="$req_ratio" 'BEGIN { exit !(x >= 1) }'; then
        target_line="target, shoal HTTP announces/s >= opentracker's: **PASS** (ratio $req_ratio)"
    else
        target_line="target, shoal HTTP announces/s >= opentracker's: **FAIL** (ratio $req_ratio)"
        passed=0
    fi
fi
flagged=0
for kind in "${trackers[@]}"; do ((${errors_total[$kind]:-0} == 0)) || flagged=1; done
((${#problems[@]} == 0)) || flagged=1

report=$(
    echo "## shoal tracker vs opentracker — $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
    echo
    echo "- machine: $(nproc) cores ($cpu_model), $(uname -sr)"
    echo "- shoal: $shoal_line"
    has_tracker shoal && echo "- shoal command: shoal tracker --port PORT --bind 127.0.0.1 --open --database DIR/tracker.sqlite${shoal_extra[*]:+ ${shoal_extra[*]}}"
    echo "- opentracker $ot_version (Debian), wrk $wrk_version, $("$python" --version 2>&1) for the prefill and the UDP load"
    echo "- swarms: $swarms x $peers peers (all 127.0.0.1, port 10000 + peer; 20% seeders), prefilled with event=started"
    echo "- HTTP: wrk -t $threads -c $connections -d ${duration}s, compact=1 numwant=50, mix 95% re-announce / 2% started / 2% completed / 1% stopped;" \
        "$([[ $connection == close ]] && echo 'Connection: close on every request (a TCP connection per announce)' || echo 'keep-alive requested')," \
        "replies $( ((check)) && echo 'checked (status 200, bencoded, no failure reason)' || echo 'not checked (--no-check)')"
    ((with_udp)) && echo "- UDP: udp_announce_load.py (one Python process), $udp_concurrency in flight, ${udp_duration}s, same mix"
    echo "- $rounds round(s), order alternating (opentracker first in odd rounds), fresh trackers each round; medians below"
    echo "- load avg: $load_before before, $load_after after; waited $waits s for quiet CPUs, $busy_runs run(s) started on a busy machine after ${idle_wait} s"
    for kind in "${trackers[@]}"; do
        ((${closes[$kind]:-0})) && echo "- $(label "$kind") closes the connection after each reply without a Connection: close header: wrk counts one read error per reply (not a failure; only read errors beyond the replies count)"
    done
    echo
    echo "| tracker | HTTP announces/s | p50 ms | p99 ms | RSS MiB | peak RSS MiB | tracker CPU µs/announce | peers/reply | UDP announces/s | UDP p50 ms | UDP p99 ms | errors |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    for kind in "${trackers[@]}"; do row "$kind"; done
    if ((${#trackers[@]} == 2)); then
        echo "| **shoal / opentracker** | **$(ratio "${m[shoal.rps]}" "${m[opentracker.rps]}")** | $(ratio "${m[shoal.p50]}" "${m[opentracker.p50]}") | $(ratio "${m[shoal.p99]}" "${m[opentracker.p99]}") | $(ratio "${m[shoal.rss]}" "${m[opentracker.rss]}") | $(ratio "${m[shoal.hwm]}" "${m[opentracker.hwm]}") | $(ratio "${m[shoal.cpu]}" "${m[opentracker.cpu]}") | | $(ratio "${m[shoal.udp]}" "${m[opentracker.udp]}") | $(ratio "${m[shoal.udp50]}" "${m[opentracker.udp50]}") | $(ratio "${m[shoal.udp99]}" "${m[opentracker.udp99]}") | |"
        echo
        echo "Ratios: announces/s higher is better; latency, RSS and CPU per announce lower is better."
    fi
    echo
    echo "$target_line"
    if ((flagged)); then
        echo
        echo "**FLAGGED: errors in the measured runs — the figures above are not trustworthy:**"
        for p in "${problems[@]}"; do echo "- $p"; done
    fi
    echo
    echo "Per round:"
    echo
    echo "| round | tracker | HTTP req/s | p50 ms | p99 ms | RSS MiB | peak RSS MiB | CPU µs/announce | peers/reply | errors | others' CPU % | UDP announces/s | UDP p50 ms | UDP p99 ms | UDP CPU µs/announce | UDP client CPU share |"
    echo "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    printf '%s\n' "${round_rows[@]}"
    echo
    echo "Latency: wrk's, from writing a request to the end of its reply (the TCP connect is not in it). RSS: VmRSS"
    echo "right after the HTTP run; peak: VmHWM by then. Tracker CPU: utime + stime of the tracker process over the run,"
    echo "per announce answered (loopback TCP work the kernel does in the client's context is not in it). The client"
    echo "(wrk, $threads threads) shares the $(nproc) cores with the tracker, so announces/s is bounded by both; the CPU column"
    echo "is the tracker's own cost. peers/reply: compact peers per HTTP reply (numwant=50); opentracker's include the"
    echo "asking peer itself, and seeders get seeders, so a tracker that leaves those out sends shorter replies."
    echo "others' CPU %: the share of all cores that other processes used during the HTTP run (the machine's user +"
    echo "system time less the tracker's and wrk's); above a few percent the round was disturbed."
    if ((with_udp)); then
        echo "UDP: one single-threaded Python client; a client CPU share near 1.0 means Python was the limit, and the"
        echo "UDP figure is then a lower bound for the tracker (compare the trackers' CPU µs/announce instead)."
    fi
)
echo "$report"
echo "$report" >"$out_dir/report.md"
cp "$out_dir/report.md" "$latest"
note "report: $out_dir/report.md (also $latest)"

((flagged == 0)) || exit 3
if [[ $strict == 1 && $passed == 0 ]]; then exit 2; fi
