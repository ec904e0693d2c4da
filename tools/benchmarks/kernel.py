"""Run cells in a real Jupyter kernel, the way a reader's notebook runs them."""

from __future__ import annotations

import re
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import psutil
from jupyter_client.provisioning.local_provisioner import LocalProvisioner

from tools import kernels

ANSI_CODES = re.compile(r"\x1b\[[0-9;]*m")


@dataclass
class CellRun:
    """What one executed cell took and printed.

    ``cpu_seconds`` is the processor time the kernel process used (all its
    threads): unlike the wall time, it barely grows when other programs compete
    for the cores, so it tells a slower machine from a busier one.
    """

    seconds: float
    cpu_seconds: float
    stdout: str


class CellError(RuntimeError):
    """A benchmark cell raised in the kernel."""


class Kernel:
    """A started IPython kernel; ``run`` executes one cell and waits for it."""

    def __init__(self, client: Any, pid: int) -> None:
        self._client = client
        self._process = psutil.Process(pid)

    def _cpu(self) -> float:
        times = self._process.cpu_times()
        return float(times.user + times.system)

    def run(self, code: str, timeout: float = 600) -> CellRun:
        """Execute ``code`` as one cell; time it from request to reply, as Jupyter does.

        The time includes everything the reader waits for: the code, the figures
        rendered and sent, and IPython's end-of-cell hooks (inline figures).
        """
        printed: list[str] = []

        def collect(message: dict[str, Any]) -> None:
            if message["msg_type"] == "stream" and message["content"]["name"] == "stdout":
                printed.append(message["content"]["text"])

        cpu, start = self._cpu(), time.perf_counter()
        reply = self._client.execute_interactive(code, output_hook=collect, timeout=timeout)
        seconds, cpu = time.perf_counter() - start, self._cpu() - cpu
        content = reply["content"]
        if content["status"] != "ok":
            trace = ANSI_CODES.sub("", "\n".join(content.get("traceback", [])))
            raise CellError(f"{content.get('ename')}: {content.get('evalue')}\n{trace}")
        return CellRun(seconds, cpu, "".join(printed))


@contextmanager
def kernel(name: str = "python3") -> Iterator[Kernel]:
    """A fresh kernel ``name`` with inline (SVG-capable) figures; shut down on exit."""
    manager, client = kernels.start(name, stderr=subprocess.DEVNULL)
    try:
        provisioner = manager.provisioner
        if not isinstance(provisioner, LocalProvisioner) or provisioner.pid is None:
            raise RuntimeError(f"no local kernel process: {provisioner}")
        session = Kernel(client, provisioner.pid)
        session.run("%matplotlib inline")
        yield session
    finally:
        client.stop_channels()
        manager.shutdown_kernel()
