#!/usr/bin/env python3
"""HTTP helpers of bench/tracker-vs-opentracker.sh: infohashes, a probe, the prefill, and a swarm-size check.

    tracker_prefill.py hashes COUNT                      COUNT infohashes, 40 lowercase hex digits a line
    tracker_prefill.py probe URL HASHES [--connection close|keep-alive]
    tracker_prefill.py prefill URL HASHES SWARMS PEERS [--concurrency N] [--connection close|keep-alive]
    tracker_prefill.py verify URL HASHES SWARMS PEERS [--concurrency N]

URL is the announce URL (http://127.0.0.1:PORT/announce). Peer p of swarm s is 127.0.0.1:(10000 + p) with
peer_id "-SB0001-%06d%06d" % (s, p), and peers p < PEERS // 5 are seeders (left=0): the same peers as
tracker-announce.lua's. Each command prints one JSON object.

probe      two announces on one TCP connection, without `Connection: close` unless --connection close: does
           the tracker answer with a bencoded dictionary, does it close the connection after a reply, and does
           it say so (a `Connection: close` header)? wrk assumes HTTP/1.1 keep-alive unless the response says
           otherwise, and counts a close after a reply as a read error (one per reply; the request itself was
           answered and counted), so the shell script needs to know.
prefill    every (swarm, peer) announces event=started once, in order, over --concurrency connections (a new
           connection per announce, so a tracker that closes after each reply costs nothing extra); every reply
           must be status 200 and a bencoded dictionary without "failure reason". Connection errors are retried
           (3 times).
verify     peer 0 of every swarm re-announces (no event, numwant=50): complete + incomplete of each swarm, the
           seeders, the peers returned. After the prefill every swarm must hold PEERS peers.
"""
import argparse
import errno
import hashlib
import json
import selectors
import socket
import sys
import time
import urllib.parse

TIMEOUT = 10.0


def infohashes(count):
    return [hashlib.sha1(b"shoal-tracker-bench-%d" % i).hexdigest() for i in range(count)]


def read_hashes(path, count):
    hashes = [line.strip().lower() for line in open(path) if len(line.strip()) == 40]
    if len(hashes) < count:
        sys.exit("tracker_prefill.py: need %d infohashes in %s, found %d" % (count, path, len(hashes)))
    return hashes[:count]


def announce_path(base_path, info_hash_hex, swarm, peer, peers, event=None, numwant=50):
    seeder = peer < peers // 5
    g = swarm * peers + peer
    query = "info_hash=%s&peer_id=-SB0001-%06d%06d&port=%d&uploaded=%d&downloaded=%d&left=%d&compact=1&numwant=%d" % (
        urllib.parse.quote(bytes.fromhex(info_hash_hex), safe=""), swarm, peer, 10000 + peer,
        (g * 7919) % 500000000, 0 if seeder else (g % 997) * 1000000,
        0 if seeder else 1000000000 - (g % 997) * 1000000, numwant)
    if event:
        query += "&event=" + event
    return base_path + "?" + query


# --- bencode (enough to check a tracker's reply) -------------------------------------------------------------

def bdecode(data):
    def parse(i):
        c = data[i:i + 1]
        if c == b"i":
            end = data.index(b"e", i)
            return int(data[i + 1:end]), end + 1
        if c == b"l":
            i, out = i + 1, []
            while data[i:i + 1] != b"e":
                v, i = parse(i)
                out.append(v)
            return out, i + 1
        if c == b"d":
            i, out = i + 1, {}
            while data[i:i + 1] != b"e":
                k, i = parse(i)
                v, i = parse(i)
                out[k] = v
            return out, i + 1
        if c.isdigit():
            colon = data.index(b":", i)
            n = int(data[i:colon])
            if colon + 1 + n > len(data):
                raise ValueError("string runs past the end")
            return data[colon + 1:colon + 1 + n], colon + 1 + n
        raise ValueError("unexpected byte %r at %d" % (c, i))
    value, end = parse(0)
    if end != len(data):
        raise ValueError("%d bytes after the value" % (len(data) - end))
    return value


def check_reply(status, body):
    """Returns (dictionary, problem): problem is None for a good reply."""
    if status != 200:
        return None, "status %s: %r" % (status, body[:120])
    try:
        value = bdecode(body)
    except (ValueError, IndexError) as error:
        return None, "not bencode (%s): %r" % (error, body[:120])
    if not isinstance(value, dict):
        return None, "not a dictionary: %r" % body[:120]
    if b"failure reason" in value:
        return value, "failure reason: %r" % value[b"failure reason"]
    if not isinstance(value.get(b"peers"), bytes):
        return value, "no compact peers string: %r" % body[:120]
    return value, None


# --- HTTP/1.1 responses ---------------------------------------------------------------------------------------

def parse_response(buffer, eof):
    """Returns (status, headers, body, rest) once a whole response is in buffer, else None."""
    head_end = buffer.find(b"\r\n\r\n")
    if head_end < 0:
        if eof:
            raise ValueError("connection closed in the headers: %r" % buffer[:120])
        return None
    lines = buffer[:head_end].decode("latin-1").split("\r\n")
    parts = lines[0].split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/"):
        raise ValueError("bad status line %r" % lines[0])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    start = head_end + 4
    if "content-length" in headers:
        length = int(headers["content-length"])
        if len(buffer) - start < length:
            if eof:
                raise ValueError("connection closed in the body")
            return None
        return int(parts[1]), headers, buffer[start:start + length], buffer[start + length:]
    if "chunked" in headers.get("transfer-encoding", "").lower():
        body, i = b"", start
        while True:
            line_end = buffer.find(b"\r\n", i)
            if line_end < 0:
                break
            size = int(buffer[i:line_end].split(b";")[0], 16)
            if len(buffer) < line_end + 2 + size + 2:
                break
            if size == 0:
                trailer_end = buffer.find(b"\r\n\r\n", line_end)
                if trailer_end < 0 and buffer[line_end + 2:line_end + 4] != b"\r\n":
                    break
                return int(parts[1]), headers, body, b""
            body += buffer[line_end + 2:line_end + 2 + size]
            i = line_end + 2 + size + 2
        if eof:
            raise ValueError("connection closed in a chunked body")
        return None
    if eof:  # delimited by the close
        return int(parts[1]), headers, buffer[start:], b""
    return None


def request_bytes(host, path, connection_close):
    head = "GET %s HTTP/1.1\r\nHost: %s\r\n" % (path, host)
    if connection_close:
        head += "Connection: close\r\n"
    return (head + "\r\n").encode("ascii")


def run_requests(host, port, jobs, concurrency, connection_close, on_reply):
    """Sends each (key, path) of jobs on a new connection, `concurrency` at a time; calls on_reply(key, status,
    body) for each response. Returns (connection errors, retries, first error)."""
    selector = selectors.DefaultSelector()
    jobs = iter(jobs)
    pending = []  # retries: (key, path, attempt)
    errors = retries = 0
    first_error = None
    active = 0
    host_header = "%s:%d" % (host, port)

    def start(key, path, attempt):
        nonlocal active
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setblocking(False)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.connect_ex((host, port))
        state = {"key": key, "path": path, "attempt": attempt, "out": request_bytes(host_header, path, connection_close),
                 "in": b"", "deadline": time.monotonic() + TIMEOUT}
        selector.register(sock, selectors.EVENT_WRITE, state)
        active += 1

    def finish(sock):
        nonlocal active
        selector.unregister(sock)
        sock.close()
        active -= 1

    def fail(sock, state, why):
        nonlocal errors, retries, first_error
        finish(sock)
        if state["attempt"] < 3:
            retries += 1
            pending.append((state["key"], state["path"], state["attempt"] + 1))
        else:
            errors += 1
            first_error = first_error or why

    def next_job():
        if pending:
            return pending.pop()
        return next(jobs, None)

    while True:
        while active < concurrency:
            job = next_job()
            if job is None:
                break
            start(job[0], job[1], job[2] if len(job) > 2 else 0)
        if active == 0:
            break
        for key, mask in selector.select(timeout=1.0):
            sock, state = key.fileobj, key.data
            try:
                if mask & selectors.EVENT_WRITE:
                    error = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                    if error:
                        raise OSError(error, "connect: " + errno.errorcode.get(error, str(error)))
                    sent = sock.send(state["out"])
                    state["out"] = state["out"][sent:]
                    if not state["out"]:
                        selector.modify(sock, selectors.EVENT_READ, state)
                    continue
                data = sock.recv(65536)
                state["in"] += data
                reply = parse_response(state["in"], eof=not data)
                if reply is None:
                    continue
                finish(sock)
                on_reply(state["key"], reply[0], reply[2])
            except (OSError, ValueError) as error:
                fail(sock, state, "%s: %s" % (state["path"][:60], error))
        now = time.monotonic()
        for key in list(selector.get_map().values()):
            if key.data["deadline"] < now:
                fail(key.fileobj, key.data, "%s: no reply within %.0f s" % (key.data["path"][:60], TIMEOUT))
    selector.close()
    return errors, retries, first_error


def split_url(url):
    parts = urllib.parse.urlsplit(url)
    return parts.hostname, parts.port or 80, parts.path or "/announce"


# --- commands --------------------------------------------------------------------------------------------------

def probe(args):
    host, port, path = split_url(args.url)
    info_hash = read_hashes(args.hashes, 1)[0]
    close = args.connection == "close"
    result = {"replies": 0, "closes_after_reply": False, "says_connection_close": False, "problem": None}
    sock = socket.create_connection((host, port), timeout=TIMEOUT)
    try:
        for attempt in range(2):
            sock.sendall(request_bytes("%s:%d" % (host, port), announce_path(path, info_hash, 0, 0, 50), close))
            buffer, reply = b"", None
            while reply is None:
                data = sock.recv(65536)
                buffer += data
                reply = parse_response(buffer, eof=not data)
            status, headers, body, _ = reply
            result["replies"] += 1
            _, problem = check_reply(status, body)
            result["problem"] = result["problem"] or problem
            if "close" in headers.get("connection", "").lower():
                result["says_connection_close"] = True
            # Closed after the reply? A closing tracker has sent its FIN by now (or does so at once).
            sock.settimeout(0.3)
            try:
                peek = sock.recv(1, socket.MSG_PEEK)
                closed = peek == b""
            except socket.timeout:
                closed = False
            except OSError:
                closed = True
            sock.settimeout(TIMEOUT)
            if closed:
                result["closes_after_reply"] = True
                break
    except (OSError, ValueError) as error:
        result["problem"] = result["problem"] or "%s" % error
    finally:
        sock.close()
    print(json.dumps(result))


def prefill(args):
    host, port, path = split_url(args.url)
    hashes = read_hashes(args.hashes, args.swarms)
    stats = {"requests": 0, "bad": 0, "first_bad": None}

    def jobs():
        for s in range(args.swarms):
            for p in range(args.peers):
                yield (s, p), announce_path(path, hashes[s], s, p, args.peers, event="started")

    def on_reply(key, status, body):
        stats["requests"] += 1
        _, problem = check_reply(status, body)
        if problem:
            stats["bad"] += 1
            stats["first_bad"] = stats["first_bad"] or "swarm %d peer %d: %s" % (key[0], key[1], problem)

    t0 = time.monotonic()
    errors, retries, first_error = run_requests(host, port, jobs(), args.concurrency, args.connection == "close",
                                                on_reply)
    seconds = time.monotonic() - t0
    print(json.dumps({"announces": args.swarms * args.peers, "replies": stats["requests"], "bad_replies": stats["bad"],
                      "first_bad": stats["first_bad"], "connection_errors": errors, "retries": retries,
                      "first_error": first_error, "seconds": round(seconds, 3),
                      "per_second": round(stats["requests"] / seconds, 1) if seconds > 0 else None}))


def verify(args):
    host, port, path = split_url(args.url)
    hashes = read_hashes(args.hashes, args.swarms)
    sizes, seeders, returned, problems = {}, {}, {}, []

    def jobs():
        for s in range(args.swarms):
            yield s, announce_path(path, hashes[s], s, 0, args.peers)

    def on_reply(s, status, body):
        value, problem = check_reply(status, body)
        if problem:
            problems.append("swarm %d: %s" % (s, problem))
            return
        complete, incomplete = value.get(b"complete", -1), value.get(b"incomplete", -1)
        sizes[s] = complete + incomplete
        seeders[s] = complete
        returned[s] = len(value[b"peers"]) // 6

    errors, _, first_error = run_requests(host, port, jobs(), args.concurrency, True, on_reply)
    values = list(sizes.values())
    print(json.dumps({
        "swarms": args.swarms, "answered": len(values), "problems": len(problems),
        "first_problem": problems[0] if problems else None, "connection_errors": errors, "first_error": first_error,
        "size_min": min(values) if values else None, "size_max": max(values) if values else None,
        "size_avg": round(sum(values) / len(values), 2) if values else None,
        "full": sum(1 for v in values if v == args.peers),
        "seeders_avg": round(sum(seeders.values()) / len(values), 2) if values else None,
        "returned_avg": round(sum(returned.values()) / len(values), 2) if values else None,
    }))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    c = commands.add_parser("hashes")
    c.add_argument("count", type=int)
    c = commands.add_parser("probe")
    c.add_argument("url")
    c.add_argument("hashes")
    c.add_argument("--connection", choices=["close", "keep-alive"], default="keep-alive")
    for name in ("prefill", "verify"):
        c = commands.add_parser(name)
        c.add_argument("url")
        c.add_argument("hashes")
        c.add_argument("swarms", type=int)
        c.add_argument("peers", type=int)
        c.add_argument("--concurrency", type=int, default=32)
        if name == "prefill":
            c.add_argument("--connection", choices=["close", "keep-alive"], default="close")
    args = parser.parse_args()
    if args.command == "hashes":
        print("\n".join(infohashes(args.count)))
    elif args.command == "probe":
        probe(args)
    elif args.command == "prefill":
        prefill(args)
    else:
        verify(args)


if __name__ == "__main__":
    main()
