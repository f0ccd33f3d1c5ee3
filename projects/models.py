from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    """What kind of business a project is (a fixed list: the catalog filters by it, lots inherit it)."""

    LOUNGE = "lounge", _("Hookah lounge")
    GROOMING = "grooming", _("Pet grooming")
    RESTAURANT = "restaurant", _("Restaurant")
    BARBERSHOP = "barbershop", _("Barbershop")
    COFFEE = "coffee", _("Coffee shop")
    BAR = "bar", _("Bar")
    FITNESS = "fitness", _("Fitness")
    BEAUTY = "beauty", _("Beauty salon")
    KIDS = "kids", _("Kids")
    SPA = "spa", _("Spa and massage")
    CAR_SERVICE = "car_service", _("Car service")
    FLOWERS = "flowers", _("Flowers and gifts")
    EDUCATION = "education", _("Courses and education")
    ENTERTAINMENT = "entertainment", _("Entertainment")
    OTHER = "other", _("Other")


class ProjectRight(models.TextChoices):
    """A representative's right inside one project (the membership's right)."""

    MANAGER = "manager", _("Manager")  # acts for the project: lots, responses, deals, visits
    VIEWER = "viewer", _("Viewer")  # sees everything of the project, changes nothing


CURATE_PROJECT = "curate_project"  # the per-object permission (django-guardian) of a project's curator


class Project(models.Model):
    """A business of the ecosystem (SPEC §3 "Project")."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # The card (SPEC §3): what partners see in the catalog.
    logo = models.FileField(_("logo"), max_length=200, blank=True)  # a generated name; see projects.logos
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, default=Category.OTHER)
    description = models.TextField(_("short description"), max_length=1000, blank=True)
    audience = models.TextField(_("target audience"), max_length=1000, blank=True)
    average_check = models.PositiveIntegerField(_("average check, ₽"), null=True, blank=True)
    # The balance the Misty loyalty app holds for the project's clients, typed by staff.
    client_points = models.PositiveBigIntegerField(_("points accumulated by clients"), default=0)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    website = models.URLField(_("website"), blank=True)
    # Legal data and bank details, for invoices (validated in projects.validators).
    legal_name = models.CharField(_("legal name"), max_length=300, blank=True)
    inn = models.CharField(_("INN"), max_length=12, blank=True)
    bank_name = models.CharField(_("bank"), max_length=200, blank=True)
    bik = models.CharField(_("BIK"), max_length=9, blank=True)
    settlement_account = models.CharField(_("settlement account"), max_length=20, blank=True)
    correspondent_account = models.CharField(_("correspondent account"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["name"]
        permissions = [(CURATE_PROJECT, _("Curates the project"))]
        indexes = [models.Index(fields=["active", "category", "name"], name="project_catalog")]

    def __str__(self):
        return self.name


class Membership(models.Model):
    """A representative works in the cabinet of each project they are a member of, with one right there."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="memberships")
    right = models.CharField(_("right"), max_length=10, choices=ProjectRight.choices, default=ProjectRight.MANAGER)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["user", "project"], name="membership_unique_user_project")]

    def __str__(self):
        return f"{self.user} @ {self.project}"

    @property
    def can_act(self) -> bool:
        return self.right == ProjectRight.MANAGER
