#!/usr/bin/env bash
# Installs what Shoal needs on a fresh Debian/Ubuntu machine. Sourced by demo.sh and test.sh.
#   shoal_setup build   — what building and running Shoal needs
#   shoal_setup demo    — that, plus FFmpeg's command-line tools (the demo plays the stream with ffmpeg)
#   shoal_setup test    — that, plus the real peers and tools the test suite drives
set -euo pipefail

SHOAL_BUILD_PACKAGES=(pkg-config libavformat-dev libavcodec-dev libavutil-dev libswscale-dev libswresample-dev libsqlite3-dev)
SHOAL_DEMO_PACKAGES=(ffmpeg)
SHOAL_TEST_PACKAGES=(python3-libtorrent mktorrent ffmpeg opentracker aria2 chromium chromium-driver)

shoal_missing_packages() {
    local package
    for package in "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || echo "$package"
    done
}

shoal_setup() {
    local mode=${1:-build}
    local wanted=("${SHOAL_BUILD_PACKAGES[@]}")
    [ "$mode" = demo ] && wanted+=("${SHOAL_DEMO_PACKAGES[@]}")
    [ "$mode" = test ] && wanted+=("${SHOAL_TEST_PACKAGES[@]}")

    if ! command -v swift >/dev/null 2>&1; then
        echo "shoal setup: the Swift toolchain (6.1 or later) is not on PATH; install it from swift.org first" >&2
        return 1
    fi
    local missing
    missing=$(shoal_missing_packages "${wanted[@]}")
    if [ -n "$missing" ]; then
        # shellcheck disable=SC2086
        if [ "$(id -u)" -ne 0 ]; then
            echo "shoal setup: missing packages:" $missing >&2
            echo "shoal setup: run as root, or first: sudo apt-get install -y" $missing >&2
            return 1
        fi
        echo "shoal setup: installing" $missing >&2
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        # shellcheck disable=SC2086
        apt-get install -y -qq $missing >/dev/null
    fi
    # Shoal compiles against these headers and opens the matching shared libraries at run time.
    if ! pkg-config --exists libavformat libavcodec libavutil libswscale libswresample; then
        echo "shoal setup: pkg-config cannot find libavformat, libavcodec, libavutil, libswscale and libswresample" >&2
        return 1
    fi
}
