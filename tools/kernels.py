"""How the build and the tests start kernels: over IPC, never TCP; and the book's kernels.

Usage: python tools/kernels.py --install   (what ``make site`` runs)

``--install`` installs into this Python's environment a kernel for each other
environment of ``tools/frameworks.OTHER_ENVIRONMENTS`` (the NumPy-2 one, where the
TensorFlow notebooks run), so that the build and JupyterLab find it by name.

jupyter_client's default transport, TCP, picks free ports in the client and lets the
kernel bind them later, so kernels started side by side can race for a port (a test's
kernel died with ``bind: Address already in use``), and every kernel warns that it runs
over TCP without encryption. Over IPC each kernel's sockets are named by a fresh UUID in
Linux's abstract socket namespace (``ipc://@kernel-<uuid>-<n>``): no port to race for, no
file to clean up when a kernel is killed, no path-length limit. Elsewhere than Linux
kernels keep TCP.
"""

from __future__ import annotations

import argparse
import json
import sys
import uuid
from pathlib import Path
from typing import Any

from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import AsyncKernelManager, KernelManager
from traitlets import default

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools.frameworks import FRAMEWORKS, KERNELS, OTHER_ENVIRONMENTS  # noqa: E402

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


def installed() -> set[str]:
    """The names of the kernels this Python's Jupyter finds."""
    return set(KernelSpecManager().find_kernel_specs())


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


def install(book: Path = ROOT, prefix: Path = Path(sys.prefix)) -> list[Path]:
    """Write the kernel spec of each of ``OTHER_ENVIRONMENTS`` (found under ``book``) into
    ``prefix``'s Jupyter kernels; return the specs written. Raises FileNotFoundError
    naming the environment when one is not built."""
    written = []
    for name, folder in OTHER_ENVIRONMENTS.items():
        python = book / folder / "bin" / "python"
        if not python.is_file():
            raise FileNotFoundError(f"the kernel {name} runs in {folder}, which is not built")
        labels = [FRAMEWORKS[f] for f, kernel in KERNELS.items() if kernel == name]
        spec = {
            "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": f"Python 3 ({folder}: {', '.join(labels)})",
            "language": "python",
            "metadata": {"debugger": True},
        }
        path = prefix / "share" / "jupyter" / "kernels" / name / "kernel.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        partial.write_text(json.dumps(spec, indent=1) + "\n", encoding="utf-8")
        partial.replace(path)
        written.append(path)
    return written


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--install", action="store_true", required=True, help="install them")
    parser.parse_args()
    try:
        for spec in install():
            print(f"kernels: installed {spec.parent.name} ({spec})")
    except FileNotFoundError as missing:
        sys.exit(f"kernels: {missing} (`make colab-env` builds it)")
