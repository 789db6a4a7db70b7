"""The ending the standalone test scripts share (soak, hostile clients):
each check a line, ok or FAIL, then the plain line `N passed, M failed`."""


def report(checks):
    """Prints (name, ok) pairs; returns the exit status: 1 if any failed."""
    failed = 0
    for name, ok in checks:
        print("%s %s" % ("ok  " if ok else "FAIL", name))
        failed += not ok
    print("%d passed, %d failed" % (len(checks) - failed, failed))
    return 1 if failed else 0
