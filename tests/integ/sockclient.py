#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Raw clients of zinit's control socket for the integration tests (standard library only).

Every socket operation has a deadline, so nothing can hang. Exit status: 0 ok, 2 cannot
connect, 3 timed out, 4 unexpected data, 5 early EOF, 6 bad usage.

  sockclient.py [-t SECONDS] PATH STEP...      a scripted conversation on one connection
    s:TEXT     send TEXT (escapes \\n \\r \\t \\\\ \\xNN \\" are interpreted)
    S:FILE     send the contents of FILE
    w:SECONDS  pause
    shut       shutdown(SHUT_WR)
    l[:N]      read N lines (default 1) ending in "\\n"; print each
    eof        read to EOF; print what came verbatim (nothing added)
    quiet:SEC  fail (4) if anything arrives within SEC; an EOF then also fails (5)
    until:RE   read lines until one matches the regex RE; print them all (one deadline)
    find:RE    the same, printing only the matching line
    t          print the seconds elapsed since the connection was made ("t=1.23")
    cap:NAME   remember the "result" of the last line read; s: then replaces @NAME@ by it
  sockclient.py flood PATH line|rpc|blank MBYTES  send MBYTES of one endless request (blank:
                 only spaces) while reading; prints "sent=N eof=0|1" then the reply verbatim
                 on the next line
  sockclient.py many PATH N TEXT               N connections open at once, then each sends
                 TEXT (escapes as s:) and reads to EOF (line protocol) or one line (JSON-RPC)
                 prints "answered=K" and the distinct answers
  sockclient.py hold PATH TEXT SECONDS         send TEXT, then never read, for SECONDS
  sockclient.py stale PATH                     bind a socket at PATH, close it, leave the file
  sockclient.py rpc PATH < CHECKS             JSON-RPC requests on one connection, one at a time,
                 each line "METHOD PARAMS EXPR" (PARAMS: JSON without blanks, or - for none);
                 the reply (id and "jsonrpc" checked) must satisfy the Python expression EXPR,
                 with r = the reply, v = a dict kept across lines, code(r) = the error code or
                 None, null(r) = a null result, zerr(r, ...) = zinit's error with its data and
                 plain(r, code) = an error without data (see zerr and plain below); "~METHOD"
                 repeats the request until EXPR holds
                 (10 s); "#" lines are comments. Prints each failure; exit 1 if any
  sockclient.py jtest EXPR     read JSON lines from stdin; exit 0 if the Python expression EXPR
                 is true, with r = the first line decoded and rs = all of them (zerr and plain
                 as in rpc), else print them
"""
import json
import os
import re
import select
import socket
import sys
import time

EXIT_CONNECT, EXIT_TIMEOUT, EXIT_DATA, EXIT_EOF, EXIT_USAGE = 2, 3, 4, 5, 6


def die(code, msg):
    sys.stderr.write("sockclient: %s\n" % msg)
    sys.stdout.flush()
    sys.exit(code)


def unescape(text):
    return text.encode("utf-8").decode("unicode_escape").encode("latin-1")


def connect(path, timeout):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(timeout)
    try:
        s.connect(path)
    except OSError as e:
        die(EXIT_CONNECT, "cannot connect to %s: %s" % (path, e))
    return s


class Reader:
    def __init__(self, sock, timeout):
        self.sock, self.timeout, self.buf, self.eof = sock, timeout, b"", False

    def fill(self, deadline):
        """Reads more bytes; False on EOF; exits on timeout."""
        left = deadline - time.monotonic()
        if left <= 0:
            die(EXIT_TIMEOUT, "timed out; have %r" % self.buf[:200])
        self.sock.settimeout(left)
        try:
            data = self.sock.recv(65536)
        except socket.timeout:
            die(EXIT_TIMEOUT, "timed out; have %r" % self.buf[:200])
        except ConnectionResetError:
            data = b""
        if not data:
            self.eof = True
            return False
        self.buf += data
        return True

    def line(self, deadline=None):
        deadline = deadline or time.monotonic() + self.timeout
        while b"\n" not in self.buf:
            if not self.fill(deadline):
                die(EXIT_EOF, "EOF before a full line; have %r" % self.buf[:200])
        line, self.buf = self.buf.split(b"\n", 1)
        return line + b"\n"

    def to_eof(self):
        deadline = time.monotonic() + self.timeout
        while self.fill(deadline):
            pass
        data, self.buf = self.buf, b""
        return data


def out(data):
    sys.stdout.buffer.write(data)
    sys.stdout.flush()


def script(path, steps, timeout):
    sock = connect(path, timeout)
    t0 = time.monotonic()
    rd = Reader(sock, timeout)
    last, names = b"", {}
    for step in steps:
        op, _, arg = step.partition(":")
        if op == "s":
            for k, v in names.items():
                arg = arg.replace("@%s@" % k, v)
            sock.settimeout(timeout)
            sock.sendall(unescape(arg))
        elif op == "S":
            with open(arg, "rb") as f:
                sock.settimeout(timeout)
                sock.sendall(f.read())
        elif op == "w":
            time.sleep(float(arg))
        elif op == "shut":
            sock.shutdown(socket.SHUT_WR)
        elif op == "l":
            for _ in range(int(arg or 1)):
                last = rd.line()
                out(last)
        elif op == "cap":
            names[arg] = json.dumps(json.loads(last)["result"])
        elif op == "eof":
            out(rd.to_eof())
        elif op == "quiet":
            end = time.monotonic() + float(arg)
            while time.monotonic() < end and not rd.buf:
                r, _, _ = select.select([sock], [], [], max(0.0, end - time.monotonic()))
                if r and not rd.fill(end + timeout):
                    die(EXIT_EOF, "EOF while expecting silence")
            if rd.buf:
                die(EXIT_DATA, "unexpected data: %r" % rd.buf[:300])
        elif op in ("until", "find"):
            rx = re.compile(arg.encode())
            deadline = time.monotonic() + timeout  # for all the lines, however many come
            while True:
                line = last = rd.line(deadline)
                if op == "until" or rx.search(line):
                    out(line)
                if rx.search(line):
                    break
        elif op == "t":
            out(b"t=%.2f\n" % (time.monotonic() - t0))
        else:
            die(EXIT_USAGE, "unknown step %r" % step)
    sock.close()


def flood(path, kind, mbytes, timeout):
    """Sends an endless request while reading; stops at EOF, at a reset, or when all is sent."""
    sock = connect(path, timeout)
    sock.setblocking(False)
    total = int(float(mbytes) * 1024 * 1024)
    head = b'{"jsonrpc":"2.0","id":1,"method":"service_status","params":["' if kind == "rpc" else b""
    chunk = (b" " if kind == "blank" else b"a") * 65536
    sent, got, eof = 0, b"", False
    pending = head
    deadline = time.monotonic() + timeout
    writing = True
    while not eof and time.monotonic() < deadline:
        if writing and not pending:
            if sent >= total:
                writing = False
            else:
                pending = chunk[: min(len(chunk), total - sent)]
        r, w, _ = select.select([sock], [sock] if writing else [], [], 0.2)
        if r:
            try:
                data = sock.recv(65536)
            except ConnectionResetError:
                data = b""
            except BlockingIOError:
                data = None
            if data == b"":
                eof = True
            elif data:
                got += data
        if w and writing:
            try:
                n = sock.send(pending)
                sent += n
                pending = pending[n:]
            except BlockingIOError:
                pass
            except (BrokenPipeError, ConnectionResetError):
                writing = False
    sock.close()
    out(b"sent=%d eof=%d\n" % (sent, 1 if eof else 0) + got + b"\n")


def many(path, n, text, timeout):
    socks = [connect(path, timeout) for _ in range(int(n))]
    msg = unescape(text)
    for s in socks:
        s.sendall(msg)
    rpc = msg.lstrip()[:1] in (b"{", b"[")
    answers = {}
    answered = 0
    for s in socks:
        rd = Reader(s, timeout)
        data = rd.line() if rpc else rd.to_eof()
        if data:
            answered += 1
            answers[data] = answers.get(data, 0) + 1
        s.close()
    out(b"answered=%d\n" % answered)
    for a in answers:
        out(a.rstrip(b"\n") + b"\n")


def hold(path, text, seconds, timeout):
    sock = connect(path, timeout)
    sock.sendall(unescape(text))
    out(b"holding\n")
    time.sleep(float(seconds))
    sock.close()


def stale(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind(path)
    s.listen(1)
    s.close()  # the file stays: like a socket left by a killed process


def code(r):
    return r["error"]["code"] if isinstance(r.get("error"), dict) else None


def null(r):
    return "error" not in r and "result" in r and r["result"] is None


GENERIC_KEYS = {"action", "cause_chain", "code_name", "hint", "retryable", "service"}


def zerr(r, code_, message, code_name, arg, retryable=None):
    """Whether r is zinit 0.2.28's error CODE_ with MESSAGE, and data (its keys sorted, as
    serde_json writes them) naming CODE_NAME and ARG (the service, or the invalid signal).
    With RETRYABLE (True or False): the shape of its zinit_err_to_rpc(), six keys, the action
    the message's prefix; without: an error it builds by hand, four keys."""
    e = r.get("error")
    d = e.get("data") if isinstance(e, dict) else None
    if not isinstance(d, dict) or e.get("code") != code_ or e.get("message") != message:
        return False
    if list(d) != sorted(d) or d.get("code_name") != code_name or not d.get("hint") or not d.get("action"):
        return False
    if retryable is None:  # and ours: cause_chain, when zinit's message does not say why
        return (len(d) == 4 + ("cause_chain" in d) and
                d.get("signal" if code_ == -32004 else "service", False) == arg)
    return (set(d) == GENERIC_KEYS and message.startswith(d["action"] + ": ") and
            d["cause_chain"] is None and d["retryable"] is retryable and d["service"] == arg)


def plain(r, code_):
    """Whether r is the error CODE_ with a message and no data, as jsonrpsee sends its own."""
    e = r.get("error")
    return isinstance(e, dict) and set(e) == {"code", "message"} and e["code"] == code_


def rpc_checks(path, timeout):
    sock = connect(path, timeout)
    rd = Reader(sock, timeout)
    env = {"v": {}, "code": code, "null": null, "zerr": zerr, "plain": plain}
    failures = 0
    for n, text in enumerate(sys.stdin.read().splitlines(), 1):
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        method, params, expr = text.split(None, 2)
        poll = method.startswith("~")
        method = method.lstrip("~")
        msg = {"jsonrpc": "2.0", "id": n, "method": method}
        if params != "-":
            msg["params"] = json.loads(params)
        deadline = time.monotonic() + timeout
        while True:
            why = ""
            sock.sendall(json.dumps(msg).encode())
            line = rd.line()
            r = json.loads(line)
            try:
                ok = r.get("id") == n and r.get("jsonrpc") == "2.0" and eval(expr, dict(env, r=r))
            except Exception as e:  # a missing key is a failed check
                ok, why = False, " (%r)" % e
            if ok or not poll or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        if not ok:
            failures += 1
            sys.stderr.write("rpc check failed: %s %s: %s%s\n  reply: %s" % (method, params, expr, why, line.decode()))
    sock.close()
    sys.exit(1 if failures else 0)


def jtest(expr):
    text = sys.stdin.read()
    try:
        rs = [json.loads(l) for l in text.splitlines() if l.strip()]
        r = rs[0] if rs else None
        ok = eval(expr, {"r": r, "rs": rs, "zerr": zerr, "plain": plain})
    except Exception as e:  # not JSON, or a missing key: a failed check, not a crash
        ok = False
        sys.stderr.write("jtest: %s: %r\n" % (expr, e))
    if not ok:
        sys.stderr.write("jtest: false: %s\n  on: %s\n" % (expr, text[:2000]))
        sys.exit(1)


def main(argv):
    timeout = 10.0
    if len(argv) > 2 and argv[0] == "-t":
        timeout = float(argv[1])
        argv = argv[2:]
    if not argv:
        die(EXIT_USAGE, "usage: see the comment at the top")
    cmd = argv[0]
    try:
        if cmd == "flood" and len(argv) == 4:
            flood(argv[1], argv[2], argv[3], timeout)
        elif cmd == "many" and len(argv) == 4:
            many(argv[1], argv[2], argv[3], timeout)
        elif cmd == "hold" and len(argv) == 4:
            hold(argv[1], argv[2], argv[3], timeout)
        elif cmd == "rpc" and len(argv) == 2:
            rpc_checks(argv[1], timeout)
        elif cmd == "jtest" and len(argv) == 2:
            jtest(argv[1])
        elif cmd == "stale" and len(argv) == 2:
            stale(argv[1])
        elif cmd.startswith("/") or os.path.exists(cmd):
            script(cmd, argv[1:], timeout)
        else:
            die(EXIT_USAGE, "bad command line: %r" % argv)
    except socket.timeout:
        die(EXIT_TIMEOUT, "timed out")
    except BrokenPipeError as e:
        die(EXIT_EOF, "peer closed: %s" % e)


if __name__ == "__main__":
    main(sys.argv[1:])
