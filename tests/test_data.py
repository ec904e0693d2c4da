"""The airfoil loader: shape, standardization, batching, the SHA-1 check, clear errors."""

from __future__ import annotations

import gzip
import shutil
import struct
import warnings
from pathlib import Path

import numpy as onp
import pytest

import d2l_utils as d2l
from d2l_utils import data

SHARED = Path(data.data_dir())
AIRFOIL = SHARED / "airfoil_self_noise.dat"


@pytest.fixture
def source(tmp_path, monkeypatch):
    """A private 'server' folder (file:// URLs) and an empty cache folder."""
    server, cache = tmp_path / "server", tmp_path / "cache"
    server.mkdir()
    cache.mkdir()
    shutil.copy(AIRFOIL, server / AIRFOIL.name)
    sha = data.DATA_HUB["airfoil"][1]
    monkeypatch.setitem(data.DATA_HUB, "airfoil", ((server / AIRFOIL.name).as_uri(), sha))
    monkeypatch.setenv(data.ENV_DATA_DIR, str(cache))
    return server, cache


def test_shapes_and_batches():
    data_iter, feature_dim = d2l.get_data_ch11(batch_size=10)
    assert feature_dim == 5
    assert len(data_iter) == 150
    batches = list(data_iter)
    assert len(batches) == 150
    X, y = batches[0]
    assert X.shape == (10, 5) and y.shape == (10,)


def test_standardized_like_an_independent_computation():
    raw = onp.loadtxt(AIRFOIL, delimiter="\t")
    assert raw.shape == (1503, 6)
    expected = (raw - raw.mean(axis=0)) / raw.std(axis=0)
    data_iter, _ = d2l.get_data_ch11(batch_size=10)
    X, y = (a.asnumpy() for a in data_iter.arrays)
    onp.testing.assert_allclose(X, expected[:1500, :5], atol=1e-4)  # the loader works in float32
    onp.testing.assert_allclose(y, expected[:1500, 5], atol=1e-4)  # the loader works in float32


def test_each_epoch_is_a_new_permutation_of_all_rows():
    d2l.set_seed(1)
    data_iter, _ = d2l.get_data_ch11(batch_size=100, n=300)
    epochs = [onp.concatenate([y.asnumpy() for _, y in data_iter]) for _ in range(2)]
    full = data_iter.arrays[1].asnumpy()
    for labels in epochs:
        onp.testing.assert_array_equal(onp.sort(labels), onp.sort(full))
    assert not onp.array_equal(epochs[0], epochs[1])


def test_sha1_of_the_shared_file():
    assert data.sha1_of(AIRFOIL) == data.DATA_HUB["airfoil"][1]


def test_download_fetches_and_caches(source):
    server, cache = source
    path = d2l.download("airfoil")
    assert path == cache / AIRFOIL.name
    assert data.sha1_of(path) == data.DATA_HUB["airfoil"][1]
    (server / AIRFOIL.name).unlink()  # a second call must use the cache
    assert d2l.download("airfoil") == path


def test_corrupt_download_is_rejected_and_not_kept(source):
    server, cache = source
    (server / AIRFOIL.name).write_bytes(b"not the airfoil data\n")
    with pytest.raises(ValueError, match=r"has SHA-1 .* expected 76e5be"):
        d2l.download("airfoil")
    assert list(cache.iterdir()) == []


def test_corrupt_cache_is_reported_and_fetched_again(source):
    _, cache = source
    (cache / AIRFOIL.name).write_bytes(b"truncated")
    with pytest.warns(UserWarning, match="is corrupt"):
        path = d2l.download("airfoil")
    assert data.sha1_of(path) == data.DATA_HUB["airfoil"][1]


def test_offline_without_a_cached_file_names_file_url_and_folder(source, monkeypatch):
    _, cache = source
    url = "http://127.0.0.1:9/airfoil_self_noise.dat"  # nothing listens on port 9
    monkeypatch.setitem(data.DATA_HUB, "airfoil", (url, data.DATA_HUB["airfoil"][1]))
    with pytest.raises(FileNotFoundError) as info:
        d2l.get_data_ch11()
    message = str(info.value)
    assert "airfoil_self_noise.dat" in message
    assert url in message
    assert str(cache) in message and "D2L_DATA_DIR" in message
    assert list(cache.iterdir()) == []


def test_unknown_data_set():
    with pytest.raises(ValueError, match=r"name must be one of 'airfoil', .*; got str 'mnist'"):
        d2l.download("mnist")


def test_a_file_of_the_wrong_shape_is_rejected(tmp_path, monkeypatch):
    bad = tmp_path / "airfoil_self_noise.dat"
    bad.write_text("1\t2\t3\n4\t5\t6\n")
    monkeypatch.setitem(data.DATA_HUB, "airfoil", (bad.as_uri(), data.sha1_of(bad)))
    monkeypatch.setenv(data.ENV_DATA_DIR, str(tmp_path))
    with pytest.raises(ValueError, match=r"should hold \(1503, 6\) values, found \(2, 3\)"):
        d2l.get_data_ch11()


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"batch_size": 0}, ValueError, "batch_size must be >= 1"),
        ({"batch_size": 2.0}, TypeError, "batch_size must be an integer"),
        ({"n": 2000}, ValueError, "n must be at most 1503"),
    ],
)
def test_get_data_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        d2l.get_data_ch11(**kwargs)


def test_load_array_checks_rows_and_values():
    X = onp.ones((4, 2))
    with pytest.raises(ValueError, match="same number of rows"):
        d2l.load_array((X, onp.ones(3)), 2)
    y = onp.array([1.0, onp.nan, 0.0, 2.0])
    with pytest.raises(ValueError, match=r"data_arrays\[1\] contains 1 NaN.* index \(1,\)"):
        d2l.load_array((X, y), 2)
    loader = d2l.load_array((X, onp.arange(4.0)), 3, is_train=False)
    assert [len(y) for _, y in loader] == [3, 1]


def test_no_warning_when_the_cache_is_good():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert d2l.download("airfoil") == AIRFOIL


def write_idx(path: Path, array: onp.ndarray) -> Path:
    """A gzip IDX file of unsigned bytes, as Fashion-MNIST ships them."""
    header = bytes([0, 0, 0x08, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    with gzip.open(path, "wb") as stream:
        stream.write(header + array.astype(onp.uint8).tobytes())
    return path


@pytest.fixture
def fashion_files(tmp_path, monkeypatch):
    """Small IDX files served from a private folder, with their real SHA-1s in the hub."""
    server, cache = tmp_path / "server", tmp_path / "cache"
    server.mkdir()
    cache.mkdir()
    rng = onp.random.default_rng(0)
    arrays = {
        "train-images": rng.integers(0, 256, (6, 28, 28)),
        "train-labels": onp.arange(6) % 10,
        "test-images": rng.integers(0, 256, (3, 28, 28)),
        "test-labels": onp.array([3, 1, 4]),
    }
    for name, array in arrays.items():
        path = write_idx(server / f"{name}.gz", array)
        entry = (path.as_uri(), data.sha1_of(path))
        monkeypatch.setitem(data.DATA_HUB, f"fashion-mnist-{name}", entry)
    monkeypatch.setenv(data.ENV_DATA_DIR, str(cache))
    return server, cache, arrays


def test_fashion_mnist_loader_reads_downloaded_idx_files(fashion_files):
    _, cache, arrays = fashion_files
    for train, split in ((True, "train"), (False, "test")):
        images, labels = data.load_fashion_mnist(train=train)
        onp.testing.assert_array_equal(images, arrays[f"{split}-images"])
        onp.testing.assert_array_equal(labels, arrays[f"{split}-labels"])
    assert len(list(cache.iterdir())) == 4


def test_fashion_mnist_rejects_a_wrong_hash_and_keeps_nothing(fashion_files, monkeypatch):
    _, cache, _ = fashion_files
    url, _ = data.DATA_HUB["fashion-mnist-train-images"]
    monkeypatch.setitem(data.DATA_HUB, "fashion-mnist-train-images", (url, "0" * 40))
    with pytest.raises(ValueError, match="has SHA-1"):
        data.load_fashion_mnist()
    assert not any(p.name.startswith("train-images") for p in cache.iterdir())


def test_read_idx_reports_corrupt_files(tmp_path):
    bad_magic = tmp_path / "bad.gz"
    with gzip.open(bad_magic, "wb") as stream:
        stream.write(b"\x00\x00\x09\x01" + struct.pack(">I", 2) + b"\x01\x02")
    with pytest.raises(ValueError, match="bad magic number"):
        data.read_idx(bad_magic)
    truncated = tmp_path / "short.gz"
    with gzip.open(truncated, "wb") as stream:
        stream.write(b"\x00\x00\x08\x01" + struct.pack(">I", 5) + b"\x01\x02")
    with pytest.raises(ValueError, match=r"declares shape \(5,\) but holds 2 values"):
        data.read_idx(truncated)


def test_fashion_mnist_offline_error_names_the_file(fashion_files, monkeypatch):
    url = "http://127.0.0.1:9/train-images-idx3-ubyte.gz"
    monkeypatch.setitem(data.DATA_HUB, "fashion-mnist-train-images", (url, "0" * 40))
    with pytest.raises(FileNotFoundError, match=r"train-images-idx3-ubyte\.gz is not in"):
        data.load_fashion_mnist()
