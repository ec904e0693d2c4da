"""How the build and the tests start kernels: over IPC, never TCP.

jupyter_client's default transport, TCP, picks free ports in the client and lets the
kernel bind them later, so kernels started side by side can race for a port (a test's
kernel died with ``bind: Address already in use``), and every kernel warns that it runs
over TCP without encryption. Over IPC each kernel's sockets are named by a fresh UUID in
Linux's abstract socket namespace (``ipc://@kernel-<uuid>-<n>``): no port to race for, no
file to clean up when a kernel is killed, no path-length limit. Elsewhere than Linux
kernels keep TCP.
"""

from __future__ import annotations

import sys
import uuid
from typing import Any

from jupyter_client.manager import AsyncKernelManager, KernelManager
from traitlets import default

#: Whether kernels use IPC: Linux's abstract sockets need no file.
IPC = sys.platform == "linux"


def _ip() -> str:
    return f"@kernel-{uuid.uuid4().hex}"


class IPCKernelManager(KernelManager):
    """A blocking kernel manager whose kernel listens on abstract IPC sockets."""

    @default("transport")
    def _transport_default(self) -> str:
        return "ipc" if IPC else "tcp"

    @default("ip")
    def _ip_default(self) -> str:
        return _ip() if self.transport == "ipc" else str(super()._ip_default())


class AsyncIPCKernelManager(AsyncKernelManager):
    """The asynchronous one (what nbclient drives)."""

    @default("transport")
    def _transport_default(self) -> str:
        return "ipc" if IPC else "tcp"

    @default("ip")
    def _ip_default(self) -> str:
        return _ip() if self.transport == "ipc" else str(super()._ip_default())


def client_options() -> dict[str, Any]:
    """Keyword arguments that make an nbclient ``NotebookClient`` start its kernel over IPC."""
    return {"kernel_manager_class": AsyncIPCKernelManager}


def start(kernel_name: str = "python3", **options: Any) -> tuple[Any, Any]:
    """Start a kernel over IPC; return its manager and a started, ready blocking client
    (as ``jupyter_client.manager.start_new_kernel`` does). ``options`` go to
    ``start_kernel`` (``cwd``, ``env``, ``stderr``, ...)."""
    timeout = options.pop("startup_timeout", 60)
    manager = IPCKernelManager(kernel_name=kernel_name)
    manager.start_kernel(**options)
    client = manager.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=timeout)
    except RuntimeError:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
        raise
    return manager, client
