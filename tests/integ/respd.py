#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A tiny RESP server standing in for zdb in the integration tests (standard library only).

  respd.py ADDR READYFILE MODE [BADNAME]
    ADDR       HOST:PORT (PORT 0: the kernel picks one) or unix:PATH
    READYFILE  written atomically once listening: the bound port, or the socket path
    MODE       pong    PING -> +PONG, anything else -> -ERR unknown command
               error   every command -> -ERR not ready
               silent  reads commands, never answers
               close   closes the connection when a command arrives
               ns      NSNEW NAME -> +OK the first time, then -This namespace is not available
                       (as zdb); NSNEW BADNAME -> -ERR boom BADNAME; PING -> +PONG
  Every command received is printed on stdout as one line ("NSNEW zdbfs-meta"), flushed.
  Exits after 60 s without any activity, so a scenario that dies cannot leak it.
"""
import os
import select
import socket
import sys

IDLE_SECONDS = 60


def listen(addr):
    if addr.startswith("unix:"):
        path = addr[len("unix:"):]
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.bind(path)
        where = path
    else:
        host, port = addr.rsplit(":", 1)
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((host, int(port)))
        where = str(s.getsockname()[1])
    s.listen(16)
    return s, where


def parse(buf):
    """One command from buf: (args, rest), or (None, buf) while it is incomplete."""
    if buf.startswith(b"*"):
        end = buf.find(b"\r\n")
        if end < 0:
            return None, buf
        count, pos, args = int(buf[1:end]), end + 2, []
        for _ in range(count):
            end = buf.find(b"\r\n", pos)
            if end < 0:
                return None, buf
            if buf[pos:pos + 1] != b"$":
                raise ValueError("expected a bulk string")
            start = end + 2
            stop = start + int(buf[pos + 1:end])
            if len(buf) < stop + 2:
                return None, buf
            args.append(buf[start:stop].decode(errors="replace"))
            pos = stop + 2
        return args, buf[pos:]
    end = buf.find(b"\n")
    if end < 0:
        return None, buf
    return buf[:end].decode(errors="replace").split(), buf[end + 1:]


class Responder:
    def __init__(self, mode, badname):
        self.mode, self.badname, self.created = mode, badname, set()

    def answer(self, args):
        """The reply to args (bytes), None for no reply, False to close the connection."""
        cmd = args[0].upper() if args else ""
        if self.mode == "silent":
            return None
        if self.mode == "close":
            return False
        if self.mode == "error":
            return b"-ERR not ready\r\n"
        if cmd == "PING":
            return b"+PONG\r\n"
        if self.mode == "ns" and cmd == "NSNEW" and len(args) == 2:
            name = args[1]
            if name == self.badname:
                return b"-ERR boom " + name.encode() + b"\r\n"
            if name in self.created:
                return b"-This namespace is not available\r\n"
            self.created.add(name)
            return b"+OK\r\n"
        return b"-ERR unknown command\r\n"


def serve(listener, responder):
    clients = {}
    while True:
        ready, _, _ = select.select([listener] + list(clients), [], [], IDLE_SECONDS)
        if not ready:
            return
        for s in ready:
            if s is listener:
                conn, _ = listener.accept()
                clients[conn] = b""
                continue
            data = s.recv(65536)
            if not data:
                s.close()
                del clients[s]
                continue
            clients[s] += data
            while s in clients:
                args, clients[s] = parse(clients[s])
                if args is None:
                    break
                print(" ".join(args), flush=True)
                reply = responder.answer(args)
                if reply is False:
                    s.close()
                    del clients[s]
                elif reply:
                    s.sendall(reply)


def main():
    if len(sys.argv) not in (4, 5):
        sys.exit(__doc__)
    listener, where = listen(sys.argv[1])
    tmp = sys.argv[2] + ".tmp"
    with open(tmp, "w") as f:
        f.write(where + "\n")
    os.rename(tmp, sys.argv[2])
    serve(listener, Responder(sys.argv[3], sys.argv[4] if len(sys.argv) == 5 else None))


if __name__ == "__main__":
    main()
