"""`composer train gan|arcnn [options]`: each model's loop has its own options (and --help)."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["arcnn"]:
        from composer.training.arcnn import main as arcnn_main

        return arcnn_main(argv)
    from composer.training.gan import main as gan_main

    return gan_main(argv)
