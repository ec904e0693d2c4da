"""Stands in for TensorFlow in the kernels of the other frameworks' notebooks.

``tools/framework_notebooks.py`` puts ``tools/without/tensorflow`` first on their PYTHONPATH,
so that importing tensorflow fails there as where TensorFlow is not installed: no other
framework's notebook may need it.
"""

raise ModuleNotFoundError(
    "No module named 'tensorflow' here (tools/without/tensorflow hides it from this kernel): "
    "TensorFlow code belongs in a cell tagged framework-tensorflow",
    name="tensorflow",
)
