"""Dying with the parent: a child process that outlives the one that started it works for nobody.

A crawl's analysing workers serve only that crawl, and a daemon's crawl only that
daemon; when the parent is killed, even with SIGKILL, they must end too. On Linux the
kernel does it: prctl(PR_SET_PDEATHSIG) has the child sent a signal as its parent
dies. Elsewhere this is a no-op (dgwatch's daemon targets Linux servers).
"""
from __future__ import annotations

import ctypes
import os
import sys

# Set by the daemon in a crawl's environment: the pid of the daemon, which the crawl dies with.
PARENT_ENV = "DGWATCH_PARENT_PID"
_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def die_with_parent(sig: int, parent: int) -> None:
    """Have this process sent `sig` when its parent `parent` dies; at once if it already has."""
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_PDEATHSIG, sig, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
    # A parent that died before the prctl sent nothing: this process was re-parented already.
    if os.getppid() != parent:
        os.kill(os.getpid(), sig)


def die_with_parent_named_in_env(sig: int) -> None:
    """die_with_parent for the parent that PARENT_ENV names, if it names one (and forget it,
    so that this process's own children do not take it for theirs)."""
    parent = os.environ.pop(PARENT_ENV, "")
    if parent.isdigit():
        die_with_parent(sig, int(parent))
