from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.time_zones import time_zone_choices


def normalize_email(email: str) -> str:
    """Emails are the login: stored stripped and lower-cased so `Rep@X.example` and `rep@x.example` are one user."""
    return (email or "").strip().lower()


def join_name(first_name: str, last_name: str) -> str:
    return " ".join(part for part in (first_name, last_name) if part)


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
    # People are asked for the name they are called by and, optionally, their last name, so greetings read
    # "Welcome, Anna" and lists read "Anna Smirnova" in both languages. `full_name` is derived on save
    # ("first last"): lists, searches and sorts read one indexed column.
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    full_name = models.CharField(_("full name"), max_length=201, blank=True, editable=False)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.REPRESENTATIVE)
    status = models.CharField(_("status"), max_length=20, choices=UserStatus.choices, default=UserStatus.ACTIVE)
    language = models.CharField(_("language"), max_length=5, choices=Language.choices, default=Language.RU)
    # Russia's zones first, then the world's canonical zones, labelled in the reader's language (a callable:
    # the list follows tzdata without a migration; accounts/time_zones.py).
    time_zone = models.CharField(_("time zone"), max_length=64, choices=time_zone_choices, default="Europe/Moscow")
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    # The last invitation sent (accounts.invitations): its link is valid PORTAL_INVITATION_DAYS from then.
    invited_at = models.DateTimeField(_("invited"), null=True, blank=True)
    invited_by = models.ForeignKey(
        "self", verbose_name=_("invited by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]
        indexes = [
            models.Index(fields=["role", "status"]),
            models.Index(fields=["full_name", "id"], name="user_by_name"),
            models.Index(fields=["last_login"], name="user_last_login"),
        ]

    def __str__(self):
        return self.full_name or self.email

    def save(self, *args, **kwargs):
        self.email = normalize_email(self.email)
        self.first_name = " ".join((self.first_name or "").split())
        self.last_name = " ".join((self.last_name or "").split())
        if not self.first_name and not self.last_name and self.full_name:
            # A name given whole (older rows, `create_user(full_name=...)`): first word, then the rest.
            first, _space, rest = " ".join(self.full_name.split()).partition(" ")
            self.first_name, self.last_name = first[:100], rest[:100]
        self.full_name = join_name(self.first_name, self.last_name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"first_name", "last_name"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "full_name"}
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
        """How the portal addresses the person: "Welcome, Anna"."""
        return self.first_name or self.email


class AccessRequestStatus(models.TextChoices):
    OPEN = "open", _("Open")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")


class AccessRequest(models.Model):
    """Someone without an account asks for one from the public "request access" page (SPEC §2).

    A second request from the same email while one is open is merged into it (`times_requested`);
    an administrator approves it — which invites the person — or declines it with a reason."""

    company = models.CharField(_("company or project"), max_length=200)
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    message = models.TextField(_("message"), max_length=2000, blank=True)
    language = models.CharField(_("language"), max_length=5, choices=Language.choices, default=Language.RU)
    status = models.CharField(
        _("status"), max_length=10, choices=AccessRequestStatus.choices, default=AccessRequestStatus.OPEN
    )
    times_requested = models.PositiveIntegerField(_("times requested"), default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        User, verbose_name=_("decided by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decline_reason = models.TextField(_("reason"), max_length=1000, blank=True)
    # Who the approval invited (None until approved).
    user = models.ForeignKey(
        User, verbose_name=_("account"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("access request")
        verbose_name_plural = _("access requests")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at", "id"], name="access_request_queue")]
        constraints = [
            # One open request per email: a second one is merged (accounts.services.access_request_submit).
            models.UniqueConstraint(
                fields=["email"], condition=models.Q(status="open"), name="access_request_one_open_per_email"
            )
        ]

    def __str__(self):
        return f"{self.name} <{self.email}>"

    def get_short_name(self):
        """How the requester's emails greet them (the account emails' `recipient.get_short_name`)."""
        return self.name

    def split_name(self) -> tuple[str, str]:
        """(first name, last name) to prefill the approval: the first word, then the rest (editable there)."""
        first, _sep, rest = " ".join(self.name.split()).partition(" ")
        return first, rest


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
