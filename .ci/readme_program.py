#!/usr/bin/env python3
"""Writes the README's "Use it" snippet out as a new crate, the way a user would copy it.

Usage: readme_program.py README.md SDK_DIR OUT_DIR

The first `toml` block of the "## Use it" section becomes the dependencies (the `postpress-sdk`
line pointed at SDK_DIR, since the crate is not on a registry here) and the first `rust` block
becomes `src/main.rs`. Fails when either block is missing.
"""

import pathlib
import re
import sys


def blocks(section):
    return re.findall(r"```(\w+)[^\n]*\n(.*?)```", section, flags=re.S)


def main():
    readme, sdk, out = sys.argv[1], pathlib.Path(sys.argv[2]).resolve(), pathlib.Path(sys.argv[3])
    text = pathlib.Path(readme).read_text(encoding="utf-8")
    start = text.find("## Use it")
    if start < 0:
        sys.exit(f"{readme}: no '## Use it' section")
    end = text.find("\n## ", start + 1)
    section = text[start : end if end > 0 else len(text)]
    found = blocks(section)
    toml = next((body for lang, body in found if lang == "toml"), None)
    rust = next((body for lang, body in found if lang == "rust"), None)
    if toml is None or rust is None:
        sys.exit(f"{readme}: the 'Use it' section needs a toml and a rust block")
    deps = re.sub(
        r'(?m)^postpress-sdk\s*=.*$',
        f'postpress-sdk = {{ path = "{sdk.as_posix()}" }}',
        toml,
    )
    if "postpress-sdk" not in deps:
        sys.exit(f"{readme}: the toml block does not depend on postpress-sdk")
    (out / "src").mkdir(parents=True, exist_ok=True)
    manifest = '[package]\nname = "readme-program"\nversion = "0.1.0"\nedition = "2024"\npublish = false\n\n'
    (out / "Cargo.toml").write_text(manifest + deps + "\n[workspace]\n", encoding="utf-8")
    (out / "src" / "main.rs").write_text(rust, encoding="utf-8")


if __name__ == "__main__":
    main()
