#!/usr/bin/env bash
# The main job on the bundled sample: build Shoal, ingest the sample video into keyframe-aligned HLS
# segments and a video torrent and seed it, then download it again from that seed over loopback with its
# magnet link, and check the copy.
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

echo "== seeding the sample video: ingest into HLS segments and a video torrent, then seed it"
"$shoal" seed samples/sample.mp4 -o "$out" --port 0 --bind 127.0.0.1 -q >"$out/seed.log" 2>&1 &
seed_pid=$!
port=
for _ in $(seq 1 600); do
    port=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$out/seed.log")
    [ -n "$port" ] && break
    kill -0 "$seed_pid" 2>/dev/null || { cat "$out/seed.log" >&2; exit 1; }
    sleep 0.1
done
[ -n "$port" ] || { echo "demo: the seed did not start" >&2; cat "$out/seed.log" >&2; exit 1; }
grep -v '^listening on' "$out/seed.log"
echo
"$shoal" info "$out/sample.torrent"

echo
echo "== downloading the video torrent from its magnet link over 127.0.0.1"
magnet=$(sed -n 's/^magnet: //p' "$out/seed.log")
"$shoal" download "$magnet" -o "$out/copy" --port 0 --bind 127.0.0.1 --peer "127.0.0.1:$port"
diff -r "$out/sample" "$out/copy/sample"
echo "the downloaded HLS folder is byte-identical to the seeded one: $(ls "$out/copy/sample" | wc -l) files"
