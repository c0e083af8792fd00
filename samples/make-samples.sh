#!/usr/bin/env bash
# Regenerates the sample clips in samples/ with Debian's ffmpeg 5.1 from FFmpeg's test sources.
# Each clip is made by exactly the command shown for it in README.md (keep the two in step).
#
#   ./make-samples.sh                        # all clips
#   ./make-samples.sh clip.mkv no-audio.mp4  # only these
#
# Every clip except sample.mp4 is byte-reproducible (`-threads 1`); sample.mp4 is not (see README.md),
# so regenerating it changes its bytes, though not its streams, duration or key frames.
set -euo pipefail
cd "$(dirname "$0")"

make_sample_mp4() {
ffmpeg -v error -y \
  -f lavfi -i testsrc2=size=640x360:rate=30:duration=20 \
  -f lavfi -i sine=frequency=440:sample_rate=48000:duration=20 \
  -c:v libx264 -preset medium -profile:v high -pix_fmt yuv420p -b:v 800k -maxrate 1000k -bufsize 2000k \
  -x264-params keyint=60:min-keyint=60:scenecut=0 \
  -c:a aac -b:a 96k -ac 2 -movflags +faststart \
  -fflags +bitexact -flags:v +bitexact -flags:a +bitexact -map_metadata -1 \
  sample.mp4
}

make_clip_mkv() {
ffmpeg -v error -y \
  -f lavfi -i testsrc2=size=320x180:rate=30:duration=10 \
  -f lavfi -i sine=frequency=440:sample_rate=48000:duration=10 \
  -c:v libx264 -preset medium -profile:v high -pix_fmt yuv420p -b:v 250k -maxrate 300k -bufsize 600k \
  -x264-params keyint=60:min-keyint=60:scenecut=0 \
  -c:a aac -b:a 64k -ac 2 -threads 1 \
  -fflags +bitexact -flags:v +bitexact -flags:a +bitexact -map_metadata -1 \
  clip.mkv
}

make_mpeg2_mp2_ts() {
ffmpeg -v error -y \
  -f lavfi -i testsrc2=size=320x180:rate=25:duration=10 \
  -f lavfi -i sine=frequency=440:sample_rate=48000:duration=10 \
  -c:v mpeg2video -pix_fmt yuv420p -b:v 300k -g 15 -bf 2 -sc_threshold 1000000000 \
  -c:a mp2 -b:a 96k -ac 2 -threads 1 \
  -fflags +bitexact -flags:v +bitexact -flags:a +bitexact -map_metadata -1 \
  mpeg2-mp2.ts
}

make_long_gop_mp4() {
ffmpeg -v error -y \
  -f lavfi -i testsrc2=size=320x180:rate=30:duration=25 \
  -f lavfi -i sine=frequency=440:sample_rate=48000:duration=25 \
  -c:v libx264 -preset medium -profile:v high -pix_fmt yuv420p -b:v 150k -maxrate 200k -bufsize 400k \
  -x264-params keyint=300:min-keyint=300:scenecut=0 \
  -c:a aac -b:a 64k -ac 2 -movflags +faststart -threads 1 \
  -fflags +bitexact -flags:v +bitexact -flags:a +bitexact -map_metadata -1 \
  long-gop.mp4
}

make_no_audio_mp4() {
ffmpeg -v error -y \
  -f lavfi -i testsrc2=size=320x180:rate=30:duration=8 \
  -c:v libx264 -preset medium -profile:v high -pix_fmt yuv420p -b:v 250k -maxrate 300k -bufsize 600k \
  -x264-params keyint=60:min-keyint=60:scenecut=0 \
  -an -movflags +faststart -threads 1 \
  -fflags +bitexact -flags:v +bitexact -flags:a +bitexact -map_metadata -1 \
  no-audio.mp4
}

make_truncated_mp4() {
ffmpeg -v error -y \
  -f lavfi -i testsrc2=size=320x180:rate=30:duration=6 \
  -f lavfi -i sine=frequency=440:sample_rate=48000:duration=6 \
  -c:v libx264 -preset medium -profile:v high -pix_fmt yuv420p -b:v 250k -maxrate 300k -bufsize 600k \
  -x264-params keyint=60:min-keyint=60:scenecut=0 \
  -c:a aac -b:a 64k -ac 2 -threads 1 \
  -fflags +bitexact -flags:v +bitexact -flags:a +bitexact -map_metadata -1 \
  truncated-full.mp4
head -c 94000 truncated-full.mp4 > truncated.mp4
rm truncated-full.mp4
}

all=(sample.mp4 clip.mkv mpeg2-mp2.ts long-gop.mp4 no-audio.mp4 truncated.mp4)
if (($#)); then targets=("$@"); else targets=("${all[@]}"); fi

for target in "${targets[@]}"; do
  case "$target" in
    sample.mp4) make_sample_mp4 ;;
    clip.mkv) make_clip_mkv ;;
    mpeg2-mp2.ts) make_mpeg2_mp2_ts ;;
    long-gop.mp4) make_long_gop_mp4 ;;
    no-audio.mp4) make_no_audio_mp4 ;;
    truncated.mp4) make_truncated_mp4 ;;
    *) echo "make-samples.sh: unknown clip '$target' (known: ${all[*]})" >&2; exit 2 ;;
  esac
  echo "made $target ($(wc -c < "$target") bytes)"
done
