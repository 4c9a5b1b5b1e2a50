"""Argument types and exit codes shared by the ``talentsim`` command and its sweep subcommands.

Standard library only, so both :mod:`talentsim.cli` and :mod:`talentsim.sweep.cli` import it
without importing each other.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

EXIT_BAD_INPUT = 2
EXIT_FAILURE = 1
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it


def whole_number(minimum: int) -> Callable[[str], int]:
    """An argparse type: a whole number of at least ``minimum``, with a clear message otherwise."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"expected a whole number of at least {minimum}, got {value}")
        return value

    return parse
