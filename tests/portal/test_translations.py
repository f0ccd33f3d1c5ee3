"""The ru/en catalogs are complete, current and compiled, and pages come out in the reader's language.

When one of these fails, the fix is always the same:

    make messages                              # extract new strings, compile
    edit locale/ru/LC_MESSAGES/django.po       # translate every empty msgstr, drop `fuzzy` flags
    make messages                              # compile again; commit the .po and .mo files
"""

import re
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from tests.conftest import need

ROOT = Path(settings.BASE_DIR)
LOCALE = ROOT / "locale"
LANGS = ("ru", "en")
HOW_TO_FIX = (
    "Run `make messages`, translate every new or changed entry in locale/ru/LC_MESSAGES/django.po "
    "(fill msgstr, remove the `fuzzy` flag), run `make messages` again to compile, and commit the .po and .mo files."
)


def rel(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def po_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / "django.po"


def load_po(lang: str) -> polib.POFile:
    path = po_path(lang)
    assert path.exists(), f"{rel(path)} is missing. {HOW_TO_FIX}"
    return polib.pofile(str(path))


def live(catalog) -> list:
    return [e for e in catalog if not e.obsolete]


def key(entry) -> tuple:
    return (entry.msgctxt, entry.msgid)


def show(keys) -> str:
    return "\n".join(
        f"  {'[' + ctx + '] ' if ctx else ''}{msgid!r}" for ctx, msgid in sorted(keys, key=lambda k: (k[0] or "", k[1]))
    )


# --- (a) complete ------------------------------------------------------------------------------------


def test_russian_catalog_has_no_untranslated_or_fuzzy_entries():
    po = load_po("ru")
    untranslated = [e for e in live(po) if not e.translated() and "fuzzy" not in e.flags]
    fuzzy = po.fuzzy_entries()
    problems = []
    if untranslated:
        problems.append(f"{len(untranslated)} untranslated entries in locale/ru:\n{show(map(key, untranslated))}")
    if fuzzy:
        problems.append(
            f"{len(fuzzy)} fuzzy entries in locale/ru (check the translation, then remove the flag):\n"
            f"{show(map(key, fuzzy))}"
        )
    assert not problems, "\n".join(problems) + "\n" + HOW_TO_FIX


def test_russian_catalog_uses_three_plural_forms_and_keeps_placeholders():
    po = load_po("ru")
    assert not po.metadata_is_fuzzy, "The header of locale/ru is fuzzy: msgfmt would drop it (charset, plural forms)."
    assert po.metadata.get("Plural-Forms", "").startswith("nplurals=3;"), (
        "locale/ru must declare the three Russian plural forms (one/few/many): "
        "Plural-Forms: nplurals=3; "
        "plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"
    )
    placeholder = re.compile(r"%\(\w+\)[sdif]")
    wrong = []
    for e in live(po):
        wanted = set(placeholder.findall(e.msgid)) | set(placeholder.findall(e.msgid_plural or ""))
        forms = list(e.msgstr_plural.values()) if e.msgid_plural else [e.msgstr]
        if e.msgid_plural and len([f for f in forms if f]) != 3:
            wrong.append(f"  {e.msgid!r}: needs 3 plural forms, has {len([f for f in forms if f])}")
        for form in forms:
            if form and set(placeholder.findall(form)) != wanted:
                wrong.append(
                    f"  {e.msgid!r}: placeholders {sorted(wanted)} but the translation has "
                    f"{sorted(set(placeholder.findall(form)))}: {form!r}"
                )
    assert not wrong, "Broken entries in locale/ru/LC_MESSAGES/django.po:\n" + "\n".join(wrong)


# --- (b) current -------------------------------------------------------------------------------------


def makefile_ignores() -> list[str]:
    """The --ignore patterns of `make messages`, so this test extracts exactly what the Makefile extracts."""
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    target = re.search(r"^messages:.*?(?=^\S|\Z)", text, flags=re.M | re.S)
    assert target, "The Makefile has no `messages` target."
    line = next((ln for ln in target.group(0).splitlines() if "makemessages" in ln), None)
    assert line, "The Makefile's `messages` target does not run makemessages."
    return re.findall(r"--ignore[= ](\S+)", line)


def copy_sources(destination: Path, ignores: list[str]) -> None:
    """The files makemessages reads (.py .html .txt), without what the Makefile ignores, VCS and caches."""
    skip_dirs = {".git", "__pycache__", "locale", *ignores}

    def ignore(directory, names):
        here = Path(directory)
        skipped = []
        for name in names:
            if (here / name).is_dir():
                if name in skip_dirs or str((here / name).relative_to(ROOT)) in skip_dirs:
                    skipped.append(name)
            elif not name.endswith((".py", ".html", ".txt")):
                skipped.append(name)
        return skipped

    shutil.copytree(ROOT, destination, ignore=ignore, symlinks=False)


def test_catalogs_are_current(tmp_path, monkeypatch):
    """makemessages into a copy of the sources: its msgids must be the committed ones, no more, no less."""
    need(
        bool(shutil.which("xgettext") and shutil.which("msgmerge")),
        "GNU gettext (xgettext, msgmerge) is needed to extract messages: apt-get install gettext",
    )
    ignores = makefile_ignores()
    copy = tmp_path / "src"
    copy_sources(copy, ignores)
    for lang in LANGS:
        target = copy / "locale" / lang / "LC_MESSAGES"
        target.mkdir(parents=True)
        shutil.copy(po_path(lang), target / "django.po")
    monkeypatch.chdir(copy)
    with override_settings(LOCALE_PATHS=[copy / "locale"]):
        call_command("makemessages", locale=list(LANGS), ignore_patterns=ignores, verbosity=0)
    problems = []
    for lang in LANGS:
        committed = {key(e) for e in live(load_po(lang))}
        extracted = {key(e) for e in live(polib.pofile(str(copy / "locale" / lang / "LC_MESSAGES" / "django.po")))}
        if extracted - committed:
            problems.append(
                f"locale/{lang} lacks {len(extracted - committed)} strings that the code now uses:\n"
                f"{show(extracted - committed)}"
            )
        if committed - extracted:
            problems.append(
                f"locale/{lang} still has {len(committed - extracted)} strings the code no longer uses:\n"
                f"{show(committed - extracted)}"
            )
    assert not problems, "\n".join(problems) + "\n" + HOW_TO_FIX


# --- (c) compiled ------------------------------------------------------------------------------------


def translations_of(catalog, *, fuzzy_too=False) -> dict:
    found = {}
    for e in catalog:
        if getattr(e, "obsolete", False) or not e.msgid or ("fuzzy" in e.flags and not fuzzy_too):
            continue
        if e.msgid_plural:
            forms = tuple(v for _, v in sorted(e.msgstr_plural.items()))
            if any(forms):
                found[key(e)] = forms
        elif e.msgstr:
            found[key(e)] = e.msgstr
    return found


@pytest.mark.parametrize("lang", LANGS)
def test_compiled_catalog_matches_the_po(lang):
    mo_file = po_path(lang).with_suffix(".mo")
    assert mo_file.exists(), f"{rel(mo_file)} is missing. {HOW_TO_FIX}"
    po = load_po(lang)
    mo = polib.mofile(str(mo_file))
    in_po, in_mo = translations_of(po), translations_of(mo, fuzzy_too=True)
    stale = {k for k in in_po.keys() | in_mo.keys() if in_po.get(k) != in_mo.get(k)}
    assert not stale, (
        f"{rel(mo_file)} is older than the .po ({len(stale)} entries differ):\n{show(stale)}\n{HOW_TO_FIX}"
    )
    assert mo.metadata.get("Plural-Forms") == po.metadata.get("Plural-Forms"), f"Recompile {mo_file}: {HOW_TO_FIX}"


def test_russian_plural_forms_at_runtime():
    with translation.override("ru"):
        forms = {
            n: translation.ngettext("%(count)d email queued again.", "%(count)d emails queued again.", n) % {"count": n}
            for n in (1, 3, 5, 11, 21, 22, 25)
        }
    assert forms == {
        1: "1 письмо снова поставлено в очередь.",
        3: "3 письма снова поставлены в очередь.",
        5: "5 писем снова поставлены в очередь.",
        11: "11 писем снова поставлены в очередь.",
        21: "21 письмо снова поставлено в очередь.",
        22: "22 письма снова поставлены в очередь.",
        25: "25 писем снова поставлены в очередь.",
    }


# --- (d) pages in the reader's language --------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("accept", "title", "html_lang"), [("ru", "Вход", "ru"), ("en", "Sign In", "en")])
def test_login_page_in_the_browser_language(client, accept, title, html_lang):
    page = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE=accept).content.decode()
    assert f'<html lang="{html_lang}">' in page
    assert f"<title>{title} · Misty</title>" in page, f"The login page is not in {accept!r}. {HOW_TO_FIX}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "staff_title", "rep_text", "nav"),
    [
        ("ru", "Кабинет сотрудника", "Центр управления", "Журнал действий"),
        ("en", "Staff cabinet", "Control center", "Audit journal"),
    ],
)
def test_cabinets_in_the_users_language(client, admin, rep_a, project_a, language, staff_title, rep_text, nav):
    admin.language = rep_a.language = language
    admin.save(update_fields=["language"])
    rep_a.save(update_fields=["language"])

    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get(reverse("staff:dashboard")).content.decode()
    assert f'<h1 class="h3 mb-3" data-testid="dashboard-title">{staff_title}</h1>' in page, (
        f"The staff dashboard is not in {language!r}. {HOW_TO_FIX}"
    )
    assert nav in page

    client.force_login(rep_a, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get(reverse("cabinet:dashboard", args=[project_a.slug])).content.decode()
    assert rep_text in page, f"The project dashboard is not in {language!r}. {HOW_TO_FIX}"
