"""People: participants by default, judges and organisers by role."""

from __future__ import annotations

from typing import Any

import factory
from factory.django import DjangoModelFactory

from arena.accounts.models import Role, User
from arena.accounts.services import user_create

PASSWORD = "a-long-test-password-42"


class UserFactory(DjangoModelFactory[User]):
    """A user with a confirmed e-mail and the password PASSWORD, made by `user_create`."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = PASSWORD
    role = Role.PARTICIPANT
    display_name = ""

    @classmethod
    def _create(cls, model_class: type[User], *args: Any, **kwargs: Any) -> User:
        return user_create(**kwargs)

    @factory.post_generation
    def staff(user: User, create: bool, extracted: bool | None, **_: Any) -> None:
        """`staff=True`: the Django admin's too, as the demo's organiser is."""
        if create and extracted:
            user.is_staff = user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])


class JudgeFactory(UserFactory):
    username = factory.Sequence(lambda n: f"judge{n}")
    role = Role.JUDGE


class OrganiserFactory(UserFactory):
    username = factory.Sequence(lambda n: f"organiser{n}")
    role = Role.ORGANISER
