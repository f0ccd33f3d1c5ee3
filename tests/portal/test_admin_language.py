"""The Django admin speaks the reader's language for the models we ship, allauth's and celery-beat's
included, and its Russian sentences do not put a model's name in the wrong case (issue 7)."""

import re

import pytest
from django.urls import reverse

CYRILLIC = re.compile(r"[А-Яа-яЁё]")


@pytest.fixture
def admin_client_in(client, admin):
    def signed_in(language):
        admin.language = language
        admin.save(update_fields=["language"])
        client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return signed_in


def index_names(page: str) -> tuple[list[str], list[str]]:
    """(application names, model names) of the admin index's app list."""
    apps = [re.sub(r"<[^>]+>", "", a).strip() for a in re.findall(r"<caption>(.*?)</caption>", page, re.S)]
    models = [re.sub(r"<[^>]+>", "", m).strip() for m in re.findall(r'<th scope="row"[^>]*>(.*?)</th>', page, re.S)]
    return apps, models


def test_the_russian_admin_index_names_every_app_and_model_in_russian(admin_client_in):
    page = admin_client_in("ru").get(reverse("admin:index")).content.decode()
    apps, models = index_names(page)

    assert len(apps) >= 6 and len(models) >= 15, (apps, models)
    english = [name for name in apps + models if not CYRILLIC.search(name)]
    assert not english, f"English names in the Russian admin: {english}"
    shown = " ".join(apps + models).lower()
    for name in ("authenticator", "user session", "crontab", "mfa", "clocked"):
        assert name not in shown, name
    assert {"Средства двухфакторной аутентификации", "Сеансы входа", "Расписания cron", "Периодические задачи"} <= set(
        models
    )


def test_the_english_admin_index_is_english(admin_client_in):
    page = admin_client_in("en").get(reverse("admin:index")).content.decode()
    apps, models = index_names(page)

    assert not [name for name in apps + models if CYRILLIC.search(name)]
    assert {"Two-factor authenticators", "Sign-in sessions", "Crontabs"} <= set(models)


@pytest.mark.parametrize(
    "url_name,args,phrase",
    [
        ("admin:accounts_user_changelist", [], "Выберите для изменения: пользователь"),
        ("admin:accounts_user_changelist", [], "Добавить: пользователь"),
        ("admin:accounts_user_add", [], "Добавление: пользователь"),
        ("admin:projects_project_add", [], "Добавить: проект"),
        ("admin:django_celery_beat_periodictask_changelist", [], "Добавить: периодическая задача"),
    ],
)
def test_russian_admin_sentences_read_right_with_any_model_name(admin_client_in, url_name, args, phrase):
    page = admin_client_in("ru").get(reverse(url_name, args=args)).content.decode()

    assert phrase in page
    assert "Добавить пользователь" not in page and "Выберите пользователь" not in page


def test_russian_delete_confirmation_names_the_object_in_a_case_that_reads_right(admin_client_in, project_b):
    page = admin_client_in("ru").get(reverse("admin:projects_project_delete", args=[project_b.pk])).content.decode()

    assert "Вы уверены, что хотите удалить объект «Beta Barbershop» (проект)?" in page
