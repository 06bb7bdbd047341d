"""The admin names every model in plain English, plurals included."""

from __future__ import annotations

from django.contrib import admin


def test_admin_plurals_are_english() -> None:
    names = {model._meta.verbose_name_plural for model in admin.site._registry}
    assert "melodies" in names
    assert not any(str(name).endswith(("ys", "ss")) for name in names)
