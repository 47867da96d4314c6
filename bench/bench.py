#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Benchmark harness for zinit against tini, dumb-init, catatonit, s6, runit and
supervisord (issue 4). Python 3 standard library only; run as root.

    python3 bench/bench.py            # full: 3 interleaved rounds, writes bench/RESULTS.md
    python3 bench/bench.py --quick    # one round, prints only (under 2 minutes)
    python3 bench/bench.py --only 4,5 --rounds 1 --no-write

Every run starts the init as PID 1 of a fresh PID namespace
(`unshare --pid --fork --mount-proc INIT ...`). Within a scenario the inits are
interleaved round after round, each round starting one init further
(zinit, peer1, ..., peerN; peer1, ..., peerN, zinit; ...).
"""

import argparse
import datetime
import json
import mmap
import os
import platform
import re
import select
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BUILD = os.path.join(HERE, ".build")          # helper binaries (bench/.build/)
ZINIT = os.path.join(ROOT, "zinit")
ZINIT_STATIC = os.path.join(ROOT, "build-static", "zinit")
RESULTS = os.path.join(HERE, "RESULTS.md")
KEEP_MARK = "<!-- notes: everything below this line is kept when bench/bench.py rewrites the file -->"

PEERS = ["tini", "dumb-init", "catatonit", "s6", "runit", "supervisord"]
DEBS = {"tini": "tini", "dumb-init": "dumb-init", "catatonit": "catatonit",
        "s6": "s6", "runit": "runit", "supervisord": "supervisor"}
BINS = {"tini": "tini", "dumb-init": "dumb-init", "catatonit": "catatonit",
        "s6": "s6-svscan", "runit": "runsvdir", "supervisord": "supervisord"}
SCRIPT_INITS = ("tini", "dumb-init", "catatonit")
WAITLOOP = "wait() loop"  # reference PID 1 for scenario 5 (bench/helpers/waitloop.c)
RELAY = "cat relay"  # scenario 4's floor for an init in the data path: tini, each writer piped through `cat`
PREFIX_RELAY = "prefix relay"  # scenario 4's floor for a prefixing init: each writer piped through prefixrelay.c
AUTOREAP = "kernel autoreap"  # the same with SIGCHLD ignored: the kernel releases each child itself
CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")
MiB = 1024 * 1024
QUIET = False
EXTRA_ZINITS = {}  # --zinit NAME=BIN: "zinit-NAME" -> another zinit binary, for before/after in one run


def log(msg):
    if not QUIET:
        print(msg, file=sys.stderr, flush=True)


# ----------------------------------------------------------------------------
# /proc helpers (host view)

def children(pid):
    out = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            try:
                with open(f"/proc/{pid}/task/{tid}/children") as f:
                    out.extend(int(x) for x in f.read().split())
            except OSError:
                pass
    except OSError:
        pass
    return out


def pstat(pid):
    """(comm, state, ppid, utime+stime ticks) or None."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            s = f.read()
    except OSError:
        return None
    lp, rp = s.index("("), s.rindex(")")
    comm = s[lp + 1:rp]
    rest = s[rp + 2:].split()
    return comm, rest[0], int(rest[1]), int(rest[11]) + int(rest[12])


def tree(pid, stop_comm=None):
    """pid and all its descendants (BFS); do not descend below stop_comm."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop(0)
        out.append(p)
        if stop_comm and p != pid:
            st = pstat(p)
            if st and st[0] == stop_comm:
                continue
        todo.extend(children(p))
    return out


def kv_file(path, keys):
    res = {}
    try:
        with open(path) as f:
            for line in f:
                k, _, v = line.partition(":")
                if k in keys:
                    res[k] = int(v.split()[0])  # kB
    except OSError:
        pass
    return res


def mem_of(pid):
    """KiB: rss, pss (smaps_rollup), anon (RssAnon)."""
    r = kv_file(f"/proc/{pid}/smaps_rollup", ("Rss", "Pss", "Private_Clean", "Private_Dirty"))
    s = kv_file(f"/proc/{pid}/status", ("VmRSS", "RssAnon"))
    return {"rss": r.get("Rss", s.get("VmRSS", 0)), "pss": r.get("Pss", 0), "anon": s.get("RssAnon", 0),
            "uss": r.get("Private_Clean", 0) + r.get("Private_Dirty", 0)}


def switches(pid):
    """Context switches of @pid so far (voluntary + not): each is a wake-up of a process that slept."""
    s = kv_file(f"/proc/{pid}/status", ("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches"))
    return sum(s.values())


IDLE_WINDOW = 3.0  # seconds over which scenario 1 counts the wake-ups of an idle init


def cpu_ns(pid):
    """Sum of /proc/PID/task/*/schedstat run time (ns): precise CPU time."""
    tot = 0
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            try:
                with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
                    tot += int(f.read().split()[0])
            except OSError:
                pass
    except OSError:
        return None
    return tot


# ----------------------------------------------------------------------------
# Services and per-init configuration

class Svc:
    def __init__(self, name, argv, after=(), test=None, oneshot=False, log="ring", priority=None):
        self.name, self.argv, self.after, self.test = name, list(argv), list(after), test
        self.oneshot, self.log, self.priority = oneshot, log, priority


def yq(s):
    return json.dumps(s)  # a JSON string is a valid YAML double-quoted scalar


def setup_zinit(d, svcs, binary):
    u = os.path.join(d, "units")
    os.mkdir(u)
    for s in svcs:
        lines = [f"exec: {yq(shlex.join(s.argv))}"]
        if s.test:
            lines.append(f"test: {yq(shlex.join(s.test))}")
        if s.oneshot:
            lines.append("oneshot: true")
        if s.after:
            lines.append("after: [" + ", ".join(s.after) + "]")
        lines.append(f"log: {s.log}")
        with open(os.path.join(u, s.name + ".yaml"), "w") as f:
            f.write("\n".join(lines) + "\n")
    return [binary, "-s", os.path.join(d, "zinit.sock"), "init", "-c", u, "--container"]


def relay_cpu_file(d, name):
    """Where PREFIX_RELAY's relay for service NAME writes its CPU time (ns)."""
    return os.path.join(d, f"{name}.relay-cpu")


def setup_script(d, svcs, init, keepalive, relay=None):
    """tini / dumb-init / catatonit: one `sh` script starts the services in the
    background, forwards TERM/INT to them and waits, as a user would write it.
    relay: each service's output goes through a process of its own: RELAY (`cat`)
    or PREFIX_RELAY."""
    p = os.path.join(d, "run.sh")
    body = ["#!/bin/sh", 'pids=""', "trap 'kill -TERM $pids 2>/dev/null; wait; exit 0' TERM INT"]
    for s in svcs:
        pipe = {None: "", RELAY: " | cat",
                PREFIX_RELAY: " | " + shlex.join([os.path.join(BUILD, "prefixrelay"), s.name,
                                                  relay_cpu_file(d, s.name)])}[relay]
        body.append(f'{shlex.join(s.argv)}{pipe} & pids="$pids $!"')
    body.append("wait")
    if keepalive:
        body.append("exec sleep 100000")
    with open(p, "w") as f:
        f.write("\n".join(body) + "\n")
    return {"tini": ["tini", "--", "sh", p], "dumb-init": ["dumb-init", "sh", p],
            "catatonit": ["catatonit", "--", "sh", p]}[init]


def write_exe(path, text):
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, 0o755)


def setup_svdir(d, svcs, init):
    """s6: s6-svscan on a scan directory; runit: runsvdir on a service directory.
    Each service is a directory with a `run` script (`exec CMD`)."""
    top = os.path.join(d, "scan" if init == "s6" else "sv")
    os.mkdir(top)
    for s in svcs:
        sd = os.path.join(top, s.name)
        os.mkdir(sd)
        pre = ""
        for dep in s.after:  # runit's documented dependency idiom (sv start)
            pre += f"sv -w 10 start {shlex.quote(os.path.join(top, dep))} >/dev/null || exit 1\n"
        if s.oneshot:
            run = f"#!/bin/sh\n{pre}{shlex.join(s.argv)}\nexec sleep 100000\n"
        else:
            run = f"#!/bin/sh\n{pre}exec {shlex.join(s.argv)}\n"
        write_exe(os.path.join(sd, "run"), run)
        if s.test:  # runit: ./check is what `sv start` waits for
            write_exe(os.path.join(sd, "check"), f"#!/bin/sh\nexec {shlex.join(s.test)}\n")
    return ["s6-svscan", top] if init == "s6" else ["runsvdir", top]


def setup_supervisord(d, svcs):
    c = os.path.join(d, "supervisord.conf")
    os.mkdir(os.path.join(d, "logs"))
    out = ["[supervisord]", "nodaemon=true", "silent=true",
           f"logfile={d}/supervisord.log", f"pidfile={d}/supervisord.pid", f"childlogdir={d}/logs", ""]
    for s in svcs:
        out += [f"[program:{s.name}]", "command=" + shlex.join(s.argv).replace("%", "%%")]
        if s.oneshot:
            out += ["autorestart=false", "startsecs=0"]
        if s.priority is not None:
            out.append(f"priority={s.priority}")
        if s.log == "stdout":
            out += ["stdout_logfile=/dev/stdout", "stdout_logfile_maxbytes=0"]
        elif s.log == "none":
            out += ["stdout_logfile=NONE"]
        out.append("")
    with open(c, "w") as f:
        f.write("\n".join(out))
    return ["supervisord", "-n", "-c", c]


def setup(init, d, svcs, keepalive=False):
    if init == "zinit":
        return setup_zinit(d, svcs, ZINIT)
    if init == "zinit-static":
        return setup_zinit(d, svcs, ZINIT_STATIC)
    if init in EXTRA_ZINITS:
        return setup_zinit(d, svcs, EXTRA_ZINITS[init])
    if init in SCRIPT_INITS:
        return setup_script(d, svcs, init, keepalive)
    if init in (RELAY, PREFIX_RELAY):
        return setup_script(d, svcs, "tini", keepalive, relay=init)
    if init == WAITLOOP:
        return [os.path.join(BUILD, "bench-waitloop")] + setup_script(d, svcs, "tini", keepalive)[2:]
    if init == AUTOREAP:
        return [os.path.join(BUILD, "bench-waitloop"), "--autoreap"] + setup_script(d, svcs, "tini", keepalive)[2:]
    if init in ("s6", "runit"):
        return setup_svdir(d, svcs, init)
    if init == "supervisord":
        return setup_supervisord(d, svcs)
    raise ValueError(init)


# ----------------------------------------------------------------------------
# One run: an init as PID 1 of a fresh PID namespace

class Run:
    def __init__(self, init, tag, tmp):
        self.init = init
        self.d = tempfile.mkdtemp(prefix=f"{tag}-{init}-", dir=tmp)
        self.p = None
        self.pid1 = None
        self.cat = None

    def path(self, name):
        return os.path.join(self.d, name)

    def mkfifo(self, name):
        p = self.path(name)
        os.mkfifo(p)
        return p

    def start(self, argv, stdout=None, cat_to=None):
        """Launch; returns the monotonic launch time. stdout: a file path for
        PID 1's stdout; cat_to: stdout is a pipe drained by `cat > cat_to`."""
        err = open(self.path("stderr"), "wb")
        if cat_to:
            r, w = os.pipe()
            out = w
        else:
            out = open(stdout or self.path("stdout"), "wb")
        self.argv = argv
        t0 = time.monotonic()
        self.p = subprocess.Popen(["unshare", "--pid", "--fork", "--mount-proc"] + argv,
                                  stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                  cwd=self.d, start_new_session=True)
        if cat_to:
            os.close(w)
            with open(cat_to, "wb") as f:
                self.cat = subprocess.Popen(["cat"], stdin=r, stdout=f, start_new_session=True)
            os.close(r)
        else:
            out.close()
        err.close()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            ch = children(self.p.pid)
            if ch:
                self.pid1 = ch[0]
                break
            if self.p.poll() is not None:
                break
            time.sleep(0.001)
        if self.pid1 is None:
            raise RuntimeError(f"{self.init}: PID 1 did not appear: {self.stderr()}")
        return t0

    def stderr(self):
        try:
            with open(self.path("stderr"), errors="replace") as f:
                return f.read()[-2000:]
        except OSError:
            return ""

    def wait_exit(self, timeout):
        """Wait for PID 1 to exit (pidfd); returns the monotonic exit time or None."""
        try:
            fd = os.pidfd_open(self.pid1)
        except (OSError, AttributeError):
            fd = None
        deadline = time.monotonic() + timeout
        if fd is not None:
            try:
                r, _, _ = select.select([fd], [], [], timeout)
                return time.monotonic() if r else None
            finally:
                os.close(fd)
        while time.monotonic() < deadline:
            st = pstat(self.pid1)
            if st is None or st[1] in "ZX":
                return time.monotonic()
            time.sleep(0.0005)
        return None

    def finish(self, keep=False):
        if self.p and self.p.poll() is None:
            if self.pid1:
                try:
                    os.kill(self.pid1, signal.SIGKILL)  # ends the whole namespace
                except OSError:
                    pass
            try:
                self.p.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.p.pid, signal.SIGKILL)
                self.p.wait()
        if self.cat:
            try:
                self.cat.wait(20)
            except subprocess.TimeoutExpired:
                self.cat.kill()
                self.cat.wait()
        if not keep:
            shutil.rmtree(self.d, ignore_errors=True)


class FifoReader:
    """Announcement FIFO, held open read-write so writers never block."""

    def __init__(self, path):
        self.fd = os.open(path, os.O_RDWR | os.O_NONBLOCK)
        self.buf = b""
        self.lines = []  # (monotonic time, text)

    def read_until(self, n, timeout):
        deadline = time.monotonic() + timeout
        while len(self.lines) < n:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            r, _, _ = select.select([self.fd], [], [], min(left, 0.5))
            if not r:
                continue
            now = time.monotonic()
            try:
                self.buf += os.read(self.fd, 65536)
            except BlockingIOError:
                continue
            *full, self.buf = self.buf.split(b"\n")
            self.lines += [(now, x.decode(errors="replace")) for x in full]
        return self.lines[n - 1][0]

    def close(self):
        os.close(self.fd)


def wait_for(cond, timeout, step=0.01):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        v = cond()
        if v:
            return v
        time.sleep(step)
    return None


# ----------------------------------------------------------------------------
# Scenarios. Each returns a dict of metrics for one run (None = failed).

def sc1_memory(init, tag, tmp, n, keep):
    svcs = [Svc(f"s{i:03d}", ["sleep", "1000"]) for i in range(n)]
    r = Run(init, tag, tmp)
    try:
        r.start(setup(init, r.d, svcs))

        def up():
            t = tree(r.pid1)
            return sum(1 for p in t if (pstat(p) or ("",))[0] == "sleep") >= n
        if not wait_for(up, 120, 0.05):
            return {"error": "services did not come up"}
        time.sleep(0.5)  # settle: let the init finish its post-start work
        procs = [p for p in tree(r.pid1) if (pstat(p) or ("sleep",))[0] != "sleep"]
        pid1 = mem_of(r.pid1)
        tot = {"rss": 0, "pss": 0, "anon": 0, "uss": 0}
        for p in procs:
            m = mem_of(p)
            for k in tot:
                tot[k] += m[k]
        res = {"pid1_rss": pid1["rss"], "pid1_pss": pid1["pss"], "pid1_anon": pid1["anon"],
               "pid1_uss": pid1["uss"], "all_uss": tot["uss"],
               "all_rss": tot["rss"], "all_pss": tot["pss"], "all_anon": tot["anon"],
               "nproc": len(procs)}
        if n <= 5:  # idle wake-ups: nothing happens, so whatever runs is the init's own timers
            pid1_0, all_0 = switches(r.pid1), sum(switches(p) for p in procs)
            time.sleep(IDLE_WINDOW)
            res["pid1_wakes"] = (switches(r.pid1) - pid1_0) * 60 / IDLE_WINDOW
            res["all_wakes"] = (sum(switches(p) for p in procs) - all_0) * 60 / IDLE_WINDOW
        return res
    finally:
        r.finish(keep)


def sc2_startup(init, tag, tmp, n, chain, keep):
    r = Run(init, tag, tmp)
    fifo = r.mkfifo("announce")
    svcs = []
    for i in range(n):
        name = f"s{i:03d}"
        svcs.append(Svc(name, ["sh", "-c", f"echo {name} $$ > {fifo}; exec sleep 1000"],
                        after=[f"s{i - 1:03d}"] if chain and i else [],
                        priority=(i + 1) if chain else None))
    fr = FifoReader(fifo)
    try:
        argv = setup(init, r.d, svcs)
        t0 = r.start(argv)
        t1 = fr.read_until(n, 120)
        if t1 is None:
            return {"error": f"only {len(fr.lines)}/{n} services announced"}
        res = {"time_ms": (t1 - t0) * 1000}
        if chain:
            pids = {}
            for _, line in fr.lines:
                name, pid = line.split()
                pids[name] = int(pid)
            seq = [pids[s.name] for s in svcs]
            res["order_ok"] = all(a < b for a, b in zip(seq, seq[1:]))
            if init.startswith("zinit"):
                time.sleep(0.05)
                with open(r.path("stdout"), errors="replace") as f:
                    started = re.findall(r"INFO (\S+) started \(pid", f.read())
                res["order_ok"] = res["order_ok"] and started == [s.name for s in svcs]
        return res
    finally:
        fr.close()
        r.finish(keep)


def sc3_readiness(init, tag, tmp, keep):
    r = Run(init, tag, tmp)
    n = 10
    svcs = []
    for i in range(1, n + 1):
        m = r.path(f"m{i:02d}")
        svcs.append(Svc(f"r{i:02d}", ["sh", "-c", f"sleep 0.1; touch {m}; exec sleep 1000"],
                        after=[f"r{i - 1:02d}"] if i > 1 else [], test=["test", "-f", m]))
    fifo = None
    if init == "runit":  # a sentinel after r10: `sv start r10` returns once r10's check passed
        fifo = r.mkfifo("announce")
        svcs.append(Svc("zz", ["sh", "-c", f"echo zz > {fifo}; exec sleep 1000"], after=["r10"]))
    try:
        argv = setup(init, r.d, svcs)
        if init.startswith("zinit"):
            rd, wr = os.pipe()
            t0 = time.monotonic()
            r.p = subprocess.Popen(["unshare", "--pid", "--fork", "--mount-proc"] + argv,
                                   stdin=subprocess.DEVNULL, stdout=wr, stderr=subprocess.STDOUT,
                                   cwd=r.d, start_new_session=True)
            os.close(wr)
            wait_for(lambda: children(r.p.pid), 10, 0.001)
            r.pid1 = children(r.p.pid)[0]
            buf, ready, t1 = b"", [], None
            deadline = time.monotonic() + 30
            while t1 is None and time.monotonic() < deadline:
                rr, _, _ = select.select([rd], [], [], 0.5)
                if not rr:
                    continue
                chunk = os.read(rd, 65536)
                now = time.monotonic()
                if not chunk:
                    break
                buf += chunk
                *full, buf = buf.split(b"\n")
                for line in full:
                    mm = re.search(rb"INFO (r\d\d) is ready", line)
                    if mm:
                        ready.append(mm.group(1).decode())
                        if mm.group(1) == b"r10":
                            t1 = now
            os.close(rd)
            if t1 is None:
                return {"error": f"ready: {ready}"}
            lst = subprocess.run([argv[0], "-s", argv[2], "list"], capture_output=True, text=True, timeout=10)
            running = len(re.findall(r"^r\d\d: Running$", lst.stdout, re.M))
            return {"time_ms": (t1 - t0) * 1000, "order_ok": ready == [s.name for s in svcs],
                    "running": running}
        fr = FifoReader(fifo)
        try:
            t0 = r.start(argv)
            t1 = fr.read_until(1, 60)
        finally:
            fr.close()
        if t1 is None:
            return {"error": "sentinel never ran"}
        return {"time_ms": (t1 - t0) * 1000}  # order: by construction (sv start PREV)
    finally:
        r.finish(keep)


def sc4_logs(init, tag, tmp, writers, count, keep, timeout):
    r = Run(init, tag, tmp)
    ids = [f"w{k}" for k in range(1, writers + 1)]
    starts = [r.path(f"{w}.start") for w in ids]
    svcs = [Svc(w, [os.path.join(BUILD, "linewriter"), w, str(count), s], oneshot=True, log="stdout")
            for w, s in zip(ids, starts)]
    out = r.path("out")
    zmode = init.startswith("zinit") or init == PREFIX_RELAY  # prefixed lines
    per_line = 100 + (len("[+] w1: ") if zmode else 0)
    expect = writers * count * per_line
    try:
        argv = setup(init, r.d, svcs, keepalive=True)
        r.start(argv, cat_to=out)
        if not wait_for(lambda: all(os.path.exists(s) and os.path.getsize(s) > 0 for s in starts), 30, 0.002):
            return {"error": "writers did not start"}
        t_start = min(int(open(s).read()) for s in starts) / 1e9
        t_end = wait_for(lambda: os.path.getsize(out) >= expect and time.monotonic(), timeout, 0.005)
        st = pstat(r.pid1)
        cpu_ticks = st[3] if st else None
        cns = cpu_ns(r.pid1)
        sink_ns = cpu_ns(r.cat.pid)
        if init == PREFIX_RELAY and t_end is not None:  # the relays' CPU, not tini's
            files = [relay_cpu_file(r.d, s.name) for s in svcs]
            cns = cpu_ticks = None  # never tini's by mistake
            if wait_for(lambda: all(os.path.exists(f) and os.path.getsize(f) > 0 for f in files), 10, 0.002):
                cns = sum(int(open(f).read()) for f in files)
                cpu_ticks = cns * CLK_TCK / 1e9
        res = {}
        if t_end is None:
            res["error"] = f"timeout after {timeout}s ({os.path.getsize(out) / 1e6:.0f} of {expect / 1e6:.0f} MB)"
        else:
            secs = t_end - t_start
            mb = writers * count * 100 / 1e6
            res.update({"lines_s": writers * count / secs, "mb_s": mb / secs, "secs": secs})
            if cpu_ticks is not None:
                res["cpu_ms_mb"] = cpu_ticks * 1000 / CLK_TCK / mb
                res["cpu_ms_mb_ns"] = cns / 1e6 / mb
            if sink_ns is not None:
                res["sink_ms_mb"] = sink_ns / 1e6 / mb
        try:
            os.kill(r.pid1, signal.SIGTERM)
        except OSError:
            pass
        if r.wait_exit(30) is None:
            os.kill(r.pid1, signal.SIGKILL)
        r.p.wait(30)
        r.cat.wait(30)
        chk = subprocess.run([os.path.join(BUILD, "linecheck"), out, "zinit" if zmode else "raw", str(count)] + ids,
                             capture_output=True, text=True)
        kv = dict(x.split("=") for x in chk.stdout.split())
        res.update({"lost": int(kv["lost"]), "corrupt": int(kv["corrupt"]), "dup": int(kv["dup"]),
                    "reordered": int(kv["reordered"])})
        return res
    finally:
        r.finish(keep)


def sc5_reap(init, tag, tmp, n, keep, timeout):
    """The harness never looks up /proc/PID of an orphan before it is reaped:
    each such lookup instantiates dentries that the kernel must then flush
    when the init reaps it, which slowed every init's reaping ~10 x."""
    r = Run(init, tag, tmp)
    stamps, state, create, go = r.path("stamps"), r.path("state"), r.mkfifo("create"), r.mkfifo("go")
    svcs = [Svc("orphans", [os.path.join(BUILD, "bench-orphans"), str(n), stamps, state, create, go],
                oneshot=True)]
    mm = None
    try:
        r.start(setup(init, r.d, svcs, keepalive=True))

        def st(word):
            try:
                with open(state) as f:
                    x = f.read().split()
                return x if x and x[0] == word else None
            except OSError:
                return None
        if not wait_for(lambda: st("started"), 60, 0.005):
            return {"error": "helper did not start"}
        time.sleep(0.05)
        base = set(children(r.pid1))  # PID 1's children before there is any orphan
        os.close(os.open(create, os.O_WRONLY))
        x = wait_for(lambda: st("ready"), 120, 0.01)
        if not x:
            return {"error": "helper not ready"}
        made = int(x[1])
        orphans = set(children(r.pid1)) - base
        if len(orphans) != made:
            return {"error": f"{len(orphans)} of {made} orphans are PID 1's children"}
        pidfile = r.path("orphan-pids")
        with open(pidfile, "w") as f:
            f.write("".join(f"{p}\n" for p in sorted(orphans)))
        fd = os.open(stamps, os.O_RDONLY)
        mm = mmap.mmap(fd, (n + 1) * 8, prot=mmap.PROT_READ)
        os.close(fd)
        # reapwatch (C) waits for every exit stamp, then reads PID 1's children lists until
        # no orphan is on them (a zombie stays listed until reaped); then checks every PID.
        watch = subprocess.Popen([os.path.join(BUILD, "reapwatch"), stamps, str(made), pidfile,
                                  str(r.pid1), str(timeout)], stdout=subprocess.PIPE, text=True)
        time.sleep(0.2)  # let the init (and reapwatch) go idle
        fd = os.open(go, os.O_WRONLY)
        t_go = time.monotonic_ns()
        os.close(fd)  # the service exits: every orphan sees EOF on its pipe and exits
        out, _ = watch.communicate(timeout=timeout + 30)
        w = dict(x.split("=") for x in out.split())
        t_done = None if w.get("timeout") != "0" else int(w["done_ns"])
        if t_done is not None:
            time.sleep(0.3)
        left = set(children(r.pid1)) & orphans
        zombies = sum(1 for p in left if (pstat(p) or ("", ""))[1] == "Z")
        ts = [int.from_bytes(mm[i:i + 8], "little", signed=True) for i in range(8, (n + 1) * 8, 8)]
        ts = [t for t in ts if t > 0]
        res = {"orphans": made, "exited": len(ts), "zombies": zombies}
        if t_done is not None and w.get("unreaped") != "0":
            res["error"] = f"{w.get('unreaped')} orphan PIDs still exist though PID 1 no longer lists them"
            t_done = None
        elif t_done is None:
            res["error"] = f"not all reaped after {timeout}s"
            res["lag_ms"] = None
        else:
            res["lag_ms"] = (t_done - max(ts)) / 1e6
            res["exit_span_ms"] = (max(ts) - min(ts)) / 1e6
            res["go_to_done_ms"] = (t_done - t_go) / 1e6
            res["last_pass_ms"] = float(w["pass_us"]) / 1e3  # the upper bound's slack
            res["left_at_first"] = int(w["left_at_first"])
        return res
    finally:
        if mm is not None:
            mm.close()
        r.finish(keep)


def sc5_floor(tag, n):
    out = subprocess.run(["unshare", "--pid", "--fork", "--mount-proc", os.path.join(BUILD, "reapcost"), str(n)],
                         capture_output=True, text=True, timeout=120).stdout
    kv = dict(x.split("=") for x in out.split())
    return {"reap_us": float(kv["reap_us"]), "total_ms": float(kv["total_ms"])}


def sc6_shutdown(init, tag, tmp, chain, keep):
    r = Run(init, tag, tmp)
    fifo, ran = r.mkfifo("announce"), r.path("ran")
    n = 5
    svcs = []
    for i in range(1, n + 1):
        name = f"s{i}"
        cmd = (f'trap "echo {name} >> {ran}; exit 0" TERM; echo {name} > {fifo}; '
               f'while :; do sleep 1 & wait $!; done')
        svcs.append(Svc(name, ["sh", "-c", cmd], after=[f"s{i - 1}"] if chain and i > 1 else [],
                        priority=i if chain else None))
    fr = FifoReader(fifo)
    try:
        r.start(setup(init, r.d, svcs))
        if fr.read_until(n, 60) is None:
            return {"error": "services did not come up"}
        time.sleep(0.3)
        t0 = time.monotonic()
        os.kill(r.pid1, signal.SIGTERM)
        t1 = r.wait_exit(60)
        if t1 is None:
            return {"error": "PID 1 did not exit within 60 s"}
        rc = r.p.wait(10)
        try:
            with open(ran) as f:
                order = f.read().split()
        except OSError:
            order = []
        uniq = list(dict.fromkeys(order))
        res = {"time_ms": (t1 - t0) * 1000, "graceful": len(uniq), "exit": rc,
               "order": " ".join(uniq)}
        if chain:
            res["order_ok"] = uniq == [f"s{i}" for i in range(n, 0, -1)]
        return res
    finally:
        fr.close()
        r.finish(keep)


# ----------------------------------------------------------------------------
# Static facts

def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=30).stdout.strip()
    except Exception:
        return ""


def ensure_peers():
    missing = [DEBS[p] for p in PEERS if not shutil.which(BINS[p])]
    if not missing:
        return
    if os.geteuid() != 0:
        sys.exit(f"bench: missing peers {missing}; run as root to install them")
    log(f"bench: installing {' '.join(missing)} from Debian")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    r = subprocess.run(["apt-get", "install", "-y", "-q"] + missing, env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if r.returncode != 0:
        subprocess.run(["apt-get", "update", "-q"], env=env, stdout=subprocess.DEVNULL)
        subprocess.run(["apt-get", "install", "-y", "-q"] + missing, env=env, check=True,
                       stdout=subprocess.DEVNULL)


def build_helpers():
    os.makedirs(BUILD, exist_ok=True)
    src = os.path.join(HERE, "helpers")
    for out, c in (("linewriter", "linewriter.c"), ("linecheck", "linecheck.c"),
                   ("bench-orphans", "orphans.c"), ("reapcost", "reapcost.c"),
                   ("reapwatch", "reapwatch.c"), ("prefixrelay", "prefixrelay.c"),
                   ("bench-waitloop", "waitloop.c")):
        dst = os.path.join(BUILD, out)
        deps = [os.path.join(src, c)] + [os.path.join(src, h) for h in ("line.h", "writeall.h")]
        if os.path.exists(dst) and all(os.path.getmtime(dst) >= os.path.getmtime(x) for x in deps):
            continue
        subprocess.run([os.environ.get("CC", "cc"), "-O2", "-std=c11", "-Wall", "-Wextra", "-o", dst,
                        os.path.join(src, c)], check=True)


def versions():
    v = {"zinit": sh(f"{ZINIT} --version") or "?"}
    for p in PEERS:
        ver = sh("dpkg-query -W -f='${Version}' " + DEBS[p])
        v[p] = f"{DEBS[p]} {ver}"
    return v


def machine():
    cpu = sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-")
    fam = sh("grep -m1 'cpu family' /proc/cpuinfo | cut -d: -f2-")
    model = sh("grep -m1 '^model[[:space:]]*:' /proc/cpuinfo | cut -d: -f2-")
    if fam and model:  # "AMD EPYC" alone names no generation
        cpu = f"{cpu} (family {fam}, model {model})"
    mem = sh("awk '/MemTotal/ {printf \"%.1f GiB\", $2/1048576}' /proc/meminfo")
    deb = sh("cat /etc/debian_version")
    return {"nproc": os.cpu_count(), "cpu": cpu, "kernel": platform.release(), "mem": mem,
            "os": f"Debian {deb}" if deb else platform.platform(),
            "python": platform.python_version()}


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def sizes(tmp):
    """Stripped sizes (bytes) of copies of the binaries."""
    items = [("zinit (static, build-static/zinit)", ZINIT_STATIC), ("zinit (dynamic, ./zinit)", ZINIT)]
    for name, b in (("tini", "tini"), ("tini-static", "tini-static"), ("dumb-init", "dumb-init"),
                    ("catatonit", "catatonit"), ("s6-svscan", "s6-svscan"), ("s6-supervise", "s6-supervise"),
                    ("runsvdir", "runsvdir"), ("runsv", "runsv")):
        p = shutil.which(b)
        if p:
            items.append((name, p))
    out = []
    for name, p in items:
        if not os.path.exists(p):
            out.append((name, None, "missing"))
            continue
        c = os.path.join(tmp, "strip-" + os.path.basename(p))
        shutil.copy(p, c)
        subprocess.run(["strip", c], stderr=subprocess.DEVNULL)
        kind = "static" if "statically linked" in sh(f"file -L {shlex.quote(c)}") or \
            "not a dynamic" in sh(f"ldd {shlex.quote(p)} 2>&1") else "dynamic"
        libs = ""
        if kind == "dynamic":
            libs = ", ".join(sorted(set(re.findall(r"^\s*(lib\S+?)\.so", sh(f"ldd {shlex.quote(p)}"), re.M))))
        out.append((name, os.path.getsize(c), f"{kind}" + (f" ({libs})" if libs else "")))
        os.unlink(c)
    sv = shutil.which("supervisord")
    if sv:
        out.append(("supervisord", None, f"Python script; runs on {sh('readlink -f /usr/bin/python3')}"))
    # shared libraries of the dynamic zinit, for reference
    libsz = []
    for lib in re.findall(r"=> (\S+)", sh(f"ldd {ZINIT}")):
        if any(k in lib for k in ("libuv", "libyaml", "libjansson")):
            libsz.append((os.path.basename(lib), os.path.getsize(os.path.realpath(lib))))
    return out, libsz


# ----------------------------------------------------------------------------
# Statistics and tables

def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def fmt(v, unit=""):
    if v is None:
        return "—"
    if isinstance(v, bool):
        return "yes" if v else "NO"
    if isinstance(v, str):
        return v
    a = abs(v)
    s = "0" if v == 0 else f"{v:.0f}" if a >= 100 else f"{v:.1f}" if a >= 10 else f"{v:.2f}" if a >= 1 else f"{v:.3f}"
    return s + unit


def table(rows, header):
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(out)


def stat_row(samples, key, scale=1.0, unit=""):
    xs = [s.get(key) for s in samples if "error" not in s and s.get(key) is not None]
    xs = [x * scale for x in xs]
    if not xs:
        return None, "—", "—"
    m = statistics.median(xs)
    return m, fmt(m, unit), f"{fmt(min(xs))}–{fmt(max(xs))}"


def metric_table(data, inits, metrics, extra=None, na=None):
    """data[init] = list of run dicts. metrics: (key, label, scale, unit, ratio?)."""
    header = ["init"]
    for _, label, _, _, ratio in metrics:
        header += [f"{label} median", "min–max"] + (["× zinit"] if ratio else [])
    if extra:
        header += [e[1] for e in extra]
    header.append("runs")
    rows = []
    zmed = {}
    for key, _, scale, _, _ in metrics:
        zmed[key] = stat_row(data.get("zinit", []), key, scale)[0]
    for init in inits:
        samples = data.get(init)
        if not samples:
            if na and init in na:
                rows.append([init] + [f"n/a: {na[init]}"] + [""] * (len(header) - 2))
            continue
        row = [init]
        for key, _, scale, unit, ratio in metrics:
            m, ms, spread = stat_row(samples, key, scale, unit)
            row += [ms, spread]
            if ratio:
                row.append(f"{m / zmed[key]:.2f}" if m is not None and zmed[key] else "—")
        if extra:
            for key, _, f in extra:
                row.append(f(samples))
        errs = [s["error"] for s in samples if "error" in s]
        row.append(f"{len(samples) - len(errs)}/{len(samples)}" + (f" ({errs[0]})" if errs else ""))
        rows.append(row)
    return table(rows, header)


def all_of(key, want=True):
    def f(samples):
        vals = [s.get(key) for s in samples if s.get(key) is not None]
        if not vals:
            return "—"
        ok = sum(1 for v in vals if v == want)
        return f"{ok}/{len(vals)}"
    return f


def sum_of(key):
    def f(samples):
        vals = [s.get(key) for s in samples if s.get(key) is not None]
        return str(sum(vals)) if vals else "—"
    return f


def values_of(key):
    def f(samples):
        vals = [str(s.get(key)) for s in samples if s.get(key) is not None]
        return ", ".join(sorted(set(vals))) if vals else "—"
    return f


# ----------------------------------------------------------------------------

def main():
    global QUIET
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="one round; print only")
    ap.add_argument("--rounds", type=int, help="interleaved rounds (default 3, quick 1)")
    ap.add_argument("--only", default="1,2,3,4,5,6,7", help="scenarios to run, e.g. 1,4")
    ap.add_argument("--write", dest="write", action="store_true", default=None, help="write bench/RESULTS.md")
    ap.add_argument("--no-write", dest="write", action="store_false")
    ap.add_argument("--keep", action="store_true", help="keep the run directories")
    ap.add_argument("--tmp", default=None, help="scratch directory (default /dev/shm or /tmp)")
    ap.add_argument("--json", default=None, help="also dump raw samples to this file")
    ap.add_argument("-q", "--quiet", action="store_true")
    ap.add_argument("--zinit", action="append", default=[], metavar="NAME=BIN",
                    help="scenarios 4 and 6 also run this zinit binary as zinit-NAME, interleaved with the "
                         "others (e.g. --zinit before=/tmp/zinit-old): before/after in one run")
    args = ap.parse_args()
    for spec in args.zinit:
        name, sep, path = spec.partition("=")
        if not sep or not name or not os.access(path, os.X_OK):
            sys.exit(f"bench: --zinit wants NAME=BIN with an executable BIN, got '{spec}'")
        EXTRA_ZINITS[f"zinit-{name}"] = os.path.abspath(path)
    QUIET = args.quiet
    rounds = args.rounds or (1 if args.quick else 3)
    write = args.write if args.write is not None else not args.quick
    only = set(args.only.split(","))

    if os.geteuid() != 0:
        sys.exit("bench: run as root (PID namespaces, installing peers)")
    for b in (ZINIT, ZINIT_STATIC):
        if not os.access(b, os.X_OK):
            sys.exit(f"bench: {b} missing: run `make` and `make static` (or `make bench`)")
    ensure_peers()
    build_helpers()
    base = args.tmp or ("/dev/shm" if os.access("/dev/shm", os.W_OK) else tempfile.gettempdir())
    tmp = tempfile.mkdtemp(prefix="zinit-bench-", dir=base)
    started = datetime.datetime.now(datetime.timezone.utc)
    load0 = loadavg()
    t_all = time.monotonic()
    R = {}  # R[scenario-variant][init] = [run dicts]

    def rec(key, init, res):
        R.setdefault(key, {}).setdefault(init, []).append(res)
        short = {k: (round(v, 3) if isinstance(v, float) else v) for k, v in res.items()}
        log(f"  {key:<14} {init:<13} {short}")

    def rounds_of(key, inits, fn):
        for rd in range(rounds):
            # Each round starts with the next init: the first run of a round was measured
            # ~3-7 % slower than the same binary run later in it (issue 12, ninth pass), and
            # zinit always went first.
            for init in inits[rd % len(inits):] + inits[:rd % len(inits)]:
                try:
                    res = fn(init, f"{key}r{rd}")
                except Exception as e:  # a broken peer must not stop the run
                    res = {"error": f"{type(e).__name__}: {e}"}
                rec(key, init, res)

    quick = args.quick
    n_orph = 10000
    log_count = 2_000_000  # 200 MB of 100-byte lines
    all_inits = ["zinit"] + PEERS

    try:
        if "1" in only:
            log("== 1 idle memory")
            for n in (5, 200):
                rounds_of(f"1-mem-{n}", ["zinit", "zinit-static"] + PEERS,
                          lambda i, t, n=n: sc1_memory(i, t, tmp, n, args.keep))
        if "2" in only:
            log("== 2 start-up")
            for n in (10, 200):
                rounds_of(f"2-start-{n}", all_inits, lambda i, t, n=n: sc2_startup(i, t, tmp, n, False, args.keep))
                rounds_of(f"2-chain-{n}", ["zinit", "supervisord"],
                          lambda i, t, n=n: sc2_startup(i, t, tmp, n, True, args.keep))
        if "3" in only:
            log("== 3 readiness chain")
            rounds_of("3-ready", ["zinit", "runit"], lambda i, t: sc3_readiness(i, t, tmp, args.keep))
        if "4" in only:
            log("== 4 log throughput")
            rounds_of("4-log-1", log_inits(),
                      lambda i, t: sc4_logs(i, t, tmp, 1, log_count, args.keep, 120))
            rounds_of("4-log-4", log_inits(),
                      lambda i, t: sc4_logs(i, t, tmp, 4, log_count // 4, args.keep, 120))
        if "5" in only:
            log("== 5 reaping")
            rounds_of("5-reap", all_inits + [WAITLOOP, AUTOREAP], lambda i, t: sc5_reap(i, t, tmp, n_orph, args.keep, 5 if quick else 20))
            rounds_of("5-floor", ["waitpid loop"], lambda i, t: sc5_floor(t, n_orph))
        if "6" in only:
            log("== 6 shutdown")
            rounds_of("6-stop", all_inits[:1] + list(EXTRA_ZINITS) + all_inits[1:],
                      lambda i, t: sc6_shutdown(i, t, tmp, False, args.keep))
            rounds_of("6-stop-chain", ["zinit"] + list(EXTRA_ZINITS) + ["supervisord"],
                      lambda i, t: sc6_shutdown(i, t, tmp, True, args.keep))
        size_rows, libsz = sizes(tmp) if "7" in only else ([], [])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    elapsed = time.monotonic() - t_all
    meta = {"date": started.strftime("%Y-%m-%d %H:%M UTC"), "machine": machine(), "versions": versions(),
            "rounds": rounds, "quick": quick, "elapsed_s": elapsed, "load": (load0, loadavg()),
            "git": sh(f"git -C {ROOT} rev-parse --short HEAD") + (" (+ uncommitted changes)" if sh(f"git -C {ROOT} status --porcelain -- src include Makefile") else ""),
            "argv": " ".join(shlex.quote(a) for a in sys.argv)}
    report = render(R, meta, size_rows, libsz, only)
    print(report)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"meta": meta, "results": R, "sizes": size_rows}, f, indent=1, default=str)
    if write:
        keep = ""
        if os.path.exists(RESULTS):
            old = open(RESULTS).read()
            if KEEP_MARK in old:
                keep = old.split(KEEP_MARK, 1)[1]
        with open(RESULTS, "w") as f:
            f.write(report + "\n\n" + KEEP_MARK + (keep if keep else "\n"))
        log(f"bench: wrote {RESULTS}")
    log(f"bench: done in {elapsed:.0f} s")


# ----------------------------------------------------------------------------
# Report

NA_SCRIPT = "no dependency concept (a start script's order is just the independent case)"


def render(R, meta, size_rows, libsz, only):
    m, v = meta["machine"], meta["versions"]
    L = []
    L.append("# zinit benchmarks (issue 4)")
    L.append("")
    L.append(f"Generated by `bench/bench.py` ({'quick mode, ' if meta['quick'] else ''}{meta['rounds']} interleaved "
             f"round{'s' if meta['rounds'] != 1 else ''}) on {meta['date']}, in {meta['elapsed_s']:.0f} s; "
             f"zinit at {meta['git']}.")
    L.append("")
    L.append("## Machine")
    L.append("")
    L.append(f"- {m['nproc']} CPUs: {m['cpu']}; {m['mem']} RAM; kernel {m['kernel']}; {m['os']}; Python {m['python']}")
    L.append(f"- load average at start / end: {meta['load'][0]} / {meta['load'][1]} (scenario 5's 10,000 runnable "
             "orphans alone push the 1-minute figure into the hundreds, and the machine may be shared), so "
             "absolute numbers are noisy: compare the ratios, which come from interleaved runs (zinit, "
             "peer, …, peer; peer, …, peer, zinit; …: each round starts one init further) in the same run.")
    L.append("")
    L.append("## Commands")
    L.append("")
    L.append("- `make bench` = `make -s && make -s static && python3 bench/bench.py` (3 rounds, writes this file); "
             "`make bench-quick` = the same with `--quick` (1 round, prints only).")
    L.append(f"- this run: `{meta['argv']}`")
    L.append("- every run: `unshare --pid --fork --mount-proc INIT ...` in a fresh scratch directory, where INIT is")
    L.append("  - zinit: `./zinit -s DIR/zinit.sock init -c DIR/units --container` (`build-static/zinit` for zinit-static), one `DIR/units/NAME.yaml` per service")
    L.append("  - tini: `tini -- sh DIR/run.sh`; dumb-init: `dumb-init sh DIR/run.sh`; catatonit: `catatonit -- sh DIR/run.sh` — "
             "`run.sh` starts every service with `CMD &`, traps TERM/INT to `kill -TERM` them and `wait`, then `wait`s")
    L.append("  - s6: `s6-svscan DIR/scan` (one service directory with a `run` script `exec CMD` per service, one s6-supervise each)")
    L.append("  - runit: `runsvdir DIR/sv` (same layout, one runsv each; `after` = `sv -w 10 start DEP || exit 1` in `run`, `test` = `./check`)")
    L.append("  - supervisord: `supervisord -n -c DIR/supervisord.conf` (`nodaemon`, `silent`, one `[program:NAME]` per service; chains use `priority`)")
    L.append("")
    L.append("## Versions")
    L.append("")
    L.append(table([[k, v[k]] for k in ["zinit"] + PEERS], ["init", "version (dpkg-query)"]))
    L.append("")
    L.append("## Results")
    L.append("")
    L.append("Medians over the runs, their min–max spread, and the ratio of each median to zinit's median "
             "(× zinit = peer / zinit: above 1 the peer needs more time or memory, or, for throughput, "
             "writes more lines/s). n/a: the peer has no such feature; the reason is given.")
    inits1 = ["zinit", "zinit-static"] + PEERS
    allin = ["zinit"] + PEERS

    if "1" in only:
        L.append("")
        L.append("### 1. Idle memory (KiB)")
        L.append("")
        L.append("N `sleep 1000` services, measured 0.5 s after all N `sleep` processes exist. PID 1: its own "
                 "`Rss`/`Pss` and USS (`Private_Clean + Private_Dirty`) from `/proc/PID/smaps_rollup`, and `RssAnon` "
                 "(`/proc/PID/status`). All: the sum over "
                 "PID 1 and every supervision process below it (s6-supervise, runsv, the tini/dumb-init/catatonit "
                 "start script `sh`), the `sleep` services excluded; procs = how many. PSS charges each shared page "
                 "to the processes mapping it, so it drops when other processes on this shared machine map the same "
                 "libraries (libc, libuv, the zinit binary of another test run); USS (pages only this process maps) "
                 "and RSS (every page it maps) bound it from below and above.")
        for n in (5, 200):
            d = R.get(f"1-mem-{n}", {})
            L.append("")
            L.append(f"**{n} services, PID 1**")
            L.append("")
            L.append(metric_table(d, inits1, [
                ("pid1_pss", "PSS", 1, "", True), ("pid1_uss", "USS", 1, "", False),
                ("pid1_rss", "RSS", 1, "", False), ("pid1_anon", "RssAnon", 1, "", True)]))
            L.append("")
            L.append(f"**{n} services, all supervision processes**")
            L.append("")
            L.append(metric_table(d, inits1, [
                ("all_pss", "PSS", 1, "", True), ("all_uss", "USS", 1, "", False),
                ("all_anon", "RssAnon", 1, "", True)],
                extra=[("nproc", "procs", values_of("nproc"))]))
        L.append("")
        L.append(f"**5 services, idle: wake-ups per minute** (context switches of PID 1, and of all the "
                 f"supervision processes above, over {IDLE_WINDOW:g} s right after the memory was measured, "
                 "while nothing happens: a timer or a poll loop shows here; 0 means the init sleeps until "
                 "something happens)")
        L.append("")
        L.append(metric_table(R.get("1-mem-5", {}), inits1, [
            ("pid1_wakes", "PID 1", 1, "", False), ("all_wakes", "all", 1, "", False)]))
    if "2" in only:
        L.append("")
        L.append("### 2. Start-up (ms)")
        L.append("")
        L.append("From launching `unshare` until the N-th service has announced itself: each service is "
                 "`sh -c 'echo NAME $$ > FIFO; exec sleep 1000'`, and the harness holds the FIFO open and "
                 "timestamps each line. Chain: each service `after` the previous one; the order is checked from "
                 "the announced PIDs (PIDs are allocated in spawn order in a fresh namespace) and, for zinit, "
                 "from its `NAME started` lines.")
        for n in (10, 200):
            L.append("")
            L.append(f"**{n} independent services**")
            L.append("")
            L.append(metric_table(R.get(f"2-start-{n}", {}), allin, [("time_ms", "time", 1, "", True)]))
            L.append("")
            L.append(f"**{n} services as one linear chain**")
            L.append("")
            na = {p: NA_SCRIPT for p in SCRIPT_INITS}
            na["s6"] = "ordering needs s6-rc (not part of s6-svscan)"
            na["runit"] = "no ordering in runsvdir; the `sv start` idiom polls (see scenario 3)"
            L.append(metric_table(R.get(f"2-chain-{n}", {}), allin, [("time_ms", "time", 1, "", True)],
                                  extra=[("order_ok", "order kept", all_of("order_ok"))], na=na))
        L.append("")
        L.append("supervisord's chain is `priority=1..N`: it orders the spawns but does not wait for anything. "
                 "zinit's chain without tests is also satisfied as soon as the previous service is spawned "
                 "(Running), in one start pass.")
    if "3" in only:
        L.append("")
        L.append("### 3. Readiness chain (ms)")
        L.append("")
        L.append("10 units r01…r10, each `after` the previous, each `sh -c 'sleep 0.1; touch MARK; exec sleep 1000'` "
                 "with the test `test -f MARK`. zinit: from launch to its `r10 is ready` line, order of the `is ready` "
                 "lines, and `zinit -s SOCK list` showing 10 `Running`. runit: `./check` = the test and "
                 "`sv -w 10 start PREV` at the top of `run`; timed until a sentinel service after r10 runs "
                 "(so it includes one more `sv start`). The lower bound is 10 × 100 ms.")
        L.append("")
        na = {p: "no readiness tests or dependencies" for p in SCRIPT_INITS + ("supervisord",)}
        na["s6"] = "readiness-gated ordering needs s6-rc"
        L.append(metric_table(R.get("3-ready", {}), allin, [("time_ms", "time", 1, "", True)],
                              extra=[("order_ok", "order kept", all_of("order_ok")),
                                     ("running", "Running in list", values_of("running"))], na=na))
    if "4" in only:
        L.append("")
        L.append("### 4. Log throughput")
        L.append("")
        L.append("`bench/helpers/linewriter.c` writes 100-byte lines (`ID:SEQ:filler\\n`, 64 KiB writes) as a "
                 "oneshot with `log: stdout`; PID 1's stdout is a pipe drained by `cat > FILE`. lines/s = lines / "
                 "(time from the writer's first write until FILE holds every byte). CPU = PID 1's utime+stime "
                 "(`/proc/PID/stat`, 10 ms ticks) per MB (10^6 bytes) of service output, read when the output is "
                 "complete (schedstat ns in brackets); the sink's CPU is that of the `cat > FILE`. `bench/helpers/linecheck.c` then verifies every line: "
                 "zinit's must be exactly `[+] ID: ` + the original line, the peers' exactly the original line; "
                 "lost = lines never seen, corrupt = lines cut, mixed or altered.")
        L.append("")
        L.append("References, not like-for-like: **tini** is not in the data path at all (the writer inherits "
                 "the pipe: raw, unprefixed; dumb-init, catatonit, s6 and runit behave the same); **cat relay** is "
                 "tini with each writer piped through a `cat` of its own: the cheapest process an init could put in "
                 "the data path (no prefix, no line framing, no log ring; the CPU column shows tini's, not the `cat`s'); "
                 "**prefix relay** is tini with each writer piped through `bench/helpers/prefixrelay.c`: the least "
                 "a process must do to write zinit's prefixes (1 MiB pipes and 256 KiB reads as zinit, each line "
                 "copied once after its prefix, one blocking write per read; no event loop, no log ring, no "
                 "back-pressure; the CPU column shows the relays' own, from `getrusage`); "
                 "**supervisord** copies the output (`stdout_logfile=/dev/stdout`) without prefixes or line "
                 "framing. The writer builds each line from a preformatted one (~20 ns a line), so that the "
                 "data path, not the writer, sets the pace.")
        for w, label in ((1, "1 service, 2,000,000 lines (200 MB)"), (4, "4 services at once, 500,000 lines each (200 MB)")):
            L.append("")
            L.append(f"**{label}**")
            L.append("")
            d = R.get(f"4-log-{w}", {})

            def cpu_col(samples):
                a = [s.get("cpu_ms_mb") for s in samples if "error" not in s and s.get("cpu_ms_mb") is not None]
                b = [s.get("cpu_ms_mb_ns") for s in samples if "error" not in s and s.get("cpu_ms_mb_ns") is not None]
                if not a:
                    return "—"
                return f"{fmt(statistics.median(a))} ({fmt(statistics.median(b))})"
            L.append(metric_table(d, log_inits(), [("lines_s", "Mlines/s", 1e-6, "", True)],
                                  extra=[("cpu", "PID 1 CPU ms/MB", cpu_col),
                                         ("sink", "`cat` sink CPU ms/MB", lambda s: stat_row(s, "sink_ms_mb")[1]),
                                         ("lost", "lost", sum_of("lost")),
                                         ("corrupt", "corrupt", sum_of("corrupt")), ("dup", "dup", sum_of("dup")),
                                         ("reordered", "reordered", sum_of("reordered"))]))
        L.append("")
        L.append("**zinit against each reference, round by round** (the inits of one round run back to back, so "
                 "a ratio within a round is not skewed by the machine's load drifting between rounds; "
                 "lines/s ratios > 1 mean zinit is faster, CPU ratios < 1 mean it spends less)")
        L.append("")
        L.append(table(ratio_rows(R), ["services", "measure", "median", "min–max", "rounds"]))
    if "5" in only:
        L.append("")
        L.append("### 5. Reaping 10,000 orphans")
        L.append("")
        L.append("`bench/helpers/orphans.c` is a oneshot service (for the script inits, started by `run.sh`): a "
                 "middle process creates 10,000 child processes blocked reading a pipe and exits, so they are "
                 "re-parented to PID 1 while idle; when the harness says go, the service exits, closing the pipe's "
                 "last write end, and every orphan sees EOF at once, stores CLOCK_MONOTONIC in a shared mapping and "
                 "exits (the orphans are `clone(CLONE_VM)` processes — own PID, not threads — so an exit is cheap "
                 "and its stamp close to the real exit). lag = the last reap − the last exit stamp, "
                 "where the last reap is timed by `bench/helpers/reapwatch.c`: it sleeps "
                 "until every orphan has stamped, then reads PID 1's `/proc/PID/task/TID/children` lists in "
                 "passes until no orphan is listed (a zombie stays on its parent's list until reaped; one read "
                 "takes microseconds once few are left, where checking 10,000 PIDs one by one takes 4 ms in C "
                 "and 14 ms in Python, which would count as lag), then checks that `kill(PID, 0)` fails for "
                 "every orphan. The harness "
                 "never opens an orphan's `/proc/PID` before it is reaped: that instantiates dentries the kernel "
                 "must flush at reap time and slowed every init's reaping (other processes on a shared machine "
                 "that scan `/proc`, such as `pgrep`, do the same and add noise). Zombies = orphans still PID 1's "
                 "children in state Z 0.3 s after (or at the time-out: 20 s, 5 s in quick mode). Exit span = "
                 "first to last orphan exit.")
        L.append("")
        L.append(metric_table(R.get("5-reap", {}), allin + [WAITLOOP, AUTOREAP], [("lag_ms", "lag ms", 1, "", True)],
                              extra=[("zombies", "zombies left", sum_of("zombies")),
                                     ("exit_span_ms", "exit span ms", lambda s: fmt(med([x.get("exit_span_ms") for x in s]))),
                                     ("left_at_first", "each run: lag ms (orphans not yet reaped at the last exit)",
                                      lambda s: ", ".join(f"{fmt(x['lag_ms'])} ({x['left_at_first']})" for x in s
                                                          if x.get("lag_ms") is not None)),
                                     ("orphans", "orphans", values_of("orphans"))]))
        fl = R.get("5-floor", {}).get("waitpid loop", [])
        us = med([x.get("reap_us") for x in fl])
        tot = med([x.get("total_ms") for x in fl])
        if us is not None:
            L.append("")
            L.append(f"Kernel floor on this machine (`bench/helpers/reapcost.c`: 10,000 children exit, then a bare "
                     f"`waitpid()` loop reaps them): {fmt(us)} µs per reap, {fmt(tot)} ms for all 10,000 (median of "
                     f"{len(fl)}). An init therefore meets a lag of a few ms only if it keeps pace while the orphans "
                     "are still exiting; whatever is left at the last exit costs at least that much per zombie. "
                     f"`{WAITLOOP}` is `bench/helpers/waitloop.c`, the simplest reaping PID 1 (runs `run.sh`, then "
                     "only a blocking `wait()` loop); "
                     f"`{AUTOREAP}` is the same program with SIGCHLD set to SIG_IGN, so that the kernel releases "
                     "each orphan in its own exit and there is nothing to reap: what is left of the lag there is "
                     "the floor of this measurement: the time between an orphan's exit stamp and the end of its "
                     "exit in the kernel, plus reapwatch's own wait for a CPU among thousands of runnable orphans.")
    if "6" in only:
        L.append("")
        L.append("### 6. Shutdown (ms)")
        L.append("")
        L.append("5 services `sh -c 'trap \"echo NAME >> RAN; exit 0\" TERM; echo NAME > FIFO; while :; do sleep 1 & "
                 "wait $!; done'`; once all 5 announced (+0.3 s), SIGTERM to PID 1 from the host; time until PID 1 "
                 "has exited (pidfd). graceful = services whose TERM handler ran (of 5), exit = `unshare`'s status "
                 "(PID 1's; negative = killed by that signal). Chain: each `after` the previous, must stop s5…s1.")
        L.append("")
        L.append("**independent**")
        L.append("")
        with_extra = allin[:1] + list(EXTRA_ZINITS) + allin[1:]
        L.append(metric_table(R.get("6-stop", {}), with_extra, [("time_ms", "time", 1, "", True)],
                              extra=[("graceful", "graceful", values_of("graceful")),
                                     ("exit", "exit", values_of("exit"))]))
        L.append("")
        L.append("**chain**")
        L.append("")
        na = {p: "no dependency concept: the script stops them all at once" for p in SCRIPT_INITS}
        na["s6"] = "stop ordering needs s6-rc"
        na["runit"] = "no ordering in runsvdir"
        L.append(metric_table(R.get("6-stop-chain", {}), with_extra, [("time_ms", "time", 1, "", True)],
                              extra=[("graceful", "graceful", values_of("graceful")),
                                     ("order_ok", "reverse order", all_of("order_ok")),
                                     ("order", "stop order", values_of("order")),
                                     ("exit", "exit", values_of("exit"))], na=na))
        L.append("")
        L.append("supervisord's chain is `priority=1..5`: it stops the groups in reverse priority order, each "
                 "after the previous has stopped.")
    if "7" in only and size_rows:
        L.append("")
        L.append("### 7. Binary sizes")
        L.append("")
        L.append("`strip`ped copies (the Debian peers are already stripped).")
        L.append("")
        rows = [[n, f"{s:,}" if s else "—", f"{s / MiB:.2f}" if s else "—", k] for n, s, k in size_rows]
        L.append(table(rows, ["binary", "bytes", "MiB", "linkage"]))
        if libsz:
            L.append("")
            L.append("The dynamic zinit also maps " + ", ".join(f"{n} ({s / 1024:.0f} KiB)" for n, s in libsz) +
                     " besides libc.")
    L.append("")
    L.append("## Budget (issue 4)")
    L.append("")
    L.append(table(budget(R, size_rows, only), ["scenario", "budget", "measured (medians)", "pass"]))
    return "\n".join(L)


def log_inits():
    """Scenario 4's inits: zinit, any --zinit binaries, and the references."""
    return ["zinit"] + list(EXTRA_ZINITS) + ["tini", RELAY, PREFIX_RELAY, "supervisord"]


def round_ratios(R, key, a, b, k):
    """a's k over b's k in each round where both succeeded."""
    ra, rb = R.get(key, {}).get(a, []), R.get(key, {}).get(b, [])
    return [x[k] / y[k] for x, y in zip(ra, rb) if x.get(k) and y.get(k)]


def ratio_rows(R):
    rows = []
    for w in (1, 4):
        key = f"4-log-{w}"
        measures = [(f"lines/s × {p}", p, "lines_s") for p in ("tini", RELAY, PREFIX_RELAY, "supervisord")]
        measures += [(f"CPU per MB × {p}", p, "cpu_ms_mb_ns") for p in (PREFIX_RELAY, "supervisord")]
        for label, peer, k in measures:
            r = round_ratios(R, key, "zinit", peer, k)
            if r:
                rows.append([str(w), label, f"{statistics.median(r):.2f}", f"{min(r):.2f}–{max(r):.2f}", str(len(r))])
    return rows


def mediankey(R, key, init, k, scale=1.0):
    s = [x.get(k) for x in R.get(key, {}).get(init, []) if "error" not in x and x.get(k) is not None]
    return statistics.median(s) * scale if s else None


def budget(R, size_rows, only):
    rows = []

    def verdict(ok):
        return "—" if ok is None else ("pass" if ok else "**FAIL**")
    if "1" in only:
        pss5 = mediankey(R, "1-mem-5", "zinit", "pid1_pss")
        anon5 = mediankey(R, "1-mem-5", "zinit", "pid1_anon")
        pss200 = mediankey(R, "1-mem-200", "zinit", "pid1_pss")
        anon200 = mediankey(R, "1-mem-200", "zinit", "pid1_anon")
        spss5 = mediankey(R, "1-mem-5", "zinit-static", "pid1_pss")
        sanon5 = mediankey(R, "1-mem-5", "zinit-static", "pid1_anon")
        procs = [x.get("nproc") for k in ("1-mem-5", "1-mem-200") for x in R.get(k, {}).get("zinit", []) if "error" not in x]
        g_pss = (pss200 - pss5) / 195 if pss5 and pss200 else None
        g_anon = (anon200 - anon5) / 195 if anon5 and anon200 else None
        rows.append(["1", "no extra process per service", f"supervision processes: {sorted(set(procs))}",
                     verdict(bool(procs) and all(p == 1 for p in procs))])
        rows.append(["1", "PSS of PID 1 ≤ 1.5 MiB at 5 services",
                     f"dynamic {fmt(pss5)} KiB, static {fmt(spss5)} KiB",
                     verdict(pss5 is not None and pss5 <= 1536)])
        rows.append(["1", "RssAnon of PID 1 ≤ 512 KiB at 5 services", f"dynamic {fmt(anon5)} KiB, static {fmt(sanon5)} KiB",
                     verdict(anon5 is not None and anon5 <= 512)])
        rows.append(["1", "growth 5 → 200 services ≤ 8 KiB per service",
                     f"PSS {fmt(g_pss)} KiB/service, RssAnon {fmt(g_anon)} KiB/service",
                     verdict(None if g_pss is None else (g_pss <= 8 and g_anon <= 8))])
    if "2" in only:
        z = mediankey(R, "2-start-200", "zinit", "time_ms")
        c = mediankey(R, "2-start-200", "catatonit", "time_ms")
        zc = mediankey(R, "2-chain-200", "zinit", "time_ms")
        orders = [x.get("order_ok") for x in R.get("2-chain-200", {}).get("zinit", []) + R.get("2-chain-10", {}).get("zinit", []) if "error" not in x]
        rows.append(["2", "200 independent ≤ 1.1 × catatonit",
                     f"zinit {fmt(z)} ms, catatonit {fmt(c)} ms: {z / c:.2f} ×" if z and c else "—",
                     verdict(z / c <= 1.1 if z and c else None)])
        rows.append(["2", "200-chain ≤ 1.5 × our independent time, order kept",
                     f"chain {fmt(zc)} ms = {zc / z:.2f} × {fmt(z)} ms; order kept {sum(map(bool, orders))}/{len(orders)}" if zc and z else "—",
                     verdict(zc / z <= 1.5 and orders and all(orders) if zc and z else None)])
    if "3" in only:
        t = mediankey(R, "3-ready", "zinit", "time_ms")
        runs = [x for x in R.get("3-ready", {}).get("zinit", [])]
        ok = runs and all("error" not in x and x.get("running") == 10 and x.get("order_ok") for x in runs)
        rows.append(["3", "all 10 Running within 2 s", f"{fmt(t)} ms (max {fmt(max((x.get('time_ms') or 0) for x in runs) if runs else None)} ms); 10 Running in `list` and in order: {'yes' if ok else 'NO'}",
                     verdict(t is not None and t <= 2000 and ok)])
    if "4" in only:
        ls = mediankey(R, "4-log-1", "zinit", "lines_s")
        cpu = mediankey(R, "4-log-1", "zinit", "cpu_ms_mb")
        cpu4 = mediankey(R, "4-log-4", "zinit", "cpu_ms_mb")
        ls4 = mediankey(R, "4-log-4", "zinit", "lines_s")
        runs = R.get("4-log-1", {}).get("zinit", []) + R.get("4-log-4", {}).get("zinit", [])
        lost = sum(x.get("lost", 0) for x in runs if "error" not in x)
        bad = sum(x.get("corrupt", 0) for x in runs if "error" not in x)
        errs = sum(1 for x in runs if "error" in x)
        rows.append(["4", "≥ 1.5 M lines/s with prefixes", f"{fmt(ls / 1e6 if ls else None)} M lines/s (4 writers: {fmt(ls4 / 1e6 if ls4 else None)} M)",
                     verdict(ls is not None and ls >= 1.5e6)])
        rows.append(["4", "≤ 3 ms of zinit CPU per MB", f"{fmt(cpu)} ms/MB (4 writers: {fmt(cpu4)} ms/MB)",
                     verdict(cpu is not None and cpu <= 3)])
        rows.append(["4", "0 lost, 0 corrupt (1 and 4 writers)", f"lost {lost}, corrupt {bad} over {len(runs)} runs" + (f", {errs} failed runs" if errs else ""),
                     verdict(bool(runs) and lost == 0 and bad == 0 and errs == 0)])
    if "5" in only:
        lag = mediankey(R, "5-reap", "zinit", "lag_ms")
        runs = R.get("5-reap", {}).get("zinit", [])
        z = sum(x.get("zombies", 0) for x in runs)
        fl = med([x.get("reap_us") for x in R.get("5-floor", {}).get("waitpid loop", [])])
        best = min((v for k, v in ((i, mediankey(R, "5-reap", i, "lag_ms")) for i in PEERS) if v is not None), default=None)
        wl = mediankey(R, "5-reap", WAITLOOP, "lag_ms")
        ar = mediankey(R, "5-reap", AUTOREAP, "lag_ms")
        rows.append(["5", "lag ≤ 5 ms, 0 zombies", f"lag {fmt(lag)} ms (best peer {fmt(best)} ms; a bare blocking "
                     f"`wait()` loop as PID 1: {fmt(wl)} ms; a PID 1 with nothing to reap ({AUTOREAP}): {fmt(ar)} ms; "
                     f"reaping 10,000 zombies that already exist: {fmt(fl)} µs each), zombies left {z} over "
                     f"{len(runs)} runs",
                     verdict(lag is not None and lag <= 5 and z == 0 and all("error" not in x for x in runs))])
    if "6" in only:
        z = mediankey(R, "6-stop", "zinit", "time_ms")
        c = mediankey(R, "6-stop", "catatonit", "time_ms")
        runs = R.get("6-stop", {}).get("zinit", []) + R.get("6-stop-chain", {}).get("zinit", [])
        grace = all(x.get("graceful") == 5 for x in runs) and bool(runs)
        order = all(x.get("order_ok") for x in R.get("6-stop-chain", {}).get("zinit", [])) and bool(R.get("6-stop-chain", {}).get("zinit"))
        ex = all(x.get("exit") == 0 for x in runs) and bool(runs)
        zc = mediankey(R, "6-stop-chain", "zinit", "time_ms")
        rows.append(["6", "≤ 1.5 × catatonit, every service graceful, chain in reverse order, exit 0",
                     (f"zinit {fmt(z)} ms, catatonit {fmt(c)} ms: {z / c:.2f} ×; chain {fmt(zc)} ms; " if z and c else "") +
                     f"graceful {'5/5 in every run' if grace else 'NO'}; reverse order {'yes' if order else 'NO'}; exit 0 {'yes' if ex else 'NO'}",
                     verdict(z is not None and c is not None and z / c <= 1.5 and grace and order and ex)])
    if "7" in only and size_rows:
        st = next((s for n, s, _ in size_rows if n.startswith("zinit (static")), None)
        dy = next((s for n, s, _ in size_rows if n.startswith("zinit (dynamic")), None)
        rows.append(["7", "static stripped ≤ 1.5 MiB (report dynamic)",
                     f"static {st / MiB:.2f} MiB ({st:,} B); dynamic {dy / MiB:.2f} MiB ({dy:,} B)" if st and dy else "—",
                     verdict(st is not None and st <= 1.5 * MiB)])
    return rows


if __name__ == "__main__":
    main()
