#!/usr/bin/env bash
# Fuzzes the bencode decoder, the metainfo parser and the magnet parser with libFuzzer (docs/fuzzing.md).
#
# usage: scripts/fuzz.sh [SECONDS]        (default 60)
#
# Builds the ShoalFuzz target in release with -sanitize=fuzzer,address (fuzzer alone if that fails) in
# .build-fuzz, then fuzzes for SECONDS on 2 processes (1 on a single-core machine). The working corpus is
# fuzz-artifacts/corpus, a copy of the committed seeds in Fuzz/corpus that keeps growing across runs;
# crashes, timeouts and out-of-memory inputs land in fuzz-artifacts/, the logs in fuzz-artifacts/logs/.
#
# Exit status: 0 nothing found, 1 the fuzzer found an input that crashes or breaks an invariant,
# 2 usage or build error.
#
# Environment:
#   FUZZ_JOBS=N            fuzzing processes (default 2, or 1 with a single core)
#   FUZZ_SANITIZERS=LIST   e.g. "fuzzer" to build without AddressSanitizer (default fuzzer,address)
#   FUZZ_TIMEOUT=S         seconds one input may take before it counts as a hang (default 10)
#   FUZZ_FRESH=1           start again from the committed seeds (drops fuzz-artifacts/corpus)
#   FUZZ_ARGS="..."        extra libFuzzer flags, e.g. "-max_len=8192"
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

seconds=${1:-60}
if ! [[ $seconds =~ ^[1-9][0-9]*$ ]]; then
    echo "usage: scripts/fuzz.sh [SECONDS]   (a positive whole number, default 60)" >&2
    exit 2
fi
if [[ -n ${FUZZ_JOBS:-} ]]; then
    jobs=$FUZZ_JOBS
elif (($(nproc) >= 2)); then
    jobs=2
else
    jobs=1
fi
timeout=${FUZZ_TIMEOUT:-10}
read -r -a extra_args <<<"${FUZZ_ARGS:-}"

scratch=.build-fuzz
artifacts=$root/fuzz-artifacts
corpus=$artifacts/corpus
logs=$artifacts/logs
mkdir -p "$logs"

# SwiftPM links executables with `--defsym main=ShoalFuzz_main`, so the fuzz build's Swift main calls
# libFuzzer's driver itself; declaring that C function needs the Extern feature (Fuzz/ShoalFuzz/main.swift).
build() {
    echo "==> building ShoalFuzz (release, -sanitize=$1) in $scratch; log: fuzz-artifacts/logs/build.log"
    swift build -c release --scratch-path "$scratch" --product ShoalFuzz \
        -Xswiftc "-sanitize=$1" -Xswiftc -DSHOAL_FUZZ -Xswiftc -enable-experimental-feature -Xswiftc Extern \
        >"$logs/build.log" 2>&1
}

sanitizers=${FUZZ_SANITIZERS:-fuzzer,address}
if ! build "$sanitizers"; then
    built=0
    if [[ $sanitizers != fuzzer ]]; then
        echo "    -sanitize=$sanitizers did not build; trying -sanitize=fuzzer alone"
        sanitizers=fuzzer
        build fuzzer && built=1
    fi
    if ((built == 0)); then
        grep -v 'Cannot export local symbol' "$logs/build.log" | tail -30 >&2
        echo "error: the fuzz build failed" >&2
        exit 2
    fi
fi
binary=$(swift build -c release --scratch-path "$scratch" --show-bin-path)/ShoalFuzz

# A writable copy of the seeds: libFuzzer adds (and shrinks) inputs in the first corpus folder it is given.
if [[ ${FUZZ_FRESH:-0} == 1 ]]; then
    rm -rf "$corpus"
fi
mkdir -p "$corpus"
for seed in Fuzz/corpus/*; do
    [[ -e $corpus/${seed##*/} ]] || cp "$seed" "$corpus/"
done


echo "==> fuzzing for ${seconds}s on $jobs job(s), -sanitize=$sanitizers; corpus: fuzz-artifacts/corpus" \
    "($(find "$corpus" -type f | wc -l) inputs)"
rm -f "$logs"/fuzz-*.log
status=0
# SWIFT_BACKTRACE=enable=no: otherwise Swift's backtracer takes the trap of a failed check and exits before
# libFuzzer's signal handler can save the input.
(
    cd "$logs"
    SWIFT_BACKTRACE=enable=no "$binary" -jobs="$jobs" -workers="$jobs" -max_total_time="$seconds" \
        -timeout="$timeout" -print_final_stats=1 -dict="$root/Fuzz/shoal.dict" -artifact_prefix="$artifacts/" \
        ${extra_args[@]+"${extra_args[@]}"} "$corpus" >"$logs/runner.log" 2>&1
) || status=$?

# Statistics from each job's log.
# The last match of an extended regex in a file, or nothing (never a failure, so `set -e` does not stop us).
last() { grep -aoE "$1" "$2" | tail -1 | grep -oE '[0-9]+$' || true; }
executions=0
rate=0
coverage=0
features=0
edges=
for log in "$logs"/fuzz-*.log; do
    [[ -e $log ]] || continue
    job_executions=$(last 'stat::number_of_executed_units: *[0-9]+' "$log")
    job_rate=$(last 'stat::average_exec_per_sec: *[0-9]+' "$log")
    if [[ -z $job_executions ]]; then  # cut off before its final statistics: use its last status line
        job_executions=$(last '^#[0-9]+' "$log")
        job_rate=$(last 'exec/s: [0-9]+' "$log")
    fi
    executions=$((executions + ${job_executions:-0}))
    rate=$((rate + ${job_rate:-0}))
    job_coverage=$(last 'cov: [0-9]+' "$log")
    job_features=$(last 'ft: [0-9]+' "$log")
    if ((${job_coverage:-0} > coverage)); then coverage=$job_coverage; fi
    if ((${job_features:-0} > features)); then features=$job_features; fi
    edges=$(grep -aoE '[0-9]+ inline 8-bit counters' "$log" | head -1 | grep -oE '^[0-9]+' || true)
done
echo "==> executions: $executions in ${seconds}s (about $rate/s over $jobs job(s))"
echo "    coverage: $coverage of ${edges:-?} instrumented edges, $features features;" \
    "corpus now $(find "$corpus" -type f | wc -l) inputs; logs in fuzz-artifacts/logs/"

# Inputs that libFuzzer saved in this run (crash-, timeout-, oom-, leak-...).
new_findings=$({ grep -ah 'Test unit written to ' "$logs"/fuzz-*.log || true; } | sed 's/.*Test unit written to //' |
    sort -u)
if [[ -z $new_findings ]]; then
    if ((status != 0)); then
        grep -a -v '^#' "$logs/runner.log" | tail -5 >&2
        echo "==> libFuzzer exited with status $status but saved no input; see fuzz-artifacts/logs/" >&2
        exit 1
    fi
    echo "==> found nothing"
    exit 0
fi

echo "==> FOUND $(printf '%s\n' "$new_findings" | wc -l) input(s) that crash or break an invariant:"
# What went wrong and where: Swift's message, and the frames in the project's own sources.
demangle() { if command -v swift-demangle >/dev/null; then swift-demangle --simplified; else cat; fi; }
{ grep -ah -E 'Fatal error|Swift runtime failure|ERROR: AddressSanitizer|/(Sources|Fuzz)/' "$logs"/fuzz-*.log ||
    true; } | sed -E 's/^ *#[0-9]+ 0x[0-9a-f]+ in //' | demangle | awk '!seen[$0]++' | head -12 | sed 's/^/    /'
while IFS= read -r finding; do
    echo "  ${finding#"$root"/} ($(wc -c <"$finding") bytes)"
    echo "    hex: $(od -An -tx1 -v "$finding" | tr -d ' \n' | cut -c1-400)"
done <<<"$new_findings"
echo "    replay one: SWIFT_BACKTRACE=enable=no $scratch/release/ShoalFuzz fuzz-artifacts/crash-..."
echo "    or without libFuzzer: swift run --scratch-path $scratch ShoalFuzz fuzz-artifacts/crash-..."
exit 1
