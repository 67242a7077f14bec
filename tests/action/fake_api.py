#!/usr/bin/env python3
"""A fake GitHub issues-comments API for tests/action/sim.sh: loopback only, bounded life.

Serves GET/POST /repos/O/R/issues/N/comments (paged) and PATCH /repos/O/R/issues/comments/ID
from memory, appends every request as one JSON line to LOG, writes its port to PORT_FILE.
The token "read-only" may read but not write (403), like a fork's pull-request token.
Usage: fake_api.py PORT_FILE LOG SEED_COMMENTS LIFETIME_SECONDS
"""

import json
import re
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

COMMENTS = {}  # id -> {"id", "issue", "body"}
LOCK = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def reply(self, status, payload):
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def handle_any(self):
        url = urllib.parse.urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"null") if length else None
        auth = self.headers.get("Authorization", "")
        with LOCK:
            with open(LOG, "a", encoding="utf-8") as f:
                f.write(json.dumps({"method": self.command, "path": url.path, "query": url.query,
                                    "auth": auth, "body": body}) + "\n")
            if not auth.startswith("Bearer "):
                return self.reply(401, {"message": "Requires authentication"})
            writing = self.command in ("POST", "PATCH")
            if writing and auth == "Bearer read-only":
                return self.reply(403, {"message": "Resource not accessible by integration"})
            m = re.fullmatch(r"/repos/[^/]+/[^/]+/issues/(\d+)/comments", url.path)
            if m and self.command == "GET":
                q = urllib.parse.parse_qs(url.query)
                per_page = int(q.get("per_page", ["30"])[0])
                page = int(q.get("page", ["1"])[0])
                mine = [c for c in sorted(COMMENTS.values(), key=lambda c: c["id"])
                        if c["issue"] == int(m.group(1))]
                return self.reply(200, mine[(page - 1) * per_page: page * per_page])
            if m and self.command == "POST":
                new_id = max(COMMENTS, default=1000) + 1
                COMMENTS[new_id] = {"id": new_id, "issue": int(m.group(1)), "body": body["body"]}
                return self.reply(201, COMMENTS[new_id])
            m = re.fullmatch(r"/repos/[^/]+/[^/]+/issues/comments/(\d+)", url.path)
            if m and self.command == "PATCH" and int(m.group(1)) in COMMENTS:
                COMMENTS[int(m.group(1))]["body"] = body["body"]
                return self.reply(200, COMMENTS[int(m.group(1))])
            return self.reply(404, {"message": "Not Found"})

    do_GET = do_POST = do_PATCH = handle_any


if __name__ == "__main__":
    port_file, LOG, seed, lifetime = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
    for i in range(seed):  # other people's comments, so the marker is found past page one
        COMMENTS[1 + i] = {"id": 1 + i, "issue": 7, "body": f"an unrelated comment {i}"}
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Timer(lifetime, server.shutdown).start()
    with open(port_file + ".tmp", "w", encoding="utf-8") as f:
        f.write(str(server.server_address[1]))
    import os
    os.replace(port_file + ".tmp", port_file)
    server.serve_forever()
