"""A plain Python HTTP/1.1 server for the eBPF receiver's kernel tests (standard library only).

Usage: python3 server.py PORT. Routes: /ok, /status/<code>, /big (1 MiB), /echo (POST body back); anything else 404.
"""
import http.server
import sys

BIG = b"p" * (1 << 20)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):
        pass

    def _send(self, code, body):
        self.send_response(code)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path == "/ok":
            self._send(200, b"ok\n")
        elif self.path.startswith("/status/") and self.path[8:].isdigit():
            self._send(int(self.path[8:]), b"status\n")
        elif self.path == "/big":
            self._send(200, BIG)
        else:
            self._send(404, b"not found\n")

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        if self.path == "/echo":
            self._send(200, body)
        else:
            self._send(404, b"not found\n")


class Server(http.server.ThreadingHTTPServer):
    request_queue_size = 128  # the tests open 50 connections at once


Server(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
