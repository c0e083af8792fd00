#!/usr/bin/python3
"""libtorrent's view of torrents, for Shoal's interop tests.

  lt_tool.py inspect TORRENT          -> JSON: libtorrent's infohash, name, geometry, files, trackers
  lt_tool.py create PATH OUT [--v1-only] [--piece-length N] [--tracker URL]
                                      -> writes a torrent made by libtorrent, prints its v1 infohash

Runs under Debian's /usr/bin/python3, the interpreter that sees python3-libtorrent.
"""
import json
import os
import sys

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
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
