"""The pieces of ``tools/benchmark.py``: one module per thing measured, by the issue's goals.

* ``pages``: page weight and first render of every page of the built site (goals 1-2).
* ``explorers``: explorer latency in Chromium and in a notebook kernel (goals 3-4).
* ``training``: the training functions against the reference ``d2l`` package (goal 5).
* ``build``: builds in a copy of the checkout, clean and after edits; the test run (6-7).
* ``kernel`` and ``stats``: running code in a Jupyter kernel; medians, goals and noise.
"""
