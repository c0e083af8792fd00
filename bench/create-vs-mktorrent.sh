#!/usr/bin/env bash
# Benchmark: `shoal create` against `mktorrent` on one big file of random bytes, side by side.
#
# Builds shoal (release), makes a file of random bytes (2 GiB by default) in a temporary directory,
# warms the page cache, then runs both tools in alternating rounds with the same piece length and
# thread count, timing each run with a monotonic clock. Prints per-tool medians (seconds, MB/s with
# MB = 10^6 bytes), the ratio shoal/mktorrent, the SHA-1 ceiling of this CPU
# (`openssl speed -evp sha1` per core, 16384-byte blocks, x cores) and PASS/FAIL against the targets:
#   1. shoal at least as fast as mktorrent        (ratio >= 1.00)
#   2. shoal above 80% of the SHA-1 ceiling
# It also checks that both tools produced the same infohash (exit status 1 if not).
# The report is also written to bench/out/latest.txt. See docs/benchmarks.md.
#
# Environment (all optional):
#   SHOAL_SCRATCH_PATH    SwiftPM scratch path for the release build    (default: <repo>/.build)
#   SHOAL_BIN             use this shoal binary and skip the build
#   BENCH_SIZE_MIB        size of the test file in MiB                   (default: 2048)
#   BENCH_ROUNDS          timed rounds per tool                          (default: 5)
#   BENCH_WARMUP          untimed runs per tool before the rounds        (default: 1)
#   BENCH_PIECE_LOG2      piece length as a power of two (mktorrent -l)  (default: 20 = 1 MiB)
#   BENCH_THREADS         hashing threads for both tools                 (default: nproc)
#   BENCH_TMPDIR          parent of the temporary data directory         (default: /tmp)
#   BENCH_OPENSSL_SECONDS seconds for `openssl speed`                    (default: 3)
#   BENCH_IDLE_WAIT       before each timed run, wait up to this many seconds for the CPUs to be
#                         >= 90% idle (0 = don't wait); the machine may be shared   (default: 30)
#   BENCH_OUT             report file                                     (default: <repo>/bench/out/latest.txt)
#   BENCH_STRICT          1 = exit with status 2 if a target is missed   (default: 0)
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
scratch=${SHOAL_SCRATCH_PATH:-$repo/.build}
size_mib=${BENCH_SIZE_MIB:-2048}
rounds=${BENCH_ROUNDS:-5}
warmup=${BENCH_WARMUP:-1}
piece_log2=${BENCH_PIECE_LOG2:-20}
cores=$(nproc)
threads=${BENCH_THREADS:-$cores}
tmp_parent=${BENCH_TMPDIR:-/tmp}
openssl_seconds=${BENCH_OPENSSL_SECONDS:-3}
out=${BENCH_OUT:-$repo/bench/out/latest.txt}
strict=${BENCH_STRICT:-0}
idle_wait=${BENCH_IDLE_WAIT:-30}
tracker=http://bench.invalid/announce

die() { echo "create-vs-mktorrent: $*" >&2; exit 1; }
note() { echo "==> $*" >&2; }
is_uint() { [[ $1 =~ ^[0-9]+$ ]]; }

is_uint "$size_mib" && ((size_mib > 0)) || die "BENCH_SIZE_MIB must be a positive integer (got '$size_mib')"
is_uint "$rounds" && ((rounds > 0)) || die "BENCH_ROUNDS must be a positive integer (got '$rounds')"
is_uint "$warmup" || die "BENCH_WARMUP must be a non-negative integer (got '$warmup')"
is_uint "$threads" && ((threads > 0)) || die "BENCH_THREADS must be a positive integer (got '$threads')"
is_uint "$piece_log2" && ((piece_log2 >= 15 && piece_log2 <= 26)) \
    || die "BENCH_PIECE_LOG2 must be from 15 to 26 (got '$piece_log2')"
is_uint "$openssl_seconds" && ((openssl_seconds > 0)) || die "BENCH_OPENSSL_SECONDS must be a positive integer"
is_uint "$idle_wait" || die "BENCH_IDLE_WAIT must be a non-negative integer (got '$idle_wait')"
piece_bytes=$((1 << piece_log2))
size_bytes=$((size_mib * 1024 * 1024))

# --- Tools ---------------------------------------------------------------------------------------
# mktorrent and openssl from apt; perl (with Time::HiRes, part of Debian's perl) is the stopwatch.
have_timer() { perl -MTime::HiRes=clock_gettime,CLOCK_MONOTONIC -e 1 2>/dev/null; }
missing=()
command -v mktorrent >/dev/null || missing+=(mktorrent)
command -v openssl >/dev/null || missing+=(openssl)
have_timer || missing+=(perl)
if ((${#missing[@]})); then
    if [[ $(id -u) != 0 ]]; then
        die "missing: ${missing[*]}. Install them first (sudo apt-get install ${missing[*]}) or run this script as root."
    fi
    command -v apt-get >/dev/null || die "missing: ${missing[*]}, and there is no apt-get to install them with."
    note "installing ${missing[*]} with apt-get"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    command -v mktorrent >/dev/null && command -v openssl >/dev/null && have_timer \
        || die "installing ${missing[*]} did not work"
fi

# shellcheck source=bench/common.sh
source "$repo/bench/common.sh"
resolve_shoal_binary

# --- Data ------------------------------------------------------------------------------------------
mkdir -p "$tmp_parent"
work=$(mktemp -d "$tmp_parent/shoal-bench.XXXXXX")
cleanup() { rm -rf "$work"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

avail_kib=$(df -Pk "$work" | awk 'NR == 2 { print $4 }')
((avail_kib > size_mib * 1024 + 65536)) || die "not enough space in $tmp_parent for a $size_mib MiB file"
mem_kib=$(awk '/^MemAvailable:/ { print $2 }' /proc/meminfo)
if ((mem_kib < size_mib * 1024 * 3 / 2)); then
    note "warning: only $((mem_kib / 1024)) MiB of memory available; the file may not stay in the page cache," \
        "so this may measure the disk rather than hashing"
fi

data=$work/shoal-bench-${size_mib}MiB.bin
note "writing $size_mib MiB of random bytes to $data"
head -c "$size_bytes" /dev/urandom >"$data"
[[ $(stat -c %s "$data") == "$size_bytes" ]] || die "could not write $data"

note "warming the page cache"
cat "$data" >/dev/null
cat "$data" >/dev/null
resident_share() { # share of the file in the page cache, e.g. "100.0%" (needs util-linux's fincore)
    local r=""
    command -v fincore >/dev/null && r=$(fincore -nb -o RES "$data" 2>/dev/null \
        | awk -v size="$size_bytes" '{ printf "%.1f%%", 100 * $1 / size }') || true
    echo "${r:-unknown}"
}
resident=$(resident_share)

# --- Runs ------------------------------------------------------------------------------------------
# Other work on the machine inflates wall times, so wait (a bounded time) for a quiet moment first.


shoal_torrent=$work/shoal.torrent
mkt_torrent=$work/mktorrent.torrent
run_tool() { # tool -> "wall user sys" in $work/time
    local log=$work/$1.log
    : >"$log"
    case $1 in
        shoal)
            rm -f "$shoal_torrent"
            BENCH_LOG=$log stopwatch "$shoal" create "$data" -o "$shoal_torrent" --piece-length "$piece_bytes" \
                --threads "$threads" --force -q --tracker "$tracker" >"$work/time" ;;
        mktorrent)
            rm -f "$mkt_torrent"  # mktorrent will not replace an existing file
            BENCH_LOG=$log stopwatch mktorrent -l "$piece_log2" -t "$threads" -a "$tracker" -o "$mkt_torrent" "$data" \
                >"$work/time" ;;
    esac || { cat "$log" >&2; die "$1 failed (output above)"; }
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for ((i = 0; i < warmup; i++)); do
    note "warm-up run $((i + 1))/$warmup"
    run_tool shoal
    run_tool mktorrent
done

declare -a shoal_wall=() shoal_cpu=() mkt_wall=() mkt_cpu=() round_lines=()
for ((r = 1; r <= rounds; r++)); do
    # Alternate which tool goes first, so neither always runs right after the other.
    if ((r % 2)); then order=(shoal mktorrent); else order=(mktorrent shoal); fi
    line="round $r:"
    for tool in "${order[@]}"; do
        wait_for_quiet
        run_tool "$tool"
        read -r wall user sys <"$work/time"
        cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.3f", u + s }')
        if [[ $tool == shoal ]]; then shoal_wall+=("$wall"); shoal_cpu+=("$cpu")
        else mkt_wall+=("$wall"); mkt_cpu+=("$cpu"); fi
        line+=$(printf '  %-9s %7.3f s (cpu %5.2f s = %5.2f user + %4.2f sys)' "$tool" "$wall" "$cpu" "$user" "$sys")
    done
    note "$line"
    round_lines+=("$line")
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
resident_after=$(resident_share)

# --- Infohash check --------------------------------------------------------------------------------
infohash() {
    "$shoal" info "$1" --json | sed -n 's/^ *"infoHash" *: *"\([0-9a-fA-F]*\)".*/\1/p' | head -n1
}
shoal_hash=$(infohash "$shoal_torrent")
mkt_hash=$(infohash "$mkt_torrent")
[[ -n $shoal_hash && -n $mkt_hash ]] || die "could not read the infohashes (shoal '$shoal_hash', mktorrent '$mkt_hash')"
if [[ $shoal_hash == "$mkt_hash" ]]; then same_hash=yes; else same_hash=NO; fi

# --- SHA-1 ceiling ---------------------------------------------------------------------------------
note "measuring SHA-1 speed with openssl speed -evp sha1 -seconds $openssl_seconds (16384-byte blocks)"
# Last column of the "sha1" row: 16384-byte blocks, in 1000s of bytes per second ("1627767.01k").
# -bytes 16384 measures only that column (same figure, a sixth of the time); older openssl lacks it.
openssl_kbps() { awk '$1 == "sha1" { v = $NF; sub(/k$/, "", v); print v }'; }
sha1_speed() { # [openssl speed options...] -> kB/s for 16384-byte blocks
    local v
    v=$(openssl speed "$@" -evp sha1 -seconds "$openssl_seconds" -bytes 16384 2>/dev/null | openssl_kbps) || true
    [[ -n $v ]] || v=$(openssl speed "$@" -evp sha1 -seconds "$openssl_seconds" 2>/dev/null | openssl_kbps) || true
    echo "$v"
}
wait_for_quiet
per_core_kbps=$(sha1_speed)
[[ -n $per_core_kbps ]] || die "could not parse the output of openssl speed -evp sha1"
multi_kbps=""
if ((cores > 1)); then
    wait_for_quiet
    multi_kbps=$(sha1_speed -multi "$cores")
fi

# --- Report ----------------------------------------------------------------------------------------
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
shoal_med=$(median "${shoal_wall[@]}")
mkt_med=$(median "${mkt_wall[@]}")
shoal_best=$(printf '%s\n' "${shoal_wall[@]}" | sort -g | head -n1)
mkt_best=$(printf '%s\n' "${mkt_wall[@]}" | sort -g | head -n1)
shoal_cpu_med=$(median "${shoal_cpu[@]}")
mkt_cpu_med=$(median "${mkt_cpu[@]}")

cpu_model=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
sha_ni=$(grep -qw sha_ni /proc/cpuinfo && echo yes || echo no)
commit=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)
if [[ $commit != unknown && -n $(git -C "$repo" status --porcelain -- Sources Package.swift 2>/dev/null) ]]; then
    commit+=" (uncommitted changes in Sources or Package.swift)"
fi

report=$(
    awk -v size="$size_bytes" -v ts="$shoal_med" -v tm="$mkt_med" -v cs="$shoal_cpu_med" -v cm="$mkt_cpu_med" \
        -v bs="$shoal_best" -v bm="$mkt_best" \
        -v pk="$per_core_kbps" -v mk="$multi_kbps" -v cores="$cores" -v threads="$threads" '
    BEGIN {
        s = size / 1e6 / ts; m = size / 1e6 / tm; ratio = s / m
        per_core = pk / 1000; ceiling = per_core * cores; pct = 100 * s / ceiling
        printf "%-10s %9s %9s %13s %8s %9s\n", "tool", "median s", "MB/s", "median cpu s", "best s", "best MB/s"
        printf "%-10s %9.3f %9.1f %13.2f %8.3f %9.1f\n", "shoal", ts, s, cs, bs, size / 1e6 / bs
        printf "%-10s %9.3f %9.1f %13.2f %8.3f %9.1f\n", "mktorrent", tm, m, cm, bm, size / 1e6 / bm
        printf "\n"
        printf "ratio shoal/mktorrent (MB/s):  %.3f\n", ratio
        printf "SHA-1 per core (openssl):      %.1f MB/s  (evp sha1, 16384-byte blocks)\n", per_core
        printf "SHA-1 ceiling:                 %.1f MB/s  (%.1f x %d cores)\n", ceiling, per_core, cores
        if (mk != "") printf "  (openssl speed -multi %d:    %.1f MB/s measured, all cores at once)\n", cores, mk / 1000
        printf "shoal / ceiling:               %.1f%%\n", pct
        printf "\n"
        printf "target 1, shoal >= mktorrent:  %s (ratio %.3f)\n", (ratio >= 1 ? "PASS" : "FAIL"), ratio
        printf "target 2, shoal > 80%% ceiling: %s (%.1f%% of %.1f MB/s)\n", (pct > 80 ? "PASS" : "FAIL"), pct, ceiling
        if (threads < cores) printf "note: %d threads on %d cores; the ceiling assumes all cores\n", threads, cores
    }'
)
passes=$(grep -cE '^target .*: +PASS' <<<"$report" || true)

mkdir -p "$(dirname "$out")"
{
    echo "shoal create vs mktorrent — $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
    echo "machine:   $cores cores ($cpu_model, sha_ni: $sha_ni), $(uname -sr), $((mem_kib / 1024)) MiB available"
    echo "versions:  $("$shoal" version | head -n1) (commit $commit), $(mktorrent -h 2>&1 | head -n1 | cut -d' ' -f1-2), $(openssl version | cut -d' ' -f1-2), $(swift --version 2>/dev/null | head -n1 | sed 's/ (.*//')"
    echo "file:      $size_mib MiB of random bytes ($size_bytes bytes), in page cache: $resident before the rounds, $resident_after after"
    echo "settings:  piece length $piece_bytes (mktorrent -l $piece_log2), $threads threads, $rounds rounds (+$warmup warm-up), alternating"
    echo "load avg:  $load_before before, $load_after after (1/5/15 min); waited $waits s for quiet CPUs," \
        "$busy_runs run(s) started on a busy machine after ${idle_wait} s"
    echo
    printf '%s\n' "${round_lines[@]}"
    echo
    echo "$report"
    echo
    echo "infohash:  shoal $shoal_hash, mktorrent $mkt_hash — same: $same_hash"
} | tee "$out"
note "report written to $out"

[[ $same_hash == yes ]] || die "the two torrents have different infohashes"
if [[ $strict == 1 && $passes != 2 ]]; then exit 2; fi
