"""Settings by environment (cookiecutter-django style): base, local (demo), test, production."""
