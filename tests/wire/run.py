#!/usr/bin/python3
"""Runs the wire tests: real clients (boto3, the AWS CLI) against a real dynemu.

    /usr/bin/python3 tests/wire/run.py [test_module ...] [-k PATTERN ...]

Starts build/dynemu on a free port of 127.0.0.1 and hands its endpoint to the
tests in DYNEMU_ENDPOINT, unless DYNEMU_ENDPOINT is already set (then it starts
nothing and uses that server). When it started the server, stopping it with
SIGTERM must end it with exit status 0: that counts as one more test, and so
does the listening line start-up prints.

Ends with the plain line `N passed, M failed` (`, K skipped` when any) and
exits 1 if anything failed."""

import glob
import http.client
import importlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BINARY = os.path.join(ROOT, "build", "dynemu")
START_DEADLINE_S = 5
STOP_DEADLINE_S = 5


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def health_ok(port):
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=0.5)
        conn.request("GET", "/")
        ok = conn.getresponse().status == 200
        conn.close()
        return ok
    except OSError:
        return False


class Server:
    """build/dynemu as a child process, with its stdout collected by a thread
    (so a full pipe never blocks it) and its stderr in a temporary file."""

    def __init__(self):
        self.port = free_port()
        self.stdout_lines = []
        self.first_line = threading.Event()
        self.stderr = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(
            [BINARY, "--host", "127.0.0.1", "--port", str(self.port)],
            stdout=subprocess.PIPE, stderr=self.stderr, stdin=subprocess.DEVNULL, text=True,
        )
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.proc.stdout:
            self.stdout_lines.append(line.rstrip("\n"))
            self.first_line.set()

    def wait_ready(self):
        """True once the listening line is printed or GET / answers, within the deadline."""
        deadline = time.monotonic() + START_DEADLINE_S
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            if self.first_line.is_set() or health_ok(self.port):
                # The line may come a moment before the socket answers on a slow machine.
                while time.monotonic() < deadline and not health_ok(self.port):
                    time.sleep(0.02)
                return True
            time.sleep(0.02)
        return False

    def stop(self):
        """SIGTERM by PID; returns the exit status, or None if it had to be killed."""
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
        try:
            status = self.proc.wait(timeout=STOP_DEADLINE_S)
        except subprocess.TimeoutExpired:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
            status = None
        self.reader.join(timeout=2)
        return status

    def stderr_text(self):
        self.stderr.seek(0)
        return self.stderr.read().decode("utf-8", "replace")


def parse_args(argv):
    modules, patterns = [], []
    i = 0
    while i < len(argv):
        if argv[i] == "-k" and i + 1 < len(argv):
            patterns.append(argv[i + 1])
            i += 2
            continue
        name = os.path.basename(argv[i])
        modules.append(name[:-3] if name.endswith(".py") else name)
        i += 1
    return modules, patterns


def load_suite(modules, patterns):
    sys.path.insert(0, HERE)
    if not modules:
        modules = sorted(os.path.basename(p)[:-3] for p in glob.glob(os.path.join(HERE, "test_*.py")))
    loader = unittest.TestLoader()
    if patterns:
        # As unittest's own -k: a plain word matches anywhere in the test's full name.
        loader.testNamePatterns = [p if "*" in p else "*%s*" % p for p in patterns]
    suite = unittest.TestSuite()
    for name in modules:
        suite.addTests(loader.loadTestsFromModule(importlib.import_module(name)))
    return suite


def main(argv):
    modules, patterns = parse_args(argv)
    passed = failed = skipped = 0
    server = None

    if not os.environ.get("DYNEMU_ENDPOINT"):
        if not os.access(BINARY, os.X_OK):
            print("FAIL: %s is missing; build it with `make` first" % BINARY)
            print("0 passed, 1 failed")
            return 1
        server = Server()
        if not server.wait_ready():
            status = server.stop()
            print("FAIL: dynemu did not start listening on port %d within %d s (exit status %r)"
                  % (server.port, START_DEADLINE_S, status))
            print("stdout:\n" + "\n".join(server.stdout_lines))
            print("stderr:\n" + server.stderr_text())
            print("0 passed, 1 failed")
            return 1
        os.environ["DYNEMU_ENDPOINT"] = "http://127.0.0.1:%d" % server.port
        print("dynemu pid %d on %s" % (server.proc.pid, os.environ["DYNEMU_ENDPOINT"]))
    else:
        print("using the server at %s" % os.environ["DYNEMU_ENDPOINT"])
    sys.stdout.flush()

    try:
        try:
            suite = load_suite(modules, patterns)
        except Exception:
            # A test module that does not import is a failure, not a crash of the runner.
            import traceback
            traceback.print_exc()
            failed += 1
            suite = unittest.TestSuite()
        result = unittest.TextTestRunner(stream=sys.stdout, verbosity=2).run(suite)
        run_failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
        skipped = len(result.skipped)
        failed += run_failed
        passed += result.testsRun - run_failed - skipped
    finally:
        if server is not None:
            status = server.stop()
            # The contract: exits 0 on SIGTERM.
            if status == 0:
                passed += 1
                print("server: exits 0 on SIGTERM ... ok")
            else:
                failed += 1
                print("server: exits 0 on SIGTERM ... FAIL (exit status %r)" % status)
                print("stderr:\n" + server.stderr_text()[-4000:])
            # The contract: prints one line saying where it listens.
            if any(str(server.port) in line for line in server.stdout_lines):
                passed += 1
                print("server: listening line names the port ... ok")
            else:
                failed += 1
                print("server: listening line names the port ... FAIL (stdout: %r)" % server.stdout_lines[:5])

    line = "%d passed, %d failed" % (passed, failed)
    if skipped:
        line += ", %d skipped" % skipped
    print(line)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
