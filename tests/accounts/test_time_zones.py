"""The time zones offered to people (accounts/time_zones.py): Russia's first with city names in the reader's
language and UTC offsets, then the world's canonical zones — no legacy aliases — and exactly those accepted
by the model; the profile page offers them with a search box."""

import datetime
import importlib
import re

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from accounts.time_zones import canonical_zone, offered_zones, time_zone_choices, utc_offset
from tests.cabinets.test_profile import profile_data

LEGACY = ("Africa/Asmera", "Europe/Kiev", "US/Pacific", "Etc/GMT+3", "W-SU", "Asia/Calcutta", "GMT")
RUSSIA_RU = "Россия"


def choices_in(language):
    with translation.override(language):
        return time_zone_choices()


def flat(choices):
    return [zone for _group, zones in choices for zone, _label in zones]


def labels(choices):
    return {zone: label for _group, zones in choices for zone, label in zones}


class TestTheList:
    def test_russia_comes_first_with_its_cities_in_russian_and_their_offsets(self):
        (russia, russian_zones), _others = choices_in("ru")
        assert russia == RUSSIA_RU
        names = dict(russian_zones)
        assert len(names) == 26
        assert names["Europe/Moscow"] == "Москва (UTC+3)"
        assert names["Asia/Yekaterinburg"] == "Екатеринбург (UTC+5)"
        assert names["Europe/Kaliningrad"] == "Калининград (UTC+2)"
        assert names["Asia/Kamchatka"] == "Петропавловск-Камчатский (UTC+12)"
        zones = list(names)
        assert zones[0] == "Europe/Kaliningrad" and zones[-1] in {"Asia/Anadyr", "Asia/Kamchatka"}

    def test_and_in_english_for_an_english_reader(self):
        (russia, russian_zones), (others, _rest) = choices_in("en")
        assert russia == "Russia" and others == "Other time zones"
        assert dict(russian_zones)["Europe/Moscow"] == "Moscow (UTC+3)"

    def test_the_rest_are_canonical_zones_with_city_and_country(self):
        names = labels(choices_in("ru"))
        assert "Africa/Asmara" in names and "Europe/Kyiv" in names and "UTC" in names
        assert names["Africa/Asmara"] == "Асмэра, Эритрея (UTC+3)"
        assert re.fullmatch(r"Нью-Йорк, Соединенные Штаты \(UTC-[45]\)", names["America/New_York"])
        assert names["Asia/Kolkata"].endswith("(UTC+5:30)")

    def test_no_legacy_alias_is_offered_and_each_zone_once(self):
        zones = flat(choices_in("en"))
        assert len(zones) == len(set(zones)) == len(offered_zones())
        assert not set(LEGACY) & set(zones)
        assert 350 < len(zones) < 553, "the 553 raw ids held every alias"
        assert set(flat(choices_in("ru"))) == set(zones)

    def test_offsets_are_ascii_so_they_can_be_searched(self):
        winter = datetime.datetime(2026, 1, 15, tzinfo=datetime.UTC)
        assert utc_offset("America/St_Johns", winter) == "UTC-3:30"
        assert utc_offset("UTC", winter) == "UTC+0"
        assert utc_offset("Asia/Kathmandu", winter) == "UTC+5:45"

    @pytest.mark.parametrize(
        "zone,expected",
        [
            ("Europe/Kiev", "Europe/Kyiv"),
            ("Africa/Asmera", "Africa/Asmara"),
            ("Asia/Calcutta", "Asia/Kolkata"),
            ("Etc/UTC", "UTC"),
            ("W-SU", "Europe/Moscow"),
            ("Europe/Moscow", "Europe/Moscow"),
            ("Etc/GMT+3", None),
            ("Mars/Olympus_Mons", None),
        ],
    )
    def test_a_legacy_id_maps_to_the_zone_it_stands_for(self, zone, expected):
        assert canonical_zone(zone) == expected


@pytest.mark.django_db
class TestTheModel:
    @pytest.mark.parametrize("zone", ["Africa/Asmara", "Europe/Moscow", "Asia/Yekaterinburg", "UTC"])
    def test_accepts_the_offered_zones(self, rep_a, zone):
        rep_a.time_zone = zone
        rep_a.full_clean()

    @pytest.mark.parametrize("zone", LEGACY)
    def test_refuses_what_is_not_offered(self, rep_a, zone):
        rep_a.time_zone = zone
        with pytest.raises(ValidationError) as error:
            rep_a.full_clean()
        assert "time_zone" in error.value.message_dict

    def test_the_migration_moves_legacy_ids_to_their_zone(self, rep_a, rep_b, moderator):
        User.objects.filter(pk=rep_a.pk).update(time_zone="Europe/Kiev")
        User.objects.filter(pk=rep_b.pk).update(time_zone="Etc/GMT+3")
        migration = importlib.import_module("accounts.migrations.0004_time_zone_choices")

        migration.aliases_to_canonical(apps, None)

        zones = dict(User.objects.values_list("pk", "time_zone"))
        assert zones[rep_a.pk] == "Europe/Kyiv"
        assert zones[rep_b.pk] == "Etc/GMT+3", "no equivalent: kept (it still works), the profile asks again"
        assert zones[moderator.pk] == "Europe/Moscow"


@pytest.mark.django_db
class TestTheProfilePage:
    def test_offers_russia_first_in_the_readers_language_with_a_search_box(self, client_as, rep_a):
        rep_a.language = "ru"
        rep_a.save(update_fields=["language"])
        html = client_as("rep_a").get(reverse("profile")).content.decode()

        select = html[html.index('name="time_zone"') : html.index("</select>", html.index('name="time_zone"'))]
        assert select.index(f'<optgroup label="{RUSSIA_RU}">') < select.index("Africa/Asmara")
        assert '<option value="Europe/Moscow" selected>Москва (UTC+3)</option>' in select
        assert "Africa/Asmera" not in select and "Europe/Kiev" not in select
        assert "data-select-filter=" in html[: html.index('name="time_zone"') + 200]
        assert "portal/select-filter.js" in html
        assert "<script>" not in html

    def test_a_legacy_id_is_refused_with_the_typed_values_kept(self, client_as, rep_a):
        response = client_as("rep_a").post(
            reverse("profile"), profile_data(rep_a, first_name="Alisa", time_zone="Africa/Asmera")
        )
        assert response.status_code == 200
        assert response.context["form"].errors["time_zone"]
        assert 'value="Alisa"' in response.content.decode()
        rep_a.refresh_from_db()
        assert (rep_a.first_name, rep_a.time_zone) == ("Alice", "Europe/Moscow")

    def test_a_zone_no_longer_offered_is_asked_for_not_silently_replaced(self, client_as, rep_a):
        User.objects.filter(pk=rep_a.pk).update(time_zone="Etc/GMT+3")
        html = client_as("rep_a").get(reverse("profile")).content.decode()
        select = html[html.index('name="time_zone"') : html.index("</select>", html.index('name="time_zone"'))]
        assert '<option value="" selected>' in select
        assert " selected>" not in select.replace('<option value="" selected>', "")

    def test_saves_a_zone_of_the_list(self, client_as, rep_a):
        response = client_as("rep_a").post(reverse("profile"), profile_data(rep_a, time_zone="Africa/Asmara"))
        assert response.status_code == 302
        rep_a.refresh_from_db()
        assert rep_a.time_zone == "Africa/Asmara"
