"""A real HTTP server for tests/cli/send.rs that records the Slack webhook's requests.

    python3 webhook_server.py DIR [--status CODE] [--body TEXT]

Listens on 127.0.0.1 (a free port), answers every POST with CODE (200 by default) and TEXT
(`ok` by default), and writes each request to DIR/N.json: its path, its Content-Type and its body
parsed as JSON (`null` when it is not JSON, with the raw text beside it). Prints `PORT <n>` once
listening, then serves until killed.
"""

import argparse
import json
import os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("dir")
    parser.add_argument("--status", type=int, default=200)
    parser.add_argument("--body", default="ok")
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    count = [0]

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length", "0"))
            raw = self.rfile.read(length).decode("utf-8", "replace")
            try:
                body = json.loads(raw)
            except ValueError:
                body = None
            count[0] += 1
            path = os.path.join(args.dir, f"{count[0]}.json")
            with open(path + ".part", "w") as f:
                json.dump({"path": self.path, "content_type": self.headers.get("Content-Type"),
                           "json": body, "raw": raw}, f)
            os.rename(path + ".part", path)
            answer = args.body.encode()
            self.send_response(args.status)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *_):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(f"PORT {server.server_address[1]}", flush=True)
    server.serve_forever()


main()
