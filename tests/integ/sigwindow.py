#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Signals the next COUNT children of PID before they run a single instruction.

Usage: sigwindow.py PID SIGNAL COUNT

Attaches to PID with ptrace (PTRACE_SEIZE, following fork, vfork and clone). Each new child
of PID stops before its first instruction; this sends it SIGNAL there and detaches, so the
child starts with SIGNAL pending while it still has its parent's signal mask and process
group: the window between fork() and the child's setsid()/setpgid() that a signal to the
parent's group can hit, made certain instead of a matter of microseconds. The child must
discard it (raw_reset_signals), not die of it once it unblocks. Prints "attached" once
attached, "signalled N" per child, and exits 0 after COUNT children (which detaches PID).
PID's own signals are passed on to it unchanged meanwhile.
"""
import ctypes
import os
import signal
import sys

PTRACE_CONT, PTRACE_DETACH, PTRACE_SEIZE = 7, 17, 0x4206
PTRACE_O_TRACEFORK, PTRACE_O_TRACEVFORK, PTRACE_O_TRACECLONE = 0x2, 0x4, 0x8
PTRACE_EVENT_STOP = 128
WALL = 0x40000000

libc = ctypes.CDLL(None, use_errno=True)
libc.ptrace.argtypes = [ctypes.c_long, ctypes.c_long, ctypes.c_void_p, ctypes.c_void_p]
libc.ptrace.restype = ctypes.c_long


def ptrace(req, pid, data=0):
    if libc.ptrace(req, pid, None, ctypes.c_void_p(data)) < 0:
        err = ctypes.get_errno()
        raise OSError(err, f"ptrace({req}, {pid}): {os.strerror(err)}")


def resume(pid, status):
    """Lets a stopped PID go on, with the signal it stopped for unless it was a ptrace event."""
    sig = os.WSTOPSIG(status)
    event = status >> 16
    try:
        ptrace(PTRACE_CONT, pid, 0 if event or sig == signal.SIGTRAP else sig)
    except ProcessLookupError:
        pass  # killed meanwhile


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: sigwindow.py PID SIGNAL COUNT")
    parent = int(sys.argv[1])
    sig = signal.Signals[sys.argv[2] if sys.argv[2].startswith("SIG") else "SIG" + sys.argv[2]]
    count = int(sys.argv[3])
    ptrace(PTRACE_SEIZE, parent,
           PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE)
    print("attached", flush=True)
    done = 0
    while done < count:
        pid, status = os.waitpid(-1, WALL)
        if pid == parent:
            if not os.WIFSTOPPED(status):
                sys.exit(f"sigwindow: {parent} ended before {count} children")
            resume(pid, status)
            continue
        if not os.WIFSTOPPED(status):
            continue  # a child we already let go of
        # a new child, stopped before its first instruction (PTRACE_EVENT_STOP)
        os.kill(pid, sig)
        ptrace(PTRACE_DETACH, pid, 0)
        done += 1
        print(f"signalled {done}: pid {pid}", flush=True)
    # exiting detaches PID; a stop of it that was not reported yet is resumed by the kernel


if __name__ == "__main__":
    main()
