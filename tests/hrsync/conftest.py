import http.server
import threading
from pathlib import Path

import pytest

from mentora.core.roles import viewer_for

HEADER = "employee_id,email,full_name,department,seniority,job_title,effective_date"


class Server:
    """A loopback HTTP server in a thread, answering each path from `files` (bytes, content type),
    404 otherwise; with a `token`, 401 without `Authorization: Bearer <token>`."""

    def __init__(self):
        self.files: dict[str, tuple[bytes, str]] = {}
        self.token = ""
        self.seen_authorization: list[str | None] = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                server.seen_authorization.append(self.headers.get("Authorization"))
                if server.token and self.headers.get("Authorization") != f"Bearer {server.token}":
                    self.send_response(401)
                    self.end_headers()
                    return
                if self.path not in server.files:
                    self.send_response(404)
                    self.end_headers()
                    return
                body, content_type = server.files[self.path]
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"


@pytest.fixture
def hr_server(settings):
    settings.HR_SYNC_ALLOW_PRIVATE_ADDRESSES = True
    server = Server()
    server.thread.start()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()
    server.thread.join(timeout=30)


@pytest.fixture
def hr_folder(settings, tmp_path) -> Path:
    root = tmp_path / "hr"
    (root / "acme").mkdir(parents=True)
    settings.HR_SYNC_FOLDERS = [str(root)]
    return root / "acme"


@pytest.fixture
def olga_viewer(olga):
    return viewer_for(olga.user)


def export(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()
