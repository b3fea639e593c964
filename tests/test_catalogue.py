"""Every visible string comes from the message catalogue of each language."""

import json
import re
from pathlib import Path

WEB = Path(__file__).resolve().parents[1] / "web"


NAMESPACES = ["shell"] + sorted(p.name.split(".")[0] for p in (WEB / "i18n").glob("*.es.json"))


def catalogue(lang, namespace="shell"):
    name = f"{lang}.json" if namespace == "shell" else f"{namespace}.{lang}.json"
    return json.loads((WEB / "i18n" / name).read_text())


def all_messages(lang):
    merged = {}
    for namespace in NAMESPACES:
        merged.update(catalogue(lang, namespace))
    return merged


def test_both_languages_have_the_same_messages():
    for namespace in NAMESPACES:
        es, en = catalogue("es", namespace), catalogue("en", namespace)
        assert sorted(es) == sorted(en), namespace
        for key in es:
            assert sorted(re.findall(r"\{(\w+)\}", es[key])) == sorted(re.findall(r"\{(\w+)\}", en[key])), key
            assert es[key].strip() and en[key].strip(), key


def test_every_key_the_code_uses_exists():
    es = all_messages("es")
    used = set()
    for path in WEB.rglob("*.js"):
        text = path.read_text()
        # t("key") for text now, msg("key") for text that follows the language, setText(node, "key")
        used |= set(re.findall(r"\b(?:t|msg)\(\s*[\"']([\w.-]+)[\"']", text))
        used |= set(re.findall(r"\bsetText\(\s*[\w.]+,\s*[\"']([\w.-]+)[\"']", text))
        used |= set(re.findall(r"\b(?:title|summary):\s*\"([\w.-]+)\"", text))  # keys in tables like PAGES
    for path in WEB.rglob("*.html"):
        text = path.read_text()
        used |= set(re.findall(r'data-i18n="([\w.-]+)"', text))
        for attrs in re.findall(r'data-i18n-attr="([^"]+)"', text):
            used |= {pair.split(":")[1].strip() for pair in attrs.split(";")}
    missing = sorted(key for key in used if key not in es)
    assert not missing, missing
