"""The airfoil data set: download with a SHA-1 check, cache, load and batch."""

from __future__ import annotations

import gzip
import hashlib
import http.client
import math
import os
import struct
import tempfile
import urllib.error
import urllib.request
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as onp
from mxnet import np, npx
from numpy.typing import NDArray

from .checks import (
    FLOAT32_MAX,
    check_choice,
    check_count,
    check_finite_array,
    check_flag,
    check_real_array,
    describe,
)

npx.set_np()

__all__ = [
    "DATA_HUB",
    "DATA_URL",
    "ENV_DATA_DIR",
    "ArrayLoader",
    "data_dir",
    "download",
    "get_data_ch11",
    "load_array",
    "load_fashion_mnist",
    "read_idx",
]

DATA_URL = "http://d2l-data.s3-accelerate.amazonaws.com/"
FASHION_MNIST_URL = (
    "https://apache-mxnet.s3-accelerate.dualstack.amazonaws.com/gluon/dataset/fashion-mnist/"
)
#: name -> (URL, SHA-1 of the file's bytes); the Fashion-MNIST hashes are Gluon's.
DATA_HUB: dict[str, tuple[str, str]] = {
    "airfoil": (
        DATA_URL + "airfoil_self_noise.dat",
        "76e5be1548fd8222e5074cf0faae75edff8cf93f",
    ),
    "fashion-mnist-train-images": (
        FASHION_MNIST_URL + "train-images-idx3-ubyte.gz",
        "0cf37b0d40ed5169c6b3aba31069a9770ac9043d",
    ),
    "fashion-mnist-train-labels": (
        FASHION_MNIST_URL + "train-labels-idx1-ubyte.gz",
        "236021d52f1e40852b06a4c3008d8de8aef1e40b",
    ),
    "fashion-mnist-test-images": (
        FASHION_MNIST_URL + "t10k-images-idx3-ubyte.gz",
        "626ed6a7c06dd17c0eec72fa3be1740f146a2863",
    ),
    "fashion-mnist-test-labels": (
        FASHION_MNIST_URL + "t10k-labels-idx1-ubyte.gz",
        "17f9ab60e7257a1620f4ad76bbbaf857c3920701",
    ),
}
#: Environment variable naming the folder where data files are looked up and cached.
ENV_DATA_DIR = "D2L_DATA_DIR"
AIRFOIL_SHAPE = (1503, 6)


def data_dir() -> Path:
    """The data folder: ``$D2L_DATA_DIR`` if set, else ``~/.cache/d2l_utils``."""
    folder = os.environ.get(ENV_DATA_DIR)
    return Path(folder) if folder else Path.home() / ".cache" / "d2l_utils"


def sha1_of(path: Path) -> str:
    """Hex SHA-1 digest of a file's bytes."""
    digest = hashlib.sha1()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _fetch(url: str, target: Path, expected_sha1: str) -> None:
    """Download ``url`` next to ``target``; rename it into place only if the hash matches."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=target.name + ".", suffix=".part")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out, urllib.request.urlopen(url, timeout=30) as response:
            for block in iter(lambda: response.read(1 << 16), b""):
                out.write(block)
            declared = response.headers.get("Content-Length")
            if declared is not None and out.tell() != int(declared):
                raise http.client.HTTPException(f"received {out.tell()} of {declared} bytes")
        got = sha1_of(tmp)
        if got != expected_sha1:
            raise ValueError(
                f"the download of {url} has SHA-1 {got}, expected {expected_sha1}; "
                "the file was corrupted in transit and has not been kept, try again"
            )
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def download(name: str, folder: str | os.PathLike[str] | None = None) -> Path:
    """Return the local path of data file ``name``, downloading it when needed.

    A cached file is used only if its SHA-1 matches; a mismatching one is
    reported, removed and fetched again. Without network access and without a
    cached copy, the error names the file, its URL and where to put it.
    """
    name = check_choice("name", name, sorted(DATA_HUB))
    if folder is not None and not isinstance(folder, str | os.PathLike):
        raise TypeError(f"folder must be a path (a str or a Path), got {type(folder).__name__}")
    url, expected = DATA_HUB[name]
    target = Path(folder) if folder is not None else data_dir()
    path = target / url.rsplit("/", 1)[-1]
    if path.is_file():
        got = sha1_of(path)
        if got == expected:
            return path
        warnings.warn(
            f"{path} is corrupt (SHA-1 {got}, expected {expected}); removing it and "
            "downloading a fresh copy",
            stacklevel=2,
        )
        path.unlink()
    try:
        _fetch(url, path, expected)
    except http.client.HTTPException as error:  # e.g. the connection closed mid-file
        raise ConnectionError(
            f"the download of {url} was interrupted ({error}); nothing was kept in "
            f"{target}, run the same call again"
        ) from None
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise FileNotFoundError(
            f"{path.name} is not in {target} and could not be downloaded from {url} "
            f"({reason}). Download it by hand and save it as {path}, or set "
            f"{ENV_DATA_DIR} to a folder that holds it."
        ) from None
    return path


def read_idx(path: Path) -> NDArray[onp.uint8]:
    """Read a gzip-compressed IDX file (the MNIST format) of unsigned bytes."""
    with gzip.open(path, "rb") as stream:
        content = stream.read()
    if len(content) < 4 or content[:2] != b"\x00\x00" or content[2] != 0x08:
        raise ValueError(f"{path} is not an IDX file of unsigned bytes (bad magic number)")
    ndim = content[3]
    header = 4 + 4 * ndim
    shape = struct.unpack(f">{ndim}I", content[4:header])
    if len(content) - header != math.prod(shape):
        raise ValueError(
            f"{path} declares shape {shape} but holds {len(content) - header} values; "
            "the file is truncated or corrupt, delete it and download it again"
        )
    return onp.frombuffer(content, dtype=onp.uint8, offset=header).reshape(shape)


def load_fashion_mnist(train: bool = True) -> tuple[NDArray[onp.uint8], NDArray[onp.uint8]]:
    """Fashion-MNIST images (N, 28, 28) and labels (N,) as uint8, downloaded and checked."""
    split = "train" if check_flag("train", train) else "test"
    images = read_idx(download(f"fashion-mnist-{split}-images"))
    labels = read_idx(download(f"fashion-mnist-{split}-labels"))
    if images.ndim != 3 or labels.ndim != 1 or len(images) != len(labels):
        raise ValueError(
            f"Fashion-MNIST {split} files disagree: images {images.shape}, labels {labels.shape}"
        )
    return images, labels


class ArrayLoader:
    """Minibatches ``(X, y)`` of MXNet arrays, reshuffled every epoch when asked.

    The whole data set stays in memory: each epoch draws one permutation from
    NumPy's global generator (so ``set_seed`` makes it repeatable) and then
    yields plain slices, which is far cheaper than gathering every batch.
    """

    def __init__(self, arrays: Sequence[Any], batch_size: int, shuffle: bool) -> None:
        self.batch_size = check_count("batch_size", batch_size)
        self.shuffle = shuffle
        if isinstance(arrays, str) or not isinstance(arrays, list | tuple) or not arrays:
            raise TypeError(
                "data_arrays must be a tuple of arrays such as (features, labels), "
                f"got {describe(arrays)}"
            )
        host = [
            check_real_array(f"data_arrays[{i}]", a, bound=FLOAT32_MAX).astype(onp.float32)
            for i, a in enumerate(arrays)
        ]
        sizes = {len(a) if a.ndim else -1 for a in host}
        if len(sizes) != 1 or min(sizes) < 1:
            shapes = ", ".join(str(a.shape) for a in host)
            raise ValueError(
                "data_arrays must have the same number of rows, at least one, got shapes " + shapes
            )
        self._host = host
        self.num_examples = sizes.pop()
        self.arrays = tuple(np.array(a, dtype="float32") for a in self._host)

    def __len__(self) -> int:
        return math.ceil(self.num_examples / self.batch_size)

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        arrays = self.arrays
        if self.shuffle:
            order = onp.random.permutation(self.num_examples)
            arrays = tuple(np.array(a[order], dtype="float32") for a in self._host)
        for start in range(0, self.num_examples, self.batch_size):
            yield tuple(a[start : start + self.batch_size] for a in arrays)


def load_array(data_arrays: Sequence[Any], batch_size: int, is_train: bool = True) -> ArrayLoader:
    """Iterate over ``data_arrays`` in minibatches of ``batch_size`` (shuffled if ``is_train``)."""
    return ArrayLoader(data_arrays, batch_size, shuffle=check_flag("is_train", is_train))


def get_data_ch11(batch_size: int = 10, n: int = 1500) -> tuple[ArrayLoader, int]:
    """Load the airfoil data, standardize every column and batch the first ``n`` rows.

    Returns the shuffling minibatch iterator and the number of features (5).
    """
    batch_size = check_count("batch_size", batch_size)
    n = check_count("n", n)
    path = download("airfoil")
    try:
        data = onp.genfromtxt(path, dtype=onp.float32, delimiter="\t")
    except ValueError as error:
        raise ValueError(f"{path} is not a tab-separated table of numbers: {error}") from None
    if data.shape != AIRFOIL_SHAPE:
        raise ValueError(f"{path} should hold {AIRFOIL_SHAPE} values, found {data.shape}")
    check_finite_array(str(path), data)
    if n > len(data):
        raise ValueError(f"n must be at most {len(data)} (the rows in the file), got {n}")
    data = (data - data.mean(axis=0)) / data.std(axis=0)
    return load_array((data[:n, :-1], data[:n, -1]), batch_size, is_train=True), data.shape[1] - 1
