#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Soak of a running zinit (issue 11): repeated cycles that must leave its fds and RSS flat.

  soak.py SOCKET ZINIT_PID CYCLES SUBSCRIBERS

Four loops against units `crash` (a oneshot that exits 3) and `steady` (sleep 1000), with a
unit printing a line every 20 ms (so that subscribers that went away are noticed):
  1. CYCLES start -> Error cycles of the crashing oneshot (spawn, reap, log, state);
  2. CYCLES service_restart of `steady` (stop, exit, start), interleaved with service_kill
     SIGWINCH requests (ignored by default: no restart delay) every other cycle;
  3. CYCLES control connections dropped mid-request (half a JSON-RPC message, then close);
  4. SUBSCRIBERS log subscribers that subscribe, read nothing and go away.
After the first tenth of each loop and at its end, zinit's open fds and VmRSS are printed;
exit 1 when the fd count grew, or VmRSS grew by more than max(256 KiB, 10 %) (RSS is not
judged when SANITIZED is set: ASan's quarantine makes it climb).
"""
import json
import os
import socket
import sys
import time


def connect(path, timeout=30.0):
    """A connection to zinit's socket, with @timeout on every operation. With a timeout the
    socket is non-blocking, and a connect finding the listen backlog full (the dropped loop
    queues connections faster than a loaded zinit under ASan accepts them) fails with EAGAIN
    where a blocking one would wait: wait for room, within the same timeout."""
    end = time.monotonic() + timeout
    while True:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(timeout)
        try:
            s.connect(path)
            return s
        except BlockingIOError:
            s.close()
            if time.monotonic() > end:
                raise
            time.sleep(0.01)


def rpc(path, method, params=None, timeout=30.0):
    s = connect(path, timeout)
    msg = {"jsonrpc": "2.0", "id": 1, "method": method}
    if params is not None:
        msg["params"] = params
    s.sendall(json.dumps(msg).encode() + b"\n")
    buf = b""
    while not buf.endswith(b"\n"):
        chunk = s.recv(65536)
        if not chunk:
            break
        buf += chunk
    s.close()
    return json.loads(buf)


def state(path, name):
    return rpc(path, "service_status", [name])["result"]["state"]


def wait_state(path, name, pred, limit=30.0):
    end = time.monotonic() + limit
    while time.monotonic() < end:
        st = state(path, name)
        if pred(st):
            return st
        time.sleep(0.005)
    raise SystemExit(f"soak: {name} never reached the expected state (last: {st})")


def usage(pid, path=None):
    """The lowest fd count and VmRSS of a few samples, each after a round trip: a control
    connection or a child pipe in flight is not a leak."""
    samples = []
    for _ in range(5):
        if path:
            rpc(path, "service_list")
        samples.append(sample(pid))
        time.sleep(0.05)
    return min(s[0] for s in samples), min(s[1] for s in samples)


def sample(pid):
    fds = len(os.listdir(f"/proc/{pid}/fd"))
    rss = 0
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1])
    return fds, rss


def crash_cycle(path, i):
    rpc(path, "service_start", ["crash"])
    wait_state(path, "crash", lambda s: s.startswith("Error"))


def restart_cycle(path, i):
    r = rpc(path, "service_restart", ["steady"])
    if "error" in r:
        raise SystemExit(f"soak: restart failed: {r}")
    if i % 2:
        rpc(path, "service_kill", ["steady", "SIGWINCH"])


def dropped_cycle(path, i):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    s.sendall(b'{"jsonrpc":"2.0","id":%d,"method":"service_sta' % i)
    s.close()
    pace(path, i)


PID = 0
BASE_FDS = 0


def pace(path, i):
    """Every 50 cycles, wait (bounded) until zinit has let go of the clients closed so far:
    they are not meant to pile up past its client limit. A subscriber that went away is let
    go when the next log line cannot be written to it."""
    if i % 50 != 49:
        return
    end = time.monotonic() + 30
    while sample(PID)[0] > BASE_FDS + 8 and time.monotonic() < end:
        rpc(path, "service_list")
        time.sleep(0.01)


def subscriber_cycle(path, i):
    s = connect(path)
    s.sendall(b'{"jsonrpc":"2.0","id":1,"method":"stream_subscribeLogs"}\n')
    s.recv(4096)  # the subscription id
    s.close()
    pace(path, i)


def run(name, fn, path, pid, n):
    warm = max(1, n // 10)
    for i in range(warm):
        fn(path, i)
    first = usage(pid, path)
    for i in range(warm, n):
        fn(path, i)
    last = usage(pid, path)
    end = time.monotonic() + 5  # a subscriber closed last is let go at the next log line
    while last[0] > first[0] and time.monotonic() < end:
        last = usage(pid, path)
    rss_ok = last[1] <= first[1] + max(256, first[1] // 10)
    if os.environ.get("SANITIZED"):
        # ASan's quarantine holds freed memory back for reuse checks, so RSS climbs under it
        # whatever zinit does; LeakSanitizer judges leaks at exit instead.
        rss_ok = True
    ok = last[0] <= first[0] and rss_ok
    print(f"soak {name:<12} {n:6d} cycles: fds {first[0]} -> {last[0]}, "
          f"VmRSS {first[1]} -> {last[1]} KiB  {'ok' if ok else 'GREW'}", flush=True)
    if last[0] > first[0]:
        print("  zinit's fds now: " + ", ".join(fd_targets(pid)), flush=True)
    return ok


def fd_targets(pid):
    out = []
    for fd in sorted(os.listdir(f"/proc/{pid}/fd"), key=int):
        try:
            out.append(f"{fd}={os.readlink(f'/proc/{pid}/fd/{fd}')}")
        except OSError:
            pass
    return out


def main():
    global PID, BASE_FDS
    path, pid, cycles, subs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    PID, BASE_FDS = pid, usage(pid, path)[0]
    ok = True
    ok &= run("crash", crash_cycle, path, pid, cycles)
    ok &= run("restart+kill", restart_cycle, path, pid, cycles)
    ok &= run("dropped", dropped_cycle, path, pid, cycles)
    ok &= run("subscribers", subscriber_cycle, path, pid, subs)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
