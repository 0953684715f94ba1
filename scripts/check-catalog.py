#!/usr/bin/env python3
"""Checks the string catalog against the views (and, with --swift, the Swift sources).

    python3 scripts/check-catalog.py [--root .] [--swift]

Fails (exit 1) when
  * a Resources/Localization/*.json file does not parse, or is not an object of
    key -> {"zh-Hans": text, "en": text} with both texts non-empty (and no other languages);
  * a key is defined twice, in one file or across files (the server refuses to start then);
  * the Chinese and English texts of a key use different {placeholders};
  * a view uses #t("literal.key") that no catalog file defines;
  * a view passes named arguments that the text does not use, or misses one it does use;
  * with --swift: a key written as a literal in Swift (request.t, setNotice, YunweiError.invalid,
    title:, key: …) is missing.
Keys computed at runtime (`#t(page.title)`, `#t("unit_kind." + unit.kind)`) cannot be checked
here; for a computed key with a literal prefix, the script warns when no key has that prefix.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

LANGUAGES = ("zh-Hans", "en")
PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
TAG_START = re.compile(r"#t\(")
SWIFT_KEY = re.compile(
    r"""(?:\.t\(|setNotice\(|YunweiError\.(?:invalid|conflict)\(|\b(?:title|key):\s*|takeNotice\(|Task\(key:\s*)"([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)\""""
)


def load_catalog(directory: Path, errors: list[str]) -> dict[str, dict[str, str]]:
    catalog: dict[str, dict[str, str]] = {}
    origin: dict[str, str] = {}
    for path in sorted(directory.glob("*.json")):
        def pairs(items, path=path):
            seen = {}
            for key, value in items:
                if key in seen:
                    errors.append(f"{path.name}: key {key!r} is defined twice in this file")
                seen[key] = value
            return seen

        try:
            data = json.loads(path.read_text(encoding="utf-8"), object_pairs_hook=pairs)
        except (ValueError, UnicodeDecodeError) as error:
            errors.append(f"{path.name}: not valid JSON: {error}")
            continue
        if not isinstance(data, dict):
            errors.append(f"{path.name}: the top level must be an object")
            continue
        for key, texts in data.items():
            if key in origin:
                errors.append(f"{path.name}: key {key!r} is already defined in {origin[key]}")
                continue
            origin[key] = path.name
            if not isinstance(texts, dict):
                errors.append(f"{path.name}: {key!r} must map to an object of languages")
                continue
            for language in texts:
                if language not in LANGUAGES:
                    errors.append(f"{path.name}: {key!r} has unknown language {language!r}")
            for language in LANGUAGES:
                text = texts.get(language)
                if not isinstance(text, str) or not text.strip():
                    errors.append(f"{path.name}: {key!r} has no {language} text")
            names = {language: set(PLACEHOLDER.findall(str(texts.get(language, "")))) for language in LANGUAGES}
            if names["zh-Hans"] != names["en"]:
                errors.append(
                    f"{path.name}: {key!r} placeholders differ: zh-Hans {sorted(names['zh-Hans'])}, en {sorted(names['en'])}"
                )
            catalog[key] = {language: str(texts.get(language, "")) for language in LANGUAGES}
    return catalog


def split_parameters(text: str, start: int) -> tuple[list[str], int]:
    """The comma-separated parameters of a tag whose `(` is at `start`, and the index after `)`."""
    params, current, depth, quoted, i = [], "", 0, False, start + 1
    while i < len(text):
        c = text[i]
        if quoted:
            current += c
            if c == "\\" and i + 1 < len(text):
                current += text[i + 1]
                i += 1
            elif c == '"':
                quoted = False
        elif c == '"':
            quoted = True
            current += c
        elif c == "(":
            depth += 1
            current += c
        elif c == ")":
            if depth == 0:
                params.append(current.strip())
                return [p for p in params if p], i + 1
            depth -= 1
            current += c
        elif c == "," and depth == 0:
            params.append(current.strip())
            current = ""
        else:
            current += c
        i += 1
    return params, len(text)


def literal(param: str) -> str | None:
    match = re.fullmatch(r'"((?:[^"\\]|\\.)*)"', param)
    return match.group(1) if match else None


def check_views(views: Path, catalog: dict[str, dict[str, str]], errors: list[str], warnings: list[str]) -> int:
    uses = 0
    for path in sorted(views.rglob("*.leaf")):
        text = path.read_text(encoding="utf-8")
        for match in TAG_START.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            where = f"{path.relative_to(views)}:{line}"
            params, _ = split_parameters(text, match.end() - 1)
            if not params:
                errors.append(f"{where}: #t() without a key")
                continue
            uses += 1
            key = literal(params[0])
            if key is None:
                prefix = re.fullmatch(r'"([^"]+)"\s*\+.*', params[0])
                if prefix and not any(k.startswith(prefix.group(1)) for k in catalog):
                    warnings.append(f"{where}: no catalog key starts with {prefix.group(1)!r} (computed key {params[0]})")
                continue
            if key not in catalog:
                errors.append(f"{where}: key {key!r} is not in any Localization/*.json")
                continue
            if (len(params) - 1) % 2:
                errors.append(f"{where}: #t({key!r}, …) needs name/value pairs after the key")
                continue
            given = {literal(p) for p in params[1::2]}
            if None in given:
                errors.append(f"{where}: argument names of #t({key!r}, …) must be string literals")
                continue
            wanted = set(PLACEHOLDER.findall(catalog[key]["zh-Hans"]))
            if wanted - given:
                errors.append(f"{where}: #t({key!r}) does not pass {sorted(wanted - given)}")
            if given - wanted:
                errors.append(f"{where}: #t({key!r}) passes {sorted(given - wanted)}, which its text does not use")
    return uses


def check_swift(sources: Path, catalog: dict[str, dict[str, str]], errors: list[str]) -> int:
    uses = 0
    for path in sorted(sources.rglob("*.swift")):
        text = path.read_text(encoding="utf-8")
        for match in SWIFT_KEY.finditer(text):
            uses += 1
            key = match.group(1)
            if key not in catalog:
                line = text.count("\n", 0, match.start()) + 1
                errors.append(f"{path.relative_to(sources.parent)}:{line}: key {key!r} is not in any Localization/*.json")
    return uses


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", default=Path(__file__).resolve().parent.parent, type=Path, help="repository root")
    parser.add_argument("--swift", action="store_true", help="also check literal keys in Sources/**/*.swift")
    args = parser.parse_args()

    resources = args.root / "Resources"
    errors: list[str] = []
    warnings: list[str] = []
    catalog = load_catalog(resources / "Localization", errors)
    uses = check_views(resources / "Views", catalog, errors, warnings)
    swift_uses = check_swift(args.root / "Sources", catalog, errors) if args.swift else 0

    for warning in warnings:
        print(f"warning: {warning}")
    for error in errors:
        print(f"error: {error}")
    summary = f"{len(catalog)} keys, {uses} #t uses in views"
    if args.swift:
        summary += f", {swift_uses} literal keys in Swift"
    print(f"{summary}: {len(errors)} errors, {len(warnings)} warnings")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
