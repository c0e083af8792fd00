#!/usr/bin/python3
"""A libtorrent DHT node for Shoal's DHT interop tests.

  lt_dht.py --bootstrap HOST:PORT [--torrent HEX] [--find HEX] [--timeout S]

Starts a session on 127.0.0.1 (TCP and the DHT's UDP on one port) with the DHT on and HOST:PORT as its
only bootstrap node; LSD, UPnP and NAT-PMP off. Prints "port: N" once listening.
  --torrent HEX  adds a torrent by infohash (no metadata): libtorrent announces it to the DHT, and is
                 made to again every few seconds.
  --find HEX     asks the DHT for peers of HEX every few seconds (dht_get_peers) and prints each new
                 one as "found: HOST:PORT".
Also prints "dht_nodes: N" when libtorrent's routing table size changes. Exits after --timeout seconds
(default 300) or on SIGINT/SIGTERM.

The loopback settings: libtorrent keeps one node per IP in its routing table and searches
(dht_restrict_routing_ips, dht_restrict_search_ips) and blocks an IP sending over 5 packets a
second for 5 minutes (dht_block_ratelimit);
every Shoal node of the test shares 127.0.0.1, so those are relaxed.

Runs under Debian's /usr/bin/python3, the interpreter that sees python3-libtorrent.
"""
import argparse
import signal
import sys
import tempfile
import time
import warnings

import libtorrent as lt

# session.status() is deprecated but is the simplest way to read the routing table's size.
warnings.simplefilter("ignore", DeprecationWarning)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--torrent")
    parser.add_argument("--find")
    parser.add_argument("--timeout", type=float, default=300)
    args = parser.parse_args()

    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))

    session = lt.session({
        "listen_interfaces": "127.0.0.1:0",
        "enable_dht": True,
        "dht_bootstrap_nodes": args.bootstrap,
        "enable_lsd": False,
        "enable_upnp": False,
        "enable_natpmp": False,
        "enable_outgoing_utp": False,
        "enable_incoming_utp": False,
        "dht_restrict_routing_ips": False,
        "dht_restrict_search_ips": False,
        "dht_enforce_node_id": False,
        "dht_prefer_verified_node_ids": False,
        "dht_ignore_dark_internet": False,
        "dht_block_ratelimit": 100000,
        "dht_announce_interval": 10,
        "allow_multiple_connections_per_ip": True,
        "alert_mask": lt.alert.category_t.dht_notification | lt.alert.category_t.dht_operation_notification
        | lt.alert.category_t.status_notification
        | lt.alert.category_t.error_notification,
    })
    deadline = time.monotonic() + 30
    while session.listen_port() == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    print("port: %d" % session.listen_port(), flush=True)

    handle = None
    if args.torrent:
        params = lt.add_torrent_params()
        params.info_hashes = lt.info_hash_t(lt.sha1_hash(bytes.fromhex(args.torrent)))
        params.save_path = tempfile.mkdtemp(prefix="shoal-lt-dht-")
        params.flags &= ~lt.torrent_flags.auto_managed
        params.flags &= ~lt.torrent_flags.paused
        handle = session.add_torrent(params)
    target = lt.sha1_hash(bytes.fromhex(args.find)) if args.find else None

    found = set()
    nodes = -1
    end = time.monotonic() + args.timeout
    next_round = 0.0
    while not stop and time.monotonic() < end:
        now = time.monotonic()
        if now >= next_round:
            next_round = now + 3
            if handle is not None:
                handle.force_dht_announce()
            if target is not None:
                session.dht_get_peers(target)
            count = session.status().dht_nodes
            if count != nodes:
                nodes = count
                print("dht_nodes: %d" % count, flush=True)
        for alert in session.pop_alerts():
            if isinstance(alert, lt.dht_get_peers_reply_alert) and target is not None \
                    and alert.info_hash == target:
                for host, port in alert.peers():
                    if (host, port) not in found:
                        found.add((host, port))
                        print("found: %s:%d" % (host, port), flush=True)
            elif alert.category() & lt.alert.category_t.error_notification:
                print("error: %s" % alert.message(), file=sys.stderr, flush=True)
        session.wait_for_alert(500)


if __name__ == "__main__":
    main()
