#!/usr/bin/python3
"""Hostile clients: the server keeps answering others while they misbehave.

    /usr/bin/python3 tests/hostile/run.py

Starts build/dynemu on free ports of 127.0.0.1 with the example fixtures and
short limits (--idle-timeout, --max-connections), and measures the p99 of a
GetItem loop on one keep-alive connection: first alone, then while, at once,
IDLE_CLIENTS keep-alive connections sit idle, SLOW_CLIENTS send a request a
byte a second, other clients pipeline requests, half-close their sockets,
send headers past the limit, announce bodies larger than they send, and send
bytes that are not HTTP. Then a second server with a small --max-connections
is flooded past it.

Checks (each a test): every answer to a well-formed request is 200 and right;
pipelined answers come back complete and in order; a half-closed client is
answered; headers past the limit answer 431; a body announced larger than
sent, and a silent connection, are closed after --idle-timeout; bytes that are
not HTTP never get a 200; the GetItem loop's p99 under attack stays within
P99_FACTOR times its p99 alone (or P99_FLOOR_MS); connections past
--max-connections wait unaccepted and are served once others leave; the server ends with status 0 on SIGTERM. Ends with the plain
line `N passed, M failed`."""

import json
import multiprocessing
import os
import resource
import socket
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests"))
import checklist  # noqa: E402
IDLE_CLIENTS = 2000
SLOW_CLIENTS = 50
IDLE_TIMEOUT_S = 4
ATTACK_S = 6
LOOP_S = 3
P99_FACTOR, P99_FLOOR_MS = 5, 10
FLOOD_LIMIT = 40

AUTH = (b"X-Amz-Date: 20260101T000000Z\r\nAuthorization: AWS4-HMAC-SHA256 Credential=AKIDHOSTILE/20260101/"
        b"us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0\r\n")


def get_item(user, extra=b""):
    body = json.dumps({"TableName": "users", "Key": {"id": {"S": user}}}).encode()
    return (b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amz-json-1.0\r\n"
            b"X-Amz-Target: DynamoDB_20120810.GetItem\r\n" + AUTH + extra +
            b"Content-Length: %d\r\n\r\n" % len(body) + body)


class Answers:
    """Reads HTTP/1.1 answers with a Content-Length off one socket."""

    def __init__(self, sock):
        self.sock, self.buf = sock, b""

    def next(self, timeout=5):
        self.sock.settimeout(timeout)
        while b"\r\n\r\n" not in self.buf:
            if not self._more():
                return None, None
        head, _, rest = self.buf.partition(b"\r\n\r\n")
        length = int([l.split(b":")[1] for l in head.split(b"\r\n") if l.lower().startswith(b"content-length")][0])
        while len(rest) < length:
            more = self.sock.recv(65536)
            if not more:
                return None, None
            rest += more
        self.buf = rest[length:]
        return int(head.split(b" ")[1]), rest[:length]

    def _more(self):
        try:
            data = self.sock.recv(65536)
        except (socket.timeout, ConnectionResetError):
            return False
        self.buf += data
        return bool(data)


def closed_within(sock, seconds):
    """Whether the server closes sock (EOF or reset) within seconds; what it sent before."""
    sock.settimeout(seconds)
    got = b""
    try:
        while True:
            data = sock.recv(65536)
            if not data:
                return True, got
            got += data
    except socket.timeout:
        return False, got
    except ConnectionResetError:
        return True, got


def connect(port):
    return socket.create_connection(("127.0.0.1", port), timeout=5)


def start(*flags):
    server = subprocess.Popen([os.path.join(ROOT, "build", "dynemu"), "--port", "0", "--fixtures",
                               os.path.join(ROOT, "fixtures", "examples")] + list(flags),
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = server.stdout.readline()
    return server, int(line.rsplit(":", 1)[1])


def getitem_loop(port, seconds):
    """Latencies (ms) of GetItem on one keep-alive connection for seconds; answers that were wrong."""
    sock = connect(port)
    answers, latencies, wrong = Answers(sock), [], 0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        t = time.perf_counter()
        sock.sendall(get_item("alice"))
        status, body = answers.next()
        latencies.append((time.perf_counter() - t) * 1000)
        wrong += status != 200 or b'"alice"' not in body
    sock.close()
    return latencies, wrong


def p99(latencies):
    return sorted(latencies)[int(len(latencies) * 0.99)] if latencies else float("inf")


# ---- the attacks, run together in threads; each records what it saw ----------

def idle_clients(port, seen, stop):
    socks = []
    for _ in range(IDLE_CLIENTS):
        s = connect(port)
        s.sendall(get_item("bob"))
        socks.append(s)
    seen["idle answered"] = sum(Answers(s).next()[0] == 200 for s in socks)
    stop.wait()
    for s in socks:
        s.close()


def slow_clients(port, seen, stop):
    socks, request = [connect(port) for _ in range(SLOW_CLIENTS)], get_item("carol")
    sent = 0
    while not stop.is_set() and sent < len(request) - 1:
        for s in socks:
            s.sendall(request[sent:sent + 1])
        sent += 1
        stop.wait(1)
    seen["slow clients still open"] = sum(not closed_within(s, 0.01)[0] for s in socks)
    for s in socks:
        s.close()


def pipelined(port, seen, stop):
    users, ok = ["alice", "bob", "carol"] * 4, 0
    while not stop.is_set():
        s = connect(port)
        s.sendall(b"".join(get_item(u) for u in users))
        a = Answers(s)
        got = [a.next() for _ in users]
        ok += all(st == 200 and ('"%s"' % u).encode() in b for (st, b), u in zip(got, users))
        seen["pipelined rounds"] = seen.get("pipelined rounds", 0) + 1
        s.close()
    seen["pipelined rounds right"] = ok


def half_closed(port, seen, stop):
    answered = rounds = 0
    while not stop.is_set():
        s = connect(port)
        s.sendall(get_item("alice"))
        s.shutdown(socket.SHUT_WR)
        status, body = Answers(s).next()
        answered += status == 200 and b'"alice"' in body
        rounds += 1
        s.close()
        stop.wait(0.05)
    seen["half-closed answered"], seen["half-closed rounds"] = answered, rounds


def first_lines(port, payload, stop):
    """Sends payload on new connections until stop; the first lines of the answers."""
    lines = set()
    while not stop.is_set():
        s = connect(port)
        try:
            s.sendall(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass
        _, got = closed_within(s, 5)
        lines.add(got.split(b"\r\n")[0].decode(errors="replace"))
        s.close()
        stop.wait(0.1)
    return lines


def big_headers(port, seen, stop):
    seen["big header answers"] = first_lines(port, get_item("alice", b"X-Padding: " + b"a" * 70000 + b"\r\n"), stop)


def short_bodies(port, seen, stop):
    s = connect(port)
    s.sendall(get_item("alice").split(b"\r\n\r\n")[0].replace(b"Content-Length: 48", b"Content-Length: 100000")
              + b"\r\n\r\n{\"Table")
    t = time.monotonic()
    closed, _ = closed_within(s, IDLE_TIMEOUT_S + 5)
    seen["short body closed after s"] = time.monotonic() - t if closed else None
    s.close()
    silent = connect(port)
    t = time.monotonic()
    closed, _ = closed_within(silent, IDLE_TIMEOUT_S + 5)
    seen["silent closed after s"] = time.monotonic() - t if closed else None
    silent.close()


def garbage(port, seen, stop):
    seen["garbage answers"] = first_lines(port, bytes(range(256)) * 4 + b"\r\n\r\n", stop)


def attack(port):
    seen, stop = {}, threading.Event()
    threads = [threading.Thread(target=f, args=(port, seen, stop))
               for f in (idle_clients, slow_clients, pipelined, half_closed, big_headers, short_bodies, garbage)]
    for t in threads:
        t.start()
    time.sleep(ATTACK_S - LOOP_S)  # the idle clients connect first
    # In a process of its own, so the attackers' threads never hold its interpreter lock.
    with multiprocessing.Pool(1) as pool:
        latencies, wrong = pool.apply(getitem_loop, (port, LOOP_S))
    stop.set()
    for t in threads:
        t.join()
    return seen, latencies, wrong


def flood(checks):
    """Past --max-connections, connections wait to be accepted until others leave."""
    server, port = start("--max-connections", str(FLOOD_LIMIT))
    socks = [connect(port) for _ in range(FLOOD_LIMIT + 20)]
    for s in socks:
        s.sendall(get_item("alice"))
    readers = [Answers(s) for s in socks]
    first = [r.next(timeout=0.3)[0] == 200 for r in readers]
    for s, served in zip(socks, first):
        if served:
            s.close()
    later = [not served and r.next(timeout=5)[0] == 200 for r, served in zip(readers, first)]
    for s in socks:
        s.close()
    checks.append(("past --max-connections %d: %d served at once, the other %d once those left"
                   % (FLOOD_LIMIT, sum(first), sum(later)),
                   0 < sum(first) <= FLOOD_LIMIT and sum(first) + sum(later) == len(socks)))
    server.terminate()
    checks.append(("the flooded server ends with status 0 on SIGTERM", server.wait(timeout=30) == 0))


def main():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, IDLE_CLIENTS + 1000), hard))
    server, port = start("--idle-timeout", str(IDLE_TIMEOUT_S), "--max-connections", str(IDLE_CLIENTS + 500))
    alone, wrong_alone = getitem_loop(port, LOOP_S)
    seen, attacked, wrong = attack(port)
    bound = max(P99_FACTOR * p99(alone), P99_FLOOR_MS)
    print("hostile: GetItem p99 %.3f ms alone (%d requests), %.3f ms under attack (%d requests); bound %.1f ms"
          % (p99(alone), len(alone), p99(attacked), len(attacked), bound))
    print("hostile: %s" % {k: (sorted(v) if isinstance(v, set) else v) for k, v in seen.items()})
    idle_closed = seen.get("short body closed after s")
    checks = [
        ("every GetItem answered right, alone and under attack", wrong_alone == 0 and wrong == 0 and attacked),
        ("GetItem p99 under attack within %dx alone or %d ms" % (P99_FACTOR, P99_FLOOR_MS), p99(attacked) <= bound),
        ("%d idle keep-alive clients were all answered" % IDLE_CLIENTS, seen.get("idle answered") == IDLE_CLIENTS),
        ("slow clients are kept while they send, and do not hold up others",
         seen.get("slow clients still open") == SLOW_CLIENTS),
        ("pipelined requests answered complete and in order",
         seen.get("pipelined rounds", 0) > 0 and seen.get("pipelined rounds right") == seen.get("pipelined rounds")),
        ("half-closed clients are answered",
         seen.get("half-closed rounds", 0) > 0 and seen.get("half-closed answered") == seen.get("half-closed rounds")),
        ("headers past the limit answer 431",
         seen.get("big header answers") == {"HTTP/1.1 431 Request Header Fields Too Large"}),
        ("a body announced larger than sent is closed after --idle-timeout",
         idle_closed is not None and IDLE_TIMEOUT_S - 1 <= idle_closed <= IDLE_TIMEOUT_S + 3),
        ("a silent connection is closed after --idle-timeout", seen.get("silent closed after s") is not None),
        ("bytes that are not HTTP never get a 200", not any(" 200 " in a for a in seen.get("garbage answers", {""}))),
    ]
    server.terminate()
    checks.append(("SIGTERM ends the server with status 0", server.wait(timeout=30) == 0))
    flood(checks)
    return checklist.report(checks)


if __name__ == "__main__":
    sys.exit(main())
