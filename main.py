"""Lumbung: `python main.py` opens the window; with a command it runs the command line."""

from __future__ import annotations

import sys

from app.launcher import main

if __name__ == "__main__":
    sys.exit(main())
