#!/usr/bin/python3
"""Measures how soon a BitTorrent peer serves its first block.

  first_byte.py PORT INFOHASH START_EPOCH [TIMEOUT]

Connects to 127.0.0.1:PORT again and again until it is accepted, handshakes for INFOHASH (hex), says
interested, waits for an unchoke, asks for the first 16 KiB of piece 0 and waits for it. Prints the seconds
from START_EPOCH (a time.time() value taken just before the server was launched) to the block's last byte.
Standard library only; exits 1 on a time-out or a protocol error.
"""
import os
import socket
import struct
import sys
import time


def read_exactly(sock, count):
    data = b""
    while len(data) < count:
        chunk = sock.recv(count - len(data))
        if not chunk:
            raise ConnectionError("closed after %d of %d bytes" % (len(data), count))
        data += chunk
    return data


def read_message(sock):
    length = struct.unpack(">I", read_exactly(sock, 4))[0]
    if length == 0:
        return None, b""
    payload = read_exactly(sock, length)
    return payload[0], payload[1:]


def attempt(port, info_hash, deadline):
    sock = socket.create_connection(("127.0.0.1", port), timeout=max(0.1, deadline - time.time()))
    try:
        reserved = b"\x00" * 5 + b"\x10" + b"\x00\x00"  # extension protocol, as clients send
        sock.sendall(b"\x13BitTorrent protocol" + reserved + info_hash + b"-FB0001-" + os.urandom(12))
        answer = read_exactly(sock, 68)
        if answer[28:48] != info_hash:
            raise ConnectionError("handshake for another torrent")
        sock.sendall(struct.pack(">IB", 1, 2))  # interested
        requested = False
        while True:
            message_id, payload = read_message(sock)
            if message_id == 1 and not requested:  # unchoke
                sock.sendall(struct.pack(">IBIII", 13, 6, 0, 0, 16384))
                requested = True
            elif message_id == 7:  # piece
                index, begin = struct.unpack(">II", payload[:8])
                if index == 0 and begin == 0 and len(payload) - 8 == 16384:
                    return time.time()
    finally:
        sock.close()


def main():
    port = int(sys.argv[1])
    info_hash = bytes.fromhex(sys.argv[2])
    start = float(sys.argv[3])
    timeout = float(sys.argv[4]) if len(sys.argv) > 4 else 120
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            done = attempt(port, info_hash, deadline)
            print("%.4f" % (done - start), flush=True)
            return 0
        except (ConnectionError, OSError):
            time.sleep(0.005)
    sys.stderr.write("first_byte: no block from 127.0.0.1:%d within %.0f s\n" % (port, timeout))
    return 1


if __name__ == "__main__":
    sys.exit(main())
