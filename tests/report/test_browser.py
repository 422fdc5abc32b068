"""A report loads in a real browser (headless Chromium) and asks the network for nothing.

The report is served from a tiny HTTP server on 127.0.0.1 that is also the browser's
proxy for every address, loopback included: any request the page makes, to any
host and by any scheme (an ``https`` request arrives as ``CONNECT``), reaches the
server and is logged. The page itself must be the only request, apart from the
browser's own calls to its vendor's services (component updates, network time, sign
in), which it makes whatever page it shows; they are told apart by host, and a page
that referred to one of those hosts would still fail the static checks of
``test_report.py`` (no reference outside the file at all).

Skipped when no Chromium is installed (``apt-get install chromium`` on Debian).
"""

from __future__ import annotations

import http.server
import shutil
import subprocess
import threading
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from fieldtotable import RunResult, Scenario
from fieldtotable.report import run_report

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "chrome")
BROWSER = next((found for name in BROWSERS if (found := shutil.which(name))), None)

pytestmark = pytest.mark.skipif(BROWSER is None, reason="no Chromium installed")

#: Hosts Chromium calls by itself, whatever the page (seen with Debian's chromium 150).
BROWSER_SERVICES = frozenset(
    {
        "accounts.google.com",
        "clients1.google.com",
        "clients2.google.com",
        "content-autofill.googleapis.com",
        "optimizationguide-pa.googleapis.com",
        "redirector.gvt1.com",
        "safebrowsing.googleapis.com",
        "update.googleapis.com",
    }
)


def _host(requestline: str) -> str:
    method, target, *_ = requestline.split()
    if method == "CONNECT":
        return target.rsplit(":", 1)[0]
    return urllib.parse.urlsplit(target).hostname or ""


class _Server(http.server.ThreadingHTTPServer):
    page: bytes
    requests: list[str]


class _Handler(http.server.BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        path = urllib.parse.urlsplit(self.path).path
        if path == "/report.html":
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(self.server.page)))
            self.end_headers()
            self.wfile.write(self.server.page)
        else:
            self.send_error(404)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        self.server.requests.append(self.requestline)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server(run: RunResult, scenario: Scenario) -> Iterator[_Server]:
    httpd = _Server(("127.0.0.1", 0), _Handler)
    httpd.page = run_report(run, scenario).encode("utf-8")
    httpd.requests = []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield httpd
    finally:
        httpd.shutdown()
        httpd.server_close()


def _chromium(args: list[str], profile: Path, proxy: str) -> subprocess.CompletedProcess[str]:
    assert BROWSER is not None
    command = [
        BROWSER,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-default-apps",
        "--disable-extensions",
        "--no-first-run",
        "--no-default-browser-check",
        "--metrics-recording-only",
        "--disable-client-side-phishing-detection",
        "--disable-domain-reliability",
        "--no-pings",
        "--disable-features=NetworkTimeServiceQuerying,OptimizationHints,MediaRouter,Translate",
        f"--user-data-dir={profile}",
        f"--proxy-server={proxy}",
        "--proxy-bypass-list=<-loopback>",
        "--virtual-time-budget=5000",
        *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def test_report_loads_with_no_request_but_the_page(server: _Server, tmp_path: Path) -> None:
    host, port = server.server_address[:2]
    url = f"http://{host}:{port}/report.html"
    done = _chromium(["--dump-dom", url], tmp_path / "profile", f"http://{host}:{port}")
    assert done.returncode == 0, done.stderr[-2000:]
    assert "<h2>Key figures</h2>" in done.stdout  # the browser parsed the whole page
    assert "<h2>Reproduce</h2>" in done.stdout
    page_requests = [r for r in server.requests if _host(r) not in BROWSER_SERVICES]
    assert page_requests == [f"GET {url} HTTP/1.1"]


def test_report_screenshot_is_drawn(run: RunResult, scenario: Scenario, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    page.write_text(run_report(run, scenario), encoding="utf-8")
    shot = tmp_path / "report.png"
    done = _chromium(
        [f"--screenshot={shot}", "--window-size=1280,2000", page.as_uri()],
        tmp_path / "profile",
        "http://127.0.0.1:9",  # a closed port: a request would fail, not leave the machine
    )
    assert done.returncode == 0, done.stderr[-2000:]
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(data) > 20_000  # text and figures, not a blank page
