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


def test_every_key_used_in_the_code_exists():
    used = set()
    for path in PACKAGE.rglob("*.py"):
        used |= set(re.findall(r"""\bt\(\s*["']([a-z_]+\.[a-z_.]+)["']""", path.read_text(encoding="utf-8")))
    assert used and not used - set(catalog("en"))


def test_chinese_uses_the_short_name_of_china():
    assert "中华人民共和国" not in json.dumps(catalog("zh"), ensure_ascii=False)


def test_fallback_marks_missing_translations():
    assert data_text({"name_en": "Almaty", "name_ru": None}, "name", "ru") == ("Almaty", True)
    assert data_text({"name_en": "Almaty", "name_ru": "Алматы"}, "name", "ru") == ("Алматы", False)
    assert t("details.days", "zh", days="12") == "约 12 天"
