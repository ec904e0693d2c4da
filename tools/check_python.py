"""Stop early, with a clear message, when the book is set up on an unsupported Python."""

import sys

REQUIRED = (3, 11)

if sys.version_info[:2] != REQUIRED:
    found = ".".join(map(str, sys.version_info[:3]))
    sys.exit(
        f"This book needs Python {REQUIRED[0]}.{REQUIRED[1]} (MXNet 1.9.1 and numpy 1.23.5 "
        f"have no wheels for other versions), but {sys.executable} is Python {found}.\n"
        "Install Python 3.11 and run again, e.g. `make site PYTHON=/path/to/python3.11`."
    )
