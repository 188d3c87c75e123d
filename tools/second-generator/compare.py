#!/usr/bin/env python3
"""A second client reads the document the same way.

Generates a Python client for specs/postpress.yaml with openapi-generator (an established,
independent generator; the PyPI package `openapi-generator-cli` bundles its jar, so nothing is
downloaded at run time beyond the pinned package itself) and checks, operation by operation,
that the wire names it sends (path, query and header parameters, multipart form fields and file
parts) equal the ones the PostPress SDK sends: the string literals of the request builders in
postpress-sdk/src/generated/*.rs, plus what the client adds to every request (the idempotency
header of POST/PATCH operations and the client-wide `port` query parameter).

Usage: python3 tools/second-generator/compare.py [--work DIR]
  (run from anywhere; DIR defaults to target/second-generator and keeps the virtualenv).
Needs python3 with venv and a Java runtime (17+). Installs what it needs itself and fails
loudly, never skipping, when it cannot. Prints one line per mismatch and a closing
"N passed, M failed" line (N and M count operations).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

GENERATOR_PACKAGE = "openapi-generator-cli==7.26.0"
REPO = Path(__file__).resolve().parents[2]
SPEC = REPO / "specs" / "postpress.yaml"
GENERATED = REPO / "postpress-sdk" / "src" / "generated"
CLIENT = REPO / "postpress-sdk" / "src" / "client.rs"
ENGINE_CONFIG = REPO / "runtime" / "src" / "config.rs"
# Headers every generated client sets for content negotiation, not parameters of the API.
NEGOTIATION_HEADERS = {"accept", "content-type"}


def fail(message: str) -> None:
    print(f"second-generator: {message}", file=sys.stderr)
    sys.exit(2)


def run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        fail(
            f"`{' '.join(cmd)}` exited {result.returncode}:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
        )
    return result


def install(work: Path) -> Path:
    """A virtualenv with the pinned generator; reused while it holds that version."""
    if shutil.which("java") is None:
        fail("no `java` on PATH: openapi-generator needs a Java runtime (17+), e.g. apt-get install openjdk-17-jre-headless")
    venv = work / "venv"
    marker = venv / "installed.txt"
    if not (marker.exists() and marker.read_text() == GENERATOR_PACKAGE):
        shutil.rmtree(venv, ignore_errors=True)
        run([sys.executable, "-m", "venv", str(venv)])
        run([str(venv / "bin" / "pip"), "install", "--quiet", "--disable-pip-version-check", GENERATOR_PACKAGE])
        marker.write_text(GENERATOR_PACKAGE)
    tool = venv / "bin" / "openapi-generator-cli"
    if not tool.exists():
        fail(f"{tool} is missing after installing {GENERATOR_PACKAGE}")
    return tool


def generate(tool: Path, out: Path) -> Path:
    run(
        [
            str(tool),
            "generate",
            "--input-spec", str(SPEC),
            "--generator-name", "python",
            "--output", str(out),
            "--package-name", "second_client",
            "--global-property", "apis,apiTests=false,apiDocs=false",
        ]
    )
    api = out / "second_client" / "api"
    if not any(api.glob("*_api.py")):
        fail(f"the generator wrote no API modules under {api}")
    return api


def theirs(api: Path) -> dict[tuple[str, str], set[tuple[str, str]]]:
    """(METHOD, path) -> {(location, wire name)} from the Python client's request serializers."""
    ops: dict[tuple[str, str], set[tuple[str, str]]] = {}
    patterns = [
        ("query", re.compile(r"_query_params\.append\(\s*\(\s*'([^']+)'")),
        ("path", re.compile(r"_path_params\['([^']+)'\]")),
        ("header", re.compile(r"_header_params\['([^']+)'\]")),
        ("form", re.compile(r"_form_params\.append\(\s*\(\s*'([^']+)'")),
        ("form", re.compile(r"_files\['([^']+)'\]")),
    ]
    target = re.compile(r"param_serialize\(\s*method='(\w+)',\s*resource_path='([^']+)'")
    for module in sorted(api.glob("*_api.py")):
        text = module.read_text()
        for block in re.split(r"\n    def _\w+_serialize\(", text)[1:]:
            m = target.search(block)
            if not m:
                fail(f"{module.name}: a serializer without param_serialize(method=…, resource_path=…)")
            method, path = m.group(1).upper(), m.group(2)
            if not path.startswith("/"):
                continue  # a callback (sent by the server to your URL), not an operation
            names = set()
            for location, pattern in patterns:
                for name in pattern.findall(block[: m.start()]):
                    if location == "header" and name.lower() in NEGOTIATION_HEADERS:
                        continue
                    names.add((location, name))
            ops[(method, path)] = names
    return ops


def ours() -> dict[tuple[str, str], set[tuple[str, str]]]:
    """(METHOD, path) -> {(location, wire name)} from the SDK's generated request builders."""
    client = CLIENT.read_text()
    client_wide = re.findall(r'default_query\.push\(\("([^"]+)"', client)
    if client_wide != ["port"]:
        fail(f"expected the client to add exactly the `port` query parameter, found {client_wide}")
    m = re.search(r'idempotency_header:\s*"([^"]+)"', ENGINE_CONFIG.read_text())
    if not m:
        fail(f"no idempotency_header default in {ENGINE_CONFIG}")
    idempotency_header = m.group(1)
    patterns = [
        ("query", re.compile(r'req\.query\(\s*"([^"]+)"')),
        ("path", re.compile(r'req\.path_param\(\s*"([^"]+)"')),
        ("header", re.compile(r'req\.header\(\s*"([^"]+)"')),
        ("form", re.compile(r'req\.multipart_(?:field|file|json)\(\s*"([^"]+)"')),
        ("form", re.compile(r'req\.form_field\(\s*"([^"]+)"')),
    ]
    start = re.compile(r'Request::(get|post|put|patch|delete|head|options)\(\s*"([^"]+)"')
    ops: dict[tuple[str, str], set[tuple[str, str]]] = {}
    for module in sorted(GENERATED.glob("*.rs")):
        text = module.read_text()
        starts = list(start.finditer(text))
        for i, m in enumerate(starts):
            end = starts[i + 1].start() if i + 1 < len(starts) else len(text)
            block = text[m.end():end]
            block = block[: block.find("with_options")] if "with_options" in block else block
            names = {(loc, n) for loc, p in patterns for n in p.findall(block)}
            if "req.idempotent(" in block:
                names.add(("header", idempotency_header))
            names.update(("query", n) for n in client_wide)
            ops[(m.group(1).upper(), m.group(2))] = names
    return ops


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=REPO / "target" / "second-generator")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    tool = install(args.work)
    with tempfile.TemporaryDirectory(dir=args.work) as tmp:
        other = theirs(generate(tool, Path(tmp) / "client"))
    mine = ours()
    if len(mine) < 50 or sum(len(v) for v in mine.values()) < 100:
        fail(f"too little found in the SDK's generated code ({len(mine)} operations): has its layout changed?")
    if len(other) < 50 or sum(len(v) for v in other.values()) < 100:
        fail(f"too little found in the generated Python client ({len(other)} operations): has its layout changed?")
    passed = failed = 0
    for key in sorted(set(mine) | set(other)):
        method, path = key
        if key not in other:
            print(f"MISMATCH {method} {path}: only the SDK has this operation")
            failed += 1
        elif key not in mine:
            print(f"MISMATCH {method} {path}: only openapi-generator has this operation")
            failed += 1
        elif mine[key] != other[key]:
            only_ours = sorted(mine[key] - other[key])
            only_theirs = sorted(other[key] - mine[key])
            print(f"MISMATCH {method} {path}: only the SDK sends {only_ours}; only openapi-generator sends {only_theirs}")
            failed += 1
        else:
            passed += 1
    names = sum(len(v) for v in mine.values())
    print(f"second-generator: {len(mine)} operations, {names} wire names compared with {GENERATOR_PACKAGE} (python)")
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
