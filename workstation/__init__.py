"""Lintas core: case files, bundles, import, provenance, handling, keys, audit, CLI.

Nothing in this package imports Qt; every capability works headless.
"""

__version__ = "0.1.0"
