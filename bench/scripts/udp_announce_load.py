#!/usr/bin/env python3
"""UDP tracker load (BEP 15) for bench/tracker-vs-opentracker.sh: connect, then announces at a fixed concurrency.

    udp_announce_load.py HOST PORT HASHES SWARMS PEERS [--duration S] [--concurrency N] [--seed N]

One UDP socket keeps --concurrency announces in flight (a new one as soon as one is answered) for --duration
seconds after a connect; the connection id is renewed every 60 s (BEP 15 allows two minutes). The peers and the
mix are tracker-announce.lua's: peer p of swarm s announces port 10000 + p, peers p < PEERS // 5 are seeders
(left=0); a peer whose last announce was `stopped` comes back with `started`, otherwise 1% stopped, 2% started,
2% completed (leechers), the rest plain re-announces; num_want=50. Run it on prefilled swarms.

Prints one JSON object: announces answered, per_second, latency percentiles (ms, from send to reply), timeouts
(no reply within 2 s; the announce is dropped and another sent), tracker errors (action 3), malformed replies,
the average number of peers returned, and the client's own CPU share (user + system seconds / wall seconds).
One Python process is single-threaded: when its CPU share is near 1.0 the client, not the tracker, is the limit,
and the figure is a lower bound of what the tracker can do.
"""
import argparse
import json
import random
import resource
import select
import socket
import struct
import sys
import time

PROTOCOL_ID = 0x41727101980
CONNECT, ANNOUNCE, ERROR = 0, 1, 3
EVENT_NONE, EVENT_COMPLETED, EVENT_STARTED, EVENT_STOPPED = 0, 1, 2, 3
REPLY_TIMEOUT = 2.0
RENEW_AFTER = 60.0


def read_hashes(path, count):
    hashes = [bytes.fromhex(line.strip()) for line in open(path) if len(line.strip()) == 40]
    if len(hashes) < count:
        sys.exit("udp_announce_load.py: need %d infohashes in %s, found %d" % (count, path, len(hashes)))
    return hashes[:count]


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def percentile(sorted_values, q):
    if not sorted_values:
        return None
    return sorted_values[min(len(sorted_values) - 1, max(0, int(round(q / 100.0 * len(sorted_values) + 0.5)) - 1))]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("host")
    parser.add_argument("port", type=int)
    parser.add_argument("hashes")
    parser.add_argument("swarms", type=int)
    parser.add_argument("peers", type=int)
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    hashes = read_hashes(args.hashes, args.swarms)
    rng = random.Random(args.seed)
    total = args.swarms * args.peers
    seeders = args.peers // 5
    swarm_ids = [b"-SB0001-%06d" % s for s in range(args.swarms)]  # peer_id = swarm_ids[s] + peer_nums[p]
    peer_nums = [b"%06d" % p for p in range(args.peers)]
    stopped = set()

    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.connect((args.host, args.port))
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)

    def connect():
        tid = rng.getrandbits(32)
        for _ in range(5):
            sock.send(struct.pack("!QII", PROTOCOL_ID, CONNECT, tid))
            sock.settimeout(REPLY_TIMEOUT)
            deadline = time.monotonic() + REPLY_TIMEOUT
            while time.monotonic() < deadline:
                try:
                    data = sock.recv(2048)
                except socket.timeout:
                    break
                if len(data) >= 16:
                    action, got = struct.unpack_from("!II", data)
                    if action == CONNECT and got == tid:
                        return struct.unpack_from("!Q", data, 8)[0]
        sys.exit("udp_announce_load.py: no reply to connect from %s:%d" % (args.host, args.port))

    counts = {"none": 0, "started": 0, "completed": 0, "stopped": 0}

    def announce_packet(connection_id, tid):
        g = rng.randrange(total)
        s, p = divmod(g, args.peers)
        seeder = p < seeders
        left = 0 if seeder else 1000000000 - (g % 997) * 1000000
        if g in stopped:
            stopped.discard(g)
            event = EVENT_STARTED
            counts["started"] += 1
        else:
            r = rng.random()
            if r < 0.01:
                stopped.add(g)
                event = EVENT_STOPPED
                counts["stopped"] += 1
            elif r < 0.03:
                event = EVENT_STARTED
                counts["started"] += 1
            elif r < 0.05 and not seeder:
                event, left = EVENT_COMPLETED, 0
                counts["completed"] += 1
            else:
                event = EVENT_NONE
                counts["none"] += 1
        return struct.pack("!QII20s20sQQQIIIiH", connection_id, ANNOUNCE, tid, hashes[s],
                           swarm_ids[s] + peer_nums[p],
                           0 if seeder else (g % 997) * 1000000, left, (g * 7919) % 500000000, event, 0, 0, 50,
                           10000 + p)

    connection_id = connect()
    connected_at = time.monotonic()
    sock.setblocking(False)
    in_flight = {}  # tid -> send time
    latencies = []
    answered = timeouts = errors = malformed = peers_returned = 0
    error_sample = None
    next_tid = rng.getrandbits(32)

    def send_one(now):
        nonlocal next_tid
        next_tid = (next_tid + 1) & 0xFFFFFFFF
        try:
            sock.send(announce_packet(connection_id, next_tid))
        except BlockingIOError:
            return
        in_flight[next_tid] = now

    cpu0 = cpu_seconds()
    t0 = time.monotonic()
    end = t0 + args.duration
    last_sweep = t0
    for _ in range(args.concurrency):
        send_one(t0)
    while True:
        now = time.monotonic()
        if now >= end:
            break
        if now - connected_at > RENEW_AFTER:
            sock.setblocking(True)
            in_flight.clear()
            connection_id = connect()
            connected_at = time.monotonic()
            sock.setblocking(False)
            for _ in range(args.concurrency):
                send_one(connected_at)
        try:
            data = sock.recv(65536)
        except BlockingIOError:
            # Nothing to read: wait for the socket a little (no busy loop), then look for lost replies.
            select.select([sock], [], [], 0.01)
            now = time.monotonic()
            if now - last_sweep > 0.5:
                last_sweep = now
                for tid in [t for t, sent in in_flight.items() if now - sent > REPLY_TIMEOUT]:
                    del in_flight[tid]
                    timeouts += 1
                    send_one(now)
            continue
        except ConnectionRefusedError:
            errors += 1
            error_sample = error_sample or "ICMP port unreachable (nothing listening)"
            continue
        now = time.monotonic()
        if len(data) < 8:
            malformed += 1
            continue
        action, tid = struct.unpack_from("!II", data)
        sent = in_flight.pop(tid, None)
        if sent is None:
            continue  # a late reply to an announce already given up
        if action == ANNOUNCE and len(data) >= 20 and (len(data) - 20) % 6 == 0:
            answered += 1
            latencies.append(now - sent)
            peers_returned += (len(data) - 20) // 6
        elif action == ERROR:
            errors += 1
            error_sample = error_sample or data[8:].decode("utf-8", "replace")
        else:
            malformed += 1
        send_one(now)
    wall = time.monotonic() - t0
    cpu = cpu_seconds() - cpu0
    latencies.sort()
    ms = lambda v: None if v is None else round(v * 1000, 3)
    print(json.dumps({
        "announces": answered, "seconds": round(wall, 3), "per_second": round(answered / wall, 1),
        "p50_ms": ms(percentile(latencies, 50)), "p99_ms": ms(percentile(latencies, 99)),
        "timeouts": timeouts, "errors": errors, "error_sample": error_sample, "malformed": malformed,
        "peers_avg": round(peers_returned / answered, 2) if answered else None,
        "concurrency": args.concurrency, "client_cpu_share": round(cpu / wall, 3), "sent": counts,
    }))


if __name__ == "__main__":
    main()
