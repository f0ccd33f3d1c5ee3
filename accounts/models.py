import zoneinfo

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def normalize_email(email: str) -> str:
    """Emails are the login: stored stripped and lower-cased so `Rep@X.example` and `rep@x.example` are one user."""
    return (email or "").strip().lower()


TIME_ZONE_CHOICES = sorted((name, name.replace("_", " ")) for name in zoneinfo.available_timezones() if "/" in name)


class Role(models.TextChoices):
    REPRESENTATIVE = "representative", _("Representative")
    ADMIN = "admin", _("Administrator")
    MODERATOR = "moderator", _("Moderator")
    DIRECTOR = "director", _("Director")


STAFF_ROLES = frozenset({Role.ADMIN, Role.MODERATOR, Role.DIRECTOR})


class UserStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    ACTIVE = "active", _("Active")
    BLOCKED = "blocked", _("Blocked")


class Language(models.TextChoices):
    RU = "ru", "Русский"
    EN = "en", "English"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, username):
        return self.get(**{self.model.USERNAME_FIELD: normalize_email(username)})

    def create_user(self, email, password=None, **fields):
        if not email:
            raise ValueError("email is required")
        user = self.model(email=normalize_email(email), **fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **fields):
        fields.setdefault("role", Role.ADMIN)
        fields.setdefault("status", UserStatus.ACTIVE)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("email"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.REPRESENTATIVE)
    status = models.CharField(_("status"), max_length=20, choices=UserStatus.choices, default=UserStatus.ACTIVE)
    language = models.CharField(_("language"), max_length=5, choices=Language.choices, default=Language.RU)
    time_zone = models.CharField(_("time zone"), max_length=64, choices=TIME_ZONE_CHOICES, default="Europe/Moscow")
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]
        indexes = [models.Index(fields=["role", "status"])]

    def __str__(self):
        return self.full_name or self.email

    def save(self, *args, **kwargs):
        self.email = normalize_email(self.email)
        super().save(*args, **kwargs)

    # A blocked user is inactive: ModelBackend refuses the login and, because `get_user` checks
    # `is_active` on every request, every session they hold becomes anonymous at once.
    @property
    def is_active(self) -> bool:
        return self.status != UserStatus.BLOCKED

    @property
    def is_staff(self) -> bool:
        """Django admin access: administrators only (directors and moderators use the staff cabinet)."""
        return self.role == Role.ADMIN

    @property
    def is_portal_staff(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def is_representative(self) -> bool:
        return self.role == Role.REPRESENTATIVE

    # Administrators hold every Django permission (the admin site); nobody else holds any by role.
    def has_perm(self, perm, obj=None):
        if self.is_active and self.role == Role.ADMIN:
            return True
        return super().has_perm(perm, obj)

    def has_module_perms(self, app_label):
        if self.is_active and self.role == Role.ADMIN:
            return True
        return super().has_module_perms(app_label)

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return (self.full_name or self.email).split(" ")[0]


# allauth's own rows about people, under names the admin can show in the reader's language (allauth's
# models have no translated verbose names). Proxies: no table of their own; the admin registers these in
# place of allauth's ModelAdmins (accounts/admin.py), read-only and without secrets.
from allauth.mfa.models import Authenticator  # noqa: E402 — allauth's apps load before this one
from allauth.usersessions.models import UserSession  # noqa: E402


class TwoFactorAuthenticator(Authenticator):
    class Meta:
        proxy = True
        verbose_name = _("two-factor authenticator")
        verbose_name_plural = _("two-factor authenticators")


class SignInSession(UserSession):
    class Meta:
        proxy = True
        verbose_name = _("sign-in session")
        verbose_name_plural = _("sign-in sessions")
