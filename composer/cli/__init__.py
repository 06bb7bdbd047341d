"""The `composer` command line (DESIGN §6)."""
