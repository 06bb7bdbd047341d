"""`composer train gan|arcnn|style-prior [options]`: each has its own options (and --help)."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["style-prior"]:
        from composer.training.style_prior import main as style_main

        return style_main(argv)
    if argv[:1] == ["arcnn"]:
        from composer.training.arcnn import main as arcnn_main

        return arcnn_main(argv)
    from composer.training.gan import main as gan_main

    return gan_main(argv)
