"""The password-reset pages end with a next step: a way back to sign-in and someone to write to."""

import pytest
from django.core import mail
from django.urls import reverse

from tests.accounts.test_auth import NEW_PASSWORD, reset_link_from

LOGIN_LINK = f'href="{reverse("account_login")}"'


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("ru", "Если учётная запись с этим адресом существует"),
        ("en", "If an account with this address exists"),
    ],
)
def test_reset_done_page_links_back_to_sign_in_and_names_support(client, db, settings, language, text):
    settings.SUPPORT_EMAIL = "help@misty.example"

    page = client.get(reverse("account_reset_password_done"), HTTP_ACCEPT_LANGUAGE=language).content.decode()

    assert text in page
    assert LOGIN_LINK in page
    assert 'href="mailto:help@misty.example"' in page


def test_reset_form_links_back_to_sign_in(client, db):
    page = client.get(reverse("account_reset_password"), HTTP_ACCEPT_LANGUAGE="ru").content.decode()

    assert LOGIN_LINK in page
    assert "Вернуться ко входу" in page


def test_after_setting_the_new_password_the_page_offers_to_sign_in(client, ask_for_reset, rep_a):
    ask_for_reset("rep@alpha.example")
    form_url = client.get(reset_link_from(mail.outbox[0]))["Location"]

    response = client.post(
        form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}, follow=True, HTTP_ACCEPT_LANGUAGE="ru"
    )

    assert response.redirect_chain[-1][0] == reverse("account_reset_password_from_key_done")
    page = response.content.decode()
    assert "Войдите с новым паролем" in page
    assert LOGIN_LINK in page
