#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Issue 12 on Docker's own log path: one service's 100-byte lines from `linewriter` until
they are all in the container's json-file log, with zinit, tini, supervisord or nothing as the
container's PID 1. Python 3 standard library only; root, a Docker engine and `make static`.

    python3 bench/dockerlogs.py [--lines N] [--writers K] [--rounds R] [--inits LIST]
                                [--zinit NAME=BIN]

Each run: `docker run -d` of a small image (debian:bookworm-slim with the static zinit, tini,
linewriter and prefixrelay), the writers' first writes stamped by linewriter itself
(CLOCK_MONOTONIC, into a bind-mounted scratch directory), the end when the host has seen every
writer's last line in the log file (`docker inspect .LogPath`, looked at every 10 ms). With
--writers K, K services write N lines each at once (under zinit K units, under supervisord K
programs, else K background jobs of one `sh`), and the log entries that are not one whole line
are counted: lines mixed. The runs are interleaved, each round starting one init further.
supervisord, a Python program, runs from the host's Debian packages: the host's /usr is mounted
read-only over the image's (both Debian 12). `prefixrelay` is tini with each writer piped
through bench/helpers/prefixrelay.c (zinit's prefixes and nothing else; its CPU is in the PID 1
column). `none` is the writer alone as PID 1 (`sh` for several). Prints a Markdown report with
the kernel, the CPU and the Docker version; writes nothing else.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

from bench import cpu_ns, machine, med, sh, wait_for  # this directory's harness

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BUILD = os.path.join(HERE, ".build", "dockerlogs")
IMAGE = "zinit-logbench"
INITS = ("zinit", "tini", "supervisord", "prefixrelay", "none")
LINE = 100


def docker(*args, check=True):
    r = subprocess.run(("docker",) + args, capture_output=True, text=True)
    if check and r.returncode != 0:
        sys.exit(f"dockerlogs: docker {' '.join(args)}: {r.stderr.strip()}")
    return r.stdout.strip()


EXTRA_ZINITS = {}  # --zinit NAME=BIN: other zinit builds, run as zinit is


def build_image():
    zinit = os.path.join(ROOT, "build-static", "zinit")
    if not os.path.exists(zinit):
        sys.exit("dockerlogs: no build-static/zinit: run `make static` first")
    tini = shutil.which("tini-static")
    if not tini:
        sys.exit("dockerlogs: no tini-static: apt-get install tini")
    ctx = os.path.join(BUILD, "ctx")
    os.makedirs(ctx, exist_ok=True)
    for helper in ("linewriter", "prefixrelay"):
        subprocess.run([os.environ.get("CC", "cc"), "-O2", "-std=c11", "-static", "-o",
                        os.path.join(ctx, helper), os.path.join(HERE, "helpers", helper + ".c")],
                       check=True)
    shutil.copy(zinit, os.path.join(ctx, "zinit"))
    for name, path in EXTRA_ZINITS.items():
        shutil.copy(path, os.path.join(ctx, "zinit-" + name))
    shutil.copy(tini, os.path.join(ctx, "tini"))
    with open(os.path.join(ctx, "Dockerfile"), "w") as f:
        f.write("FROM debian:bookworm-slim\nCOPY zinit* tini linewriter prefixrelay /\n")
    docker("build", "-q", "-t", IMAGE, ctx)


def writer(i, n):
    return f"/linewriter w{i} {n} /b/start.{i}"


def command(init, d, n, k):
    """The `docker run` options and command of @init with @k writers of @n lines each, its
    files written into @d (/b inside)."""
    every = [writer(i, n) for i in range(k)]
    if init == "zinit" or init in EXTRA_ZINITS:
        os.mkdir(os.path.join(d, "units"))
        for i in range(k):
            with open(os.path.join(d, "units", f"w{i}.yaml"), "w") as f:
                f.write(f"exec: {writer(i, n)}\noneshot: true\nlog: stdout\n")
        binary = "/zinit" if init == "zinit" else "/zinit-" + init
        return [], [binary, "init", "-c", "/b/units", "--container"]
    if init == "supervisord":
        with open(os.path.join(d, "supervisord.conf"), "w") as f:
            f.write("[supervisord]\nnodaemon=true\nsilent=true\nlogfile=/b/supervisord.log\n"
                    "pidfile=/b/supervisord.pid\n")
            for i in range(k):
                f.write(f"\n[program:w{i}]\ncommand={writer(i, n)}\nautorestart=false\n"
                        "startsecs=0\nstdout_logfile=/dev/stdout\nstdout_logfile_maxbytes=0\n")
        return ["-v", "/usr:/usr:ro"], ["supervisord", "-n", "-c", "/b/supervisord.conf"]
    if init == "prefixrelay":  # zinit's prefixes with nothing else: what they cost Docker
        every = [f"{w} | /prefixrelay w{i} /b/relay.{i}.cpu" for i, w in enumerate(every)]
    if k == 1 and init != "prefixrelay":
        script = every[0].split()
    else:  # the writers side by side, under sh
        script = ["/bin/sh", "-c", " & ".join(every) + " & wait"]
    return [], (["/tini", "--"] if init != "none" else []) + script


def read_int(path):
    with open(path) as f:
        return int(f.read().split()[0])


def ppid_of(pid):
    with open(f"/proc/{pid}/stat") as f:
        return int(f.read().rsplit(")", 1)[1].split()[1])


def all_seen(path, lasts):
    """A condition for wait_for(): the time at which what has been appended to @path held
    every line of @lasts, else None. The log is scanned once, as it grows."""
    lasts, seen, tail = set(lasts), 0, b""

    def check():
        nonlocal lasts, seen, tail
        try:
            size = os.stat(path).st_size
        except FileNotFoundError:
            return None
        if size > seen:
            with open(path, "rb") as f:
                f.seek(seen)
                chunk = tail + f.read(size - seen)
            seen, tail = size, chunk[-64:]
            lasts = {m for m in lasts if m not in chunk}
        return None if lasts else time.monotonic()
    return check


def one_run(init, n, k, tmp):
    d = tempfile.mkdtemp(prefix=f"{init}-", dir=tmp)
    name = f"logbench-{init}"
    docker("rm", "-f", name, check=False)
    opts, cmd = command(init, d, n, k)
    dockerd = (sh("pidof dockerd").split() or [None])[0]  # another engine: the shim's CPU only
    cid = docker("run", "-d", "--name", name, "-v", f"{d}:/b", *opts, IMAGE, *cmd)
    log_path = docker("inspect", "-f", "{{.LogPath}}", cid)
    pid1 = int(docker("inspect", "-f", "{{.State.Pid}}", cid))
    shim = ppid_of(pid1)

    def engine_ns():  # the CPU of dockerd and of the container's shim
        return sum(cpu_ns(p) or 0 for p in (dockerd, shim) if p)

    before = engine_ns()
    end = wait_for(all_seen(log_path, [b"w%d:%010d:" % (i, n - 1) for i in range(k)]), 300)
    docker_ns = engine_ns() - before
    init_ns = 0
    if init in ("zinit", "supervisord") or init in EXTRA_ZINITS:
        init_ns = cpu_ns(pid1) or 0
    if init == "prefixrelay":  # each relay writes its CPU time once its input ends
        for i in range(k):
            cpu_file = os.path.join(d, f"relay.{i}.cpu")
            wait_for(lambda: os.path.exists(cpu_file), 10)
            init_ns += read_int(cpu_file)
    start = min(read_int(os.path.join(d, f"start.{i}")) for i in range(k)) / 1e9
    with open(log_path, "rb") as f:
        data = f.read()
    # a writer's line, whole, alone in its log entry (zinit's prefix before it, or none)
    good = len(re.findall(rb'"log":"(?:\[\+\] w\d: )?w\d:\d{10}:[a-z]{85}\\n","stream":"stdout"', data))
    entries = data.count(b'"stream":"stdout"') - data.count(b'{"log":"zinit: ')  # zinit's own
    docker("rm", "-f", name)
    shutil.rmtree(d)
    if end is None:
        return {"error": f"not every last line reached the log ({good} of {k * n} lines did)"}
    mb = k * n * LINE / 1e6
    return {"lines_s": k * n / (end - start), "init_ms_mb": init_ns / 1e6 / mb,
            "docker_ms_mb": docker_ns / 1e6 / mb, "lost": k * n - good,
            "mixed": entries - good, "log_bytes": len(data)}


def num(x, digits):
    return "—" if x is None else f"{x:.{digits}f}"


def report(res, inits, args):
    m = machine()
    print(f"## Docker's log path: {args.writers} × {args.lines:,} lines of {LINE} bytes, "
          f"{args.rounds} interleaved rounds\n")
    print(f"Kernel {m['kernel']}, {m['nproc']} CPUs, {m['cpu']}; Docker "
          f"{docker('version', '-f', '{{.Server.Version}}')}, log driver "
          f"{docker('info', '-f', '{{.LoggingDriver}}')}; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.\n")
    print("| PID 1 | k lines/s, median (min–max) | PID 1 CPU ms/MB | dockerd + shim CPU ms/MB "
          "| lost or mixed lines | log entries not a whole line | json log MB |")
    print("|---|---|---|---|---|---|---|")
    for i in inits:
        ok = [r for r in res[i] if "error" not in r]
        ls = [r["lines_s"] / 1e3 for r in ok]
        row = (f"| {i} | {num(med(ls), 0)} ({min(ls, default=0):.0f}–{max(ls, default=0):.0f}) | "
               f"{num(med([r['init_ms_mb'] for r in ok]), 2)} | "
               f"{num(med([r['docker_ms_mb'] for r in ok]), 2)} | "
               f"{sum(r['lost'] for r in ok)} | {sum(r['mixed'] for r in ok)} | "
               f"{num(med([r['log_bytes'] / 1e6 for r in ok]), 0)} |")
        print(row)
        for r in res[i]:
            if "error" in r:
                print(f"\n{i}: {r['error']}")
    if "zinit" in inits:
        print("\n| zinit's lines/s, round by round | median (min–max) |\n|---|---|")
        for i in inits:
            if i == "zinit":
                continue
            q = [z["lines_s"] / o["lines_s"] for z, o in zip(res["zinit"], res[i])
                 if "error" not in z and "error" not in o]
            if q:
                print(f"| × {i} | {med(q):.2f} ({min(q):.2f}–{max(q):.2f}) |")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--lines", type=int, default=1000000)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--writers", type=int, default=1, help="services writing at once (1-10)")
    ap.add_argument("--inits", default=",".join(INITS))
    ap.add_argument("--zinit", action="append", default=[], metavar="NAME=BIN",
                    help="another static zinit build, measured beside the others as NAME")
    args = ap.parse_args()
    inits = args.inits.split(",")
    if not 1 <= args.writers <= 10:
        sys.exit(f"dockerlogs: --writers {args.writers}: expected 1 to 10")
    for z in args.zinit:
        name, _, path = z.partition("=")
        if not name or name in INITS or not os.path.isfile(path):
            sys.exit(f"dockerlogs: --zinit {z}: expected NAME=BIN, a new name and a file")
        EXTRA_ZINITS[name] = path
        inits.append(name)
    for i in inits:
        if i not in INITS and i not in EXTRA_ZINITS:
            sys.exit(f"dockerlogs: --inits: unknown init '{i}' (known: {', '.join(INITS)})")
    if "supervisord" in inits and not shutil.which("supervisord"):
        sys.exit("dockerlogs: no supervisord on the host: apt-get install supervisor")
    build_image()
    res = {i: [] for i in inits}
    with tempfile.TemporaryDirectory(prefix="dockerlogs-", dir="/dev/shm") as tmp:
        for r in range(args.rounds):
            order = inits[r % len(inits):] + inits[:r % len(inits)]
            for i in order:
                res[i].append(one_run(i, args.lines, args.writers, tmp))
                x = res[i][-1]
                print(f"round {r + 1} {i}: " + (x.get("error") or f"{x['lines_s'] / 1e3:.0f} k lines/s"),
                      file=sys.stderr, flush=True)
    report(res, inits, args)


if __name__ == "__main__":
    main()
