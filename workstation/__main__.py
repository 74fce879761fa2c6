"""``python -m workstation``: the ``lintas`` command.

Also the entry script of the PyInstaller build (``build.spec``), which runs it as a plain
script, outside any package: so its imports are absolute.
"""

import sys

from workstation.cli import main

if __name__ == "__main__":
    sys.exit(main())
