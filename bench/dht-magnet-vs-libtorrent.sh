#!/usr/bin/env bash
# Benchmark: a magnet link with no tracker, resolved through a local 50-node Mainline DHT, to the first verified
# piece; Shoal and libtorrent side by side in the same DHT (issue 8).
#
# Once per run, the DHT: `shoal dht --bind 127.0.0.10 --port 0 --count NODES --report 1`, NODES nodes on 127.0.0.10,
# 127.0.0.11, ... (one per address, as on the internet), nodes 2..NODES bootstrapped from the first. Ready when the
# nodes' routing tables hold 8 nodes each on average (its figure line every second), at most --settle s (the nodes
# bootstrap again at most once a minute, so this takes about a minute).
# Then a torrent and seed of its own for every download to come (2 x --rounds + 2 for the warm-up), started one
# after another: --size-mib MiB of random bytes and its torrent (`shoal create --piece-length`, no tracker, so its
# magnet link has no tr= and the DHT is the only way to the seed), seeded by
# `shoal seed TORRENT --data DIR --port 0 --bind 127.0.0.2 --dht-bootstrap FIRST_NODE -v`, which announces it to
# the DHT. A seed is ready when the DHT's figure line counts more stored peers than before it (its announce was
# acknowledged), plus 1 s; the seeds run until the end. A torrent per download because both clients announce
# themselves to the DHT once they have the metadata: with one torrent (--one-torrent), every later download would
# also be handed the dead peers of the earlier ones, and the rounds would not be alike. The seeds start before any
# download, so they announce into a DHT without dead nodes, and none of them leaves a dead node behind.
# First one warm-up round (not counted), which also checks that both clients can do it at all. Then --rounds rounds;
# each round picks one of the DHT's nodes at random (--seed) as the bootstrap node of both clients and runs
# (Shoal first in odd rounds, libtorrent first in even ones), each a fresh process with a fresh folder on its own
# address:
#   shoal       shoal download MAGNET -o DIR --port 0 --bind 127.0.0.3 --dht-bootstrap NODE -v
#   libtorrent  bench/scripts/lt_magnet.py MAGNET --bootstrap NODE --bind 127.0.0.4 --save DIR --log
#               (python3-libtorrent; DHT settings for loopback; adds the magnet once its DHT runs, see the script)
# The figure is the wall time from launching the process to the line saying the first piece is verified (Shoal's
# `first piece verified: ...` log line, lt_magnet.py's JSON line after libtorrent's first piece_finished_alert),
# read through a pipe and timestamped as it comes (CLOCK_MONOTONIC); then the process is stopped. It includes the
# process start, the DHT bootstrap, the DHT search, the metadata (BEP 9) and the first piece. Per attempt the
# report splits it from the logs: start-up (to the DHT search starting), DHT search (to the seed's first incoming
# connection for Shoal, from the seed's log; to libtorrent's first dht_reply_alert with peers), metadata, and the
# first piece. Medians over the rounds; ratio shoal/libtorrent (lower is faster).
#
# Usage: bench/dht-magnet-vs-libtorrent.sh [--rounds N] [--nodes N] [--size-mib N] [--piece-kib N]
#                                         [--timeout S] [--settle S] [--seed N] [--one-torrent]
#   --rounds N      measured rounds, each one Shoal and one libtorrent download            (default 5)
#   --nodes N       DHT nodes, on 127.0.0.10 onwards (2-200)                               (default 50)
#   --size-mib N    size of the torrent's file in MiB                                       (default 4)
#   --piece-kib N   piece length in KiB, a power of two from 16                             (default 64)
#   --timeout S     seconds one download may take to its first piece; past that it counts as failed (default 60)
#   --settle S      at most this many seconds for the DHT's routing tables to fill          (default 120)
#   --one-torrent   one torrent and one seed for the whole run instead of a fresh pair per download: later
#                   downloads then also find the (dead) peers that earlier ones announced
#   --seed N        seed of the bootstrap node draw                                         (default 1)
#
# Environment (all optional):
#   SHOAL_SCRATCH_PATH / SHOAL_BIN   as for the other benchmarks (SHOAL_BIN skips the release build)
#   BENCH_TMPDIR      parent of the temporary directory (data, downloads)                        (default: /tmp)
#   BENCH_PYTHON      the python that imports libtorrent                             (default: /usr/bin/python3)
#   BENCH_IDLE_WAIT   before each download, wait up to this many seconds for >= 90% idle CPUs (0: don't) (default: 20)
#   BENCH_OUT_DIR     folder for the report and every log          (default: <repo>/bench/out/dht-magnet-<timestamp>)
#   BENCH_KEEP        1 = keep the temporary directory                                           (default: 0)
# The report (Markdown) goes to stdout, to BENCH_OUT_DIR/report.md and to bench/out/dht-magnet-latest.md.
# Exit status: 0 after a complete run, 1 on an error (the DHT or the seed does not start, the warm-up fails),
# 3 when a measured download failed or timed out (the report says which; medians are over the others).
set -euo pipefail
export LC_ALL=C

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
scratch=${SHOAL_SCRATCH_PATH:-$repo/.build}
tmp_parent=${BENCH_TMPDIR:-/tmp}
python=${BENCH_PYTHON:-/usr/bin/python3}
idle_wait=${BENCH_IDLE_WAIT:-20}
keep=${BENCH_KEEP:-0}
stamp=$(date -u '+%Y%m%d-%H%M%S')
out_dir=${BENCH_OUT_DIR:-$repo/bench/out/dht-magnet-$stamp}
latest=$repo/bench/out/dht-magnet-latest.md
lt_magnet=$repo/bench/scripts/lt_magnet.py

rounds=5 nodes=50 size_mib=4 piece_kib=64 timeout_s=60 settle_s=120 rng_seed=1 one_torrent=0
seed_host=127.0.0.2 shoal_host=127.0.0.3 lt_host=127.0.0.4 dht_base=127.0.0.10

die() { echo "dht-magnet-vs-libtorrent: $*" >&2; exit 1; }
note() { echo "==> $*" >&2; }
is_uint() { [[ $1 =~ ^[0-9]+$ ]]; }
usage() { sed -n '/^# Usage:/,/^#   --seed/p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

while (($#)); do
    case $1 in
        --rounds | --nodes | --size-mib | --piece-kib | --timeout | --settle | --seed)
            (($# >= 2)) || die "$1 needs a value"
            case $1 in
                --rounds) rounds=$2 ;; --nodes) nodes=$2 ;; --size-mib) size_mib=$2 ;; --piece-kib) piece_kib=$2 ;;
                --timeout) timeout_s=$2 ;; --settle) settle_s=$2 ;; --seed) rng_seed=$2 ;;
            esac
            shift 2
            ;;
        --rounds=* | --nodes=* | --size-mib=* | --piece-kib=* | --timeout=* | --settle=* | --seed=*)
            set -- "${1%%=*}" "${1#*=}" "${@:2}"
            ;;
        --one-torrent) one_torrent=1; shift ;;
        -h | --help) usage; exit 0 ;;
        *) usage >&2; die "unknown argument '$1'" ;;
    esac
done

# shellcheck source=bench/common.sh
source "$repo/bench/common.sh"
check_uint --rounds "$rounds" 1 100
check_uint --nodes "$nodes" 2 200
check_uint --size-mib "$size_mib" 1 4096
check_uint --piece-kib "$piece_kib" 16 16384
check_uint --timeout "$timeout_s" 5
check_uint --settle "$settle_s" 0
check_uint --seed "$rng_seed" 0 32767
check_uint BENCH_IDLE_WAIT "$idle_wait" 0
((piece_kib & (piece_kib - 1))) && die "--piece-kib must be a power of two (got $piece_kib)"
((size_mib * 1024 >= piece_kib)) || die "--piece-kib must not exceed the file (--size-mib)"
[[ -f $lt_magnet ]] || die "$lt_magnet is missing"

# --- Tools ------------------------------------------------------------------------------------------------------
have_lt() { "$python" -c 'import libtorrent' 2>/dev/null; }
if ! have_lt; then
    [[ $(id -u) == 0 ]] || die "python3-libtorrent is missing for $python." \
        "Install it (sudo apt-get install python3-libtorrent) or run this script as root."
    command -v apt-get >/dev/null || die "python3-libtorrent is missing, and there is no apt-get to install it with."
    note "installing python3-libtorrent with apt-get"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-libtorrent >/dev/null
    have_lt || die "installing python3-libtorrent did not work (libtorrent must import in $python)"
fi
perl -MTime::HiRes=clock_gettime,CLOCK_MONOTONIC -e 1 2>/dev/null || die "perl with Time::HiRes is needed (Debian: perl)"

resolve_shoal_binary
"$shoal" dht --help >/dev/null 2>&1 || die "$shoal has no 'dht' command (build a newer shoal)"
# Peers from the DHT only: LAN discovery (BEP 14) is off on a loopback address anyway, but say so where it exists.
no_lsd=()
[[ $("$shoal" download --help 2>&1) == *--no-lsd* ]] && no_lsd=(--no-lsd)

# --- Processes and clean-up -------------------------------------------------------------------------------------
mkdir -p "$tmp_parent" "$out_dir"
work=$(mktemp -d "$tmp_parent/shoal-dht-bench.XXXXXX")
dht_pid="" seed_pids=() attempt_pid=""
cleanup() {
    local pid
    stop_pid "$attempt_pid" TERM # timed_run passes it on to the download
    for pid in "${seed_pids[@]}"; do kill -INT "$pid" 2>/dev/null || true; done
    for pid in "${seed_pids[@]}"; do stop_pid "$pid" INT; done
    stop_pid "$dht_pid" INT
    if [[ $keep == 1 ]]; then note "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Copies stdin to stdout, each line prefixed with CLOCK_MONOTONIC seconds ("12345.6789 line").
stamp_lines() {
    perl -MTime::HiRes=clock_gettime,CLOCK_MONOTONIC -ne \
        'BEGIN { $| = 1 } printf "%.4f %s", clock_gettime(CLOCK_MONOTONIC), $_'
}

# timed_run LOG PATTERN TIMEOUT CMD...: runs CMD with its stdout and stderr in one pipe and writes each line to LOG
# as "MONOTONIC ELAPSED LINE" (seconds; ELAPSED from the launch). When a line matches PATTERN (a Perl regex) it
# prints ELAPSED, stops CMD (SIGTERM; SIGKILL after 5 s) and exits 0. It exits 124 after TIMEOUT seconds and 1 if
# CMD ends first, stopping CMD either way; SIGTERM or SIGINT to it stops CMD too. Run it in the background
# (`timed_run ... &`): it execs perl, so $! is the process to signal.
timed_run() { exec perl -MTime::HiRes=clock_gettime,CLOCK_MONOTONIC -MPOSIX=:sys_wait_h -e "$timed_run_pl" "$@"; }
# shellcheck disable=SC2016 # Perl, not shell
timed_run_pl='
        use strict; use warnings;
        my ($log, $pattern, $timeout, @cmd) = @ARGV;
        open(my $out, ">", $log) or die "timed_run: $log: $!\n";
        $out->autoflush(1);
        pipe(my $r, my $w) or die "timed_run: pipe: $!\n";
        my $t0 = clock_gettime(CLOCK_MONOTONIC);
        my $pid = fork() // die "timed_run: fork: $!\n";
        if ($pid == 0) {
            close $r;
            open(STDOUT, ">&", $w) or die; open(STDERR, ">&", $w) or die; close $w;
            exec { $cmd[0] } @cmd or die "timed_run: exec $cmd[0]: $!\n";
        }
        close $w;
        printf $out "%.4f 0.0000 # launched: %s\n", $t0, join(" ", @cmd);
        my $buf = ""; my $eof = 0;
        my $read = sub {  # reads what there is within $_[0] s and logs whole lines; returns ELAPSED of a match
            my $rin = ""; vec($rin, fileno($r), 1) = 1;
            my $n = select(my $rout = $rin, undef, undef, $_[0]);
            return undef if $n <= 0;
            my $got = sysread($r, $buf, 65536, length $buf);
            if (!$got) { $eof = 1; return undef }
            my $t = clock_gettime(CLOCK_MONOTONIC); my $hit;
            while ($buf =~ s/^([^\n]*)\n//) {
                my $line = $1;
                printf $out "%.4f %.4f %s\n", $t, $t - $t0, $line;
                $hit //= $t - $t0 if $line =~ /$pattern/;
            }
            return $hit;
        };
        my $stop = sub {
            kill "TERM", $pid;
            my $deadline = clock_gettime(CLOCK_MONOTONIC) + 5;
            $read->(0.05) while !$eof && clock_gettime(CLOCK_MONOTONIC) < $deadline;
            kill "KILL", $pid unless $eof;
            waitpid($pid, 0);
        };
        $SIG{TERM} = $SIG{INT} = sub { $stop->(); exit 143 };
        while (1) {
            my $left = $t0 + $timeout - clock_gettime(CLOCK_MONOTONIC);
            if ($left <= 0) { printf $out "# no match within %g s\n", $timeout; $stop->(); exit 124 }
            my $hit = $read->($left < 0.5 ? $left : 0.5);
            if (defined $hit) { printf "%.4f\n", $hit; $stop->(); exit 0 }
            if ($eof) {
                waitpid($pid, 0);
                printf $out "# exited (status %d) without a match\n", $? >> 8;
                exit 1;
            }
        }
'

# Last line of a log without its timestamps, for one-line messages (stamp_lines logs have one time, timed_run's two).
last_line() { grep -v '^[0-9. ]*#' "$1" | tail -n1 | sed 's/^[0-9.]* \([0-9.]* \)\{0,1\}//' | cut -c1-160; }

# --- The DHT ----------------------------------------------------------------------------------------------------
dht_log=$work/dht.log
: >"$dht_log"
note "starting $nodes DHT nodes on $dht_base onwards"
"$shoal" dht --bind "$dht_base" --port 0 --count "$nodes" --report 1 > >(stamp_lines >"$dht_log") 2>&1 &
dht_pid=$!
dht_nodes=()
for ((i = 0; i < 300; i++)); do
    mapfile -t dht_nodes < <(sed -n 's/^[0-9.]* dht node: //p' "$dht_log")
    ((${#dht_nodes[@]} >= nodes)) && break
    kill -0 "$dht_pid" 2>/dev/null || { cat "$dht_log" >&2; die "shoal dht exited (output above)"; }
    sleep 0.1
done
((${#dht_nodes[@]} >= nodes)) || die "shoal dht printed ${#dht_nodes[@]} of $nodes nodes within 30 s"
first_node=${dht_nodes[0]}

mono_now() { perl -MTime::HiRes=clock_gettime,CLOCK_MONOTONIC -e 'printf "%.4f\n", clock_gettime(CLOCK_MONOTONIC)'; }
# "known good stored" of the DHT's last figure line, or of the first one stamped at or after $1 (waits up to 5 s
# for it; nothing when none came).
dht_figures() {
    local after=${1:-0} i line
    for ((i = 0; i < 50; i++)); do
        line=$(awk -v t="$after" '$1 >= t && $2 == "dht:" { l = $6 " " substr($8, 2) " " $10; if (t > 0) { print l; exit } }
            END { if (t == 0 && l != "") print l }' "$dht_log")
        [[ -n $line || $after == 0 ]] && break
        sleep 0.1
    done
    [[ -n $line ]] && echo "$line"
    return 0
}
note "waiting up to $settle_s s for the routing tables to hold $((8 * nodes)) nodes in all (8 per node)"
settle_t0=$SECONDS known=0
while ((SECONDS - settle_t0 < settle_s)); do
    read -r known _ _ <<<"$(dht_figures)" || true
    ((${known:-0} >= 8 * nodes)) && break
    kill -0 "$dht_pid" 2>/dev/null || die "shoal dht exited: $(last_line "$dht_log")"
    sleep 0.5
done
settle_took=$((SECONDS - settle_t0))
read -r known good _ <<<"$(dht_figures)" || true
dht_state="the $nodes nodes' tables held ${known:-0} nodes (${good:-0} good) after $settle_took s"
((${known:-0} >= 8 * nodes)) || dht_state+=" (fewer than 8 per node: --settle ran out)"
note "$dht_state"

# --- Torrents and seeds -----------------------------------------------------------------------------------------
# new_seed LABEL: --size-mib of fresh random bytes, their torrent (no tracker) and a seed of it on $seed_host,
# bootstrapped from the first DHT node, left running; returns once the DHT's figure line counts more stored peers
# than before (the seed's announce was acknowledged) and 1 s more. Sets magnets[LABEL] and seed_logs[LABEL]; appends
# the nodes that stored the seed's peer and the seconds from the seed's launch to the count to seed_stored and
# seed_ready. Seeds start one after another, so each one's announce is told apart by the count.
declare -A magnets=() seed_logs=()
seed_pids=() seed_stored="" seed_ready="" stored_now=""
new_seed() {
    local label=$1 dir=$work/$1 name=shoal-dht-$1.bin log=$out_dir/$1-seed.log t0 now pid magnet="" stored
    mkdir -p "$dir"
    head -c $((size_mib * 1024 * 1024)) /dev/urandom >"$dir/$name"
    "$shoal" create "$dir/$name" -o "$dir/$name.torrent" --piece-length "${piece_kib}K" --force -q >/dev/null \
        || die "shoal create failed"
    if [[ -z $stored_now ]]; then
        read -r _ _ stored_now <<<"$(dht_figures "$(mono_now)")" || true
        [[ -n $stored_now ]] || die "shoal dht printed no figure line for 5 s"
    fi
    : >"$log"
    t0=$(mono_now)
    "$shoal" seed "$dir/$name.torrent" --data "$dir" --port 0 --bind "$seed_host" --dht-bootstrap "$first_node" \
        "${no_lsd[@]}" -v \
        > >(stamp_lines >"$log") 2>&1 &
    pid=$!
    seed_pids+=("$pid")
    until [[ -n $magnet ]] && grep -q "^[0-9.]* listening on $seed_host:" "$log"; do
        magnet=$(sed -n 's/^[0-9.]* magnet: //p' "$log" | head -n1)
        kill -0 "$pid" 2>/dev/null || die "the seed $label exited: $(last_line "$log")"
        [[ $(awk -v a="$t0" -v b="$(mono_now)" 'BEGIN { print (b - a < 60) }') == 1 ]] \
            || die "the seed $label was not listening after 60 s: $(last_line "$log")"
        sleep 0.1
    done
    [[ $magnet == *"tr="* ]] && die "the seed's magnet link names a tracker: $magnet"
    while :; do
        now=$(mono_now)
        read -r _ _ stored <<<"$(dht_figures "$now")" || true
        ((${stored:-0} > stored_now)) && break
        kill -0 "$pid" 2>/dev/null || die "the seed $label exited: $(last_line "$log")"
        [[ $(awk -v a="$t0" -v b="$now" 'BEGIN { print (b - a < 60) }') == 1 ]] \
            || die "no DHT node stored the peer of seed $label within 60 s of its start"
    done
    sleep 1
    read -r _ _ stored <<<"$(dht_figures "$(mono_now)")" || true
    seed_stored+="$((stored - stored_now)) "
    seed_ready+="$(awk -v a="$t0" -v b="$now" 'BEGIN { printf "%.1f", b - a }') "
    stored_now=$stored
    magnets[$label]=$magnet seed_logs[$label]=$log
}

# --- Attempts ---------------------------------------------------------------------------------------------------
# attempt TOOL NODE LABEL: one download of the torrent of seed LABEL-TOOL (or of the shared one). Sets `result`
# to "SECONDS startup search metadata piece" (the phases in seconds, "-" when a log line is missing) or to
# "fail MESSAGE". Logs go to $out_dir/LABEL-TOOL.log.
attempt() {
    local tool=$1 node=$2 dir=$work/dl-$1 log=$out_dir/$3-$1.log rc=0 secs t0 json magnet seed_log
    magnet=${magnets[$3-$1]:-${magnets[shared]:-}} seed_log=${seed_logs[$3-$1]:-${seed_logs[shared]:-}}
    rm -rf "$dir"
    mkdir -p "$dir"
    wait_for_quiet
    case $tool in
        shoal)
            timed_run "$log" 'first piece verified: piece' "$timeout_s" "$shoal" download "$magnet" -o "$dir" \
                --port 0 --bind "$shoal_host" --dht-bootstrap "$node" "${no_lsd[@]}" -v >"$work/elapsed" &
            ;;
        libtorrent)
            timed_run "$log" '^\{"first_piece"' "$timeout_s" "$python" "$lt_magnet" "$magnet" --bootstrap "$node" \
                --bind "$lt_host" --save "$dir" --timeout $((timeout_s + 30)) --log >"$work/elapsed" &
            ;;
    esac
    attempt_pid=$!
    wait "$attempt_pid" || rc=$?
    attempt_pid=""
    rm -rf "$dir"
    if ((rc == 124)); then result="fail no first piece within $timeout_s s; last line: $(last_line "$log")"; return; fi
    if ((rc != 0)); then result="fail exited without a first piece; last line: $(last_line "$log")"; return; fi
    secs=$(<"$work/elapsed")
    t0=$(awk 'NR == 1 { print $1 }' "$log")
    case $tool in
        shoal)
            # Start-up: to "searching the DHT" (process start, DHT socket bound). Search: to the seed's first
            # incoming connection (its log). Metadata: to "metadata: NAME". Piece: the rest.
            local up found meta
            up=$(awk '/ searching the DHT for peers$/ { print $2; exit }' "$log")
            meta=$(awk '$3 == "metadata:" { print $2; exit }' "$log")
            found=$(awk -v t0="$t0" '$1 >= t0 && / attached: / { printf "%.4f", $1 - t0; exit }' "$seed_log")
            result=$(awk -v s="$secs" -v u="${up:--}" -v f="${found:--}" -v m="${meta:--}" 'BEGIN {
                printf "%s %s %s %s %s", s, u, (u != "-" && f != "-") ? sprintf("%.4f", f - u) : "-",
                    (f != "-" && m != "-") ? sprintf("%.4f", m - f) : "-", (m != "-") ? sprintf("%.4f", s - m) : "-" }')
            ;;
        libtorrent)
            # lt_magnet.py's JSON: times from the script's first line; python's start before it is wall - from_start.
            json=$(grep -o '{"first_piece".*' "$log" | head -n1)
            result=$("$python" -c '
import json, sys
j = json.loads(sys.argv[1]); wall = float(sys.argv[2])
offset = wall - j["from_start"]
def d(a, b): return "%.4f" % (b - a) if a is not None and b is not None else "-"
up = offset + j["dht_running"] if j["dht_running"] is not None else None
print("%s %s %s %s %s" % (sys.argv[2], "%.4f" % up if up is not None else "-", d(j["dht_running"], j["dht_peers"]),
      d(j["dht_peers"], j["metadata"]), d(j["metadata"], j["from_start"])))' "$json" "$secs")
            ;;
    esac
}

median() {
    printf '%s\n' "$@" | sort -g | awk '$1 != "" { v[++n] = $1 }
        END { if (n == 0) print "-"; else print (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2 }'
}

if ((one_torrent)); then
    note "starting the one seed on $seed_host (bootstrap $first_node)"
    new_seed shared
    seed_state="one torrent and seed for every download; its announce was stored by ${seed_stored% } DHT node(s)"
else
    note "starting $((2 * rounds + 2)) seeds on $seed_host, one after another (bootstrap $first_node)"
    for label in warmup-shoal warmup-libtorrent; do new_seed "$label"; done
    for ((r = 1; r <= rounds; r++)); do for tool in shoal libtorrent; do new_seed "round$r-$tool"; done; done
    # shellcheck disable=SC2086 # the lists are space-separated numbers
    seed_state="a torrent and seed of its own for each download ($(wc -w <<<"$seed_stored") seeds, all running
        throughout); each seed's announce was stored by $(median $seed_stored) DHT nodes (median; from
        $(printf '%s\n' $seed_stored | sort -n | sed -n '1p;$p' | paste -sd' ' | sed 's/ / to /')), counted
        $(median $seed_ready) s after its launch (median)"
    seed_state=$(tr -s ' \n' ' ' <<<"$seed_state") seed_state=${seed_state% }
fi
note "$seed_state"

RANDOM=$rng_seed
declare -A times=() phases=()
round_rows=() attempt_rows=() failures=()
note "warm-up round (not counted), bootstrap node $first_node"
for tool in shoal libtorrent; do
    attempt "$tool" "$first_node" warmup
    [[ $result == fail* ]] && die "warm-up: the $tool download failed: ${result#fail }"
    note "warm-up: $tool $(cut -d' ' -f1 <<<"$result") s"
done

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
run_t0=$SECONDS
for ((r = 1; r <= rounds; r++)); do
    node_index=$((RANDOM % nodes))
    node=${dht_nodes[node_index]}
    if ((r % 2)); then order=(shoal libtorrent); else order=(libtorrent shoal); fi
    declare -A got=()
    for tool in "${order[@]}"; do
        attempt "$tool" "$node" "round$r"
        if [[ $result == fail* ]]; then
            failures+=("round $r, $tool: ${result#fail }")
            note "round $r/$rounds: $tool FAILED: ${result#fail }"
            got[$tool]=fail
            attempt_rows+=("| $r | $tool | failed | | | | |")
        else
            read -r secs up search meta piece <<<"$result"
            times[$tool]+="$secs "
            for phase in up search meta piece; do
                [[ ${!phase} == - ]] || phases[$tool-$phase]+="${!phase} "
            done
            got[$tool]=$secs
            attempt_rows+=("| $r | $tool | $secs | $up | $search | $meta | $piece |")
            note "round $r/$rounds: $tool $secs s (start-up $up, DHT search $search, metadata $meta, first piece $piece)"
        fi
    done
    ratio=-
    [[ ${got[shoal]} != fail && ${got[libtorrent]} != fail ]] \
        && ratio=$(awk -v a="${got[shoal]}" -v b="${got[libtorrent]}" 'BEGIN { printf "%.2f", a / b }')
    round_rows+=("| $r | node $((node_index + 1)) ($node) | ${order[0]} | ${got[shoal]} | ${got[libtorrent]} | $ratio |")
    unset got
done
run_took=$((SECONDS - run_t0))
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# --- Report -----------------------------------------------------------------------------------------------------
# shellcheck disable=SC2086 # the lists are space-separated numbers
med_shoal=$(median ${times[shoal]:-}) med_lt=$(median ${times[libtorrent]:-})
# shellcheck disable=SC2086
phase_row() { echo "| $1 | $(median ${phases[shoal-$2]:-}) | $(median ${phases[libtorrent-$2]:-}) |"; }
highest() { printf '%s\n' "$@" | sort -g | tail -n1; }
over_1s() { (($#)) || { echo "0 of 0"; return; }; printf '%s\n' "$@" | awk '$1 > 1 { n++ } END { printf "%d of %d", n, NR }'; }
# shellcheck disable=SC2086
max_shoal=$(highest ${times[shoal]:-}) max_lt=$(highest ${times[libtorrent]:-})
# shellcheck disable=SC2086
slow_shoal=$(over_1s ${times[shoal]:-}) slow_lt=$(over_1s ${times[libtorrent]:-})
ratio=$(awk -v a="$med_shoal" -v b="$med_lt" 'BEGIN { if (a == "-" || b == "-") print "-"; else printf "%.2f", a / b }')
describe_build
lt_version=$("$python" -c 'import libtorrent; print(libtorrent.__version__)')
mem_mib=$(awk '/^MemTotal:/ { printf "%d", $2 / 1024 }' /proc/meminfo)
report=$(
    echo "# DHT: magnet to first piece, shoal vs libtorrent — $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo
    echo "- machine: $(nproc) cores ($cpu_model), $mem_mib MiB, $(uname -sr)"
    echo "- versions: $("$shoal" version 2>/dev/null | head -n1) ($commit); libtorrent $lt_version ($("$python" --version 2>&1))"
    echo "- torrent: $size_mib MiB of random bytes, $piece_kib KiB pieces, no tracker (magnet link without tr=)"
    echo "- DHT: $nodes \`shoal dht\` nodes on $dht_base onwards; $dht_state; $seed_state"
    echo "- rounds: $rounds (+1 warm-up), bootstrap node drawn with seed $rng_seed; Shoal on $shoal_host, libtorrent on" \
        "$lt_host, seed on $seed_host; timeout $timeout_s s per download; rounds took $run_took s"
    echo "- noise: load average $load_before before, $load_after after; waited $waits s for quiet CPUs," \
        "$busy_runs download(s) started on a busy machine after $idle_wait s"
    echo
    echo "Seconds from launching the process to its first verified piece:"
    echo
    echo "| round | bootstrap node | first | shoal s | libtorrent s | shoal/libtorrent |"
    echo "|---|---|---|---:|---:|---:|"
    printf '%s\n' "${round_rows[@]}"
    echo "| **median** | | | **$med_shoal** | **$med_lt** | **$ratio** |"
    echo "| slowest | | | $max_shoal | $max_lt | |"
    echo
    echo "Downloads over 1 s: shoal $slow_shoal, libtorrent $slow_lt (of those that reached a first piece)."
    echo
    echo "Where the time goes (medians of the rounds, seconds):"
    echo
    echo "| phase | shoal | libtorrent |"
    echo "|---|---:|---:|"
    phase_row "start-up: launch to the DHT search starting (shoal: \`searching the DHT\`; libtorrent: python, import, session, DHT running)" up
    phase_row "DHT search: to the first peer (shoal: the seed's first incoming connection; libtorrent: first dht_reply_alert with peers)" search
    phase_row "metadata: to the metadata (shoal: \`metadata:\`; libtorrent: metadata_received_alert)" meta
    phase_row "first piece: metadata to the first verified piece" piece
    echo
    echo "Per download (seconds; a phase is - when its log line is missing):"
    echo
    echo "| round | client | total | start-up | DHT search | metadata | first piece |"
    echo "|---|---|---:|---:|---:|---:|---:|"
    printf '%s\n' "${attempt_rows[@]}"
    if ((${#failures[@]})); then
        echo
        echo "Failed downloads (not in the medians):"
        printf -- '- %s\n' "${failures[@]}"
    fi
    echo
    echo "Logs: $out_dir (each line: CLOCK_MONOTONIC s, s since launch, the line)."
)
cp "$dht_log" "$out_dir/"
echo "$report" | tee "$out_dir/report.md"
cp "$out_dir/report.md" "$latest"
note "report written to $out_dir/report.md and $latest"
((${#failures[@]} == 0)) || exit 3
