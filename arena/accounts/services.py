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


def api_token_get_or_create(*, user: User) -> str:
    """The user's API token (made on first use)."""
    from rest_framework.authtoken.models import Token

    return Token.objects.get_or_create(user=user)[0].key


def api_token_renew(*, user: User) -> str:
    """A fresh API token; the old one stops working at once."""
    from rest_framework.authtoken.models import Token

    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user).key


def site_sync(**_: object) -> None:
    """The Sites framework's record names this site (ARENA_SITE_NAME, ARENA_SITE_DOMAIN), so mail
    and account pages say "Arena" at its own address, never "example.com". Runs after migrate."""
    from django.conf import settings
    from django.contrib.sites.models import Site

    Site.objects.update_or_create(
        pk=settings.SITE_ID,
        defaults={"domain": settings.ARENA_SITE_DOMAIN, "name": settings.ARENA_SITE_NAME},
    )
    Site.objects.clear_cache()
