"""The HTTP side of the annotation page: the standard library's threading server on loopback.

It refuses, with a 4xx and without touching any file:
- a Host header other than this server's loopback address and port, and an Origin (or a
  Sec-Fetch-Site) that is not this page: another site open in the same browser could otherwise
  post answers (CSRF) or read the tasks after pointing its own name at 127.0.0.1 (DNS rebinding);
- a body over MAX_BODY bytes, without reading it; a body that is not JSON;
- a path outside the static folder, however it is spelled;
- what the session refuses: an unknown task, a span off the tokens, an overlap, an unknown label.
"""
import ipaddress
import json
import mimetypes
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable, Optional, Set
from urllib.parse import unquote, urlsplit

import srsly

from geoner.loop.annotate.session import Refused

STATIC = Path(__file__).resolve().parent / "static"
MAX_BODY = 1_000_000
TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
         ".css": "text/css; charset=utf-8", ".png": "image/png", ".svg": "image/svg+xml"}
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
                               "img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def check_loopback(host: str) -> str:
    """The page holds unpublished annotations and writes files: it is served on loopback only."""
    if host != "localhost":
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = False
        if not loopback:
            raise ValueError(f"--host {host} is not a loopback address; the page is served on 127.0.0.1 only")
    return host


def static_file(path: str) -> Optional[Path]:
    """The file under STATIC that a URL path names, or None for anything outside it."""
    rel = unquote(path)
    if "\x00" in rel or "\\" in rel:
        return None
    candidate = (STATIC / rel.lstrip("/")).resolve()
    if candidate != STATIC and STATIC in candidate.parents and candidate.is_file():
        return candidate
    return None


class Handler(BaseHTTPRequestHandler):
    server_version = "geoner-annotate"
    sys_version = ""
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # one line per request only when asked (--verbose)
        if self.server.verbose:
            sys.stderr.write(f"{self.address_string()} {fmt % args}\n")

    # Every method but GET and POST is refused with a 4xx rather than the base class's 501.
    def do_PUT(self):
        self._send_json(405, {"error": "method not allowed"})

    do_DELETE = do_PATCH = do_OPTIONS = do_HEAD = do_PUT

    def _send(self, status: int, body: bytes, ctype: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in SECURITY_HEADERS.items():
            self.send_header(k, v)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _send_json(self, status: int, obj) -> None:
        self._send(status, srsly.json_dumps(obj).encode("utf-8"), "application/json")

    def _origin_problem(self) -> Optional[str]:
        allowed: Set[str] = self.server.allowed_hosts
        host = self.headers.get("Host")
        if host not in allowed:
            return f"Host {host!r} is not this page"
        origin = self.headers.get("Origin")
        if origin is not None and origin not in {f"http://{h}" for h in allowed}:
            return f"Origin {origin!r} is not this page"
        site = self.headers.get("Sec-Fetch-Site")
        if site is not None and site not in ("same-origin", "none"):
            return f"a {site} request is not from this page"
        return None

    def do_GET(self):
        problem = self._origin_problem()
        if problem:
            return self._send_json(403, {"error": problem})
        path = urlsplit(self.path).path
        if path.startswith("/api/"):
            return self._call(lambda: self.server.session.get(path))
        if path in ("/", "/index.html"):
            path = "/index.html"
        elif not path.startswith("/static/"):
            return self._send_json(404, {"error": "not found"})
        else:
            path = path[len("/static"):]
        file = static_file(path)
        if file is None:
            return self._send_json(404, {"error": "not found"})
        self._send(200, file.read_bytes(), TYPES.get(file.suffix, mimetypes.guess_type(file.name)[0] or "application/octet-stream"))

    def do_POST(self):
        problem = self._origin_problem()
        if problem:
            self.close_connection = True
            return self._send_json(403, {"error": problem})
        length = self.headers.get("Content-Length")
        if length is None or not length.isdigit():
            self.close_connection = True
            return self._send_json(411, {"error": "a Content-Length is required"})
        if int(length) > MAX_BODY:
            self.close_connection = True  # the body is not read, so the connection cannot be reused
            return self._send_json(413, {"error": f"body of {int(length):,} bytes is over the {MAX_BODY:,}-byte limit"})
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        raw = self.rfile.read(int(length))
        if ctype != "application/json":
            return self._send_json(415, {"error": "send application/json"})
        try:
            body = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as err:
            return self._send_json(400, {"error": f"body is not JSON ({err})"})
        path = urlsplit(self.path).path
        self._call(lambda: self.server.session.post(path, body))

    def _call(self, action: Callable[[], dict]) -> None:
        try:
            result = action()
        except Refused as err:
            return self._send_json(err.status, {"error": err.reason})
        self._send_json(200, result)


class AnnotationServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, session, host: str = "127.0.0.1", port: int = 8080, verbose: bool = False):
        super().__init__((check_loopback(host), port), Handler)
        self.session, self.verbose = session, verbose
        self.port = self.server_address[1]
        self.allowed_hosts = {f"{h}:{self.port}" for h in {host, "127.0.0.1", "localhost"}}

    @property
    def url(self) -> str:
        return f"http://{self.server_address[0]}:{self.port}/"


def serve_in_thread(server: AnnotationServer) -> threading.Thread:
    """Run a server in the background (for tests and the benchmark); stop with server.shutdown()."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return thread
