"""The loader's real download path against a local HTTP server on 127.0.0.1.

The server hands out the airfoil file as it is, with altered bytes, cut off in the
middle of the body (the connection closes early), or not at all (404). Whatever
happens, the cache folder ends up holding either the verified file or nothing: no
partial ``.part`` file, no file with the wrong hash.
"""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

import d2l_utils as d2l
from d2l_utils import data

AIRFOIL = Path(data.data_dir()) / "airfoil_self_noise.dat"
SHA1 = data.DATA_HUB["airfoil"][1]


class Behaviour:
    """What the server does with the next requests: 'ok', 'corrupt', 'truncated', 'missing'."""

    mode = "ok"
    requests = 0


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        Behaviour.requests += 1
        body = AIRFOIL.read_bytes()
        if Behaviour.mode == "missing":
            self.send_error(404, "Not Found")
            return
        if Behaviour.mode == "corrupt":
            body = body.replace(b"800", b"801", 1)
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if Behaviour.mode == "truncated":
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server(tmp_path, monkeypatch) -> Iterator[Path]:
    """Serve the airfoil URL from 127.0.0.1 and cache into an empty folder (yielded)."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}/airfoil_self_noise.dat"
    monkeypatch.setitem(data.DATA_HUB, "airfoil", (url, SHA1))
    cache = tmp_path / "cache"
    monkeypatch.setenv(data.ENV_DATA_DIR, str(cache))
    Behaviour.mode, Behaviour.requests = "ok", 0
    try:
        yield cache
    finally:
        httpd.shutdown()
        httpd.server_close()


def cached_files(cache: Path) -> list[str]:
    return sorted(p.name for p in cache.iterdir()) if cache.exists() else []


def test_download_over_http_is_verified_and_cached(server):
    path = d2l.download("airfoil")
    assert path == server / AIRFOIL.name
    assert data.sha1_of(path) == SHA1
    assert cached_files(server) == [AIRFOIL.name]
    d2l.download("airfoil")
    assert Behaviour.requests == 1, "a verified cached file must not be downloaded again"


def test_corrupt_body_is_rejected_and_nothing_is_kept(server):
    Behaviour.mode = "corrupt"
    with pytest.raises(ValueError, match=rf"has SHA-1 [0-9a-f]{{40}}, expected {SHA1}"):
        d2l.download("airfoil")
    assert cached_files(server) == []


def test_interrupted_download_says_so_and_leaves_no_partial_file(server):
    Behaviour.mode = "truncated"
    size = AIRFOIL.stat().st_size
    interrupted = rf"was interrupted \(received {size // 2} of {size} bytes\); nothing was kept"
    with pytest.raises(ConnectionError, match=interrupted):
        d2l.download("airfoil")
    assert cached_files(server) == []
    Behaviour.mode = "ok"  # the advice in the message works: the next call succeeds
    assert data.sha1_of(d2l.download("airfoil")) == SHA1


def test_missing_file_on_the_server_names_file_url_and_folder(server):
    Behaviour.mode = "missing"
    with pytest.raises(FileNotFoundError) as info:
        d2l.download("airfoil")
    message = str(info.value)
    assert "Not Found" in message and data.DATA_HUB["airfoil"][0] in message
    assert str(server) in message and data.ENV_DATA_DIR in message
    assert cached_files(server) == []


def test_corrupt_cache_is_reported_and_replaced_from_the_server(server):
    server.mkdir()
    (server / AIRFOIL.name).write_bytes(AIRFOIL.read_bytes()[:-10])  # a truncated copy
    with pytest.warns(UserWarning, match="is corrupt .* downloading a fresh copy"):
        path = d2l.download("airfoil")
    assert data.sha1_of(path) == SHA1
    assert Behaviour.requests == 1
    assert cached_files(server) == [AIRFOIL.name]


def test_a_failed_refetch_does_not_keep_the_corrupt_cache(server):
    server.mkdir()
    (server / AIRFOIL.name).write_bytes(b"garbage")
    Behaviour.mode = "corrupt"
    with pytest.warns(UserWarning, match="is corrupt"), pytest.raises(ValueError):
        d2l.download("airfoil")
    assert cached_files(server) == []
