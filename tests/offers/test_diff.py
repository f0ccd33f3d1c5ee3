"""offers.diff: what the moderator reads as "what changed since the last review"."""

from decimal import Decimal

from django.utils import translation

from offers.diff import compare_terms, diff_words, display_value, terms_display
from offers.models import TERM_FIELDS, terms_snapshot
from tests.offers.conftest import lot_terms


def _terms(**changes):
    return terms_snapshot(lot_terms(**changes))


def _by_name(changes):
    return {c.name: c for c in changes}


def test_only_the_changed_fields_are_marked_and_every_field_is_listed_in_order():
    changes = compare_terms(_terms(), _terms(quota=150, reward=Decimal("450")))
    assert [c.name for c in changes] == list(TERM_FIELDS)
    assert {c.name for c in changes if c.changed} == {"quota", "reward"}
    quota = _by_name(changes)["quota"]
    assert quota.label == "Quota of new clients"  # the model's verbose name
    assert (quota.before, quota.after) == ("100", "150")
    assert str(quota.html) == "<del>100</del> <ins>150</ins>"
    assert str(_by_name(changes)["title"].html) == "100 new guests for the lounge"  # unchanged: plain


def test_the_same_amount_spelled_differently_is_no_change():
    before = _terms()
    after = dict(before, reward="300", benefit_value="15.0")
    assert not [c for c in compare_terms(before, after) if c.changed]


def test_a_choice_field_shows_its_labels_not_its_codes():
    changes = _by_name(compare_terms(_terms(), _terms(gender="female", benefit_type="bonus_points")))
    assert (changes["gender"].before, changes["gender"].after) == ("Any", "Women")
    assert str(changes["benefit_type"].html) == "<del>Discount, %</del> <ins>Bonus points</ins>"


def test_money_and_dates_are_formatted_for_the_reader():
    assert display_value("reward", "12500.00") == "12,500.00"
    assert display_value("valid_from", "2026-11-22") == "22 Nov 2026"
    assert display_value("age_from", None) == "—"
    with translation.override("ru"):
        assert display_value("reward", "12500.00") == "12\xa0500,00"
        assert display_value("valid_from", "2026-11-22") == "22.11.2026"
        assert display_value("gender", "male") == "Мужчины"


def test_text_fields_get_a_word_level_diff():
    html = str(diff_words("Bring friends who never visited us.", "Bring colleagues who never visited us today."))
    assert html == "Bring <del>friends</del><ins>colleagues</ins> who never visited us<ins> today</ins>."
    change = _by_name(compare_terms(_terms(), _terms(description="Bring friends who love hookah.")))["description"]
    assert change.changed
    expected = "Bring friends who <del>never</del><ins>love</ins> <del>visited us</del><ins>hookah</ins>."
    assert str(change.html) == expected


def test_everything_is_escaped_so_a_script_is_shown_as_text():
    script = "<script>alert('x')</script>"
    changes = _by_name(compare_terms(_terms(), _terms(title=f"Guests {script}", segment=script, description="")))
    for name in ("title", "segment", "description"):
        assert "<script>" not in str(changes[name].html), name
    assert "&lt;script&gt;" in str(changes["title"].html)
    assert "&lt;script&gt;" in str(changes["segment"].html)
    first = _by_name(compare_terms(None, _terms(title=script)))
    assert str(first["title"].html) == "<ins>&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;</ins>"


def test_a_first_submission_shows_every_field_as_new():
    changes = compare_terms(None, _terms())
    assert all(c.is_new and c.changed for c in changes)
    assert all(c.before == "" for c in changes)
    assert str(_by_name(changes)["reward"].html) == "<ins>300.00</ins>"


def test_clearing_a_text_field_strikes_the_old_text():
    change = _by_name(compare_terms(_terms(), _terms(segment="")))["segment"]
    assert str(change.html) == "<del>students</del> <ins>—</ins>"


def test_terms_display_lists_labels_and_values():
    rows = dict(terms_display(_terms()))
    assert rows["Client benefit"] == "Discount, %"
    assert rows["Reward per client, ₽"] == "300.00"
