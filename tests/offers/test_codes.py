"""Referral codes: readable, unambiguous, polite, and accepted however they are typed."""

from hypothesis import given
from hypothesis import strategies as st

from offers import codes

CODE = st.text(alphabet=codes.ALPHABET, min_size=codes.LENGTH, max_size=codes.LENGTH)


def test_new_codes_use_the_alphabet_and_spell_nothing_rude():
    drawn = {codes.new_code() for _ in range(2000)}
    assert len(drawn) > 1990, "random enough not to repeat in a small sample"
    for code in drawn:
        assert len(code) == codes.LENGTH and set(code) <= set(codes.ALPHABET)
        assert not any(word in code for word in codes.BANNED)


def test_the_alphabet_has_no_look_alikes():
    assert not set("0O1I") & set(codes.ALPHABET)


@given(CODE, st.sampled_from(["{}", "{} ", " {}", "{}\n"]), st.booleans(), st.booleans())
def test_a_code_however_typed_comes_back_the_same(code, frame, lower, dashed):
    typed = codes.display(code) if dashed else code
    typed = typed.lower() if lower else typed
    assert codes.normalize(frame.format(typed)) == code


def test_spaces_dashes_and_case_do_not_matter():
    assert codes.normalize(" abc 789 ") == codes.normalize("ABC-789") == codes.normalize("a-b-c–7 8 9") == "ABC789"


def test_what_cannot_be_a_code_is_none():
    for typed in ["", "ABC78", "ABC7890", "ABC-0O1", "ABC 78I", "<script>", "ЖЖЖ789"]:
        assert codes.normalize(typed) is None, typed


def test_display_groups_by_three():
    assert codes.display("ABC789") == "ABC-789"


def test_cyrillic_look_alikes_typed_on_a_russian_keyboard_count_as_the_latin_letters():
    assert codes.normalize("авс-789") == codes.normalize("АВС 789") == "ABC789"
    assert codes.normalize("КМР ТХУ") == "KMPTXY"
