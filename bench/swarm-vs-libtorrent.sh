#!/usr/bin/env bash
# Benchmark: a swarm transfer over loopback, Shoal against libtorrent, side by side.
#
# Builds shoal (release), makes a file of random bytes (1 GiB by default) and its torrent (`shoal create`,
# no tracker; libtorrent must read the same infohash), then in each round transfers it over 127.0.0.1 with
# one seeder and one leecher, for four pairs (seeder -> leecher):
#   shoal -> shoal, libtorrent -> libtorrent (the anchor), libtorrent -> shoal, shoal -> libtorrent
# libtorrent runs through Tests/InteropTests/Scripts/lt_tool.py (Debian's python3-libtorrent: TCP only,
# DHT/LSD/UPnP off, default settings otherwise). Each transfer gets a fresh seeder and a fresh, empty
# download folder; the leecher's file is compared with the original (cmp) after every transfer.
# Per pair it reports medians of the rounds: wall seconds of the leecher (launch to exit, start-up
# included), MB/s (MB = 10^6 bytes), CPU seconds per GB (GB = 10^9 bytes) of the leecher, of the seeder
# during the transfer and of both, and the peak RSS and the highest anonymous RSS of each; then the ratios
# shoal/libtorrent and PASS/FAIL:
#   1. shoal -> shoal throughput at least libtorrent -> libtorrent's          (ratio >= 1.00)
#   2. shoal -> shoal CPU per GB (seeder + leecher) at most libtorrent's      (ratio <= 1.00)
# The report is also written to bench/out/swarm-latest.txt. See docs/benchmarks.md.
#
# Environment (all optional):
#   SHOAL_SCRATCH_PATH    SwiftPM scratch path for the release build    (default: <repo>/.build)
#   SHOAL_BIN             use this shoal binary and skip the build
#   BENCH_SIZE_MIB        size of the test file in MiB                   (default: 1024)
#   BENCH_ROUNDS          rounds; each round runs all four pairs         (default: 3)
#   BENCH_PIECE_LOG2      piece length as a power of two                 (default: 20 = 1 MiB)
#   BENCH_TMPDIR          parent of the temporary data directory         (default: /tmp)
#   BENCH_TIMEOUT         seconds a leecher may take before the run fails (default: 300)
#   BENCH_IDLE_WAIT       before each timed transfer, wait up to this many seconds for the CPUs to be
#                         >= 90% idle (0 = don't wait); the machine may be shared   (default: 30)
#   BENCH_PYTHON          the python that imports libtorrent             (default: /usr/bin/python3)
#   BENCH_OUT             report file                                     (default: <repo>/bench/out/swarm-latest.txt)
#   BENCH_STRICT          1 = exit with status 2 if a target is missed   (default: 0)
set -euo pipefail
export LC_ALL=C

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
scratch=${SHOAL_SCRATCH_PATH:-$repo/.build}
size_mib=${BENCH_SIZE_MIB:-1024}
rounds=${BENCH_ROUNDS:-3}
piece_log2=${BENCH_PIECE_LOG2:-20}
tmp_parent=${BENCH_TMPDIR:-/tmp}
timeout_s=${BENCH_TIMEOUT:-300}
idle_wait=${BENCH_IDLE_WAIT:-30}
python=${BENCH_PYTHON:-/usr/bin/python3}
out=${BENCH_OUT:-$repo/bench/out/swarm-latest.txt}
strict=${BENCH_STRICT:-0}
lt_tool=$repo/Tests/InteropTests/Scripts/lt_tool.py
cores=$(nproc)
clk_tck=$(getconf CLK_TCK)

die() { echo "swarm-vs-libtorrent: $*" >&2; exit 1; }
note() { echo "==> $*" >&2; }
is_uint() { [[ $1 =~ ^[0-9]+$ ]]; }

# shellcheck source=bench/common.sh
source "$repo/bench/common.sh"
check_uint BENCH_SIZE_MIB "$size_mib" 1
check_uint BENCH_ROUNDS "$rounds" 1
check_uint BENCH_PIECE_LOG2 "$piece_log2" 15 24
check_uint BENCH_TIMEOUT "$timeout_s" 1
check_uint BENCH_IDLE_WAIT "$idle_wait" 0
[[ -f $lt_tool ]] || die "$lt_tool is missing"
piece_bytes=$((1 << piece_log2))
size_bytes=$((size_mib * 1024 * 1024))

# --- Tools ---------------------------------------------------------------------------------------
# python3-libtorrent (Debian's, for /usr/bin/python3), GNU time for CPU and peak RSS, coreutils' timeout.
have_lt() { "$python" -c 'import libtorrent' 2>/dev/null; }
missing=()
have_lt || missing+=(python3-libtorrent)
[[ -x /usr/bin/time ]] || missing+=(time)
command -v cmp >/dev/null || missing+=(diffutils)
command -v timeout >/dev/null || die "timeout (coreutils) is not on PATH"
if ((${#missing[@]})); then
    if [[ $(id -u) != 0 ]]; then
        die "missing: ${missing[*]}. Install them first (sudo apt-get install ${missing[*]}) or run this script as root."
    fi
    command -v apt-get >/dev/null || die "missing: ${missing[*]}, and there is no apt-get to install them with."
    note "installing ${missing[*]} with apt-get"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    if ! have_lt || [[ ! -x /usr/bin/time ]] || ! command -v cmp >/dev/null; then
        die "installing ${missing[*]} did not work (libtorrent must import in $python)"
    fi
fi

resolve_shoal_binary

# --- Processes and clean-up ------------------------------------------------------------------------
mkdir -p "$tmp_parent"
work=$(mktemp -d "$tmp_parent/shoal-swarm-bench.XXXXXX")
seeder_pid="" leecher_pid="" sampler_pid=""
cleanup() {
    # The leecher runs under `timeout`, which passes SIGTERM on to it (in its own process group).
    stop_pid "$sampler_pid" TERM
    stop_pid "$leecher_pid" TERM
    stop_pid "$seeder_pid" INT
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

avail_kib=$(df -Pk "$work" | awk 'NR == 2 { print $4 }')
((avail_kib > size_mib * 1024 * 2 + 65536)) \
    || die "not enough space in $tmp_parent for two copies of a $size_mib MiB file (source and download)"
mem_kib=$(awk '/^MemAvailable:/ { print $2 }' /proc/meminfo)
if ((mem_kib < size_mib * 1024 * 3)); then
    note "warning: only $((mem_kib / 1024)) MiB of memory available; the source file may drop out of the" \
        "page cache, so this may measure the disk rather than the transfer"
fi

# --- Data and torrent ------------------------------------------------------------------------------
datadir=$work/seed
mkdir -p "$datadir"
name=shoal-swarm-${size_mib}MiB.bin
data=$datadir/$name
torrent=$work/$name.torrent
note "writing $size_mib MiB of random bytes to $data"
head -c "$size_bytes" /dev/urandom >"$data"
[[ $(stat -c %s "$data") == "$size_bytes" ]] || die "could not write $data"
cat "$data" >/dev/null

note "making the torrent with shoal create (piece length $piece_bytes)"
"$shoal" create "$data" -o "$torrent" --piece-length "$piece_bytes" --force -q >/dev/null \
    || die "shoal create failed"
shoal_hash=$("$shoal" info "$torrent" --json | sed -n 's/^ *"infoHash" *: *"\([0-9a-fA-F]*\)".*/\1/p' | head -n1)
lt_hash=$("$python" "$lt_tool" inspect "$torrent" | "$python" -c 'import json, sys; print(json.load(sys.stdin)["infoHash"])') \
    || die "libtorrent does not accept $torrent"
[[ -n $shoal_hash && ${shoal_hash,,} == "${lt_hash,,}" ]] \
    || die "shoal and libtorrent disagree on the infohash (shoal '$shoal_hash', libtorrent '$lt_hash')"

# --- Measurements --------------------------------------------------------------------------------

# CPU ticks (user + system, all threads) a live process has used so far: fields 14 and 15 of
# /proc/PID/stat, counted after the command name in parentheses.
cpu_ticks() {
    local stat
    stat=$(<"/proc/$1/stat") || die "process $1 is gone"
    stat=${stat##*) }
    awk '{ print $12 + $13 }' <<<"$stat"
}
peak_rss_kib() { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status"; }

# Anonymous resident memory (KiB) of a process, 0 if it is gone. Peak RSS (VmHWM, GNU time's %M) also
# counts the pages of files a process maps: libtorrent 2 maps the torrent's files, so its peak RSS grows
# to about the size of the data although those pages are page cache. RssAnon is the process's own memory.
anon_kib() {
    local k v _
    { while read -r k v _; do [[ $k == RssAnon: ]] && { echo "$v"; return 0; }; done <"/proc/$1/status"; } 2>/dev/null
    echo 0
}
# The only child of a process, or nothing.
child_of() { local c=""; { read -r c _ <"/proc/$1/task/$1/children"; } 2>/dev/null || true; echo "$c"; }
# While the leecher runs (timeout -> time -> leecher), writes "leecher_max seeder_max" of RssAnon in KiB,
# sampled every 0.2 s, to the file given.
sample_anon() {
    local seeder=$1 wrapper=$2 file=$3 leecher="" timer l=0 s=0 v
    while kill -0 "$wrapper" 2>/dev/null; do
        if [[ -z $leecher ]]; then
            timer=$(child_of "$wrapper")
            [[ -n $timer ]] && leecher=$(child_of "$timer")
        fi
        if [[ -n $leecher ]]; then v=$(anon_kib "$leecher"); ((v > l)) && l=$v; fi
        v=$(anon_kib "$seeder"); ((v > s)) && s=$v
        echo "$l $s" >"$file"
        sleep 0.2
    done
}

# Median of the arguments.
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# Start-up time of a command in ms (median of 5), for the report: the leecher's wall time includes it.
startup_ms() {
    local t=() i t0
    for ((i = 0; i < 5; i++)); do
        t0=$EPOCHREALTIME
        "$@" >/dev/null 2>&1
        t+=("$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", (b - a) * 1000 }')")
    done
    median "${t[@]}"
}

# Starts a seeder of `tool` on the torrent and waits until it serves; sets seeder_pid and seeder_port.
start_seeder() {
    local tool=$1 log=$work/seeder.log line i
    : >"$log"
    case $tool in
        shoal) "$shoal" seed "$torrent" --data "$datadir" --port 0 --bind 127.0.0.1 -q >"$log" 2>&1 & ;;
        libtorrent) "$python" "$lt_tool" seed "$torrent" "$datadir" >"$log" 2>&1 & ;;
    esac
    seeder_pid=$!
    seeder_port=""
    # shoal checks the data before it listens; lt_tool prints "seeding" once its check is done.
    for ((i = 0; i < 1200; i++)); do
        case $tool in
            shoal) line=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9][0-9]*\)$/\1/p' "$log") ;;
            libtorrent) line=$(grep -qx seeding "$log" && sed -n 's/^port: \([0-9][0-9]*\)$/\1/p' "$log") || line="" ;;
        esac
        if [[ -n $line ]]; then seeder_port=$line; return 0; fi
        kill -0 "$seeder_pid" 2>/dev/null || { cat "$log" >&2; die "the $tool seeder exited before serving (output above)"; }
        sleep 0.1
    done
    cat "$log" >&2
    die "the $tool seeder was not serving after 120 s (output above)"
}

stop_seeder() {
    stop_pid "$seeder_pid" INT
    seeder_pid=""
}

# One transfer: seeder tool -> leecher tool. Prints "wall leech_user leech_sys leech_rss_kib seed_cpu_s
# seed_rss_kib lt_seconds leech_anon_kib seed_anon_kib" (lt_seconds: lt_tool's own transfer time, "-" for
# shoal) to $work/result.
run_pair() {
    local seed_tool=$1 leech_tool=$2 dest=$work/download log=$work/leecher.log tfile=$work/time
    local ticks0 ticks1 t0 t1 rc=0 seed_rss times lt_seconds=- anon=$work/anon
    rm -rf "$dest"
    mkdir -p "$dest"
    : >"$log"
    start_seeder "$seed_tool"
    wait_for_quiet
    ticks0=$(cpu_ticks "$seeder_pid")
    t0=$EPOCHREALTIME
    case $leech_tool in
        shoal)
            timeout -k 10 "$timeout_s" /usr/bin/time -f '%e %U %S %M' -o "$tfile" \
                "$shoal" download "$torrent" -o "$dest" --port 0 --bind 127.0.0.1 \
                --peer "127.0.0.1:$seeder_port" -q >"$log" 2>&1 &
            ;;
        libtorrent)
            timeout -k 10 "$timeout_s" /usr/bin/time -f '%e %U %S %M' -o "$tfile" \
                "$python" "$lt_tool" download "$torrent" "$dest" --peer "127.0.0.1:$seeder_port" \
                --timeout $((timeout_s + 60)) >"$log" 2>&1 &
            ;;
    esac
    leecher_pid=$!
    echo "0 0" >"$anon"
    sample_anon "$seeder_pid" "$leecher_pid" "$anon" &
    sampler_pid=$!
    wait "$leecher_pid" || rc=$?
    t1=$EPOCHREALTIME
    leecher_pid=""
    ticks1=$(cpu_ticks "$seeder_pid")
    seed_rss=$(peak_rss_kib "$seeder_pid")
    stop_pid "$sampler_pid" TERM
    sampler_pid=""
    stop_seeder
    if ((rc == 124 || rc == 137)); then
        tail -n 20 "$log" >&2
        die "$seed_tool -> $leech_tool: the $leech_tool leecher did not finish within BENCH_TIMEOUT=$timeout_s s"
    fi
    ((rc == 0)) || { tail -n 20 "$log" >&2; die "$seed_tool -> $leech_tool: the $leech_tool leecher failed (status $rc, output above)"; }
    # The last line of GNU time's file is the format line (a "Command exited ..." line may precede it).
    times=$(tail -n1 "$tfile")
    [[ $leech_tool == libtorrent ]] \
        && lt_seconds=$(sed -n 's/^{.*"seconds": *\([0-9.eE+-]*\).*/\1/p' "$log" | head -n1)
    # A fast but wrong transfer must not count.
    [[ -f $dest/$name && $(stat -c %s "$dest/$name") == "$size_bytes" ]] \
        || die "$seed_tool -> $leech_tool: the download is missing or has the wrong size"
    cmp -s "$data" "$dest/$name" || die "$seed_tool -> $leech_tool: the downloaded file differs from the original"
    rm -rf "$dest"
    sync
    read -r _ user sys rss <<<"$times"
    awk -v a="$t0" -v b="$t1" -v u="$user" -v s="$sys" -v r="$rss" -v d="$((ticks1 - ticks0))" -v hz="$clk_tck" \
        -v sr="$seed_rss" -v lt="${lt_seconds:--}" -v an="$(<"$anon")" \
        'BEGIN { printf "%.4f %.2f %.2f %d %.2f %d %s %s\n", b - a, u, s, r, d / hz, sr, lt, an }' >"$work/result"
}

# --- Runs ------------------------------------------------------------------------------------------
pairs=(shoal:shoal libtorrent:libtorrent libtorrent:shoal shoal:libtorrent)
label() { echo "${1%%:*} -> ${1##*:}"; }
key() { local p=${1//libtorrent/lt}; echo "${p/:/_}"; }
declare -A walls=() lcpus=() scpus=() tcpus=() lrss=() srss=() lanon=() sanon=() ltsecs=()
round_lines=()

shoal_startup=$(startup_ms "$shoal" download --help)
lt_startup=$(startup_ms "$python" -c 'import libtorrent as lt; lt.session({"listen_interfaces": "127.0.0.1:0", "enable_dht": False, "enable_lsd": False, "enable_upnp": False, "enable_natpmp": False})')

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for ((r = 1; r <= rounds; r++)); do
    # Alternate the order of the pairs, so none always runs first or right after the same one.
    if ((r % 2)); then order=("${pairs[@]}"); else order=(); for ((i = ${#pairs[@]} - 1; i >= 0; i--)); do order+=("${pairs[i]}"); done; fi
    for pair in "${order[@]}"; do
        note "round $r/$rounds: $(label "$pair")"
        run_pair "${pair%%:*}" "${pair##*:}"
        read -r wall user sys rss seed_cpu seed_rss lt_seconds leech_anon seed_anon <"$work/result"
        k=$(key "$pair")
        lcpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
        tcpu=$(awk -v l="$lcpu" -v s="$seed_cpu" 'BEGIN { printf "%.2f", l + s }')
        walls[$k]+="$wall " lcpus[$k]+="$lcpu " scpus[$k]+="$seed_cpu " tcpus[$k]+="$tcpu "
        lrss[$k]+="$rss " srss[$k]+="$seed_rss " lanon[$k]+="$leech_anon " sanon[$k]+="$seed_anon "
        ltsecs[$k]+="$lt_seconds "
        line=$(printf 'round %d  %-24s %7.3f s %6.1f MB/s  leecher cpu %5.2f s (%5.2f user + %5.2f sys)  seeder cpu %5.2f s  rss %4d / %4d MiB, anon %4d / %4d MiB' \
            "$r" "$(label "$pair")" "$wall" "$(awk -v w="$wall" -v b="$size_bytes" 'BEGIN { print b / 1e6 / w }')" \
            "$lcpu" "$user" "$sys" "$seed_cpu" $((rss / 1024)) $((seed_rss / 1024)) $((leech_anon / 1024)) $((seed_anon / 1024)))
        [[ $lt_seconds != - ]] && line+=$(printf '  (lt_tool: %.3f s from add to complete)' "$lt_seconds")
        note "$line"
        round_lines+=("$line")
    done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# --- Report ----------------------------------------------------------------------------------------
# Per pair: "median_wall MB/s leech_cpu/GB seed_cpu/GB total_cpu/GB leech_rss seed_rss leech_anon seed_anon"
# (memory in MiB, the highest of the rounds).
gb=$(awk -v b="$size_bytes" 'BEGIN { print b / 1e9 }')
highest() { printf '%s\n' "$@" | sort -g | tail -n1; }
figures() {
    local k=$1 w l s t
    # shellcheck disable=SC2086 # the lists are space-separated numbers
    { w=$(median ${walls[$k]}); l=$(median ${lcpus[$k]}); s=$(median ${scpus[$k]}); t=$(median ${tcpus[$k]}); }
    # shellcheck disable=SC2086
    awk -v w="$w" -v l="$l" -v s="$s" -v t="$t" -v gb="$gb" -v b="$size_bytes" \
        -v lr="$(highest ${lrss[$k]})" -v sr="$(highest ${srss[$k]})" \
        -v la="$(highest ${lanon[$k]})" -v sa="$(highest ${sanon[$k]})" \
        'BEGIN { printf "%.3f %.1f %.2f %.2f %.2f %d %d %d %d\n", w, b / 1e6 / w, l / gb, s / gb, t / gb,
                 lr / 1024, sr / 1024, la / 1024, sa / 1024 }'
}
declare -A fig=()
for pair in "${pairs[@]}"; do fig[$(key "$pair")]=$(figures "$(key "$pair")"); done
# shellcheck disable=SC2086
lt_transfer=$(median ${ltsecs[lt_lt]})

report=$(
    awk -v ss="${fig[shoal_shoal]}" -v ll="${fig[lt_lt]}" -v ls="${fig[lt_shoal]}" -v sl="${fig[shoal_lt]}" '
    function row(name, f,   v) {
        split(f, v, " ")
        printf "%-24s %8.3f %8.1f %9.2f %9.2f %9.2f %9d %9d %9d %9d\n", name, v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]
    }
    function at(f, i,   v) { split(f, v, " "); return v[i] }
    function max(a, b) { return a > b ? a : b }
    BEGIN {
        printf "%-24s %8s %8s %9s %9s %9s %9s %9s %9s %9s\n", "", "median", "", "leecher", "seeder", "total", "leecher", "seeder", "leecher", "seeder"
        printf "%-24s %8s %8s %9s %9s %9s %9s %9s %9s %9s\n", "seeder -> leecher", "wall s", "MB/s", "cpu s/GB", "cpu s/GB", "cpu s/GB", "RSS MiB", "RSS MiB", "anon MiB", "anon MiB"
        row("shoal -> shoal", ss); row("libtorrent -> libtorrent", ll)
        row("libtorrent -> shoal", ls); row("shoal -> libtorrent", sl)
        tput = at(ss, 2) / at(ll, 2); cpu = at(ss, 5) / at(ll, 5)
        printf "\n"
        printf "shoal/libtorrent, both ends:    throughput %.3f (higher is better), cpu per GB %.3f (lower is better)\n", tput, cpu
        printf "                                (leecher cpu %.3f, seeder cpu %.3f; anon memory: leecher %.2f, seeder %.2f)\n", \
            at(ss, 3) / at(ll, 3), at(ss, 4) / at(ll, 4), at(ss, 8) / max(at(ll, 8), 1), at(ss, 9) / max(at(ll, 9), 1)
        printf "shoal leeching from libtorrent: throughput %.3f, leecher cpu per GB %.3f (against libtorrent -> libtorrent)\n", \
            at(ls, 2) / at(ll, 2), at(ls, 3) / at(ll, 3)
        printf "shoal seeding to libtorrent:    throughput %.3f, seeder cpu per GB %.3f (against libtorrent -> libtorrent)\n", \
            at(sl, 2) / at(ll, 2), at(sl, 4) / at(ll, 4)
        printf "\n"
        printf "target 1, shoal throughput >= libtorrent:   %s (ratio %.3f)\n", (tput >= 1 ? "PASS" : "FAIL"), tput
        printf "target 2, shoal cpu per GB <= libtorrent:   %s (ratio %.3f)\n", (cpu <= 1 ? "PASS" : "FAIL"), cpu
    }'
)
passes=$(grep -cE '^target .*: +PASS' <<<"$report" || true)

describe_build
lt_version=$("$python" -c 'import libtorrent; print(libtorrent.__version__)')
fs_type=$(df -PT "$work" | awk 'NR == 2 { print $2 }')

mkdir -p "$(dirname "$out")"
{
    echo "shoal swarm vs libtorrent, loopback — $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
    echo "machine:   $cores cores ($cpu_model), $(uname -sr), $((mem_kib / 1024)) MiB available"
    echo "versions:  $("$shoal" version | head -n1) ($commit), libtorrent $lt_version ($("$python" --version 2>&1)), $(swift --version 2>/dev/null | head -n1 | sed 's/ (.*//')"
    echo "file:      $size_mib MiB of random bytes ($size_bytes bytes), piece length $piece_bytes, on $fs_type ($tmp_parent)"
    echo "settings:  $rounds rounds x 4 pairs, order reversed in even rounds, fresh seeder and empty download folder per transfer, cmp after each"
    echo "start-up:  shoal download --help $shoal_startup ms; python3 + import libtorrent + session $lt_startup ms (in the leecher's wall time);" \
        "libtorrent -> libtorrent median from add_torrent to complete (lt_tool) $(printf '%.3f' "$lt_transfer") s"
    echo "load avg:  $load_before before, $load_after after (1/5/15 min); waited $waits s for quiet CPUs," \
        "$busy_runs transfer(s) started on a busy machine after ${idle_wait} s"
    echo
    printf '%s\n' "${round_lines[@]}"
    echo
    echo "$report"
    echo
    echo "MB/s: bytes / 10^6 / median wall s of the leecher (launch to exit). cpu s/GB: user + system seconds per 10^9 bytes;"
    echo "leecher: the whole process; seeder: only while the leecher ran (its data check is excluded); total: median of the"
    echo "per-transfer sums. RSS: peak resident set of each process (VmHWM / GNU time %M), mapped file pages included;"
    echo "anon: the highest RssAnon sampled every 0.2 s during the transfer. Memory figures are the highest of the rounds;"
    echo "in the round lines they read leecher / seeder."
    echo "infohash:  $shoal_hash (shoal and libtorrent agree)"
} | tee "$out"
note "report written to $out"

if [[ $strict == 1 && $passes != 2 ]]; then exit 2; fi
