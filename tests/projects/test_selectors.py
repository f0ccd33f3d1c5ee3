"""Which projects a user may see."""

from projects.selectors import projects_for


def test_representative_sees_only_own_projects(rep_a, project_a, project_b):
    assert list(projects_for(rep_a)) == [project_a]


def test_staff_see_all_projects(moderator, project_a, project_b):
    assert set(projects_for(moderator)) == {project_a, project_b}
