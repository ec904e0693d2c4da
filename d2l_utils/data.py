"""Data: the airfoil table shipped in the package, downloads with a SHA-1 check, minibatches.

Framework-neutral: the minibatches are NumPy arrays handed to a framework's own
array type by each edition (:mod:`d2l_utils.mxnet`, :mod:`d2l_utils.torch`).
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import http.client
import math
import os
import re
import socket
import tempfile
import threading
import time
import urllib.error
import urllib.request
import warnings
from collections.abc import Callable, Iterator, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as onp
from numpy.typing import NDArray

from .validation import (
    Array,
    Constraint,
    Integer,
    InvalidValue,
    Optional,
    PathLike,
    Real,
    Text,
    validated,
)

__all__ = [
    "DATA_HUB",
    "DATA_URL",
    "ENV_DATA_DIR",
    "PACKAGED",
    "ArrayLoader",
    "DataArrays",
    "airfoil",
    "airfoil_regression",
    "data_dir",
    "download",
    "packaged_file",
]

DATA_URL = "http://d2l-data.s3-accelerate.amazonaws.com/"
#: name -> (URL, SHA-1 of the file's bytes), as in the book: ``download(name)`` looks it up.
DATA_HUB: dict[str, tuple[str, str]] = {
    "airfoil": (DATA_URL + "airfoil_self_noise.dat", "76e5be1548fd8222e5074cf0faae75edff8cf93f"),
}
#: Files that ship inside the package, by SHA-1: they never need the network.
PACKAGED = {"76e5be1548fd8222e5074cf0faae75edff8cf93f": "airfoil_self_noise.dat"}
#: Environment variable naming the folder where downloaded files are cached.
ENV_DATA_DIR = "D2L_DATA_DIR"
#: How long one download may take in all, in seconds, however the server trickles.
DOWNLOAD_DEADLINE = 120.0
AIRFOIL_SHAPE = (1503, 6)


def data_dir() -> Path:
    """The download cache: ``$D2L_DATA_DIR`` if set, else ``~/.cache/d2l_utils``."""
    folder = os.environ.get(ENV_DATA_DIR)
    return Path(folder) if folder else Path.home() / ".cache" / "d2l_utils"


def sha1_of(path: Path) -> str:
    """Hex SHA-1 digest of a file's bytes."""
    digest = hashlib.sha1()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def packaged_file(sha1_hash: str) -> Path:
    """The file shipped in ``d2l_utils/datasets`` with this SHA-1, checked on every call."""
    path = Path(str(resources.files("d2l_utils") / "datasets" / PACKAGED[sha1_hash]))
    damaged = "the installation is damaged; reinstall d2l_utils"
    try:
        got = sha1_of(path)
    except OSError as error:
        raise FileNotFoundError(
            f"the packaged {path.name} cannot be read ({error.strerror}): {damaged}"
        ) from None
    if got != sha1_hash:
        raise ValueError(
            f"the packaged {path.name} has SHA-1 {got}, expected {sha1_hash}: {damaged}"
        )
    return path


class _Deadline:
    """Closes the connections of one download when its time is up.

    A socket's timeout bounds each read, not the whole: a server that sends its headers
    a line at a time, or redirects slowly from host to host, would stretch a download
    far past it. Every connection the download opens (redirects included) registers its
    socket here, and a timer shuts them all at the deadline, which wakes any read.
    """

    def __init__(self, seconds: float) -> None:
        self.end = time.monotonic() + seconds
        self.sockets: list[socket.socket] = []
        self.timer = threading.Timer(seconds, self.expire)
        self.timer.daemon = True
        self.expired = False

    def left(self) -> float:
        return max(self.end - time.monotonic(), 0.001)

    def register(self, sock: socket.socket) -> None:
        self.sockets.append(sock)
        if self.expired:
            self.expire()

    def expire(self) -> None:
        self.expired = True
        for sock in self.sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def opener(self) -> urllib.request.OpenerDirector:
        """An opener whose connections (HTTP and HTTPS) register their sockets here."""
        deadline = self

        class Http(http.client.HTTPConnection):
            def connect(self) -> None:
                self.timeout = deadline.left()
                super().connect()
                deadline.register(self.sock)

        class Https(http.client.HTTPSConnection):
            def connect(self) -> None:
                self.timeout = deadline.left()
                super().connect()
                deadline.register(self.sock)

        class HttpHandler(urllib.request.HTTPHandler):
            def http_open(self, req: Any) -> Any:
                return self.do_open(Http, req)

        class HttpsHandler(urllib.request.HTTPSHandler):
            def https_open(self, req: Any) -> Any:
                return self.do_open(Https, req)

        return urllib.request.build_opener(HttpHandler, HttpsHandler)


def _read(response: Any, out: Any, deadline: _Deadline, url: str) -> None:
    """Copy ``response`` to ``out`` until it ends or the deadline passes."""
    while True:
        if deadline.expired:
            raise TimeoutError(url)
        block = response.read1(1 << 16)  # what has arrived, not a full buffer
        if not block:
            if deadline.expired:
                raise TimeoutError(url)
            return
        out.write(block)


def _remove_abandoned_parts(folder: Path, name: str) -> None:
    """Delete the partial downloads of ``name`` whose process has gone (killed mid-way)."""
    for part in folder.glob(f"{glob.escape(name)}.*.part"):
        pid = part.name[len(name) + 1 :].split(".", 1)[0]
        if not pid.isdigit() or not _alive(int(pid)):
            part.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    """Whether a process with this id runs (another user's counts as running)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _fetch(url: str, target: Path, expected_sha1: str | None, seconds: float) -> None:
    """Download ``url`` next to ``target``; rename it into place only if the hash matches."""
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_abandoned_parts(target.parent, target.name)
    fd, tmp_name = tempfile.mkstemp(
        dir=target.parent, prefix=f"{target.name}.{os.getpid()}.", suffix=".part"
    )
    tmp = Path(tmp_name)
    deadline = _Deadline(seconds)
    deadline.timer.start()
    try:
        with os.fdopen(fd, "wb") as out, deadline.opener().open(url, timeout=seconds) as response:
            _read(response, out, deadline, url)
            declared = response.headers.get("Content-Length")
            if declared is not None and out.tell() != int(declared):
                raise http.client.HTTPException(f"received {out.tell()} of {declared} bytes")
        got = sha1_of(tmp)
        if expected_sha1 is not None and got != expected_sha1:
            raise ValueError(
                f"the download of {url} has SHA-1 {got}, expected {expected_sha1}; "
                "the file was corrupted in transit and has not been kept, try again"
            )
        os.replace(tmp, target)
    except OSError:
        if deadline.expired:
            raise TimeoutError(url) from None
        raise
    finally:
        deadline.timer.cancel()
        tmp.unlink(missing_ok=True)


SHA1 = re.compile(r"[0-9a-f]{40}")


def _hub_entry(name: str) -> tuple[str, str]:
    """``DATA_HUB[name]``, checked: an http(s) URL of a file and a SHA-1."""
    entry = DATA_HUB[name]
    if not (
        isinstance(entry, tuple | list)
        and len(entry) == 2
        and isinstance(entry[0], str)
        and entry[0].startswith(("http://", "https://"))
        and not entry[0].endswith("/")
        and isinstance(entry[1], str)
        and SHA1.fullmatch(entry[1])
    ):
        raise InvalidValue(
            f"DATA_HUB[{name!r}] must be (an http(s) URL of a file, its SHA-1 in 40 lowercase "
            f"hex digits), got {entry!r:.80}; url names it"
        )
    return entry[0], entry[1]


@validated(
    url=Text(empty=False),
    folder=Optional(PathLike()),
    sha1_hash=Optional(Text()),
    deadline=Real(0, 86400, low_open=True),
)
def download(
    url: str,
    folder: str | os.PathLike[str] | None = None,
    sha1_hash: str | None = None,
    *,
    deadline: float = DOWNLOAD_DEADLINE,
) -> Path:
    """The local path of a data file, downloaded into ``folder`` when needed.

    As in the book, ``url`` is an http(s) URL of a file or a name in ``DATA_HUB`` (which
    also gives the SHA-1). A file shipped with the package (the airfoil data) is returned
    at once, without the network. A cached file is used only if its SHA-1 matches; a
    mismatching one is reported, removed and fetched again. The download must finish
    within ``deadline`` seconds in all (redirects and headers included); whatever goes
    wrong, no partial file is kept, and partial files of killed downloads are removed.
    """
    if sha1_hash is not None and not SHA1.fullmatch(sha1_hash):
        raise InvalidValue(f"sha1_hash must be 40 lowercase hex digits, got {sha1_hash!r}")
    if not url.startswith(("http://", "https://")):
        if url not in DATA_HUB:
            raise InvalidValue(
                f"url must be an http(s) URL or one of the names in DATA_HUB "
                f"({', '.join(sorted(DATA_HUB))}), got {url!r:.80}"
            )
        url, sha1_hash = _hub_entry(url)
    if url.endswith("/") or url.rsplit("/", 1)[-1] in ("", ".", ".."):
        raise InvalidValue(f"url must name a file, not a folder, got {url!r:.80}")
    if sha1_hash in PACKAGED:
        return packaged_file(sha1_hash)
    target = Path(folder) if folder is not None else data_dir()
    path = target / url.rsplit("/", 1)[-1].split("?", 1)[0]
    if path.is_file() and sha1_hash is not None:
        got = sha1_of(path)
        if got == sha1_hash:
            return path
        warnings.warn(
            f"{path} is corrupt (SHA-1 {got}, expected {sha1_hash}); removing it and "
            "downloading a fresh copy",
            stacklevel=3,  # the caller's line, past the validating wrapper
        )
        path.unlink()
    try:
        _fetch(url, path, sha1_hash, deadline)
    except TimeoutError:  # the deadline passed, during a read or between two
        raise ConnectionError(
            f"the download of {url} did not finish in time ({deadline:g} s); nothing was "
            f"kept in {target}, try again on a faster connection or with a longer deadline"
        ) from None
    except (http.client.HTTPException, ConnectionResetError) as error:
        raise ConnectionError(
            f"the download of {url} was interrupted ({error}); nothing was kept in "
            f"{target}, run the same call again"
        ) from None
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise FileNotFoundError(
            f"{path.name} is not in {target} and could not be downloaded from {url} "
            f"({reason}). Download it by hand and save it as {path}, or set "
            f"{ENV_DATA_DIR} to a writable folder that holds it."
        ) from None
    return path


def airfoil() -> NDArray[onp.float32]:
    """The NASA airfoil self-noise table (1503 rows, 5 features then the noise level).

    Read from the copy shipped with the package (UCI Machine Learning Repository,
    CC BY 4.0), whose SHA-1 is checked on every load.
    """
    path = packaged_file(DATA_HUB["airfoil"][1])
    data = onp.genfromtxt(path, dtype=onp.float32, delimiter="\t")
    if data.shape != AIRFOIL_SHAPE:
        raise ValueError(f"{path} should hold {AIRFOIL_SHAPE} values, found {data.shape}")
    return data


class DataArrays(Constraint):
    """A tuple of arrays with the same number of rows, such as ``(features, labels)``;
    converted to float32 NumPy arrays."""

    text = "a tuple of arrays with the same number of rows, such as (features, labels)"
    _array = Array(float32=True)

    def is_type(self, value: Any) -> bool:
        return isinstance(value, list | tuple) and all(self._array.is_type(a) for a in value)

    def is_satisfied_by(self, value: Any) -> bool:
        if not self.is_type(value) or not value:
            return False
        if not all(self._array.is_satisfied_by(a) for a in value):
            return False
        rows = {len(a) if a.ndim else -1 for a in map(self._array.convert, value)}
        return len(rows) == 1 and min(rows) >= 1

    def convert(self, value: Any) -> list[NDArray[onp.float32]]:
        return [self._array.convert(a).astype(onp.float32) for a in value]


class ArrayLoader:
    """Minibatches of in-memory arrays, reshuffled every epoch when ``shuffle``.

    ``convert`` turns a NumPy array into the framework's own, and ``split`` cuts one into
    its minibatches (the framework's cheapest way: slices, or TensorFlow's ``split``). Each
    epoch draws one permutation from NumPy's global generator (``epoch_order``, so
    ``set_seed`` makes it repeatable), converts the permuted arrays once and cuts them,
    far cheaper than gathering every batch.
    """

    def __init__(
        self,
        arrays: Sequence[NDArray[onp.float32]],
        batch_size: int,
        shuffle: bool,
        convert: Callable[[NDArray[onp.float32]], Any],
        split: Callable[[Any, int], list[Any]],
    ) -> None:
        self.host = tuple(arrays)
        self.split = split
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.convert = convert
        self.num_examples = len(self.host[0])
        #: The whole data set in the framework's arrays (for evaluating a loss at once).
        self.arrays = tuple(convert(a) for a in self.host)

    def __len__(self) -> int:
        return math.ceil(self.num_examples / self.batch_size)

    def epoch_order(self) -> NDArray[onp.int_]:
        """The order of the rows in the next epoch (a new permutation when shuffling)."""
        if self.shuffle:
            return onp.random.permutation(self.num_examples)
        return onp.arange(self.num_examples)

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        arrays = self.arrays
        if self.shuffle:
            order = self.epoch_order()
            arrays = tuple(self.convert(a[order]) for a in self.host)
        yield from zip(*(self.split(a, self.batch_size) for a in arrays), strict=True)


@validated(n=Integer(1, AIRFOIL_SHAPE[0]))
def airfoil_regression(n: int = 1500) -> tuple[NDArray[onp.float32], NDArray[onp.float32]]:
    """The chapter's regression: every column standardized, the first ``n`` rows, (X, y)."""
    data = airfoil()
    data = (data - data.mean(axis=0)) / data.std(axis=0)
    return data[:n, :-1], data[:n, -1]
