"""`python -m composer.training gan|arcnn ...`: the same as `composer train gan|arcnn ...`."""

from composer.training.cli import main

main()
