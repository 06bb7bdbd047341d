"""Writes on accounts."""

from allauth.account.models import EmailAddress

from arena.accounts.models import Role, User


def user_create(
    *,
    username: str,
    email: str,
    password: str,
    role: str = Role.PARTICIPANT,
    display_name: str = "",
) -> User:
    """A user whose e-mail is already confirmed (organisers and the demo create people this way)."""
    user = User.objects.create_user(
        username=username, email=email, password=password, role=role, display_name=display_name
    )
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    return user
