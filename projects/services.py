from django.db import transaction

from projects.models import Membership, Project


@transaction.atomic
def membership_add(*, user, project: Project) -> Membership:
    membership, _ = Membership.objects.get_or_create(user=user, project=project)
    return membership
