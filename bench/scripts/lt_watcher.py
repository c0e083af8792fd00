#!/usr/bin/python3
"""A libtorrent watcher for the streaming-swarm benchmark: streams a Shoal video torrent with set_piece_deadline.

  lt_watcher.py TORRENT SAVE_DIR LISTEN_PORT ORIGIN_HOST:PORT UPLOAD_CAP
                [--target S] [--window S] [--safety-margin S] [--play-seconds N] [--give-up S]
                [--keep-seeding] [--trace]

Joins the swarm of TORRENT (Debian's python3-libtorrent 2.0: TCP only, DHT/LSD/UPnP/NAT-PMP off, listening on
127.0.0.1:LISTEN_PORT (0: any), several connections per IP allowed, plaintext outgoing handshakes, no random
first pieces (initial_picker_threshold 0), peers from the torrent's tracker and connect_peer(ORIGIN)), uploads at most UPLOAD_CAP bytes/s (`upload_rate_limit`; loopback peers are put in the
global peer class so the cap applies to them), and streams the video the way libtorrent's docs/streaming.rst
describes, over the layout of docs/video-torrent.md (master.m3u8, media.m3u8, init.mp4, then one segment per
run of pieces, BEP 47 pad files between):
  - the playlists' and the init segment's pieces get set_piece_deadline(p, 0) at once;
  - once they are had, master.m3u8 -> media playlist -> EXT-X-MAP and the segments (durations from EXTINF,
    pieces from the torrent's file offsets) are read back with read_piece;
  - every second (and at every segment completion), each missing piece of the segments that start within
    --window seconds (default 45, Shoal's read-ahead; 0: all of them, streaming.rst's "entire range") of the
    playhead gets a deadline of
    (segment start - playhead - --safety-margin (default 1 s, Shoal's margin)) ms, at least 0;
    everything else downloads rarest-first with leftover bandwidth (libtorrent's default).
A virtual player with virtual_player.py's model plays it: a segment is received when all its pieces are had
and the player would have asked for it (less than --target seconds, default 30, buffered ahead); startup is
measured from the instant the torrent is added; a stall is the playhead reaching the end of what was received
before the end of the video.

Deadline misses: a piece counts as missed when it becomes had after the deadline last set for it while
playback was running (the absolute instant now + the ms given); deadlines set before playback starts (head,
first segments) only order the requests and are not counted (startup_s measures them).

Bytes: every 0.5 s the peers' total_download (payload) is sampled, keeping the highest value per endpoint
(host:port of the connection). from_origin counts endpoints equal to ORIGIN or whose peer id is the origin's
(learnt from the connection to ORIGIN; the origin may dial us too); from_peers counts the others. by_peer lists
every endpoint ({"bytes", "client", "pid"}) for callers that classify endpoints themselves.

Prints one JSON object on stdout when the playback is over: startup_s, stalls, stall_s, played_s, stall_ratio,
segments, bytes (payload downloaded), retries (0), errors (0), duration_s, wall_s, from_origin, from_peers,
deadline_misses, deadline_pieces (pieces that got a deadline while playing), uploaded, redundant (libtorrent's
total_redundant_bytes: payload received twice or not needed), by_peer; then exits,
or with --keep-seeding keeps serving until SIGINT/SIGTERM (a benchmark then stops every watcher at the same
time, as it does with shoal watch). Exits 1 with a one-line message on a fatal error (no progress for
--give-up seconds, default 180; an unreadable playlist).
"""
import argparse
import json
import os
import posixpath
import signal
import sys
import time

import libtorrent as lt

sys.dont_write_bytecode = True  # no __pycache__ in the repository's bench/scripts
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from virtual_player import Fatal, Playback, media_segments, playlist_lines, variant_uri  # noqa: E402


def make_session(port, upload_cap):
    session = lt.session({
        "listen_interfaces": "127.0.0.1:%d" % port,
        "enable_dht": False, "enable_lsd": False, "enable_upnp": False, "enable_natpmp": False,
        "enable_outgoing_utp": False, "enable_incoming_utp": False,
        "allow_multiple_connections_per_ip": True,
        "upload_rate_limit": upload_cap,
        # libtorrent picks its first pieces at random, ignoring priorities and deadlines, until it has
        # initial_picker_threshold (4) of them: a streaming client wants the playlists and the first segment.
        "initial_picker_threshold": 0,
        # An outgoing connection tries the encrypted handshake (MSE) first and, when a peer that does not speak it
        # (Shoal) closes it, retries in plaintext about a second later: plaintext at once, as Shoal does.
        "out_enc_policy": int(lt.enc_policy.pe_disabled),
        "alert_mask": lt.alert.category_t.error_notification | lt.alert.category_t.status_notification
        | lt.alert.category_t.storage_notification | lt.alert.category_t.piece_progress_notification,
    })
    # By default peers on local networks (loopback included) are in the local peer class, which rate limits do
    # not apply to. Every address goes to the global class instead, so upload_rate_limit caps loopback peers.
    classes = lt.ip_filter()
    classes.add_rule("0.0.0.0", "255.255.255.255", 1 << lt.session.global_peer_class_id)
    session.set_peer_class_filter(classes)
    return session


class Geometry:
    """The torrent's files (path inside the torrent -> first byte, size) and piece length."""

    def __init__(self, info):
        self.piece_length = info.piece_length()
        self.piece_count = info.num_pieces()
        self.total = info.total_size()
        storage = info.files()
        multi = storage.num_files() > 1 or "/" in storage.file_path(0).replace(os.sep, "/")
        self.files = {}
        for i in range(storage.num_files()):
            if storage.file_flags(i) & lt.file_storage.flag_pad_file:
                continue
            path = storage.file_path(i).replace(os.sep, "/")
            if multi and "/" in path:
                path = path.split("/", 1)[1]
            self.files[path] = (storage.file_offset(i), storage.file_size(i))

    def pieces(self, path):
        offset, size = self.files[path]
        if size == 0:
            return []
        return list(range(offset // self.piece_length, (offset + size - 1) // self.piece_length + 1))


class Watcher:
    def __init__(self, args):
        self.args = args
        host, _, port = args.origin.rpartition(":")
        self.origin = (host, int(port))
        self.session = make_session(args.port, args.upload_cap)
        info = lt.torrent_info(args.torrent)
        self.geometry = Geometry(info)
        params = lt.add_torrent_params()
        params.ti = info
        params.save_path = args.save_dir
        params.flags &= ~lt.torrent_flags.auto_managed
        params.flags &= ~lt.torrent_flags.paused
        self.t0 = time.monotonic()
        self.handle = self.session.add_torrent(params)
        self.handle.connect_peer(self.origin)
        self.had = {}            # piece -> instant it became had
        self.piece_data = {}     # piece -> bytes (head pieces, read back)
        self.reading = set()
        self.deadline_at = {}    # piece -> absolute deadline last set while playing
        self.misses = 0
        self.peers = {}          # "host:port" -> {"bytes", "client", "pid"}
        self.origin_pids = set()
        self.segments = None     # [(start, duration, pieces)]
        self.head = []
        self.playlist_pieces = sorted({p for path in self.geometry.files if path.endswith(".m3u8")
                                       for p in self.geometry.pieces(path)})
        self.last_progress = self.t0

    # --- pieces -----------------------------------------------------------------------------------------
    def mark_had(self, piece, now):
        if piece in self.had:
            return
        self.had[piece] = now
        self.last_progress = now
        deadline = self.deadline_at.get(piece)
        if deadline is not None and now > deadline:
            self.misses += 1
            if self.args.trace:
                sys.stderr.write("lt_watcher: piece %d %.3f s late\n" % (piece, now - deadline))

    def poll_alerts(self, timeout):
        if self.session.wait_for_alert(int(timeout * 1000)) is None:
            return
        for alert in self.session.pop_alerts():
            now = time.monotonic()
            if isinstance(alert, lt.piece_finished_alert):
                self.mark_had(alert.piece_index, now)
            elif isinstance(alert, lt.torrent_checked_alert) and self.segments is None:
                for p in self.playlist_pieces:
                    self.handle.set_piece_deadline(p, 0)
            elif isinstance(alert, lt.read_piece_alert):
                self.reading.discard(alert.piece)
                if alert.error and alert.error.value():
                    continue
                self.piece_data[alert.piece] = bytes(alert.buffer)
            elif isinstance(alert, (lt.torrent_error_alert, lt.file_error_alert)):
                raise Fatal(alert.message())

    def sync_pieces(self):
        """Catches completions whose alert was missed (and data present at start)."""
        status = self.handle.status(lt.status_flags_t.query_pieces)
        now = time.monotonic()
        for piece, have in enumerate(status.pieces):
            if have and piece not in self.had:
                self.mark_had(piece, now)

    def complete(self, pieces):
        return all(p in self.had for p in pieces)

    def when(self, pieces):
        return max(self.had[p] for p in pieces) if pieces else self.t0

    # --- reading the playlists back ---------------------------------------------------------------------
    def file_bytes(self, path):
        """The file's bytes once its pieces are had and read back; None until then."""
        pieces = self.geometry.pieces(path)
        if not self.complete(pieces):
            return None
        missing = [p for p in pieces if p not in self.piece_data]
        for p in missing:
            if p not in self.reading:
                self.reading.add(p)
                self.handle.read_piece(p)
        if missing:
            return None
        data = b"".join(self.piece_data[p] for p in pieces)
        offset, size = self.geometry.files[path]
        start = offset - pieces[0] * self.geometry.piece_length
        return data[start:start + size]

    def resolve(self, base, uri):
        if "://" in uri or uri.startswith("/"):
            raise Fatal("playlist URI %r is not a relative path" % uri)
        path = posixpath.normpath(posixpath.join(posixpath.dirname(base), uri))
        if path not in self.geometry.files:
            raise Fatal("playlist URI %r names no file of the torrent" % uri)
        return path

    def try_parse(self):
        master_path = "master.m3u8" if "master.m3u8" in self.geometry.files else None
        media_path = "media.m3u8"
        if master_path is not None:
            master = self.file_bytes(master_path)
            if master is None:
                return False
            lines = playlist_lines(master, master_path)
            variant = variant_uri(lines, master_path)
            if variant is not None:
                media_path = self.resolve(master_path, variant)
        if media_path not in self.geometry.files:
            raise Fatal("the torrent has no %s" % media_path)
        media = self.file_bytes(media_path)
        if media is None:
            return False
        init, segments = media_segments(playlist_lines(media, media_path), media_path)
        head = set(self.playlist_pieces)
        if init is not None:
            head.update(self.geometry.pieces(self.resolve(media_path, init)))
        self.head = sorted(head)
        start = 0.0
        self.segments = []
        for uri, duration in segments:
            self.segments.append((start, duration, self.geometry.pieces(self.resolve(media_path, uri))))
            start += duration
        return True

    # --- deadlines --------------------------------------------------------------------------------------
    def set_deadlines(self, playback, now):
        for p in self.head:
            if p not in self.had:
                self.handle.set_piece_deadline(p, 0)
        position = playback.pos
        for start, duration, pieces in self.segments:
            if start + duration <= position and self.complete(pieces):
                continue
            if self.args.window > 0 and start >= position + self.args.window:
                break
            due = start - position - self.args.safety_margin
            for p in pieces:
                if p in self.had:
                    continue
                self.handle.set_piece_deadline(p, max(0, int(due * 1000)))
                if playback.started:
                    # While stalled the playhead stands still, so the deadlines move on with `now` (a piece
                    # of the segment the player waits for is then always past its deadline: a miss).
                    self.deadline_at[p] = now + due

    # --- peers ------------------------------------------------------------------------------------------
    def sample_peers(self):
        for peer in self.handle.get_peer_info():
            host, port = peer.ip[0], peer.ip[1]
            key = "%s:%d" % (host, port)
            pid = str(peer.pid)
            entry = self.peers.setdefault(key, {"bytes": 0, "client": "", "pid": ""})
            entry["bytes"] = max(entry["bytes"], peer.total_download)
            entry["client"] = peer.client if isinstance(peer.client, str) else peer.client.decode("utf-8", "replace")
            entry["pid"] = pid
            if (host, port) == self.origin and pid.strip("0"):
                self.origin_pids.add(pid)

    def split_bytes(self):
        origin_key = "%s:%d" % self.origin
        from_origin = from_peers = 0
        for key, entry in self.peers.items():
            if key == origin_key or entry["pid"] in self.origin_pids:
                from_origin += entry["bytes"]
            else:
                from_peers += entry["bytes"]
        return from_origin, from_peers

    # --- the run ----------------------------------------------------------------------------------------
    def run(self):
        args = self.args
        for p in self.playlist_pieces:
            self.handle.set_piece_deadline(p, 0)
        playback = None
        startup = None
        next_segment = 0
        last_tick = 0.0
        last_sample = 0.0
        while True:
            self.poll_alerts(0.05)
            now = time.monotonic()
            if now - last_sample >= 0.5:
                self.sample_peers()
                last_sample = now
            tick = now - last_tick >= 1.0
            if tick:
                self.sync_pieces()
                last_tick = now
            if self.segments is None:
                if tick:
                    # Deadlines set while the torrent is still being checked are dropped: set them again.
                    for p in self.playlist_pieces:
                        if p not in self.had:
                            self.handle.set_piece_deadline(p, 0)
                if not self.try_parse():
                    if now - self.last_progress > args.give_up:
                        raise Fatal("no playlist after %.0f s" % (now - self.t0))
                    continue
                total = sum(d for _, d, _ in self.segments)
                end = total if args.play_seconds is None else min(total, args.play_seconds)
                self.segments = [s for s in self.segments if s[0] < end or s is self.segments[0]]
                playback = Playback(end)
                self.set_deadlines(playback, now)
            # Hand the player every segment that is complete and that it would have asked for by now.
            received_any = False
            while next_segment < len(self.segments):
                start, duration, pieces = self.segments[next_segment]
                if not self.complete(pieces) or (not playback.started and not self.complete(self.head)):
                    break
                at = self.when(pieces)
                if not playback.started:
                    at = max(at, self.when(self.head))
                else:
                    # The instant the buffer fell below the target (the player asks then), not before the
                    # instant the playback model was last advanced to.
                    if not playback.stalled:
                        at = max(at, playback.t + (playback.ahead() - args.target))
                    at = max(at, playback.t)
                    if at > now:
                        break
                playback.received(at, duration)
                if not playback.started:
                    playback.start(at)
                    startup = at - self.t0
                received_any = True
                next_segment += 1
                if args.trace:
                    sys.stderr.write("lt_watcher: segment %d received at %.3f s, %.1f s ahead, %d stalls\n" % (
                        next_segment - 1, at - self.t0, playback.ahead(), playback.stalls))
            playback.advance(now)
            if playback.finished_at is not None:
                break
            if tick or received_any:
                self.set_deadlines(playback, now)
            if now - self.last_progress > args.give_up and not (playback.started and not playback.stalled):
                raise Fatal("no progress for %.0f s (%d of %d pieces)" % (
                    args.give_up, len(self.had), self.geometry.piece_count))
        self.sample_peers()
        status = self.handle.status()
        from_origin, from_peers = self.split_bytes()
        played = playback.pos
        return {
            "startup_s": round(startup, 4),
            "stalls": playback.stalls,
            "stall_s": round(playback.stall_s, 4),
            "played_s": round(played, 4),
            "stall_ratio": round(playback.stall_s / (played + playback.stall_s), 6) if played + playback.stall_s > 0 else 0.0,
            "segments": next_segment,
            "bytes": status.total_payload_download,
            "retries": 0,
            "errors": 0,
            "duration_s": round(playback.end, 4),
            "wall_s": round(time.monotonic() - self.t0, 4),
            "from_origin": from_origin,
            "from_peers": from_peers,
            "deadline_misses": self.misses,
            "deadline_pieces": len(self.deadline_at),
            "uploaded": status.total_payload_upload,
            "redundant": status.total_redundant_bytes,
            "by_peer": self.peers,
        }

    def keep_seeding(self):
        while True:
            time.sleep(1)
            self.session.pop_alerts()


def main():
    parser = argparse.ArgumentParser(description="A libtorrent streaming watcher (see the module docstring).")
    parser.add_argument("torrent")
    parser.add_argument("save_dir")
    parser.add_argument("port", type=int)
    parser.add_argument("origin", help="HOST:PORT of the origin seed")
    parser.add_argument("upload_cap", type=int, help="bytes per second (0: none)")
    parser.add_argument("--target", type=float, default=30.0, help="player buffer target, s (default 30)")
    parser.add_argument("--window", type=float, default=45.0,
                        help="deadline window ahead of the playhead, s (default 45; 0: every segment)")
    parser.add_argument("--safety-margin", type=float, default=1.0, help="deadline before a segment plays, s (default 1)")
    parser.add_argument("--play-seconds", type=float, default=None)
    parser.add_argument("--give-up", type=float, default=180.0, help="fatal after this long without a new piece")
    parser.add_argument("--keep-seeding", action="store_true", help="serve after the playback until stopped")
    parser.add_argument("--trace", action="store_true")
    args = parser.parse_args()
    if ":" not in args.origin:
        parser.error("origin must be HOST:PORT")

    def stop(signum, frame):
        sys.exit(0 if signum != signal.SIGINT else 130)
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        watcher = Watcher(args)
        result = watcher.run()
    except Fatal as error:
        sys.stderr.write("lt_watcher: %s\n" % error)
        return 1
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()
    if args.keep_seeding:
        watcher.keep_seeding()
    return 0


if __name__ == "__main__":
    sys.exit(main())
