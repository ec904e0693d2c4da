"""Stands in for PyTorch in the kernels of the other frameworks' notebooks.

``tools/framework_notebooks.py`` puts ``tools/without/torch`` first on their PYTHONPATH,
so that importing torch fails there as where PyTorch is not installed: no other
framework's notebook may need it.
"""

raise ModuleNotFoundError(
    "No module named 'torch' here (tools/without/torch hides it from this kernel): "
    "PyTorch code belongs in a cell tagged framework-pytorch",
    name="torch",
)
