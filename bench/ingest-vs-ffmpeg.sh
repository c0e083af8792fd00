#!/usr/bin/env bash
# Benchmark: `shoal ingest` against `ffmpeg -f hls` followed by `mktorrent`, and against copying the file once.
#
# Makes (once, cached in bench/out) a 10-minute 1920x1080 H.264 High / AAC-LC stereo MP4 from FFmpeg's test
# sources (testsrc2, sine; libx264, 5 Mbit/s, a key frame every 2 s), builds shoal (release), then times in
# each round, in the same run and on the same file system, four ways to handle it:
#   shoal   shoal ingest INPUT -o DIR --segment-duration 4 -q          (CMAF segments + playlists + .torrent,
#                                                                        pieces hashed while writing)
#   pair    ffmpeg -i INPUT -c copy -f hls -hls_segment_type fmp4 ... DIR/NAME/index.m3u8, then
#           mktorrent -l <shoal's piece length> DIR/NAME               (remux, then a second pass to hash)
#   copy    cp INPUT DIR/copy.mp4                                       (the anchor: writing the bytes once)
#   read    cat INPUT > /dev/null                                       (reading the warm input once)
# Before each round the input is read once (so every run starts with it in the page cache); before each
# timed run the outputs of the previous one are deleted, `sync` drains their writeback, and the script waits
# (bounded) for quiet CPUs. The order rotates from round to round. Wall time is CLOCK_MONOTONIC from fork to
# exit; CPU is user + system of the process (for the pair, the sum of both steps, run back to back).
# Reports per-round figures, medians and the ratios shoal/pair (target: <= 1.00) and shoal/copy (as close
# to 1 as possible; no threshold). Checks: every shoal run gives the same infohash, and
# `ffprobe -v error` reads DIR/NAME/master.m3u8 (H.264 1920x1080 + AAC, the input's duration).
# The report, with a markdown table for docs/benchmarks.md, is also written to bench/out/ingest-latest.txt.
#
# Environment (all optional):
#   SHOAL_SCRATCH_PATH    SwiftPM scratch path for the release build    (default: <repo>/.build)
#   SHOAL_BIN             use this shoal binary and skip the build
#   BENCH_ROUNDS          timed rounds, each running all four            (default: 5; ROUNDS works too)
#   BENCH_WARMUP          untimed runs of each before the rounds (>= 1: the first ingest gives the piece length)
#                                                                        (default: 1)
#   BENCH_SEGMENT         segment duration in seconds for both tools    (default: 4)
#   BENCH_DURATION        length of the input in seconds                 (default: 600)
#   BENCH_FPS             frame rate of the input (key frame every 2 s)  (default: 30)
#   BENCH_X264_PRESET     libx264 preset for making the input            (default: veryfast; ultrafast
#                         would give Constrained Baseline, not High)
#   BENCH_CACHE           folder for the input, kept between runs        (default: <repo>/bench/out)
#   BENCH_TMPDIR          parent of the temporary output directory       (default: /tmp)
#   BENCH_IDLE_WAIT       before each timed run, wait up to this many seconds for the CPUs to be
#                         >= 90% idle (0 = don't wait); the machine may be shared   (default: 30)
#   BENCH_OUT             report file                                     (default: <repo>/bench/out/ingest-latest.txt)
#   BENCH_STRICT          1 = exit with status 2 if the target is missed (default: 0)
set -euo pipefail
export LC_ALL=C

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
scratch=${SHOAL_SCRATCH_PATH:-$repo/.build}
rounds=${BENCH_ROUNDS:-${ROUNDS:-5}}
warmup=${BENCH_WARMUP:-1}
segment=${BENCH_SEGMENT:-4}
duration=${BENCH_DURATION:-600}
fps=${BENCH_FPS:-30}
preset=${BENCH_X264_PRESET:-veryfast}
cache=${BENCH_CACHE:-$repo/bench/out}
tmp_parent=${BENCH_TMPDIR:-/tmp}
idle_wait=${BENCH_IDLE_WAIT:-30}
out=${BENCH_OUT:-$repo/bench/out/ingest-latest.txt}
strict=${BENCH_STRICT:-0}
tracker=http://127.0.0.1/announce
cores=$(nproc)

die() { echo "ingest-vs-ffmpeg: $*" >&2; exit 1; }
note() { echo "==> $*" >&2; }
is_uint() { [[ $1 =~ ^[0-9]+$ ]]; }

# shellcheck source=bench/common.sh
source "$repo/bench/common.sh"
check_uint BENCH_ROUNDS "$rounds" 1
check_uint BENCH_WARMUP "$warmup" 1
check_uint BENCH_SEGMENT "$segment" 1 60
check_uint BENCH_DURATION "$duration" 10
check_uint BENCH_FPS "$fps" 1 120
check_uint BENCH_IDLE_WAIT "$idle_wait" 0
[[ $preset =~ ^[a-z]+$ ]] || die "BENCH_X264_PRESET must be an x264 preset name (got '$preset')"
keyint=$((2 * fps))

# --- Tools ---------------------------------------------------------------------------------------
# ffmpeg/ffprobe (with libx264, for the input) and mktorrent from apt; perl (Time::HiRes) is the stopwatch.
have_timer() { perl -MTime::HiRes=clock_gettime,CLOCK_MONOTONIC -e 1 2>/dev/null; }
missing=()
command -v ffmpeg >/dev/null && command -v ffprobe >/dev/null || missing+=(ffmpeg)
command -v mktorrent >/dev/null || missing+=(mktorrent)
have_timer || missing+=(perl)
if ((${#missing[@]})); then
    if [[ $(id -u) != 0 ]]; then
        die "missing: ${missing[*]}. Install them first (sudo apt-get install ${missing[*]}) or run this script as root."
    fi
    command -v apt-get >/dev/null || die "missing: ${missing[*]}, and there is no apt-get to install them with."
    note "installing ${missing[*]} with apt-get"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    command -v ffmpeg >/dev/null && command -v mktorrent >/dev/null && have_timer \
        || die "installing ${missing[*]} did not work"
fi
encoders=$(ffmpeg -hide_banner -encoders 2>/dev/null) || true
grep -qw libx264 <<<"$encoders" || die "this ffmpeg has no libx264 encoder (needed to make the input)"


# --- Input (made once, cached) ---------------------------------------------------------------------
# Prints "key=value" lines of the input's streams and format, for the checks and the report.
describe_media() {
    ffprobe -v error -show_entries \
        stream=codec_type,codec_name,profile,width,height,avg_frame_rate,channels,sample_rate,bit_rate:format=duration,bit_rate \
        -of default=noprint_wrappers=1 "$1"
}
mkdir -p "$cache"
name=ingest-${duration}s-1080p${fps}-h264-${preset}
input=$cache/$name.mp4
if [[ ! -s $input ]]; then
    note "making the input (once; cached as $input): ${duration} s of 1920x1080 at $fps fps, libx264 -preset $preset," \
        "5 Mbit/s, key frame every 2 s, AAC 128 kbit/s stereo. This takes several minutes on $cores cores."
    partial=$cache/.$name.partial.mp4
    rm -f "$partial"
    started=$SECONDS
    ffmpeg -nostdin -hide_banner -v error -stats -y \
        -f lavfi -i "testsrc2=size=1920x1080:rate=$fps:duration=$duration" \
        -f lavfi -i "sine=frequency=440:beep_factor=4:sample_rate=48000:duration=$duration" \
        -map 0:v -map 1:a \
        -c:v libx264 -preset "$preset" -profile:v high -pix_fmt yuv420p \
        -b:v 5M -maxrate 6M -bufsize 12M \
        -x264-params "keyint=$keyint:min-keyint=$keyint:scenecut=0" \
        -c:a aac -b:a 128k -ac 2 \
        -movflags +faststart \
        "$partial" || { rm -f "$partial"; die "ffmpeg could not make the input"; }
    mv "$partial" "$input"
    note "input made in $((SECONDS - started)) s"
fi
input_info=$(describe_media "$input") || die "ffprobe cannot read $input (delete it to make it again)"
grep -qx 'codec_name=h264' <<<"$input_info" && grep -qx 'codec_name=aac' <<<"$input_info" \
    && grep -qx 'width=1920' <<<"$input_info" && grep -qx 'height=1080' <<<"$input_info" \
    || die "$input is not H.264 1920x1080 + AAC (delete it to make it again): $input_info"
input_bytes=$(stat -c %s "$input")
input_seconds=$(sed -n 's/^duration=//p' <<<"$input_info" | tail -n1)
field() { sed -n "s/^$1=//p" <<<"$input_info" | head -n1; }
input_desc=$(printf '%s, %s s, %s bytes; video %s %s %sx%s %s fps %s kbit/s; audio %s %s ch %s Hz %s kbit/s' \
    "$(basename "$input")" "$input_seconds" "$input_bytes" \
    "$(field codec_name)" "$(sed -n 's/^profile=//p' <<<"$input_info" | head -n1)" "$(field width)" "$(field height)" \
    "$(field avg_frame_rate)" "$(sed -n 's/^bit_rate=//p' <<<"$input_info" | head -n1 | awk '{ printf "%d", $1 / 1000 }')" \
    "$(sed -n 's/^codec_name=//p' <<<"$input_info" | sed -n 2p)" "$(field channels)" "$(field sample_rate)" \
    "$(sed -n 's/^bit_rate=//p' <<<"$input_info" | sed -n 2p | awk '{ printf "%d", $1 / 1000 }')")

resolve_shoal_binary

# --- Work directory --------------------------------------------------------------------------------
mkdir -p "$tmp_parent"
work=$(mktemp -d "$tmp_parent/shoal-ingest-bench.XXXXXX")
cleanup() { rm -rf "$work"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

avail_kib=$(df -Pk "$work" | awk 'NR == 2 { print $4 }')
((avail_kib > input_bytes / 1024 * 3 + 65536)) || die "not enough space in $tmp_parent for three copies of the input"
mem_kib=$(awk '/^MemAvailable:/ { print $2 }' /proc/meminfo)
if ((mem_kib < input_bytes / 1024 * 4)); then
    note "warning: only $((mem_kib / 1024)) MiB of memory available; the input may not stay in the page cache"
fi
fs_out=$(df -PT "$work" | awk 'NR == 2 { print $2 " on " $1 }')
fs_in=$(df -PT "$input" | awk 'NR == 2 { print $2 " on " $1 }')
[[ $(stat -c %d "$work") == "$(stat -c %d "$input")" ]] && same_fs=yes || same_fs=no

resident_share() { # share of the input in the page cache, e.g. "100.0%" (needs util-linux's fincore)
    local r=""
    command -v fincore >/dev/null && r=$(fincore -nb -o RES "$input" 2>/dev/null \
        | awk -v size="$input_bytes" '{ printf "%.1f%%", 100 * $1 / size }') || true
    echo "${r:-unknown}"
}

# --- Runs ------------------------------------------------------------------------------------------


infohash_of() { "$shoal" info "$1" --json | sed -n 's/^ *"infoHash" *: *"\([0-9a-fA-F]*\)".*/\1/p' | head -n1; }
piece_length_of() { "$shoal" info "$1" --json | sed -n 's/^ *"pieceLength" *: *\([0-9]*\).*/\1/p' | head -n1; }
bytes_in() { du -sb --apparent-size "$1" | cut -f1; }

shoal_dir=$work/shoal pair_dir=$work/pair copy_dir=$work/copy
shoal_torrent=$shoal_dir/$name.torrent
pair_torrent=$pair_dir/$name.torrent
piece_log2=""
declare -a shoal_hashes=() pair_hashes=()
shoal_out_bytes="" pair_out_bytes="" shoal_segments="" pair_segments="" shoal_streams="" ffprobe_check=""

# ffprobe -v error must read shoal's master playlist without a word and find the input's streams and length.
check_shoal_output() {
    local master=$shoal_dir/$name/master.m3u8 probe errors
    [[ -f $master ]] || die "shoal ingest made no $master"
    probe=$(ffprobe -v error -show_entries stream=codec_name,width,height:format=duration \
        -of default=noprint_wrappers=1 "$master" 2>"$work/ffprobe.err") \
        || { cat "$work/ffprobe.err" >&2; die "ffprobe cannot read $master (output above)"; }
    errors=$(<"$work/ffprobe.err")
    [[ -z $errors ]] || { echo "$errors" >&2; die "ffprobe -v error complained about $master (output above)"; }
    grep -qx 'codec_name=h264' <<<"$probe" && grep -qx 'codec_name=aac' <<<"$probe" \
        && grep -qx 'width=1920' <<<"$probe" && grep -qx 'height=1080' <<<"$probe" \
        || die "ffprobe finds other streams in $master than H.264 1920x1080 + AAC: $probe"
    local d
    d=$(sed -n 's/^duration=//p' <<<"$probe" | head -n1)
    awk -v d="$d" -v e="$input_seconds" 'BEGIN { exit !(d + 0 > e - 2 && d + 0 < e + 2) }' \
        || die "ffprobe reads a duration of '$d' s from $master, the input has $input_seconds s"
    ffprobe_check="ffprobe -v error reads master.m3u8 silently: h264 1920x1080 + aac, $(printf '%.3f' "$d") s"
}

# Runs one of shoal, pair, copy, read and writes "wall user sys" to $work/time, then checks and deletes
# its output. Every run starts from an empty output folder, after `sync`.
run_tool() {
    local tool=$1 log=$work/$1.log t1 t2
    : >"$log"
    case $tool in
        shoal)
            rm -rf "$shoal_dir" && mkdir -p "$shoal_dir"
            sync
            wait_for_quiet
            BENCH_LOG=$log stopwatch "$shoal" ingest "$input" -o "$shoal_dir" --segment-duration "$segment" -q \
                >"$work/time" || { cat "$log" >&2; die "shoal ingest failed (output above)"; }
            shoal_hashes+=("$(infohash_of "$shoal_torrent")")
            if [[ -z $piece_log2 ]]; then
                local length
                length=$(piece_length_of "$shoal_torrent")
                [[ $length =~ ^[0-9]+$ ]] && ((length > 0 && (length & (length - 1)) == 0)) \
                    || die "could not read shoal's piece length (got '$length')"
                piece_log2=$(awk -v l="$length" 'BEGIN { printf "%d", log(l) / log(2) + 0.5 }')
            fi
            check_shoal_output
            shoal_out_bytes=$(bytes_in "$shoal_dir/$name")
            shoal_segments=$(find "$shoal_dir/$name" -name '*.m4s' | wc -l)
            shoal_streams=$(sed -n 's/^stream: //p' "$log" | paste -sd ';' | sed 's/;/; /g')
            rm -rf "$shoal_dir"
            ;;
        pair)
            rm -rf "$pair_dir" && mkdir -p "$pair_dir/$name"
            sync
            wait_for_quiet
            # Back to back, as a script would run them; each timed on its own, the pair is their sum.
            BENCH_LOG=$log stopwatch ffmpeg -nostdin -v error -i "$input" -c copy -f hls -hls_time "$segment" \
                -hls_playlist_type vod -hls_segment_type fmp4 -hls_flags independent_segments \
                "$pair_dir/$name/index.m3u8" >"$work/time.ffmpeg" || { cat "$log" >&2; die "ffmpeg failed (output above)"; }
            BENCH_LOG=$log stopwatch mktorrent -a "$tracker" -l "$piece_log2" -o "$pair_torrent" "$pair_dir/$name" \
                >"$work/time.mktorrent" || { cat "$log" >&2; die "mktorrent failed (output above)"; }
            read -r t1 <"$work/time.ffmpeg"
            read -r t2 <"$work/time.mktorrent"
            awk -v a="$t1" -v b="$t2" 'BEGIN { split(a, x, " "); split(b, y, " ");
                printf "%.4f %.3f %.3f\n", x[1] + y[1], x[2] + y[2], x[3] + y[3] }' >"$work/time"
            pair_hashes+=("$(infohash_of "$pair_torrent")")
            [[ -n ${pair_hashes[-1]} ]] || die "shoal info cannot read mktorrent's $pair_torrent"
            pair_out_bytes=$(bytes_in "$pair_dir/$name")
            pair_segments=$(find "$pair_dir/$name" -name '*.m4s' | wc -l)
            rm -rf "$pair_dir"
            ;;
        copy)
            rm -rf "$copy_dir" && mkdir -p "$copy_dir"
            sync
            wait_for_quiet
            BENCH_LOG=$log stopwatch cp "$input" "$copy_dir/copy.mp4" >"$work/time" \
                || { cat "$log" >&2; die "cp failed (output above)"; }
            [[ $(stat -c %s "$copy_dir/copy.mp4") == "$input_bytes" ]] || die "cp wrote a copy of the wrong size"
            rm -rf "$copy_dir"
            ;;
        read)
            sync
            wait_for_quiet
            BENCH_LOG=/dev/null stopwatch cat "$input" >"$work/time" || die "cat $input failed"
            ;;
    esac
}

tools=(shoal pair copy read)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
note "warming the page cache with the input ($((input_bytes / 1048576)) MiB)"
cat "$input" >/dev/null
resident_before=$(resident_share)
for ((i = 1; i <= warmup; i++)); do
    note "warm-up run $i/$warmup (untimed): ${tools[*]}"
    for tool in "${tools[@]}"; do run_tool "$tool"; done
done
note "piece length from shoal's warm-up ingest: $((1 << piece_log2)) bytes (mktorrent -l $piece_log2)"

declare -A walls=() cpus=() users=() syss=()
declare -a ffmpeg_walls=() ffmpeg_cpus=() mkt_walls=() mkt_cpus=() round_lines=()
for ((r = 1; r <= rounds; r++)); do
    # Rotate the order, so each one runs first, second, ... in turn and after different ones.
    order=()
    for ((i = 0; i < ${#tools[@]}; i++)); do order+=("${tools[(i + r - 1) % ${#tools[@]}]}"); done
    cat "$input" >/dev/null  # every round starts with the input in the page cache
    line="round $r:"
    for tool in "${order[@]}"; do
        run_tool "$tool"
        read -r wall user sys <"$work/time"
        cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.3f", u + s }')
        walls[$tool]+="$wall " cpus[$tool]+="$cpu " users[$tool]+="$user " syss[$tool]+="$sys "
        line+=$(printf '  %s %.3f s (cpu %.2f)' "$tool" "$wall" "$cpu")
        if [[ $tool == pair ]]; then
            read -r fw fu fs <"$work/time.ffmpeg"
            read -r mw mu ms <"$work/time.mktorrent"
            ffmpeg_walls+=("$fw") mkt_walls+=("$mw")
            ffmpeg_cpus+=("$(awk -v u="$fu" -v s="$fs" 'BEGIN { printf "%.3f", u + s }')")
            mkt_cpus+=("$(awk -v u="$mu" -v s="$ms" 'BEGIN { printf "%.3f", u + s }')")
            line+=$(printf ' [ffmpeg %.3f + mktorrent %.3f]' "$fw" "$mw")
        fi
    done
    note "$line"
    round_lines+=("$line")
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
resident_after=$(resident_share)

# --- Checks ----------------------------------------------------------------------------------------
[[ -n ${shoal_hashes[0]} ]] || die "could not read the infohash of shoal's torrent"
distinct=$(printf '%s\n' "${shoal_hashes[@]}" | sort -u | wc -l)
((distinct == 1)) || die "shoal ingest gave $distinct different infohashes over ${#shoal_hashes[@]} runs: ${shoal_hashes[*]}"
shoal_hash=${shoal_hashes[0]}
pair_distinct=$(printf '%s\n' "${pair_hashes[@]}" | sort -u | wc -l)
if ((pair_distinct == 1)); then pair_same="the same in all ${#pair_hashes[@]} runs"
else pair_same="$pair_distinct different ones over ${#pair_hashes[@]} runs"; fi

# --- Report ----------------------------------------------------------------------------------------
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
declare -A mwall=() mcpu=() muser=() msys=()
for tool in "${tools[@]}"; do
    # shellcheck disable=SC2086 # space-separated numbers
    { mwall[$tool]=$(median ${walls[$tool]}); mcpu[$tool]=$(median ${cpus[$tool]})
      muser[$tool]=$(median ${users[$tool]}); msys[$tool]=$(median ${syss[$tool]}); }
done
ffmpeg_wall=$(median "${ffmpeg_walls[@]}") ffmpeg_cpu=$(median "${ffmpeg_cpus[@]}")
mkt_wall=$(median "${mkt_walls[@]}") mkt_cpu=$(median "${mkt_cpus[@]}")

report=$(
    awk -v mb="$input_bytes" \
        -v sw="${mwall[shoal]}" -v sc="${mcpu[shoal]}" -v su="${muser[shoal]}" -v ss="${msys[shoal]}" \
        -v pw="${mwall[pair]}" -v pc="${mcpu[pair]}" -v pu="${muser[pair]}" -v ps="${msys[pair]}" \
        -v cw="${mwall[copy]}" -v cc="${mcpu[copy]}" -v cu="${muser[copy]}" -v cs="${msys[copy]}" \
        -v rw="${mwall[read]}" -v rc="${mcpu[read]}" -v ru="${muser[read]}" -v rs="${msys[read]}" \
        -v fw="$ffmpeg_wall" -v fc="$ffmpeg_cpu" -v kw="$mkt_wall" -v kc="$mkt_cpu" '
    function row(name, w, c, u, s) {
        printf "%-22s %9.3f %8.1f %9.2f %9.2f %8.2f %8.2f\n", name, w, mb / 1e6 / w, c, u, s, w / cw
    }
    BEGIN {
        printf "%-22s %9s %8s %9s %9s %8s %8s\n", "", "median", "input", "median", "", "", "wall"
        printf "%-22s %9s %8s %9s %9s %8s %8s\n", "", "wall s", "MB/s", "cpu s", "user s", "sys s", "x copy"
        row("shoal ingest", sw, sc, su, ss)
        row("ffmpeg + mktorrent", pw, pc, pu, ps)
        printf "%-22s %9.3f %8.1f %9.2f %9s %8s %8.2f\n", "  ffmpeg -f hls", fw, mb / 1e6 / fw, fc, "", "", fw / cw
        printf "%-22s %9.3f %8.1f %9.2f %9s %8s %8.2f\n", "  mktorrent", kw, mb / 1e6 / kw, kc, "", "", kw / cw
        row("cp (anchor)", cw, cc, cu, cs)
        row("cat > /dev/null", rw, rc, ru, rs)
        printf "\n"
        printf "ratio shoal/pair (wall):   %.3f (cpu %.3f)\n", sw / pw, sc / pc
        printf "ratio shoal/copy (wall):   %.3f\n", sw / cw
        printf "ratio pair/copy (wall):    %.3f\n", pw / cw
        printf "\n"
        printf "target, shoal wall <= pair: %s (ratio %.3f)\n", (sw <= pw ? "PASS" : "FAIL"), sw / pw
    }'
)
passes=$(grep -cE '^target .*: +PASS' <<<"$report" || true)

markdown=$(
    awk -v mb="$input_bytes" \
        -v sw="${mwall[shoal]}" -v sc="${mcpu[shoal]}" -v pw="${mwall[pair]}" -v pc="${mcpu[pair]}" \
        -v cw="${mwall[copy]}" -v cc="${mcpu[copy]}" -v rw="${mwall[read]}" -v rc="${mcpu[read]}" \
        -v fw="$ffmpeg_wall" -v fc="$ffmpeg_cpu" -v kw="$mkt_wall" -v kc="$mkt_cpu" '
    function row(name, w, c) { printf "| %s | %.3f | %.2f | %.2f |\n", name, w, c, w / cw }
    BEGIN {
        printf "| run | median wall s | median CPU s (user + sys) | wall ÷ copy |\n"
        printf "| --- | --- | --- | --- |\n"
        row("`shoal ingest`", sw, sc)
        row("`ffmpeg -f hls` + `mktorrent`", pw, pc)
        row("pair, `ffmpeg` step alone", fw, fc)
        row("pair, `mktorrent` step alone", kw, kc)
        row("`cp` (anchor)", cw, cc)
        row("`cat > /dev/null`", rw, rc)
        printf "\n"
        printf "| ratio | value |\n| --- | --- |\n"
        printf "| shoal / pair, wall (target ≤ 1.00) | **%.3f** — %s |\n", sw / pw, (sw <= pw ? "PASS" : "FAIL")
        printf "| shoal / pair, CPU | %.3f |\n", sc / pc
        printf "| shoal / copy, wall | %.3f |\n", sw / cw
        printf "| pair / copy, wall | %.3f |\n", pw / cw
    }'
)

describe_build

mkdir -p "$(dirname "$out")"
{
    echo "shoal ingest vs ffmpeg -f hls + mktorrent — $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
    echo "machine:   $cores cores ($cpu_model), $(uname -sr), $((mem_kib / 1024)) MiB available"
    echo "versions:  $("$shoal" version | head -n1) ($commit), $(ffmpeg -version | head -n1 | cut -d' ' -f1-3)," \
        "$(mktorrent -h 2>&1 | head -n1 | cut -d' ' -f1-2) (default threads: $cores), $(cp --version | head -n1)," \
        "$(swift --version 2>/dev/null | head -n1 | sed 's/ (.*//')"
    echo "input:     $input_desc"
    echo "           in page cache: $resident_before before the runs, $resident_after after; input on $fs_in," \
        "outputs on $fs_out (same file system: $same_fs)"
    echo "settings:  segments of $segment s for both; piece length $((1 << piece_log2)) (shoal's choice; mktorrent -l $piece_log2);" \
        "$rounds rounds (+$warmup warm-up) in rotating order; input read before each round; outputs deleted and sync before each run"
    echo "load avg:  $load_before before, $load_after after (1/5/15 min); waited $waits s for quiet CPUs," \
        "$busy_runs run(s) started on a busy machine after ${idle_wait} s"
    echo
    printf '%s\n' "${round_lines[@]}"
    echo
    echo "$report"
    echo
    echo "outputs:   shoal $shoal_out_bytes bytes in $shoal_segments segments ($shoal_streams);" \
        "ffmpeg $pair_out_bytes bytes in $pair_segments segments"
    echo "checks:    shoal infohash $shoal_hash, the same in all ${#shoal_hashes[@]} runs; $ffprobe_check"
    echo "           mktorrent's infohash: $pair_same"
    echo "wall s: CLOCK_MONOTONIC from fork to exit; cpu s: user + system of the process; pair: ffmpeg and mktorrent"
    echo "run back to back, each timed, summed per round; medians over rounds. MB/s: input bytes / 10^6 / wall s."
    echo
    echo "For docs/benchmarks.md:"
    echo
    echo "$markdown"
} | tee "$out"
note "report written to $out"

if [[ $strict == 1 && $passes != 1 ]]; then exit 2; fi
