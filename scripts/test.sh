#!/usr/bin/env bash
# The whole test suite, interop tests with real peers included.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
shoal_setup test

# Build everything first (the CLI and interop tests run the shoal binary), then test.
swift build --build-tests
swift test --skip-build "$@"
