"""Data: the packaged airfoil table, its batches, and downloads over a local HTTP server.

The airfoil file ships inside the package, so nothing here needs the network. The
download code is exercised against a server on 127.0.0.1 that hands out a small
file as it is, altered, cut off, at a trickle, or not at all. Whatever happens, the
cache folder ends up holding the verified file or nothing: no ``.part`` file, no
file with the wrong hash.
"""

from __future__ import annotations

import hashlib
import http.server
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as onp
import pytest

import d2l_utils as d2l
from d2l_utils import data

AIRFOIL_SHA1 = "76e5be1548fd8222e5074cf0faae75edff8cf93f"
REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "data" / "airfoil_self_noise.dat"
#: What the test server hands out (not a packaged file, so it really is downloaded).
BODY = b"x1\tx2\ty\n" + b"".join(f"{i}\t{2 * i}\t{3 * i}\n".encode() for i in range(2000))
BODY_SHA1 = hashlib.sha1(BODY).hexdigest()


def test_the_packaged_file_is_the_books_file() -> None:
    path = data.packaged_file(AIRFOIL_SHA1)
    assert path.is_relative_to(Path(d2l.__file__).parent)
    assert data.sha1_of(path) == AIRFOIL_SHA1 == data.DATA_HUB["airfoil"][1]
    assert path.stat().st_size == 59984 and path.read_bytes().count(b"\r\n") == 1503
    if REFERENCE.is_file():  # the copy beside the checkout, where there is one
        assert path.read_bytes() == REFERENCE.read_bytes()


def test_download_of_the_airfoil_name_needs_no_network(monkeypatch) -> None:
    monkeypatch.setitem(data.DATA_HUB, "airfoil", ("http://127.0.0.1:9/x.dat", AIRFOIL_SHA1))
    assert d2l.download("airfoil") == data.packaged_file(AIRFOIL_SHA1)
    url = d2l.DATA_URL + "airfoil_self_noise.dat"
    assert d2l.download(url, sha1_hash=AIRFOIL_SHA1) == data.packaged_file(AIRFOIL_SHA1)


def test_a_damaged_packaged_file_is_refused(tmp_path, monkeypatch) -> None:
    copy = tmp_path / "datasets" / "airfoil_self_noise.dat"
    copy.parent.mkdir()
    copy.write_bytes(data.packaged_file(AIRFOIL_SHA1).read_bytes()[:-5])
    monkeypatch.setattr(data.resources, "files", lambda package: tmp_path)
    with pytest.raises(ValueError, match="installation is damaged; reinstall d2l_utils"):
        d2l.get_data_ch11()


def test_shapes_and_batches() -> None:
    data_iter, feature_dim = d2l.get_data_ch11(batch_size=10)
    assert feature_dim == 5 and len(data_iter) == 150
    X, y = next(iter(data_iter))
    assert X.shape == (10, 5) and y.shape == (10,)


def test_standardized_like_an_independent_computation() -> None:
    raw = onp.loadtxt(data.packaged_file(AIRFOIL_SHA1), delimiter="\t")
    expected = (raw - raw.mean(axis=0)) / raw.std(axis=0)
    data_iter, _ = d2l.get_data_ch11(batch_size=10)
    X, y = (a.asnumpy() for a in data_iter.arrays)
    onp.testing.assert_allclose(X, expected[:1500, :5], atol=1e-4)  # float32
    onp.testing.assert_allclose(y, expected[:1500, 5], atol=1e-4)


def test_each_epoch_is_a_new_permutation_of_all_rows() -> None:
    d2l.set_seed(1)
    data_iter, _ = d2l.get_data_ch11(batch_size=100, n=300)
    epochs = [onp.concatenate([y.asnumpy() for _, y in data_iter]) for _ in range(2)]
    full = data_iter.arrays[1].asnumpy()
    for labels in epochs:
        onp.testing.assert_array_equal(onp.sort(labels), onp.sort(full))
    assert not onp.array_equal(epochs[0], epochs[1])


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        (
            {"batch_size": 0},
            ValueError,
            r"batch_size must be an integer in \[1, 1000000\], got int 0",
        ),
        (
            {"batch_size": 2.0},
            TypeError,
            r"batch_size must be an integer in \[1, 1000000\], got float",
        ),
        (
            {"n": 2000},
            ValueError,
            r"get_data_ch11: n must be an integer in \[1, 1503\], got int 2000",
        ),
        ({"n": 10**400}, ValueError, r"n must be .*, got int an integer of 401 digits$"),
    ],
)
def test_get_data_bad_arguments(kwargs, error, message) -> None:
    with pytest.raises(error, match=message):
        d2l.get_data_ch11(**kwargs)


def test_unknown_name_and_bad_hash() -> None:
    with pytest.raises(ValueError, match=r"url must be an http\(s\) URL or one of the names"):
        d2l.download("mnist")
    with pytest.raises(ValueError, match="sha1_hash must be 40 lowercase hex digits"):
        d2l.download("http://127.0.0.1:9/x", sha1_hash="abc")


class Behaviour:
    """What the server does next: 'ok', 'corrupt', 'truncated', 'missing', 'trickle',
    'slow headers' (a header line every 0.5 s) or 'redirects' (each a 0.5 s wait, then on)."""

    mode = "ok"
    requests = 0


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        Behaviour.requests += 1
        body = BODY
        if Behaviour.mode == "redirects":
            time.sleep(0.5)
            self.send_response(302)
            self.send_header("Location", f"/next{Behaviour.requests}/sample.txt")
            self.end_headers()
            return
        if Behaviour.mode == "slow headers":
            self.send_response(200)
            for i in range(80):  # never done within the deadline, each line within a timeout
                self.send_header(f"X-Slow-{i}", "x")
                self.flush_headers()
                time.sleep(0.5)
            self.end_headers()
            self.wfile.write(body)
            return
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
        if Behaviour.mode == "trickle":  # one byte every 0.2 s, never in time
            for byte in body[:100]:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(0.2)
            self.close_connection = True
            return
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server(tmp_path, monkeypatch) -> Iterator[Path]:
    """Serve ``sample.txt`` from 127.0.0.1 as DATA_HUB['sample']; yield the empty cache."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}/sample.txt"
    monkeypatch.setitem(data.DATA_HUB, "sample", (url, BODY_SHA1))
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


def test_download_over_http_is_verified_and_cached(server) -> None:
    path = d2l.download("sample")
    assert path == server / "sample.txt" and data.sha1_of(path) == BODY_SHA1
    d2l.download("sample")
    assert Behaviour.requests == 1, "a verified cached file must not be downloaded again"


def test_the_books_signature_url_folder_and_hash(server, tmp_path) -> None:
    url = data.DATA_HUB["sample"][0]
    path = d2l.download(url, folder=tmp_path / "elsewhere", sha1_hash=BODY_SHA1)
    assert path == tmp_path / "elsewhere" / "sample.txt"


def test_corrupt_body_is_rejected_and_nothing_is_kept(server) -> None:
    Behaviour.mode = "corrupt"
    with pytest.raises(ValueError, match=rf"has SHA-1 [0-9a-f]{{40}}, expected {BODY_SHA1}"):
        d2l.download("sample")
    assert cached_files(server) == []


def test_interrupted_download_says_so_and_leaves_no_partial_file(server) -> None:
    Behaviour.mode = "truncated"
    size = len(BODY)
    interrupted = rf"was interrupted \(received {size // 2} of {size} bytes\); nothing was kept"
    with pytest.raises(ConnectionError, match=interrupted):
        d2l.download("sample")
    assert cached_files(server) == []
    Behaviour.mode = "ok"  # the advice in the message works: the next call succeeds
    assert data.sha1_of(d2l.download("sample")) == BODY_SHA1


def test_a_trickling_server_meets_the_total_deadline(server) -> None:
    Behaviour.mode = "trickle"
    start = time.monotonic()
    with pytest.raises(ConnectionError, match=r"did not finish in time.*nothing was kept"):
        d2l.download("sample", deadline=1.5)
    assert time.monotonic() - start < 3.0
    assert cached_files(server) == []


@pytest.mark.parametrize("mode", ["slow headers", "redirects"])
def test_headers_and_redirects_count_against_the_total_deadline(server, mode) -> None:
    Behaviour.mode = mode
    start = time.monotonic()
    with pytest.raises(ConnectionError, match=r"did not finish in time \(2 s\).*nothing was kept"):
        d2l.download("sample", deadline=2)
    assert time.monotonic() - start < 4.0
    assert cached_files(server) == []


def test_a_partial_file_left_by_a_killed_download_is_removed(server) -> None:
    server.mkdir()
    dead = server / "sample.txt.999999999.abc.part"  # no process has that id
    dead.write_bytes(b"half")
    alive = server / f"sample.txt.{os.getpid()}.def.part"  # a download under way (this one)
    alive.write_bytes(b"half")
    d2l.download("sample")
    assert cached_files(server) == sorted(["sample.txt", alive.name])


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (None, "DATA_HUB\\['sample'\\] must be"),
        (("http://127.0.0.1:9/sample.txt",), "DATA_HUB"),
        (("file:///etc/hostname", BODY_SHA1), "an http\\(s\\) URL of a file"),
        (("http://127.0.0.1:9/sample.txt", "not a sha"), "SHA-1 in 40 lowercase hex digits"),
        (("http://127.0.0.1:9/data/", BODY_SHA1), "DATA_HUB"),
    ],
)
def test_data_hub_entries_are_checked_before_any_download(server, monkeypatch, entry, message):
    monkeypatch.setitem(data.DATA_HUB, "sample", entry)
    with pytest.raises(ValueError, match=f"download: .*{message}"):
        d2l.download("sample")
    assert Behaviour.requests == 0


def test_a_url_must_name_a_file_not_a_folder(server) -> None:
    with pytest.raises(ValueError, match="download: url must name a file"):
        d2l.download("http://127.0.0.1:9/data/")
    with pytest.raises(ValueError, match="download: deadline must be a finite real number in"):
        d2l.download("sample", deadline=1e308)
    assert not server.exists()


@pytest.mark.parametrize("damage", ["missing", "a folder"])
def test_a_missing_packaged_file_says_the_installation_is_damaged(tmp_path, monkeypatch, damage):
    (tmp_path / "datasets").mkdir()
    if damage == "a folder":
        (tmp_path / "datasets" / "airfoil_self_noise.dat").mkdir()
    monkeypatch.setattr(data.resources, "files", lambda package: tmp_path)
    with pytest.raises(FileNotFoundError, match=r"cannot be read .*: the installation is damaged"):
        d2l.get_data_ch11()


def test_missing_file_on_the_server_names_file_url_and_folder(server) -> None:
    Behaviour.mode = "missing"
    with pytest.raises(FileNotFoundError) as info:
        d2l.download("sample")
    message = str(info.value)
    assert "Not Found" in message and data.DATA_HUB["sample"][0] in message
    assert str(server) in message and data.ENV_DATA_DIR in message
    assert cached_files(server) == []


def test_nothing_listening_names_file_url_and_folder(server, monkeypatch) -> None:
    monkeypatch.setitem(data.DATA_HUB, "sample", ("http://127.0.0.1:9/sample.txt", BODY_SHA1))
    with pytest.raises(FileNotFoundError, match=r"sample\.txt is not in .* could not be"):
        d2l.download("sample")


def test_corrupt_cache_is_reported_and_replaced_from_the_server(server) -> None:
    server.mkdir()
    (server / "sample.txt").write_bytes(BODY[:-10])
    with pytest.warns(UserWarning, match="is corrupt .* downloading a fresh copy"):
        path = d2l.download("sample")
    assert data.sha1_of(path) == BODY_SHA1 and Behaviour.requests == 1


def test_a_failed_refetch_does_not_keep_the_corrupt_cache(server) -> None:
    server.mkdir()
    (server / "sample.txt").write_bytes(b"garbage")
    Behaviour.mode = "corrupt"
    with pytest.warns(UserWarning, match="is corrupt"), pytest.raises(ValueError):
        d2l.download("sample")
    assert cached_files(server) == []


def test_a_read_only_cache_gives_a_clear_error(server, monkeypatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:  # as a read-only folder does (root
        raise PermissionError(13, "Permission denied")  # may write anyway, so it is simulated)

    monkeypatch.setattr(data.tempfile, "mkstemp", refuse)
    with pytest.raises(FileNotFoundError, match=r"Permission denied.*writable folder"):
        d2l.download("sample")


def test_a_cache_path_that_is_a_file_gives_a_clear_error(server) -> None:
    server.write_text("not a folder")
    with pytest.raises(FileNotFoundError, match=r"could not be downloaded.*writable folder"):
        d2l.download("sample")
    assert server.read_text() == "not a folder"
