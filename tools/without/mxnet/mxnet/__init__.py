"""Stands in for MXNet in the kernels of the other frameworks' notebooks.

``tools/framework_notebooks.py`` puts ``tools/without/mxnet`` first on their PYTHONPATH,
so that importing mxnet fails there as where MXNet is not installed: no other
framework's notebook may need it.
"""

raise ModuleNotFoundError(
    "No module named 'mxnet' here (tools/without/mxnet hides it from this kernel): "
    "MXNet code belongs in a cell tagged framework-mxnet",
    name="mxnet",
)
