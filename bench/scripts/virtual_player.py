#!/usr/bin/python3
"""A virtual HLS player for the streaming-swarm benchmark: fetches like hls.js, plays in real time, counts stalls.

  virtual_player.py MASTER_URL [--target S] [--play-seconds N] [--timeout S] [--give-up S]
                    [--retry-delay S] [--trace]

MASTER_URL is a multivariant playlist (http://127.0.0.1:P/v/<infohash>/master.m3u8). The player fetches it,
then the first variant's media playlist (URI resolved against the master's URL), the EXT-X-MAP init segment,
then the media segments in order, one request at a time over one keep-alive connection, while the media it
has fully received reaches less than --target seconds (default 30, hls.js's minimum buffer) past the playhead.

Playback model (the same in lt_watcher.py):
  - startup: playback starts when the init segment and the first media segment are fully received;
    startup_s = that instant - the instant the master playlist was first requested;
  - the playhead then advances in real time;
  - a stall: the playhead reaches the end of what has been fully received while the video is not over; it
    lasts until the next segment is fully received (stalls counts them, stall_s adds their durations);
  - the run ends when the playhead reaches the end of the playlist (or --play-seconds).
A 503 (the server may answer it when pieces are late; Retry-After is honoured up to --retry-delay) or a
refused / reset connection is retried after --retry-delay seconds (default 0.25) and counted in `retries`;
a time-out, a truncated body or another 5xx is retried the same way and counted in `errors`. A request that
has not succeeded after --give-up seconds (default 120), a 4xx, or a playlist that cannot be parsed is fatal.

Prints one JSON object on stdout:
  startup_s, stalls, stall_s, played_s, stall_ratio (stall_s / (played_s + stall_s)), segments, bytes,
  retries, errors, duration_s (of what was to be played), wall_s, url
On a fatal error prints a one-line message on stderr and exits 1. --trace writes a line per segment to
stderr (index, seconds since the master request, fetch seconds, bytes, buffered ahead, stalled).
Standard library only; runs under any python3 >= 3.6.
"""
import argparse
import http.client
import json
import socket
import sys
import time
import urllib.parse


class Fatal(Exception):
    pass


class Retryable(Exception):
    """A failed attempt worth another one; `kind` is "retry" (503, connection refused/reset) or "error"."""

    def __init__(self, kind, message, delay=None):
        super().__init__(message)
        self.kind = kind
        self.delay = delay


class Client:
    """One keep-alive HTTP/1.1 connection at a time to the playlist's host, reopened as needed."""

    def __init__(self, timeout, give_up, retry_delay):
        self.timeout = timeout
        self.give_up = give_up
        self.retry_delay = retry_delay
        self.conn = None
        self.netloc = None
        self.retries = 0
        self.errors = 0
        self.bytes = 0

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def _connection(self, parts):
        if parts.scheme != "http":
            raise Fatal("only http:// URLs are supported (got %s)" % parts.geturl())
        if self.conn is None or self.netloc != parts.netloc:
            self.close()
            self.conn = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=self.timeout)
            self.netloc = parts.netloc
            return self.conn, False
        return self.conn, True

    def _attempt(self, url):
        parts = urllib.parse.urlsplit(url)
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        for _ in range(2):  # a reused keep-alive connection the server has closed is reopened once, silently
            conn, reused = self._connection(parts)
            try:
                conn.request("GET", target, headers={"User-Agent": "shoal-bench-virtual-player/1"})
                response = conn.getresponse()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as error:
                self.close()
                if reused:
                    continue
                raise Retryable("retry", "%s: %s" % (url, error))
            except ConnectionRefusedError as error:
                self.close()
                raise Retryable("retry", "%s: %s" % (url, error))
            except socket.timeout:
                self.close()
                raise Retryable("error", "%s: timed out waiting for the response" % url)
            except OSError as error:
                self.close()
                raise Retryable("retry", "%s: %s" % (url, error))
            break
        else:
            raise Retryable("retry", "%s: the connection closed twice" % url)
        try:
            body = response.read()
        except socket.timeout:
            self.close()
            raise Retryable("error", "%s: timed out reading the body" % url)
        except (http.client.IncompleteRead, OSError) as error:
            self.close()
            raise Retryable("error", "%s: body cut short (%s)" % (url, error.__class__.__name__))
        if response.will_close:
            self.close()
        status = response.status
        if status == 503:
            delay = None
            value = response.getheader("Retry-After")
            if value is not None:
                try:
                    delay = max(0.0, float(value))
                except ValueError:
                    delay = None
            raise Retryable("retry", "%s: 503" % url, delay)
        if 500 <= status < 600:
            raise Retryable("error", "%s: HTTP %d" % (url, status))
        if status != 200:
            raise Fatal("%s: HTTP %d %s" % (url, status, response.reason))
        length = response.getheader("Content-Length")
        if length is not None and length.isdigit() and int(length) != len(body):
            self.close()
            raise Retryable("error", "%s: %d of %s bytes" % (url, len(body), length))
        return body

    def get(self, url):
        started = time.monotonic()
        while True:
            try:
                body = self._attempt(url)
                self.bytes += len(body)
                return body
            except Retryable as failure:
                if failure.kind == "retry":
                    self.retries += 1
                else:
                    self.errors += 1
                if time.monotonic() - started > self.give_up:
                    raise Fatal("%s (gave up after %.0f s)" % (failure, self.give_up))
                delay = self.retry_delay if failure.delay is None else min(failure.delay, self.retry_delay)
                time.sleep(delay)


def playlist_lines(body, url):
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise Fatal("%s: not UTF-8" % url)
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    if not lines or lines[0] != "#EXTM3U":
        raise Fatal("%s: not an M3U8 playlist (no #EXTM3U first line)" % url)
    return lines


def attribute(line, name):
    """The value of NAME=... in an attribute list (quoted or not), or None."""
    rest = line.split(":", 1)[1] if ":" in line else ""
    i = 0
    while i < len(rest):
        eq = rest.find("=", i)
        if eq < 0:
            return None
        key = rest[i:eq].strip()
        if eq + 1 < len(rest) and rest[eq + 1] == '"':
            end = rest.find('"', eq + 2)
            if end < 0:
                return None
            value, i = rest[eq + 2:end], end + 1
        else:
            end = rest.find(",", eq + 1)
            end = len(rest) if end < 0 else end
            value, i = rest[eq + 1:end], end
        if key == name:
            return value
        if i < len(rest) and rest[i] == ",":
            i += 1
    return None


def variant_uri(lines, url):
    """The first variant's URI of a multivariant playlist; None when the playlist is a media playlist."""
    if any(line.startswith("#EXTINF") for line in lines):
        return None
    for i, line in enumerate(lines):
        if line.startswith("#EXT-X-STREAM-INF"):
            for following in lines[i + 1:]:
                if not following.startswith("#"):
                    return following
            break
    raise Fatal("%s: no variant (#EXT-X-STREAM-INF followed by a URI)" % url)


def media_segments(lines, url):
    """(init URI or None, [(uri, duration)]) of a VOD media playlist."""
    init = None
    segments = []
    duration = None
    ended = False
    for line in lines:
        if line.startswith("#EXT-X-MAP"):
            init = attribute(line, "URI")
            if not init:
                raise Fatal("%s: EXT-X-MAP without URI" % url)
        elif line.startswith("#EXT-X-BYTERANGE"):
            raise Fatal("%s: EXT-X-BYTERANGE is not supported" % url)
        elif line.startswith("#EXTINF:"):
            try:
                duration = float(line[len("#EXTINF:"):].split(",", 1)[0])
            except ValueError:
                raise Fatal("%s: bad EXTINF line %r" % (url, line))
            if not duration >= 0 or duration > 1e6:
                raise Fatal("%s: bad segment duration %r" % (url, line))
        elif line == "#EXT-X-ENDLIST":
            ended = True
        elif not line.startswith("#"):
            if duration is None:
                raise Fatal("%s: URI %r without EXTINF" % (url, line))
            segments.append((line, duration))
            duration = None
    if not segments:
        raise Fatal("%s: no media segments" % url)
    if not ended:
        raise Fatal("%s: not a VOD playlist (no EXT-X-ENDLIST)" % url)
    return init, segments


class Playback:
    """The playhead over time: starts once told, advances in real time, stalls at the end of what is buffered."""

    def __init__(self, end):
        self.end = end          # seconds of media to play
        self.buffered = 0.0     # seconds of media fully received, from 0
        self.started = False
        self.pos = 0.0          # playhead, seconds of media
        self.t = None           # the instant `pos` refers to
        self.stalled = False
        self.stall_start = None
        self.stalls = 0
        self.stall_s = 0.0
        self.finished_at = None

    def advance(self, now):
        if not self.started or self.finished_at is not None:
            return
        if self.stalled:
            self.t = now
            return
        limit = min(self.buffered, self.end)
        if self.pos + (now - self.t) >= limit:
            hit = self.t + (limit - self.pos)
            self.pos = limit
            if limit >= self.end:
                self.finished_at = hit
            else:
                self.stalled = True
                self.stall_start = hit
                self.stalls += 1
        else:
            self.pos += now - self.t
        self.t = now

    def received(self, now, duration):
        self.advance(now)
        self.buffered += duration
        if self.stalled:
            self.stall_s += now - self.stall_start
            self.stalled = False
        self.t = now

    def start(self, now):
        self.started = True
        self.t = now

    def ahead(self):
        return self.buffered - self.pos


def run(args):
    client = Client(args.timeout, args.give_up, args.retry_delay)
    t0 = time.monotonic()
    result = {"url": args.url}
    try:
        master = client.get(args.url)
        lines = playlist_lines(master, args.url)
        media_url = args.url
        variant = variant_uri(lines, args.url)
        if variant is not None:
            media_url = urllib.parse.urljoin(args.url, variant)
            lines = playlist_lines(client.get(media_url), media_url)
        init, segments = media_segments(lines, media_url)
        total = sum(duration for _, duration in segments)
        end = total if args.play_seconds is None else min(total, args.play_seconds)
        needed = []
        start = 0.0
        for uri, duration in segments:
            if start >= end and needed:
                break
            needed.append((urllib.parse.urljoin(media_url, uri), duration))
            start += duration
        if init is not None:
            client.get(urllib.parse.urljoin(media_url, init))
        playback = Playback(end)
        startup = None
        for index, (url, duration) in enumerate(needed):
            # hls.js-like: fetch the next segment only while less than `target` seconds are buffered ahead.
            while playback.started:
                playback.advance(time.monotonic())
                ahead = playback.ahead()
                if ahead < args.target:
                    break
                time.sleep(min(ahead - args.target + 0.001, 1.0))
            fetch_start = time.monotonic()
            size_before = client.bytes
            client.get(url)
            now = time.monotonic()
            playback.received(now, duration)
            if not playback.started:
                playback.start(now)
                startup = now - t0
            if args.trace:
                sys.stderr.write("segment %d at %.3f s: fetched in %.3f s, %d bytes, %.1f s ahead%s\n" % (
                    index, now - t0, now - fetch_start, client.bytes - size_before, playback.ahead(),
                    ", %d stalls so far" % playback.stalls if playback.stalls else ""))
        while playback.finished_at is None:
            playback.advance(time.monotonic())
            if playback.finished_at is not None:
                break
            time.sleep(min(max(playback.end - playback.pos, 0.0), 1.0) + 0.001)
        played = playback.pos
        result.update({
            "startup_s": round(startup, 4),
            "stalls": playback.stalls,
            "stall_s": round(playback.stall_s, 4),
            "played_s": round(played, 4),
            "stall_ratio": round(playback.stall_s / (played + playback.stall_s), 6) if played + playback.stall_s > 0 else 0.0,
            "segments": len(needed),
            "bytes": client.bytes,
            "retries": client.retries,
            "errors": client.errors,
            "duration_s": round(end, 4),
            "wall_s": round(time.monotonic() - t0, 4),
        })
    finally:
        client.close()
    return result


def main():
    parser = argparse.ArgumentParser(description="A virtual HLS player (see the module docstring).")
    parser.add_argument("url", help="the master playlist URL")
    parser.add_argument("--target", type=float, default=30.0, help="seconds to keep buffered ahead (default 30)")
    parser.add_argument("--play-seconds", type=float, default=None, help="stop after this much media")
    parser.add_argument("--timeout", type=float, default=30.0, help="socket time-out per request (default 30 s)")
    parser.add_argument("--give-up", type=float, default=120.0, help="fatal when a request fails this long (default 120 s)")
    parser.add_argument("--retry-delay", type=float, default=0.25, help="sleep before a retry (default 0.25 s)")
    parser.add_argument("--trace", action="store_true", help="a line per segment on stderr")
    args = parser.parse_args()
    if args.target <= 0 or (args.play_seconds is not None and args.play_seconds <= 0):
        parser.error("--target and --play-seconds must be positive")
    try:
        result = run(args)
    except Fatal as error:
        sys.stderr.write("virtual_player: %s\n" % error)
        return 1
    except KeyboardInterrupt:
        sys.stderr.write("virtual_player: interrupted\n")
        return 130
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
