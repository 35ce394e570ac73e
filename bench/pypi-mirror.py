#!/usr/bin/env python3
"""A PyPI mirror for containers that cannot reach PyPI themselves (docker's bridge here has no
route out): serves /simple/<project>/ from PyPI with the file links pointed back at itself, and
/files/<path> from files.pythonhosted.org, kept on disk after the first fetch so that a bench
measures installs, not the internet. Files are immutable, as PyPI serves them; pages carry the
Cache-Control PyPI sent, if any.
  pypi-mirror.py <bind address> <files dir>     prints the port on its first line, then serves.
"""
import os
import shutil
import sys
import tempfile
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BIND, FILES = sys.argv[1], sys.argv[2]
PYPI, HOSTED = "https://pypi.org/simple/", "https://files.pythonhosted.org/"


class Mirror(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def reply(self, status, body, kind="text/html", cache=None):
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        if cache:
            self.send_header("Cache-Control", cache)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_GET(self):
        path = self.path.split("?")[0]
        try:
            if path in ("/simple", "/simple/"):
                # The root lists every project on PyPI (tens of MB): only the builds' index probe asks for it.
                return self.reply(200, b"<!DOCTYPE html><html><body></body></html>\n")
            if path.startswith("/simple/"):
                request = urllib.request.Request(PYPI + path[len("/simple/"):], headers={"Accept": "text/html"})
                with urllib.request.urlopen(request, timeout=60) as r:
                    page, cache = r.read().decode(), r.headers.get("Cache-Control")
                here = f"http://{self.headers['Host']}/files/"
                return self.reply(200, page.replace(HOSTED, here).encode(), cache=cache)
            if path.startswith("/files/"):
                relative = path[len("/files/"):]
                local = os.path.join(FILES, relative)
                if not os.path.isfile(local):
                    os.makedirs(os.path.dirname(local), exist_ok=True)
                    with urllib.request.urlopen(HOSTED + relative, timeout=300) as r, tempfile.NamedTemporaryFile(dir=os.path.dirname(local), delete=False) as out:
                        shutil.copyfileobj(r, out)
                    os.replace(out.name, local)
                with open(local, "rb") as f:
                    return self.reply(200, f.read(), "application/octet-stream", "max-age=365000000, immutable, public")
            return self.reply(404, b"not found\n", "text/plain")
        except urllib.error.HTTPError as e:
            return self.reply(e.code, f"{e}\n".encode(), "text/plain")

    do_HEAD = do_GET


server = ThreadingHTTPServer((BIND, 0), Mirror)
print(server.server_address[1], flush=True)
server.serve_forever()
