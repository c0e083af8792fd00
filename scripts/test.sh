#!/usr/bin/env bash
# The whole test suite, interop tests with real peers included.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
shoal_setup test

# Build everything first (the CLI and interop tests run the shoal binary), then test.
swift build --build-tests
if (($#)); then
    swift test --skip-build "$@"
    exit
fi
# Two runs. The suites that run child processes (ffmpeg, aria2, the libtorrent scripts, shoal itself) block a thread
# while each runs; in one process with the in-process swarm and DHT tests they would starve those of Swift's
# cooperative threads (two on a 2-core machine), and their time limits would fail them.
process_suites='ShoalCLITests|InteropTests|MediaIngestTests'
status=0
swift test --skip-build --skip "$process_suites" || status=$?
swift test --skip-build --filter "$process_suites" || status=$?
exit "$status"
