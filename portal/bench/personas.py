"""The fixed accounts and projects of the bench dataset (built by `projects/bench.py`).

Every bench module may rely on these; they exist at both sizes.
"""

PASSWORD = "bench-password-2026"

ADMIN_EMAIL = "admin@bench.example"
MODERATOR_EMAIL = "moderator@bench.example"
DIRECTOR_EMAIL = "director@bench.example"
# A representative of five projects: MAIN_PROJECT_SLUG, three more, and SOLO_PROJECT_SLUG.
REP_EMAIL = "rep@bench.example"

# The persona's busiest project (its own two representatives, the persona, and a few multi-project ones).
MAIN_PROJECT_SLUG = "bench-001"
# A project whose only representative is the persona: the "one row" side of the N+1 comparisons.
SOLO_PROJECT_SLUG = "bench-solo"


def user(email: str):
    from accounts.models import User

    return User.objects.get(email=email)


def admin():
    return user(ADMIN_EMAIL)


def moderator():
    return user(MODERATOR_EMAIL)


def director():
    return user(DIRECTOR_EMAIL)


def rep():
    return user(REP_EMAIL)


def project(slug: str = MAIN_PROJECT_SLUG):
    from projects.models import Project

    return Project.objects.get(slug=slug)
