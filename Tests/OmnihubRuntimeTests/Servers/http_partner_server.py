"""A partner's HTTP server for omnihub's transport tests, on loopback.

GET /feed.json serves <root>/feed.json with an ETag (and answers 304 to a matching
If-None-Match); PUT /upload/<name> and POST /upload store the body in <root>/uploads/,
refusing a name that is there with 409. A file <root>/fail makes every answer a 503.
Every request is logged to <root>/requests.log, one line each: method, path, headers that matter.
"""

import hashlib
import os
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROOT = sys.argv[2]


class Partner(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def record(self):
        with open(os.path.join(ROOT, "requests.log"), "a") as log:
            keys = ("If-None-Match", "Authorization", "Idempotency-Key", "Content-Disposition")
            seen = " ".join(f"{k}={self.headers.get(k)}" for k in keys if self.headers.get(k))
            log.write(f"{self.command} {self.path} {seen}\n")

    def answer(self, status, body=b"", headers=None):
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def failing(self):
        if os.path.exists(os.path.join(ROOT, "fail")):
            self.answer(503, b"down for maintenance\n")
            return True
        return False

    def do_GET(self):
        self.record()
        if self.failing():
            return
        path = os.path.join(ROOT, "feed.json")
        if self.path != "/feed.json" or not os.path.exists(path):
            return self.answer(404)
        body = open(path, "rb").read()
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        if self.headers.get("If-None-Match") == etag:
            return self.answer(304, headers={"ETag": etag})
        self.answer(200, body, {"ETag": etag, "Content-Type": "application/json"})

    def store(self, name):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        if self.failing():
            return
        os.makedirs(os.path.join(ROOT, "uploads"), exist_ok=True)
        target = os.path.join(ROOT, "uploads", os.path.basename(name))
        if os.path.exists(target):
            return self.answer(409, b"already there\n")
        with open(target, "wb") as file:
            file.write(body)
        self.answer(201)

    def do_PUT(self):
        self.record()
        self.store(self.path.rsplit("/", 1)[-1])

    def do_POST(self):
        self.record()
        disposition = self.headers.get("Content-Disposition", "")
        name = disposition.split("filename=")[-1].strip('"') if "filename=" in disposition else "unnamed"
        self.store(name)


ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Partner).serve_forever()
