#!/usr/bin/env python3
"""Times one-shot commands interleaved: every round runs each command once, in turn, so the
machine's drift (20-40% over minutes on the benchmark VM) hits all of them alike and their
ratios hold. Each command is spawned directly (no shell) with stdin, stdout and stderr on
/dev/null; the first 10 rounds warm the page cache and are not counted.

    python3 bench/startup.py ROUNDS SPEC.json > medians.json

SPEC.json is a list of [name, [argv...]]; the output maps each name to its median in seconds.
"""
import json
import os
import statistics
import sys
import time

WARMUP = 10


def main():
    rounds = int(sys.argv[1])
    with open(sys.argv[2]) as f:
        specs = json.load(f)
    devnull = os.open(os.devnull, os.O_RDWR)
    to_null = [(os.POSIX_SPAWN_DUP2, devnull, fd) for fd in (0, 1, 2)]
    times = {name: [] for name, _ in specs}
    for r in range(WARMUP + rounds):
        for name, argv in specs:
            start = time.perf_counter_ns()
            pid = os.posix_spawn(argv[0], argv, os.environ, file_actions=to_null)
            _, status = os.waitpid(pid, 0)
            elapsed = time.perf_counter_ns() - start
            if os.waitstatus_to_exitcode(status) != 0:
                sys.exit(f"{name} failed: {' '.join(argv)}")
            if r >= WARMUP:
                times[name].append(elapsed / 1e9)
    json.dump({name: statistics.median(t) for name, t in times.items()}, sys.stdout)


main()
