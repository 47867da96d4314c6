#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""QSFS built-ins benchmark (issue 9): numbers printed side by side, not timed tests.

1. Time zdb is frozen per synchronous hook: exec to exit of `zdb-hook` for `close`, `ready`
   and `jump-index` (three dirty 1 MiB index files spooled), against a /bin/sh hook doing the
   same copy, fsync and journal in the same run. Median and p99 of N runs each, interleaved.
   The state directory and its journal/ exist, as wait_hooks makes them before zdb starts.
2. Drain of 200 pending files through the zstor stand-in (a monitor on a socket) taking
   20 ms per store: total time against 200 x 20 ms. The data volume is on the disk, the
   stand-in's backends in /dev/shm (the 20 ms stand for the whole remote store).
3. wait_hooks' RSS while running (after ready), and its peak over the drain.

Usage: python3 bench/qsfs.py [--zinit ./zinit] [--standins build/standins] [--runs 200]
"""
import argparse
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

SH_HOOK = r"""#!/bin/sh
# The reference: what a shell hook does for the same events (copy, fsync, journal).
set -e
st=$QSFS_STATE_DIR
j=$st/journal/$(date +%s%N)-$$.job
mkdir -p "$st/journal"
case $1 in
jump-index)
	sp=$st/spool/$(date +%s%N)-$$
	mkdir -p "$sp"
	d=$(dirname "$3")
	{ echo "qsfs-job 1"; echo "event jump-index"; } >"$j.tmp"
	cp "$3" "$sp/"; echo "upload $sp/$(basename "$3") $3" >>"$j.tmp"
	for id in $5; do cp "$d/i$id" "$sp/"; echo "upload $sp/i$id $d/i$id" >>"$j.tmp"; done
	sync "$sp"/*
	echo end >>"$j.tmp"
	;;
*)
	printf 'qsfs-job 1\nevent %s\nend\n' "$1" >"$j.tmp"
	;;
esac
sync "$j.tmp"
mv "$j.tmp" "$j"
"""


def machine():
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"kernel {platform.release()}, {cpu}, {os.cpu_count()} CPUs"


def spawn_wait(argv, env):
    """Exec-to-exit time of one process, in ms (posix_spawn + waitpid)."""
    t0 = time.perf_counter()
    pid = os.posix_spawn(argv[0], argv, env)
    _, status = os.waitpid(pid, 0)
    dt = (time.perf_counter() - t0) * 1000
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{argv[1]} hook failed: {argv}")
    return dt


def pct(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))]


def empty_state(state):
    """The jobs and spool copies of a round removed; the directories stay, as in the product,
    where wait_hooks makes STATE/journal before zdb starts: a hook never creates it."""
    for sub in ("journal", "spool"):
        d = os.path.join(state, sub)
        os.makedirs(d, exist_ok=True)
        for name in os.listdir(d):
            p = os.path.join(d, name)
            shutil.rmtree(p) if os.path.isdir(p) else os.unlink(p)


def bench_hooks(zinit, runs):
    # on a real filesystem: fsync costs what it costs on the data volume
    root = tempfile.mkdtemp(prefix="qsfs-bench-", dir=os.environ.get("BENCH_DIR", "/var/tmp"))
    idx = os.path.join(root, "index", "zdbfs-data")
    os.makedirs(idx)
    os.makedirs(os.path.join(root, "data", "zdbfs-data"))
    for i in range(4):
        with open(os.path.join(idx, f"i{i}"), "wb") as f:
            f.write(os.urandom(1 << 20))
    hook = os.path.join(root, "zdb-hook")
    os.symlink(os.path.abspath(zinit), hook)
    sh = os.path.join(root, "hook.sh")
    with open(sh, "w") as f:
        f.write(SH_HOOK)
    os.chmod(sh, 0o755)
    env = dict(os.environ, QSFS_INDEX_DIR=os.path.join(root, "index"),
               QSFS_DATA_DIR=os.path.join(root, "data"), QSFS_STATE_DIR=os.path.join(root, "qsfs"))
    events = {
        "close": ["close", "tcp://:::9900"],
        "ready": ["ready", "tcp://:::9900"],
        "jump-index (3 dirty 1 MiB)": ["jump-index", "tcp://:::9900", os.path.join(idx, "i3"),
                                       os.path.join(idx, "i4"), "0 1 2"],
    }
    times = {(e, h): [] for e in events for h in ("zdb-hook", "sh")}
    empty_state(env["QSFS_STATE_DIR"])
    for _ in range(runs):  # interleaved: both hooks see the same machine
        for e, args in events.items():
            times[(e, "zdb-hook")].append(spawn_wait([hook] + args, env))
            times[(e, "sh")].append(spawn_wait([sh] + args, env))
        empty_state(os.path.join(root, "qsfs"))
    shutil.rmtree(root)
    print(f"\n1. zdb frozen per synchronous hook, exec to exit, {runs} runs each (ms)")
    print(f"   {'event':28} {'zdb-hook med':>12} {'p99':>7} {'sh med':>8} {'p99':>7} {'sh/zdb-hook':>12}")
    for e in events:
        z, s = times[(e, "zdb-hook")], times[(e, "sh")]
        print(f"   {e:28} {statistics.median(z):12.2f} {pct(z, 99):7.2f} "
              f"{statistics.median(s):8.2f} {pct(s, 99):7.2f} {statistics.median(s) / statistics.median(z):11.1f}x")


def rss_kib(pid, key="VmRSS"):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def wait_for(cond, secs, what):
    end = time.monotonic() + secs
    while time.monotonic() < end:
        if cond():
            return
        time.sleep(0.01)
    sys.exit(f"timed out: {what}")


def connects(path):
    try:
        s = socket.socket(socket.AF_UNIX)
        s.connect(path)
        s.close()
        return True
    except OSError:
        return False


def bench_drain(zinit, standins, files, store_ms):
    root = tempfile.mkdtemp(prefix="qsfs-drain-", dir=os.environ.get("BENCH_DIR", "/var/tmp"))
    # The stand-in's "backends" live in memory when they can: the 20 ms per store models the
    # whole remote store; the stand-in's own fsyncs on this disk would add the disk's latency
    # to every store on top. The data volume (files, journal, manifest) stays on the disk.
    shm = "/dev/shm" if os.access("/dev/shm", os.W_OK) else root
    remote = tempfile.mkdtemp(prefix="qsfs-remote-", dir=shm)
    with open(os.path.join(remote, ".knobs"), "w") as f:
        f.write(f"store_delay_ms={store_ms}\n")
    conf = os.path.join(root, "zstor.toml")
    with open(conf, "w") as f:
        f.write(f'socket = "{root}/zstor.sock"\npid_file = "{root}/zstor.pid"\n'
                f'[standin]\nremote = "{remote}"\n')
    half = files // 2
    for ns_dir, prefix, n in (("index", "i", half), ("data", "d", files - half)):
        d = os.path.join(root, ns_dir, "zdbfs-data")
        os.makedirs(d, exist_ok=True)
        for i in range(n):
            with open(os.path.join(d, f"{prefix}{i}"), "wb") as f:
                f.write(os.urandom(4096))
    os.makedirs(os.path.join(root, "index", "zdbfs-meta"))
    os.makedirs(os.path.join(root, "data", "zdbfs-meta"))
    mon = subprocess.Popen([os.path.join(standins, "zstor"), "-c", conf, "--log_file",
                            os.path.join(root, "monitor.log"), "monitor"], cwd=root)
    wait_for(lambda: connects(f"{root}/zstor.sock"), 10, "zstor monitor")
    env = dict(os.environ, QSFS_INDEX_DIR=os.path.join(root, "index"),
               QSFS_DATA_DIR=os.path.join(root, "data"), QSFS_STATE_DIR=os.path.join(root, "qsfs"),
               QSFS_ZSTOR=os.path.join(standins, "zstor"), QSFS_ZSTOR_CONFIG=conf,
               QSFS_READY_SOCKET=os.path.join(root, "ready.sock"), QSFS_CLOSING_GRACE_MS="0")
    out = open(os.path.join(root, "wh.out"), "w")
    # From spawn to exit: the uploads start while running (the journal and the start's sweep)
    # and the drain finishes them; SIGTERM goes as soon as wait_hooks is ready.
    t0 = time.monotonic()
    wh = subprocess.Popen([zinit, "wait-hooks"], env=env, stdout=out, stderr=subprocess.STDOUT, cwd=root)
    rss_max = 0
    signalled = False
    while wh.poll() is None:
        try:
            rss_max = max(rss_max, rss_kib(wh.pid))
            peak = rss_kib(wh.pid, "VmHWM")
        except (OSError, ValueError):
            break
        if not signalled and connects(env["QSFS_READY_SOCKET"]):
            wh.send_signal(signal.SIGTERM)
            signalled = True
        time.sleep(0.005)
    wh.wait()
    total = time.monotonic() - t0
    mon.send_signal(signal.SIGTERM)
    mon.wait()
    out.close()
    log = open(os.path.join(root, "wh.out")).read()
    shutil.rmtree(root)
    shutil.rmtree(remote, ignore_errors=True)
    if wh.returncode != 0 or "drain done" not in log:
        sys.exit("the drain did not complete:\n" + log[-2000:])
    ideal = files * store_ms / 1000
    print(f"\n2. drain of {files} pending files, zstor stand-in at {store_ms} ms per store (monitor on a socket;"
          f" its backends in {shm}, the data volume in {os.path.dirname(root)})")
    print(f"   start to exit {total:.2f} s, {files} x {store_ms} ms = {ideal:.2f} s: overhead {100 * (total - ideal) / ideal:.1f} % "
          f"({1000 * (total - ideal) / files:.2f} ms per file: the hash, and two zstor CLI processes per file, store and check, two stores in flight)")
    print(f"\n3. wait_hooks memory over that run: VmRSS at most {rss_max} KiB ({rss_max / 1024:.2f} MiB), "
          f"VmHWM {peak} KiB")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--zinit", default="./zinit")
    ap.add_argument("--standins", default="build/standins")
    ap.add_argument("--runs", type=int, default=200)
    ap.add_argument("--files", type=int, default=200)
    ap.add_argument("--store-ms", type=int, default=20)
    a = ap.parse_args()
    print(f"QSFS built-ins benchmark: {machine()}")
    bench_hooks(a.zinit, a.runs)
    bench_drain(os.path.abspath(a.zinit), os.path.abspath(a.standins), a.files, a.store_ms)


if __name__ == "__main__":
    main()
