"""The pieces of ``tools/benchmark.py``: one module per thing measured.

* ``training``: the training functions against the reference ``d2l`` package.
* ``sliders``: slider latency in a notebook kernel and in the browser, page weight.
* ``build``: the clean site build, the per-notebook execution times, the test run.
* ``kernel`` and ``stats``: running code in a Jupyter kernel; medians and noise.
"""
