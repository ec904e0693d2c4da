"""Stands in for PyTorch in the kernel of a chapter's MXNet notebook.

``tools/framework_notebooks.py`` puts ``tools/without/torch`` first on that kernel's
PYTHONPATH, so that importing torch fails there as where only MXNet is installed: the
MXNet notebook must not need PyTorch.
"""

raise ModuleNotFoundError(
    "No module named 'torch' in a chapter's MXNet notebook (tools/without/torch hides it): "
    "PyTorch code belongs in a cell tagged framework-pytorch",
    name="torch",
)
