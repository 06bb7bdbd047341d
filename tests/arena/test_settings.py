"""Production settings pass Django's deployment checks; the demo seeder refuses production."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")} | env
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "arena.settings.production",
    "DJANGO_SECRET_KEY": "test-only-7Hq2mZ9pL4vR8sK1xN6bW3cJ5tY0uE-aF!dG#hI$oP",
    "DJANGO_ALLOWED_HOSTS": "arena.example.org",
}


def test_check_deploy_is_clean_with_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = dict(PRODUCTION, DJANGO_SECRET_KEY="")
    result = _manage("check", **env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_seed_demo_refuses_when_debug_is_off(tmp_path):
    env = dict(PRODUCTION, DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    result = _manage("seed_demo", **env)
    assert result.returncode != 0
    assert "DEBUG off" in result.stderr
