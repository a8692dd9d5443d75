"""Opens COUNT connections to the daemon's socket as this process's uid, asks daemon/status on each, and prints one
JSON line: how many were served, refused (the daemon's framed -32000 refusal) or failed (closed or unreachable).
Then keeps the served connections open until stdin closes, so a test can hold them as long as it needs.

Usage: python3 hold_connections.py SOCKET COUNT
"""

import json
import socket
import sys


def frame(message):
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def read_message(sock):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            return None
        data += chunk
    head, rest = data.split(b"\r\n\r\n", 1)
    length = 0
    for line in head.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(rest) < length:
        chunk = sock.recv(4096)
        if not chunk:
            return None
        rest += chunk
    return json.loads(rest[:length])


def main():
    path, count = sys.argv[1], int(sys.argv[2])
    held, served, refused, failed = [], 0, 0, 0
    for _ in range(count):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(20)
        try:
            sock.connect(path)
            sock.sendall(frame({"jsonrpc": "2.0", "id": 1, "method": "daemon/status"}))
            reply = read_message(sock)
        except OSError:
            failed += 1
            sock.close()
            continue
        if reply is not None and "result" in reply:
            served += 1
            held.append(sock)
        elif reply is not None and reply.get("error", {}).get("code") == -32000:
            refused += 1
            sock.close()
        else:
            failed += 1
            sock.close()
    print(json.dumps({"served": served, "refused": refused, "failed": failed}), flush=True)
    sys.stdin.read()


if __name__ == "__main__":
    main()
