#!/usr/bin/python3
"""libtorrent as one peer of a peer-exchange (BEP 11) test, for Shoal's interop tests.

  lt_pex.py join TORRENT SAVE_DIR --listen IP [--peer HOST:PORT]... [--timeout S]
      -> listens on IP (a port of its choosing), prints "port: N", connects to the given peers and
         downloads. Prints "peer HOST:PORT SOURCES" once for every connected peer as it appears
         (SOURCES: how libtorrent learned of it, e.g. "pex" or "incoming"), and "complete" when it has
         every piece. Runs until killed; exits 1 after --timeout seconds (default 150).

Each peer of a test gets its own 127.0.0.x address: libtorrent's peer list keeps one entry per IP
unless allow_multiple_connections_per_ip is set, so on one shared 127.0.0.1 a peer learned through
PEX would merge with the peer that told of it. Left at libtorrent's default here on purpose. TCP
only, DHT, LSD, UPnP and NAT-PMP off. Runs under Debian's /usr/bin/python3.
"""
import signal
import sys
import time

import libtorrent as lt

SOURCES = [("tracker", 0x1), ("dht", 0x2), ("pex", 0x4), ("lsd", 0x8), ("resume", 0x10), ("incoming", 0x20)]


def sources(flags):
    return ",".join(name for name, bit in SOURCES if flags & bit) or "none"


def join(torrent, save_dir, listen, peers, timeout):
    signal.signal(signal.SIGINT, lambda signum, frame: sys.exit(0))
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
    session = lt.session({
        "listen_interfaces": "%s:0" % listen,
        "enable_dht": False,
        "enable_lsd": False,
        "enable_upnp": False,
        "enable_natpmp": False,
        "enable_outgoing_utp": False,
        "enable_incoming_utp": False,
        "alert_mask": lt.alert.category_t.error_notification,
    })
    deadline = time.time() + 10
    while session.listen_port() == 0 and time.time() < deadline:
        time.sleep(0.05)
    print("port: %d" % session.listen_port(), flush=True)
    params = lt.add_torrent_params()
    params.ti = lt.torrent_info(torrent)
    params.save_path = save_dir
    handle = session.add_torrent(params)
    for host, port in peers:
        handle.connect_peer((host, port))
    seen = set()
    complete = False
    deadline = time.time() + timeout
    while time.time() < deadline:
        for peer in handle.get_peer_info():
            host, port = peer.ip
            if (host, port) not in seen:
                seen.add((host, port))
                print("peer %s:%d %s" % (host, port, sources(peer.source)), flush=True)
        if not complete and handle.status().is_seeding:
            complete = True
            print("complete", flush=True)
        time.sleep(0.1)
    sys.stderr.write("libtorrent: timed out; peers seen: %s\n" % sorted(seen))
    return 1


def main(argv):
    if len(argv) < 4 or argv[1] != "join":
        sys.stderr.write(__doc__)
        return 2
    torrent, save_dir = argv[2], argv[3]
    listen, peers, timeout = "127.0.0.1", [], 150.0
    rest = argv[4:]
    while rest:
        option, value, rest = rest[0], rest[1], rest[2:]
        if option == "--listen":
            listen = value
        elif option == "--peer":
            host, _, port = value.rpartition(":")
            peers.append((host, int(port)))
        elif option == "--timeout":
            timeout = float(value)
        else:
            sys.stderr.write("unknown option %s\n" % option)
            return 2
    return join(torrent, save_dir, listen, peers, timeout)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
