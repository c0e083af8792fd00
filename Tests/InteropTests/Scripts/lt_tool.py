#!/usr/bin/python3
"""libtorrent's view of torrents, for Shoal's interop tests.

  lt_tool.py inspect TORRENT          -> JSON: libtorrent's infohash, name, geometry, files, trackers
  lt_tool.py create PATH OUT [--v1-only] [--piece-length N] [--tracker URL]
                                      -> writes a torrent made by libtorrent, prints its v1 infohash
  lt_tool.py seed TORRENT SAVE_DIR    -> checks the data, prints "port: N" and "seeding", serves until
                                         killed (SIGINT/SIGTERM)
  lt_tool.py download TORRENT|MAGNET SAVE_DIR [--peer HOST:PORT]... [--timeout S] [--seed]
                                      -> prints "port: N", downloads, prints "complete" and a JSON line
                                         of figures; exit 1 on timeout. With --seed, keeps serving.

Swarm commands listen on 127.0.0.1 only, over TCP only (uTP crawls on loopback), with DHT, LSD,
UPnP and NAT-PMP off.

Runs under Debian's /usr/bin/python3, the interpreter that sees python3-libtorrent.
"""
import json
import os
import signal
import sys
import time

import libtorrent as lt


def inspect(path):
    info = lt.torrent_info(path)
    storage = info.files()
    files = []
    for index in range(storage.num_files()):
        files.append({
            "path": storage.file_path(index),
            "length": storage.file_size(index),
            "pad": bool(storage.file_flags(index) & lt.file_storage.flag_pad_file),
        })
    print(json.dumps({
        "infoHash": str(info.info_hashes().v1),
        "name": info.name(),
        "pieceLength": info.piece_length(),
        "pieceCount": info.num_pieces(),
        "totalSize": info.total_size(),
        "private": info.priv(),
        "trackers": [entry.url for entry in info.trackers()],
        "files": files,
    }))


def create(path, out, v1_only, piece_length, trackers):
    storage = lt.file_storage()
    lt.add_files(storage, path)
    flags = lt.create_torrent.v1_only if v1_only else 0
    torrent = lt.create_torrent(storage, piece_length, flags=flags)
    for tracker in trackers:
        torrent.add_tracker(tracker)
    lt.set_piece_hashes(torrent, os.path.dirname(os.path.abspath(path)))
    data = lt.bencode(torrent.generate())
    with open(out, "wb") as handle:
        handle.write(data)
    print(str(lt.torrent_info(out).info_hashes().v1))


def make_session():
    settings = {
        "listen_interfaces": "127.0.0.1:0",
        "enable_dht": False,
        "enable_lsd": False,
        "enable_upnp": False,
        "enable_natpmp": False,
        "enable_outgoing_utp": False,
        "enable_incoming_utp": False,
        "allow_multiple_connections_per_ip": True,
        "alert_mask": lt.alert.category_t.error_notification | lt.alert.category_t.status_notification,
    }
    session = lt.session(settings)
    deadline = time.time() + 10
    while session.listen_port() == 0 and time.time() < deadline:
        time.sleep(0.05)
    print("port: %d" % session.listen_port(), flush=True)
    return session


def add(session, source, save_dir):
    if source.startswith("magnet:"):
        params = lt.parse_magnet_uri(source)
    else:
        params = lt.add_torrent_params()
        params.ti = lt.torrent_info(source)
    params.save_path = save_dir
    return session.add_torrent(params)


def install_stop_handlers():
    def stop(signum, frame):
        sys.exit(0)
    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)


def seed(torrent, save_dir):
    install_stop_handlers()
    session = make_session()
    handle = add(session, torrent, save_dir)
    deadline = time.time() + 120
    while not handle.status().is_seeding:
        if time.time() > deadline:
            sys.stderr.write("libtorrent: data not complete: %s\n" % handle.status().state)
            return 1
        time.sleep(0.05)
    print("seeding", flush=True)
    while True:
        time.sleep(1)


def download(source, save_dir, peers, timeout, keep_seeding):
    install_stop_handlers()
    session = make_session()
    handle = add(session, source, save_dir)
    started = time.time()
    deadline = started + timeout
    connected = False
    while True:
        status = handle.status()
        if not connected and (status.has_metadata or source.startswith("magnet:")):
            for host, port in peers:
                handle.connect_peer((host, port))
            connected = True
        if status.is_seeding:
            break
        if time.time() > deadline:
            sys.stderr.write("libtorrent: timed out at %.1f%% (%s, %d peers)\n"
                             % (status.progress * 100, status.state, status.num_peers))
            return 1
        time.sleep(0.05)
    elapsed = time.time() - started
    status = handle.status()
    print("complete", flush=True)
    print(json.dumps({"seconds": elapsed, "totalDone": status.total_done,
                      "downloaded": status.total_payload_download}), flush=True)
    while keep_seeding:
        time.sleep(1)
    return 0


def parse_peer(text):
    host, _, port = text.rpartition(":")
    return (host, int(port))


def main(argv):
    if len(argv) >= 3 and argv[1] == "inspect":
        inspect(argv[2])
        return 0
    if len(argv) >= 4 and argv[1] == "create":
        v1_only = "--v1-only" in argv
        piece_length = 0
        trackers = []
        rest = argv[4:]
        for index, arg in enumerate(rest):
            if arg == "--piece-length":
                piece_length = int(rest[index + 1])
            if arg == "--tracker":
                trackers.append(rest[index + 1])
        create(argv[2], argv[3], v1_only, piece_length, trackers)
        return 0
    if len(argv) >= 4 and argv[1] == "seed":
        return seed(argv[2], argv[3])
    if len(argv) >= 4 and argv[1] == "download":
        rest = argv[4:]
        peers = [parse_peer(rest[i + 1]) for i, arg in enumerate(rest) if arg == "--peer"]
        timeout = next((float(rest[i + 1]) for i, arg in enumerate(rest) if arg == "--timeout"), 120.0)
        return download(argv[2], argv[3], peers, timeout, "--seed" in rest)
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
