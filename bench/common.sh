# shellcheck shell=bash disable=SC2154,SC2034  # repo, scratch, idle_wait, die, note come from the sourcing script
# Shared by the benchmark scripts (sourced). Expects `repo`, `scratch`, `idle_wait`, `die` and `note` from the caller.

# Sets `shoal` to $SHOAL_BIN, or builds the release binary in the scratch path and points at it.
resolve_shoal_binary() {
    if [[ -n ${SHOAL_BIN:-} ]]; then
        shoal=$SHOAL_BIN
        [[ -x $shoal ]] || die "SHOAL_BIN=$shoal is not an executable"
    else
        command -v swift >/dev/null || die "swift is not on PATH (or set SHOAL_BIN to a built shoal)"
        note "building shoal (release, scratch path $scratch)"
        (cd "$repo" && swift build -c release --product shoal --scratch-path "$scratch" >&2)
        shoal=$(cd "$repo" && swift build -c release --product shoal --scratch-path "$scratch" --show-bin-path)/shoal
    fi
}

# Prints the idle share of all CPUs over the last second in percent, e.g. "97".
idle_percent() {
    local a b
    a=$(head -n1 /proc/stat)
    sleep 1
    b=$(head -n1 /proc/stat)
    awk -v a="$a" -v b="$b" 'BEGIN {
        n = split(a, x); split(b, y); total = 0
        for (i = 2; i <= n && i <= 9; i++) total += y[i] - x[i]  # user .. steal (guest is in user)
        idle = (y[5] - x[5]) + (y[6] - x[6])
        printf "%d", (total > 0) ? 100 * idle / total : 100 }'
}

# Waits (up to `idle_wait` seconds) for a second with >= 90% idle CPUs: other work inflates wall times.
# Adds the seconds waited to `waits` and counts runs that started on a busy machine anyway in `busy_runs`.
waits=0 busy_runs=0
wait_for_quiet() {
    ((idle_wait > 0)) || return 0
    local waited=0
    while (($(idle_percent) < 90)); do
        ((++waited < idle_wait)) || { ((++busy_runs)); break; }
    done
    waits=$((waits + waited))
}

# Dies unless the value is an integer from min to max: name value min [max]
check_uint() {
    if ! is_uint "$2" || (($2 < $3)) || { [[ -n ${4:-} ]] && (($2 > $4)); }; then
        if [[ -n ${4:-} ]]; then die "$1 must be an integer from $3 to $4 (got '$2')"; fi
        die "$1 must be an integer >= $3 (got '$2')"
    fi
}

# Prints "wall user sys" in seconds: wall from CLOCK_MONOTONIC, user/sys CPU of the child. The child's
# stdout and stderr go to $BENCH_LOG.
stopwatch() {
    perl -MTime::HiRes=clock_gettime,CLOCK_MONOTONIC -e '
        my $t0 = clock_gettime(CLOCK_MONOTONIC);
        my $pid = fork() // die "fork: $!";
        if ($pid == 0) {
            open(STDOUT, ">>", $ENV{BENCH_LOG}) or die; open(STDERR, ">&", \*STDOUT) or die;
            exec { $ARGV[0] } @ARGV or die "exec $ARGV[0]: $!";
        }
        waitpid($pid, 0);
        my $status = $?;
        my $t1 = clock_gettime(CLOCK_MONOTONIC);
        my (undef, undef, $cu, $cs) = times;
        printf "%.4f %.3f %.3f\n", $t1 - $t0, $cu, $cs;
        exit($status == 0 ? 0 : 1);
    ' "$@"
}

# Sets `cpu_model` and `commit` (what was measured: the commit, uncommitted changes, or SHOAL_BIN's build time).
describe_build() {
    cpu_model=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
    commit=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)
    if [[ $commit != unknown && -n $(git -C "$repo" status --porcelain -- Sources Package.swift 2>/dev/null) ]]; then
        commit+=" (uncommitted changes in Sources or Package.swift)"
    fi
    if [[ -n ${SHOAL_BIN:-} ]]; then
        commit="SHOAL_BIN=$SHOAL_BIN built $(date -u -r "$shoal" '+%Y-%m-%d %H:%M UTC'); work tree at $commit"
    else
        commit="commit $commit"
    fi
}

# Signals a process, waits up to 10 s for it to end, then SIGKILLs it (usage: stop_pid PID SIGNAL).
stop_pid() { # pid signal: signal it, wait up to 10 s, then SIGKILL
    local pid=$1 i
    [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
    kill -"$2" "$pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
    wait "$pid" 2>/dev/null || true
}
