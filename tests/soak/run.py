#!/usr/bin/python3
"""The soak: dynemu at saturation for a bounded time, watched for errors and growth.

    /usr/bin/python3 tests/soak/run.py [SECONDS]      (make soak: SOAK_SECONDS, 600 by default)

Starts build/dynemu on a free port of 127.0.0.1 with --namespaces, the example
fixtures and a soak table (a GSI, a stream, 200 items), then runs wrk with
tests/soak/mix.lua for SECONDS: every kind of request in four namespaces, with
resets, snapshots and restores among them. The server's RSS is read every
second.

Checks, each a test: no 5xx answer; no dropped connection (wrk's socket
errors); every request answered; after the warm-up (the first quarter, at
least 10 s) RSS grows by at most RSS_GROWTH_BOUND_KB; the server answers
GET / after the run and ends with status 0 on SIGTERM. Prints the figures and
ends with the plain line `N passed, M failed`."""

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests"))
import checklist  # noqa: E402
OUT = os.path.join(ROOT, "build", "soak")
# Growth allowed after warm-up. The working set is bounded (a fixed key space,
# three snapshot names, resets that drop stream records), so growth past this
# is a leak: 16 MB is about 25,000 leaked items of the mix's size.
RSS_GROWTH_BOUND_KB = 16 * 1024
WARMUP_SHARE, WARMUP_MIN_S = 0.25, 10
CONNECTIONS, THREADS = 32, 2


def soak_fixture():
    items = [{"pk": {"S": "p%02d" % p}, "sk": {"S": "s%02d" % s}, "g": {"S": "g%d" % (s % 5)},
              "n": {"N": str(p * 10 + s)}, "body": {"S": "seed"}}
             for p in range(20) for s in range(10)]
    table = {"TableName": "soak",
             "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
             "AttributeDefinitions": [{"AttributeName": a, "AttributeType": "S"} for a in ("pk", "sk", "g")],
             "GlobalSecondaryIndexes": [{"IndexName": "by_g",
                                         "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                         "Projection": {"ProjectionType": "ALL"}}],
             "StreamSpecification": {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
             "BillingMode": "PAY_PER_REQUEST"}
    return {"tables": [table], "items": {"soak": items}}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        m = re.search(r"^VmRSS:\s+(\d+) kB", f.read(), re.M)
    return int(m.group(1))


def start_server(port):
    fixture = os.path.join(OUT, "soak.json")
    with open(fixture, "w") as f:
        json.dump(soak_fixture(), f)
    server = subprocess.Popen([os.path.join(ROOT, "build", "dynemu"), "--port", str(port), "--namespaces",
                               "--fixtures", os.path.join(ROOT, "fixtures", "examples"), "--fixtures", fixture],
                              stdout=subprocess.PIPE, stderr=open(os.path.join(OUT, "server.log"), "w"))
    server.stdout.readline()  # the line saying where it listens
    return server


def healthy(port):
    try:
        with urllib.request.urlopen("http://127.0.0.1:%d/" % port, timeout=5) as r:
            return r.status == 200
    except OSError:
        return False


def main():
    seconds = int(sys.argv[1]) if len(sys.argv) > 1 else 600
    os.makedirs(OUT, exist_ok=True)
    port = free_port()
    server = start_server(port)
    wrk = subprocess.Popen(["wrk", "-t%d" % THREADS, "-c%d" % CONNECTIONS, "-d%ds" % seconds, "--timeout", "5s",
                            "--latency", "-s", "tests/soak/mix.lua", "http://127.0.0.1:%d/" % port, "--", "1"],
                           cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    warmup = max(WARMUP_MIN_S, seconds * WARMUP_SHARE)
    started, samples = time.monotonic(), []
    while wrk.poll() is None:
        time.sleep(1)
        if server.poll() is None:
            samples.append((time.monotonic() - started, rss_kb(server.pid)))
    output = wrk.stdout.read()
    with open(os.path.join(OUT, "wrk.txt"), "w") as f:
        f.write(output)
    stat = dict(kv.split("=") for kv in re.search(r"^SOAKSTAT (.*)$", output, re.M).group(1).split()) \
        if "SOAKSTAT" in output else {}
    with open(os.path.join(OUT, "rss.txt"), "w") as f:
        f.writelines("%.0f %d\n" % s for s in samples)
    after_warmup = [kb for t, kb in samples if t >= warmup]
    base, peak = (after_warmup[0], max(after_warmup)) if after_warmup else (0, 0)

    checks = [
        ("the server ran throughout", server.poll() is None),
        ("wrk reported its figures", bool(stat)),
        ("no 5xx answer", stat.get("s5xx") == "0"),
        ("no dropped connection", stat.get("sockerr") == "0"),
        ("requests were answered", int(stat.get("requests", 0)) > 0),
        ("RSS after warm-up grew by at most %d KB" % RSS_GROWTH_BOUND_KB, bool(after_warmup) and peak - base <= RSS_GROWTH_BOUND_KB),
        ("the health check answers after the run", healthy(port)),
    ]
    server.terminate()
    try:
        code = server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        code = None
    checks.append(("SIGTERM ends the server with status 0", code == 0))

    print("soak: %d s, %s requests (%s 2xx, %s 4xx, %s 5xx), %s socket errors, %s req/s, p99 %.2f ms"
          % (seconds, stat.get("requests"), stat.get("s2xx"), stat.get("s4xx"), stat.get("s5xx"),
             stat.get("sockerr"), stat.get("rps"), int(stat.get("p99_us", 0)) / 1000))
    print("soak: RSS %d KB at start, %d KB after the %.0f s warm-up, %d KB at most after it (growth %+d KB)"
          % (samples[0][1] if samples else 0, base, warmup, peak, peak - base))
    return checklist.report(checks)


if __name__ == "__main__":
    sys.exit(main())
