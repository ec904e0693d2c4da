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
