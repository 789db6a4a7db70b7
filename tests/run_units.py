"""Runs cmocka unit-test binaries and totals their results.

Prints each binary's own output, then one line `N passed, M failed`.
Exit status 1 if any test failed or any binary crashed.
"""
import re
import subprocess
import sys


def run(binary):
    # errors="replace": a binary that prints the raw bytes of a mutated request
    # must not stop the others' results from being counted.
    proc = subprocess.run([binary], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace",
                          timeout=600)
    sys.stdout.write(proc.stdout)
    passed = sum(int(n) for n in re.findall(r"\[  PASSED  \] (\d+) test", proc.stdout))
    failed = sum(int(n) for n in re.findall(r"\[  FAILED  \] (\d+) test", proc.stdout))
    if proc.returncode != 0 and failed == 0:
        # A crash or a sanitizer report: count the binary as one failure.
        print(f"{binary}: exited with status {proc.returncode}")
        failed = 1
    return passed, failed


def main(argv):
    passed = failed = 0
    for binary in argv:
        p, f = run(binary)
        passed += p
        failed += f
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
