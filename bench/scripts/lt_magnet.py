#!/usr/bin/python3
"""libtorrent's side of bench/dht-magnet-vs-libtorrent.sh: a magnet link with no tracker, resolved through a
local DHT, timed to the first verified piece.

  lt_magnet.py MAGNET --bootstrap HOST:PORT [--bind 127.0.0.4] [--save DIR] [--timeout S] [--log]
               [--add-at-once]

Starts a libtorrent session listening on --bind (port 0; TCP, and the DHT's UDP on the same port) with the
DHT on and HOST:PORT as its only bootstrap node (LSD, UPnP, NAT-PMP and uTP off), waits until the session's
DHT runs (is_dht_running(); see below), adds the magnet link (parse_magnet_uri; save path --save, else a
fresh temporary folder, removed on exit), and waits for the first piece_finished_alert. Then prints one JSON
line on stdout and exits 0 at once (no session shutdown):

  {"first_piece": P, "from_start": S, "from_session": S, "from_add": S, "dht_running": S|null,
   "dht_bootstrap": S|null, "dht_peers": S|null, "first_connect": S|null, "metadata": S|null, "dht_nodes": N}

from_start: seconds from the first line of this script (python's own start-up, ~30 ms, comes before it);
from_session: from the moment the session was created; from_add: from add_torrent; dht_running: when the
session's DHT was seen running and the magnet was added (null with --add-at-once). The milestones
(dht_bootstrap: dht_bootstrap_alert; dht_peers: the first dht_reply_alert naming at least one peer;
first_connect: the first peer_connect_alert or incoming connection; metadata: metadata_received_alert)
are seconds from the start too, null when not seen. With --log every alert goes to stderr with its time
from the start. After --timeout seconds (default 120) it prints one line on stderr saying how far it got
and exits 1.

The loopback settings are those of Tests/DHTNodeTests/Scripts/lt_dht.py: listen_interfaces an IP address
(with a device name or an `l` suffix libtorrent runs no DHT on the socket), one node per IP off for the
routing table and searches, a high dht_block_ratelimit (else a busy local node is blocked for 5 minutes),
node-ID checks off (local nodes have no BEP 42 IDs for these addresses), and dht_operation_notification in
the alert mask. Why it waits for the DHT before adding the magnet: libtorrent 2.0.8 announces a new torrent
to the DHT at once (session_impl::prioritize_dht, from torrent::start_announcing) only if the session's DHT
exists at that moment. The DHT starts after the session, once the bootstrap node's name is resolved (an IP
address too goes through the resolver); a torrent started before that is left to the round-robin timer,
dht_announce_interval / torrents = 15 minutes for one torrent (--add-at-once shows it). A client that has
been running for a while has its DHT up when a magnet link is added, so this is the fair comparison.

Runs under Debian's /usr/bin/python3, which sees python3-libtorrent.
"""
import time

START = time.monotonic()

import argparse  # noqa: E402 (the clock starts before the imports)
import json  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import warnings  # noqa: E402

import libtorrent as lt  # noqa: E402

# session.status() is deprecated but is the simplest way to read the DHT routing table's size.
warnings.simplefilter("ignore", DeprecationWarning)


def since_start():
    return round(time.monotonic() - START, 4)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("magnet")
    parser.add_argument("--bootstrap", required=True, help="HOST:PORT of a DHT node")
    parser.add_argument("--bind", default="127.0.0.4")
    parser.add_argument("--save")
    parser.add_argument("--timeout", type=float, default=120)
    parser.add_argument("--log", action="store_true", help="every alert to stderr")
    parser.add_argument("--add-at-once", action="store_true",
                        help="add the magnet without waiting for the DHT to run (libtorrent then waits 15 minutes)")
    args = parser.parse_args()

    save = args.save or tempfile.mkdtemp(prefix="shoal-lt-magnet-")
    try:
        return run(args, save)
    finally:
        if not args.save:
            shutil.rmtree(save, ignore_errors=True)


def run(args, save):
    category = lt.alert.category_t
    session_start = time.monotonic()
    session = lt.session({
        "listen_interfaces": "%s:0" % args.bind,
        "outgoing_interfaces": args.bind,
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
        "allow_multiple_connections_per_ip": True,
        "alert_mask": category.dht_notification | category.dht_operation_notification
        | category.status_notification | category.error_notification | category.piece_progress_notification
        | category.connect_notification | category.peer_notification | category.tracker_notification,
    })

    # libtorrent 2.0 gives a torrent an immediate DHT announce (session_impl::prioritize_dht) only if the DHT
    # is running when the torrent starts. The DHT starts once the bootstrap node's name is resolved, after the
    # session; a torrent added before that waits for the round-robin announce timer, dht_announce_interval
    # (15 minutes) / number of torrents. A client that has been running has its DHT up, so wait for it.
    dht_running = None
    if not args.add_at_once:
        while not session.is_dht_running():
            if time.monotonic() >= START + args.timeout:
                print("lt_magnet: the DHT did not start within %g s" % args.timeout, file=sys.stderr, flush=True)
                return 1
            time.sleep(0.002)
        dht_running = since_start()

    params = lt.parse_magnet_uri(args.magnet)
    params.save_path = save
    params.flags &= ~lt.torrent_flags.auto_managed
    params.flags &= ~lt.torrent_flags.paused
    add_time = time.monotonic()
    session.add_torrent(params)

    seen = {"dht_bootstrap": None, "dht_peers": None, "first_connect": None, "metadata": None}
    end = START + args.timeout
    while time.monotonic() < end:
        session.wait_for_alert(100)
        for alert in session.pop_alerts():
            now = since_start()
            if args.log:
                print("%.4f %s: %s" % (now, type(alert).__name__, alert.message()), file=sys.stderr, flush=True)
            if isinstance(alert, lt.piece_finished_alert):
                finished = time.monotonic()
                print(json.dumps({
                    "first_piece": alert.piece_index,
                    "from_start": round(finished - START, 4),
                    "from_session": round(finished - session_start, 4),
                    "from_add": round(finished - add_time, 4),
                    "dht_running": dht_running,
                    **seen,
                    "dht_nodes": session.status().dht_nodes,
                }), flush=True)
                sys.stderr.flush()
                if not args.save:
                    shutil.rmtree(save, ignore_errors=True)
                os._exit(0)  # a session shutdown (DHT, peers) is not part of the measurement
            if isinstance(alert, lt.dht_bootstrap_alert):
                seen["dht_bootstrap"] = seen["dht_bootstrap"] or now
            elif isinstance(alert, lt.dht_reply_alert) and alert.num_peers > 0:
                seen["dht_peers"] = seen["dht_peers"] or now
            elif isinstance(alert, (lt.peer_connect_alert, lt.incoming_connection_alert)):
                seen["first_connect"] = seen["first_connect"] or now
            elif isinstance(alert, lt.metadata_received_alert):
                seen["metadata"] = seen["metadata"] or now
            elif isinstance(alert, (lt.torrent_error_alert, lt.listen_failed_alert)):
                print("lt_magnet: %s" % alert.message(), file=sys.stderr, flush=True)
    reached = ", ".join("%s %s" % (k, "at %.2f s" % v if v is not None else "no") for k, v in seen.items())
    print("lt_magnet: no piece within %g s (%s; %d DHT nodes known)"
          % (args.timeout, reached, session.status().dht_nodes), file=sys.stderr, flush=True)
    return 1


if __name__ == "__main__":
    sys.exit(main())
