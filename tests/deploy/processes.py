"""Processes of the stack as the operating system sees them, and waiting for them."""

import time
from collections.abc import Callable
from pathlib import Path

import pytest


def process_tree(pid: int) -> list[int]:
    """The process and all its descendants (an RQ worker's job process is its child, in a process
    group of its own)."""
    children: dict[int, list[int]] = {}
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line)
        except OSError:
            continue
        children.setdefault(int(fields["PPid"]), []).append(int(fields["Pid"]))
    tree, todo = [], [pid]
    while todo:
        tree.append(todo.pop())
        todo += children.get(tree[-1], [])
    return tree


def wait_until(condition: Callable[[], object], what: str, *, bound: float, details: Callable[[], str] = str):
    """The condition's first true value, polled; the test fails, saying what it waited for (and the
    details, e.g. the processes' logs), if it is still false after `bound` seconds. The bound is only
    a guard against a hang: nothing is asserted on how long it took."""
    deadline = time.monotonic() + bound
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    pytest.fail(f"Still waiting, after {bound} s, for {what}.\n{details()}")
