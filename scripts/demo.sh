#!/usr/bin/env bash
# The main job on the bundled sample: build Shoal, make the sample's torrent, show what it holds.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
shoal_setup build

swift build -c release --product shoal
shoal=$(swift build -c release --show-bin-path)/shoal

"$shoal" version
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$shoal" create samples/sample.mp4 -o "$out/sample.torrent" --tracker udp://127.0.0.1:6969/announce
"$shoal" info "$out/sample.torrent"
