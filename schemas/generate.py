#!/usr/bin/env python3
"""Regenerate schemas/v<K8S>/ from the kubernetes-validate package's strict JSON schemas.

Usage (from the repository root):

    python schemas/generate.py --version 1.37 [SOURCE_DIR]

SOURCE_DIR is the folder holding `_definitions.json`, e.g.
`.../kubernetes_validate/kubernetes-json-schema/v1.37.0-local-strict`; without it the installed
`kubernetes_validate` package is located (it is a generation-time tool only, never a runtime
dependency of kctl).

Output: one self-contained file per top-level kind (a definition carrying
`x-kubernetes-group-version-kind` and a `metadata` property, List kinds included), named
`<group or core>.<version>.<Kind>.json`, holding the kind's schema at top level and, under
`$defs`, only the definitions it reaches, with every `$ref` rewritten to `#/$defs/<name>`.
Descriptions and x-kubernetes-* annotations are kept (`kctl explain` and the merge code read them).

Optionally (`--go-src PREFIX=DIR`, repeatable) the Go sources of the API types are read to
write `_gotypes.json`: for each definition, the Go type of every field whose type is a named
non-struct type (`v1.Protocol`, `v1.ResourceList`, `[]v1.Capability`, `types.UID`). The API
server's decoding errors name those types (`... of type v1.Protocol`) and the schemas do not
carry them. Example:

    python schemas/generate.py --version 1.37 SRC \
        --go-src io.k8s.api=/path/to/k8s.io/api \
        --go-src io.k8s.apimachinery=/path/to/k8s.io/apimachinery
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCHEMA_URI = "https://json-schema.org/draft/2020-12/schema"


def locate_source(version: str) -> Path:
    """The strict schema folder of the installed kubernetes_validate package."""
    try:
        import kubernetes_validate  # type: ignore[import-not-found]
    except ImportError:
        sys.exit("kubernetes_validate is not installed; pass the schema folder as SOURCE_DIR")
    base = Path(kubernetes_validate.__file__).resolve().parent / "kubernetes-json-schema"
    path = base / f"v{version}.0-local-strict"
    if not path.is_dir():
        sys.exit(f"{path} not found (kubernetes_validate too old for {version}?)")
    return path


def _ref_name(ref: str) -> str:
    # refs look like "#/$defs/<name>" or "/api/_definitions.json#/$defs/<name>"
    return ref.rsplit("/", 1)[-1]


def _rewrite(node, reached: set[str], defs: dict):
    """Copy `node` with refs rewritten to the local form, recording what it reaches."""
    if isinstance(node, dict):
        out = {}
        for k, v in node.items():
            if k == "$ref" and isinstance(v, str):
                name = _ref_name(v)
                if name not in defs:
                    raise KeyError(f"dangling $ref {v}")
                reached.add(name)
                out[k] = f"#/$defs/{name}"
            else:
                out[k] = _rewrite(v, reached, defs)
        return out
    if isinstance(node, list):
        return [_rewrite(v, reached, defs) for v in node]
    return node


def closure(root: str, defs: dict) -> tuple[dict, dict]:
    """(rewritten root schema, {name: rewritten def} for every definition it reaches)."""
    reached: set[str] = set()
    top = _rewrite(defs[root], reached, defs)
    out: dict[str, dict] = {}
    todo = sorted(reached)
    while todo:
        name = todo.pop()
        if name in out:
            continue
        found: set[str] = set()
        out[name] = _rewrite(defs[name], found, defs)
        todo.extend(sorted(found - out.keys()))
    return top, dict(sorted(out.items()))


def top_level_kinds(defs: dict) -> list[tuple[str, str, str, str]]:
    """[(definition name, group, version, kind)] for every definition that is a top-level kind."""
    found = []
    for name, d in defs.items():
        gvks = d.get("x-kubernetes-group-version-kind")
        if not gvks or "metadata" not in d.get("properties", {}):
            continue
        for gvk in gvks:
            found.append((name, gvk["group"], gvk["version"], gvk["kind"]))
    return sorted(found, key=lambda t: (t[1], t[2], t[3]))


def file_name(group: str, version: str, kind: str) -> str:
    return f"{group or 'core'}.{version}.{kind}.json"


# ---------------------------------------------------------------- Go field types

_BUILTIN = {"string", "bool", "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16",
            "uint32", "uint64", "float32", "float64", "byte", "rune", "interface{}", "any"}
_STRUCT_RE = re.compile(r"^type (\w+) struct \{\n(.*?)^\}", re.M | re.S)
_FIELD_RE = re.compile(r'^\s*(\w+)\s+([^\s`]+)\s+`[^`]*json:"([^",]*)')
_IMPORT_RE = re.compile(r'^\s*(\w+\s+)?"([^"]+)"\s*$', re.M)


def _imports(text: str) -> dict[str, str]:
    """alias -> Go package name for a file's imports."""
    out = {}
    m = re.search(r"^import \((.*?)^\)", text, re.M | re.S)
    block = m.group(1) if m else "\n".join(re.findall(r'^import (.*)$', text, re.M))
    for alias, path in _IMPORT_RE.findall(block):
        name = path.rsplit("/", 1)[-1]
        out[(alias or name).strip()] = name
    return out


def _qualify(t: str, pkg: str, imports: dict[str, str]) -> tuple[str, bool]:
    """(reflect-style type string, whether it involves a named type) for a Go field type."""
    if t.startswith("*"):
        t = t[1:]  # the decoder allocates pointers; messages name the element type
    if t.startswith("[]"):
        inner, named = _qualify(t[2:], pkg, imports)
        return ("[]uint8" if inner == "uint8" else f"[]{inner}"), named
    if t.startswith("map["):
        depth, i = 0, 3
        for i in range(3, len(t)):
            depth += {"[": 1, "]": -1}.get(t[i], 0)
            if depth == 0:
                break
        k, kn = _qualify(t[4:i], pkg, imports)
        v, vn = _qualify(t[i + 1:], pkg, imports)
        return f"map[{k}]{v}", kn or vn
    if t in _BUILTIN:
        return ("uint8" if t == "byte" else "int32" if t == "rune" else t), False
    if "." in t:
        alias, _, name = t.partition(".")
        return f"{imports.get(alias, alias)}.{name}", True
    return f"{pkg}.{t}", True


def go_field_types(prefix: str, root: Path, defs: dict) -> dict[str, dict[str, str]]:
    """{definition name: {json field: Go type}} for fields of named non-struct types."""
    out: dict[str, dict[str, str]] = {}
    for go in sorted(root.rglob("*.go")):
        if go.name.endswith("_test.go") or "generated" in go.name:
            continue
        rel = go.parent.relative_to(root).as_posix().replace("/", ".")
        pkg = go.parent.name
        text = go.read_text(encoding="utf-8", errors="replace")
        imports = None
        for m in _STRUCT_RE.finditer(text):
            def_name = f"{prefix}.{rel}.{m.group(1)}"
            d = defs.get(def_name)
            if d is None or "properties" not in d:
                continue
            if imports is None:
                imports = _imports(text)
            for line in m.group(2).splitlines():
                f = _FIELD_RE.match(line)
                if not f or not f.group(3) or f.group(3) == "-":
                    continue
                prop = d["properties"].get(f.group(3))
                if prop is None or "$ref" in prop:
                    continue  # struct-typed fields: the schema's definition name says it
                gotype, named = _qualify(f.group(2), pkg, imports)
                if named:
                    out.setdefault(def_name, {})[f.group(3)] = gotype
    return out


def generate(source: Path, version: str, out_dir: Path, go_src: list[tuple[str, Path]] = ()) -> int:
    defs = json.loads((source / "_definitions.json").read_text())["$defs"]
    out_dir.mkdir(parents=True, exist_ok=True)
    wanted = set()
    for name, group, ver, kind in top_level_kinds(defs):
        top, sub = closure(name, defs)
        doc = {"$schema": SCHEMA_URI, "$id": f"kctl:{version}/{file_name(group, ver, kind)}", "x-kctl-definition": name}
        doc.update(top)
        if sub:
            doc["$defs"] = sub
        fn = file_name(group, ver, kind)
        wanted.add(fn)
        # compact and key-stable output keeps the wheel small and diffs reviewable
        (out_dir / fn).write_text(json.dumps(doc, separators=(",", ":"), sort_keys=True, ensure_ascii=False) + "\n")
    if go_src:
        gotypes: dict[str, dict[str, str]] = {}
        for prefix, root in go_src:
            gotypes.update(go_field_types(prefix, root, defs))
        wanted.add("_gotypes.json")
        (out_dir / "_gotypes.json").write_text(
            json.dumps(dict(sorted(gotypes.items())), separators=(",", ":"), sort_keys=True) + "\n"
        )
    elif (out_dir / "_gotypes.json").exists():
        wanted.add("_gotypes.json")  # keep the one made earlier with --go-src
    for stale in out_dir.glob("*.json"):
        if stale.name not in wanted:
            stale.unlink()
    return len(wanted)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("source", nargs="?", help="folder with _definitions.json (strict variant)")
    ap.add_argument("--version", default="1.37", help="Kubernetes minor, e.g. 1.37")
    ap.add_argument("--out", help="output folder (default: schemas/v<version> beside this script)")
    ap.add_argument("--go-src", action="append", default=[], metavar="PREFIX=DIR",
                    help="Go API sources for _gotypes.json, e.g. io.k8s.api=/src/k8s.io/api")
    args = ap.parse_args(argv)
    go_src = []
    for spec in args.go_src:
        prefix, _, d = spec.partition("=")
        go_src.append((prefix, Path(d)))
    source = Path(args.source) if args.source else locate_source(args.version)
    out = Path(args.out) if args.out else HERE / f"v{args.version}"
    n = generate(source, args.version, out, go_src)
    print(f"wrote {n} schema files to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
