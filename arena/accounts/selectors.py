"""Reads on people."""

from arena.accounts.models import User


def user_by_username(*, username: str) -> User | None:
    return User.objects.filter(username=username).first()
