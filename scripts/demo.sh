#!/usr/bin/env bash
# The main job on the bundled sample: build Shoal, ingest the sample video into keyframe-aligned HLS
# segments and a video torrent and seed it, then watch it through a second local node by its magnet link
# (printing the Watch URL), play that node's HLS stream to the end with FFmpeg as the player, and check the
# watcher's copy against the seed's.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
shoal_setup demo

swift build -c release --product shoal
shoal=$(swift build -c release --show-bin-path)/shoal

"$shoal" version
out=$(mktemp -d)
seed_pid=
watch_pid=
cleanup() {
    [ -n "$watch_pid" ] && kill -INT "$watch_pid" 2>/dev/null && wait "$watch_pid" 2>/dev/null
    [ -n "$seed_pid" ] && kill -INT "$seed_pid" 2>/dev/null && wait "$seed_pid" 2>/dev/null
    rm -rf "$out"
}
trap cleanup EXIT

# Prints what the sed expression SED extracts from LOG once it does (up to 60 s), while process PID runs;
# otherwise says WHAT did not happen, shows the log and exits.
wait_for() { # PID LOG SED WHAT
    local value
    for _ in $(seq 1 600); do
        value=$(sed -n "$3" "$2")
        [ -n "$value" ] && { echo "$value"; return 0; }
        kill -0 "$1" 2>/dev/null || break
        sleep 0.1
    done
    echo "demo: $4" >&2
    cat "$2" >&2
    exit 1
}

echo "== seeding the sample video: ingest into HLS segments and a video torrent, then seed it"
"$shoal" seed samples/sample.mp4 -o "$out" --port 0 --bind 127.0.0.1 -q >"$out/seed.log" 2>&1 &
seed_pid=$!
port=$(wait_for "$seed_pid" "$out/seed.log" 's/^listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "the seed did not start")
grep -v '^listening on' "$out/seed.log"
echo
"$shoal" info "$out/sample.torrent"

echo
echo "== watching it through a second node, by its magnet link over 127.0.0.1"
magnet=$(sed -n 's/^magnet: //p' "$out/seed.log")
"$shoal" watch "$magnet" -o "$out/copy" --port 0 --bind 127.0.0.1 --peer "127.0.0.1:$port" --player none -q \
    >"$out/watch.log" 2>&1 &
watch_pid=$!
hls=$(wait_for "$watch_pid" "$out/watch.log" 's/^HLS: //p' "the watcher did not start serving")
grep -E '^(Watch|HLS): ' "$out/watch.log"
echo "(open the Watch URL in a browser while the demo runs; here FFmpeg plays the HLS stream)"
started=$(date +%s%N)
ffmpeg -v error -i "$hls" -f null -
echo "FFmpeg played the whole stream from the watcher in $((($(date +%s%N) - started) / 1000000)) ms, without an error"
api=${hls%/v/*}/api/torrents/$(sed -n 's/^infohash: //p' "$out/seed.log")
echo "the watcher's figures: $(python3 -c 'import json, sys, urllib.request
s = json.load(urllib.request.urlopen(sys.argv[1])); q = s["quality"]
print("startup %.2f s, %d stalls, %d deadline misses, %d segments served, %.0f%% verified" % (
    q["startupSeconds"] or 0, q["stalls"], q["deadlineMisses"], q["segmentsServed"],
    100 * s["verifiedBytes"] / s["totalBytes"]))' "$api")"
for _ in $(seq 1 300); do
    grep -q '^complete: ' "$out/watch.log" && break
    sleep 0.1
done
diff -r "$out/sample" "$out/copy/sample"
echo "the watcher's HLS folder is byte-identical to the seeded one: $(ls "$out/copy/sample" | wc -l) files"
