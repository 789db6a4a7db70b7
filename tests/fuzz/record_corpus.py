#!/usr/bin/python3
"""Records the fuzz targets' seed inputs from the wire tests' own requests.

    /usr/bin/python3 tests/fuzz/record_corpus.py [wire test module ...]

Starts build/dynemu, puts a recording proxy in front of it, runs the wire
tests against the proxy, and writes what passed through as inputs of each
fuzz target into build/fuzz/recorded-<target>/ (one file per distinct
input). `make fuzz-seed` then keeps, with libFuzzer's -merge, only those that
add coverage to tests/fuzz/corpus/<target>/."""

import hashlib
import http.client
import http.server
import json
import os
import re
import socket
import subprocess
import sys
import threading

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "build", "fuzz")
# The expression kinds of fuzz_expr.c, by its first byte.
EXPRESSIONS = {"ConditionExpression": 0, "FilterExpression": 0, "UpdateExpression": 1,
               "ProjectionExpression": 2, "KeyConditionExpression": 3}
ASSOC_ROUTES = {"/_dynemu/associations/call": 0, "/_dynemu/destroy": 2, "/_dynemu/associations": 3}


def call_operations():
    """tests/fuzz/requests.h's operation table, so the first byte means the same here."""
    with open(os.path.join(ROOT, "tests", "fuzz", "requests.h")) as f:
        table = re.search(r"fuzz_operations\[\] = \{(.*?)\};", f.read(), re.S).group(1)
    return re.findall(r'"(\w+)"', table)


OPERATIONS = {name: i for i, name in enumerate(call_operations())}


def save(target, data):
    folder = os.path.join(OUT, "recorded-" + target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, hashlib.sha1(data).hexdigest()), "wb") as f:
        f.write(data)


def expressions_of(doc):
    """Every expression member anywhere in a request (transactions nest them)."""
    if isinstance(doc, dict):
        for k, v in doc.items():
            if k in EXPRESSIONS and isinstance(v, str):
                yield EXPRESSIONS[k], v
            else:
                yield from expressions_of(v)
    elif isinstance(doc, list):
        for v in doc:
            yield from expressions_of(v)


def items_of(doc):
    if isinstance(doc, dict):
        for k, v in doc.items():
            if k in ("Item", "Key") and isinstance(v, dict):
                yield v
            else:
                yield from items_of(v)
    elif isinstance(doc, list):
        for v in doc:
            yield from items_of(v)


def record(path, headers, body):
    if headers.get("Content-Encoding") or not body:
        return
    target = headers.get("X-Amz-Target", "")
    op = target.rsplit(".", 1)[-1] if target else None
    if path.split("?")[0] in ASSOC_ROUTES:
        save("assoc", bytes([ASSOC_ROUTES[path.split("?")[0]]]) + body)
    elif path == "/_dynemu/fixtures":
        save("fixtures", body)
    elif op in OPERATIONS:
        save("call", bytes([OPERATIONS[op]]) + body)
    try:
        doc = json.loads(body)
    except (ValueError, RecursionError):
        return
    for kind, text in expressions_of(doc):
        save("expr", bytes([kind]) + text.encode())
    for item in items_of(doc):
        save("codec", json.dumps(item).encode())


def proxy_handler(upstream_port):
    class Proxy(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def forward(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            record(self.path, self.headers, body)
            conn = http.client.HTTPConnection("127.0.0.1", upstream_port, timeout=60)
            conn.request(self.command, self.path, body=body, headers=dict(self.headers.items()))
            resp = conn.getresponse()
            data = resp.read()
            self.send_response_only(resp.status)
            for k, v in resp.getheaders():
                if k.lower() not in ("content-length", "connection", "transfer-encoding"):
                    self.send_header(k, v)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            conn.close()

        do_GET = do_POST = do_PUT = do_DELETE = do_OPTIONS = do_PATCH = forward

    return Proxy


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main(modules):
    port = free_port()
    server = subprocess.Popen([os.path.join(ROOT, "build", "dynemu"), "--host", "127.0.0.1", "--port", str(port)],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    server.stdout.readline()  # the listening line
    proxy = http.server.ThreadingHTTPServer(("127.0.0.1", 0), proxy_handler(port))
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    env = dict(os.environ, DYNEMU_ENDPOINT="http://127.0.0.1:%d" % proxy.server_address[1])
    # Some tests assert what only a direct connection shows; their failures here do not matter.
    subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "tests", "wire", "run.py")] + modules, env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    proxy.shutdown()
    server.terminate()
    server.wait()
    for target in sorted(os.listdir(OUT)):
        if target.startswith("recorded-"):
            print("%s: %d inputs" % (target, len(os.listdir(os.path.join(OUT, target)))))


if __name__ == "__main__":
    main(sys.argv[1:])
