"""Fixtures shared by the tests: one local server and one Chromium per session; the editions.

The browser's modules are imported by the fixtures that need them, so that the tests of
the package also run in the NumPy-2 environment, which has no browser tools.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from tests import editions

if TYPE_CHECKING:
    from playwright.sync_api import Browser

#: The tests of d2l's TensorFlow calls need TensorFlow, which the book's environment cannot
#: hold beside MXNet: ``make test`` runs them in the NumPy-2 one (with the TensorFlow
#: edition's runs of the other tests), and the book's run leaves them out.
collect_ignore = (
    [] if "tensorflow" in editions.NAMES else ["public_api/test_book_calls_tensorflow.py"]
)


@pytest.fixture(scope="session")
def base_url() -> Iterator[str]:
    from tools.browser import serve_site

    with serve_site() as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    from tools.browser import launch_browser

    with launch_browser() as browser:
        yield browser


@pytest.fixture(scope="session", params=editions.NAMES)
def edition(request: pytest.FixtureRequest) -> editions.Edition:
    """Each framework edition of the package in turn (a test using it runs once per edition)."""
    return editions.load(request.param)
