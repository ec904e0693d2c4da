"""Stands in for MXNet in the kernel of a chapter's PyTorch notebook.

``tools/framework_notebooks.py`` puts ``tools/without/mxnet`` first on that kernel's
PYTHONPATH, so that importing mxnet fails there as where only PyTorch is installed: the
PyTorch notebook must not need MXNet.
"""

raise ModuleNotFoundError(
    "No module named 'mxnet' in a chapter's PyTorch notebook (tools/without/mxnet hides it): "
    "MXNet code belongs in a cell tagged framework-mxnet",
    name="mxnet",
)
