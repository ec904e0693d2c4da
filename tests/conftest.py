"""Fixtures shared by the tests: one local server and one Chromium per session; the editions."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser

from tests import editions
from tests.support import launch_browser, serve_site


@pytest.fixture(scope="session")
def base_url() -> Iterator[str]:
    with serve_site() as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with launch_browser() as browser:
        yield browser


@pytest.fixture(scope="session", params=editions.NAMES)
def edition(request: pytest.FixtureRequest) -> editions.Edition:
    """Each framework edition of the package in turn (a test using it runs once per edition)."""
    return editions.load(request.param)
