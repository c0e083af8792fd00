#!/usr/bin/env bash
# The main job on the bundled sample: build Shoal, make the sample's torrent and show it, then seed it
# and download it again from that seed over loopback with its magnet link, and check the copy.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
shoal_setup build

swift build -c release --product shoal
shoal=$(swift build -c release --show-bin-path)/shoal

"$shoal" version
out=$(mktemp -d)
seed_pid=
cleanup() {
    [ -n "$seed_pid" ] && kill -INT "$seed_pid" 2>/dev/null && wait "$seed_pid" 2>/dev/null
    rm -rf "$out"
}
trap cleanup EXIT

"$shoal" create samples/sample.mp4 -o "$out/sample.torrent"
"$shoal" info "$out/sample.torrent"

echo
echo "== seeding the sample and downloading it from its magnet link over 127.0.0.1"
"$shoal" seed "$out/sample.torrent" --data samples --port 0 --bind 127.0.0.1 -q >"$out/seed.log" 2>&1 &
seed_pid=$!
port=
for _ in $(seq 1 200); do
    port=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$out/seed.log")
    [ -n "$port" ] && break
    kill -0 "$seed_pid" 2>/dev/null || { cat "$out/seed.log" >&2; exit 1; }
    sleep 0.1
done
[ -n "$port" ] || { echo "demo: the seed did not start" >&2; cat "$out/seed.log" >&2; exit 1; }
magnet=$("$shoal" info "$out/sample.torrent" --json | sed -n 's/.*"magnet" *: *"\([^"]*\)".*/\1/p')
"$shoal" download "$magnet" -o "$out/copy" --port 0 --bind 127.0.0.1 --peer "127.0.0.1:$port"
cmp samples/sample.mp4 "$out/copy/sample.mp4"
echo "the downloaded copy is byte-identical to samples/sample.mp4"
