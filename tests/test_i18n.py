"""Message catalogs: every key in every locale; English is the fallback."""

import json
import re
from pathlib import Path

import pytest

from scoda_map._i18n import LANGUAGES, catalog, data_text, t

PACKAGE = Path(__file__).resolve().parent.parent / "scoda_map"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_key_exists_in_every_locale(lang):
    missing = set(catalog("en")) - set(catalog(lang))
    extra = set(catalog(lang)) - set(catalog("en"))
    assert not missing and not extra, f"{lang}: missing {sorted(missing)}, extra {sorted(extra)}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_placeholders_match_english(lang):
    for key, english in catalog("en").items():
        assert set(re.findall(r"{(\w+)}", catalog(lang)[key])) == set(re.findall(r"{(\w+)}", english)), key


# Where the package looks messages up: Python, the static site's script, the templates.
CODE_SUFFIXES = {".py", ".js", ".j2", ".html"}
KEY = re.compile(r"""\bt\(\s*["']([a-z_]+\.[a-z_.]*[a-z_])["']""")
# A key built at run time: t(f"status.{...}") or t("status." + value): its prefix must exist.
PREFIX = re.compile(r"""\bt\(\s*(?:f["']([a-z_]+\.)\{|["']([a-z_]+\.)["']\s*\+)""")


def used_keys(text: str) -> tuple[set[str], set[str]]:
    """The literal message keys and the prefixes of built keys that ``text`` looks up.

    >>> literal, built = used_keys("t('app.title'); t('status.' + s); t(f'direction.{d}')")
    >>> sorted(literal), sorted(built)
    (['app.title'], ['direction.', 'status.'])
    """
    return set(KEY.findall(text)), {a or b for a, b in PREFIX.findall(text)}


def code_files() -> list[Path]:
    return [p for p in PACKAGE.rglob("*") if p.suffix in CODE_SUFFIXES and "vendor" not in p.parts and p.is_file()]


def test_every_key_used_in_the_code_exists():
    keys = set(catalog("en"))
    missing, scanned = {}, set()
    for path in code_files():
        used, prefixes = used_keys(path.read_text(encoding="utf-8", errors="replace"))
        scanned |= {path.suffix} if used else set()
        gone = sorted(used - keys) + sorted(p + "*" for p in prefixes if not any(k.startswith(p) for k in keys))
        if gone:
            missing[str(path.relative_to(PACKAGE))] = gone
    # The static site's script looks no message up (it shows fragments rendered in Python), so only .py must have keys.
    assert ".py" in scanned, "no message keys found in .py files"
    assert not missing, f"message keys used but not in the catalogs: {missing}"


def test_a_missing_key_in_a_script_is_found(tmp_path):
    used, prefixes = used_keys('el.textContent = t("layers.no_such_message", {n: 1}); t("nowhere." + x)')
    assert used - set(catalog("en")) == {"layers.no_such_message"} and prefixes == {"nowhere."}


def test_chinese_uses_the_short_name_of_china():
    assert "中华人民共和国" not in json.dumps(catalog("zh"), ensure_ascii=False)


def test_fallback_marks_missing_translations():
    assert data_text({"name_en": "Almaty", "name_ru": None}, "name", "ru") == ("Almaty", True)
    assert data_text({"name_en": "Almaty", "name_ru": "Алматы"}, "name", "ru") == ("Алматы", False)
    assert t("details.days", "zh", days="12") == "约 12 天"
