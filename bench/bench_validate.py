"""`kctl validate` throughput beside kubernetes-validate (PyPI), on the same files in the same run.

    python bench/bench_validate.py                       # ~3,000 documents, both layouts
    python bench/bench_validate.py --docs 5000 --repeat 5
    python bench/bench_validate.py --kubernetes-validate /tmp/kv/bin/kubernetes-validate
    python bench/bench_validate.py --smoke               # tiny run for CI (a few seconds)

Corpus: the real manifests of tests/e2e/real (public projects, see its SOURCES.md; the
crd-kinds/ and crds/ folders left out), copied until there are --docs documents. Copy c of a project
gets its own namespaces (`<project>-<namespace>-<c>`, with their Namespace documents),
cluster-scoped names suffixed `-<c>` (references to them follow), a `bench.kctl.io/copy`
label; so the corpus validates clean, as a CI repository would. Two layouts of the same
documents: `small` (one file per document, `-f DIR -R`) and `big` (one multi-document file).

Columns, per layout: documents per wall second and per CPU second, wall and CPU seconds, peak
RSS (subprocesses only, from os.wait4), and the speed-up over kubernetes-validate's CLI on the
same layout, by wall time and by CPU time (the CPU ratio is the steadier one on a busy machine).
  kctl validate (CLI)       `python -m kctl validate -f PATH -R` in a subprocess (start-up included)
  kctl run() in-process     kctl.cli.validate.run(): parse, decode, schema, admission, references
  kubernetes-validate CLI   `kubernetes-validate --strict --quiet FILE...` (strict: unknown fields
                            are errors, as in kctl validate); skipped with a note when not found
  kubernetes-validate API   its Python API (resources_from_file + validate(strict=True)) run
                            in-process by its own interpreter
kubernetes-validate is not a kctl dependency: install it in a throwaway venv and pass its
executable with --kubernetes-validate (default: `kubernetes-validate` on PATH, if any).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # this checkout's kctl, in-process too
REAL = REPO / "tests" / "e2e" / "real"
LABEL = "bench.kctl.io/copy"
# folders of custom resources and their definitions: not what a 1.37 API server serves alone
NOT_BUILTIN = {"crd-kinds", "crds"}

# --------------------------------------------------------------------------- corpus


def base_documents() -> list[tuple[str, str, dict]]:
    """(project, file stem, object) of every real manifest, in file order."""
    from kctl import manifests

    out = []
    for project in sorted(p.name for p in REAL.iterdir() if p.is_dir() and p.name not in NOT_BUILTIN):
        for m in manifests.load([str(REAL / project)], recursive=True):
            stem = Path(m.source).relative_to(REAL / project).with_suffix("").as_posix().replace("/", "-")
            out.append((project, stem, m.obj))
    return out


_CLUSTER_REFS = {"ClusterRole": "roleRef", "PriorityClass": "priorityClassName",
                 "IngressClass": "ingressClassName", "StorageClass": "storageClassName"}


def _copy(project: str, obj: dict, c: int, namespaced: bool, renamed: set) -> dict:
    """Copy `c` of a document: namespaces and cluster-scoped names made unique to the copy."""
    obj = json.loads(json.dumps(obj))

    def ns_of(orig: str) -> str:
        return f"{project}-{orig or 'default'}-{c}"

    meta = obj.setdefault("metadata", {})
    if obj.get("kind") == "Namespace":
        meta["name"] = ns_of(meta.get("name", ""))
    elif namespaced:
        meta["namespace"] = ns_of(meta.get("namespace", ""))
    elif obj.get("kind") != "APIService":  # its name is `<version>.<group>`: kept (copy 0 only)
        meta["name"] = f"{meta.get('name')}-{c}"
    meta.setdefault("labels", {})[LABEL] = str(c)

    def fix(node):
        if isinstance(node, dict):
            for k, v in node.items():
                if k == "namespace" and isinstance(v, str) and node is not meta:
                    node[k] = ns_of(v)
                elif k == "roleRef" and isinstance(v, dict) and ("ClusterRole", v.get("name")) in renamed:
                    v["name"] = f"{v['name']}-{c}"
                elif k in _CLUSTER_REFS.values() and isinstance(v, str):
                    kind = next(kk for kk, vv in _CLUSTER_REFS.items() if vv == k)
                    if (kind, v) in renamed:
                        node[k] = f"{v}-{c}"
                else:
                    fix(v)
        elif isinstance(node, list):
            for v in node:
                fix(v)

    fix({k: v for k, v in obj.items() if k != "metadata"})
    return obj


# A small block-style YAML writer: quoting that reads the same in YAML 1.1 (PyYAML,
# go-yaml v2) and 1.2, so both tools see the same values.
_PLAIN_OK = re.compile(r"^[A-Za-z_/][A-Za-z0-9_./-]*$")
_YAML11_WORDS = {w.lower() for w in "y n yes no on off true false null".split()}


def _scalar(v) -> str:
    if v is None:
        return "null"
    if v is True or v is False:
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return json.dumps(v)
    if _PLAIN_OK.match(v) and v.lower() not in _YAML11_WORDS:
        return v
    return json.dumps(v, ensure_ascii=False)


def _literal_ok(s: str) -> bool:
    return ("\n" in s and not s.startswith((" ", "\n")) and "\r" not in s and "\t" not in s
            and not s.endswith("\n\n") and all(ch.isprintable() or ch == "\n" for ch in s)
            and not any(ln.isspace() for ln in s.split("\n")))


def to_yaml(obj: dict) -> str:
    lines: list[str] = []

    def emit(key_prefix: str, val, ind: int) -> None:
        """`key_prefix` (`key: ` or ``) and `val` at indentation `ind`, children deeper."""
        p = " " * ind
        if isinstance(val, dict) and val:
            if key_prefix:
                lines.append(p + key_prefix.rstrip())
                ind += 2
            for k, x in val.items():
                emit(f"{_scalar(str(k))}: ", x, ind)
        elif isinstance(val, list) and val:
            lines.append(p + key_prefix.rstrip())
            for x in val:
                at = len(lines)
                if isinstance(x, list) and x:
                    lines.append(f"{p}  {json.dumps(x, ensure_ascii=False)}")
                else:
                    emit("", x, ind + 2)
                # the item's first line carries the `- ` (a block sequence may sit at its key's indent)
                lines[at] = p + "- " + lines[at][ind + 2:]
        elif isinstance(val, str) and _literal_ok(val):
            lines.append(f"{p}{key_prefix}|{'' if val.endswith(chr(10)) else '-'}")
            for ln in val.rstrip("\n").split("\n"):
                lines.append(f"{p}  {ln}" if ln else "")
        else:
            text = "{}" if isinstance(val, dict) else "[]" if isinstance(val, list) else _scalar(val)
            lines.append(f"{p}{key_prefix}{text}")

    emit("", obj, 0)
    return "\n".join(lines) + "\n"


def spoil(obj: dict, i: int) -> None:
    """Make a document invalid, in turn: an unknown field, a bad name, a bad label value."""
    meta = obj["metadata"]
    if i % 3 == 0:
        meta["bogusField"] = 1
    elif i % 3 == 1:
        meta["name"] = "Bad_" + meta["name"]
    else:
        meta["labels"]["tier"] = "not a valid label value!"


def build_corpus(root: Path, target: int, invalid_pct: float = 0.0) -> dict:
    """Write the two layouts under `root`; returns a description of the corpus. With
    `invalid_pct`, that share of the documents (evenly spread) is made invalid."""
    from kctl.api import kinds as kinds_mod

    base = base_documents()
    copies = max(1, math.ceil(target / len(base)))
    cluster = {(o["kind"], o["metadata"]["name"]) for _, _, o in base
               if (k := kinds_mod.for_object(o.get("apiVersion", ""), o.get("kind", ""))) and not k.namespaced}
    small = root / "small"
    big_parts: list[str] = []
    n = 0
    kinds: set[str] = set()
    for c in range(copies):
        docs: list[tuple[str, str]] = []  # (file name, yaml)
        namespaces: dict[str, None] = {}
        for project, stem, obj in base:
            k = kinds_mod.for_object(obj.get("apiVersion", ""), obj.get("kind", ""))
            if obj.get("kind") == "APIService" and c > 0:
                continue
            o = _copy(project, obj, c, bool(k and k.namespaced), cluster)
            if invalid_pct and int((n + len(docs)) * invalid_pct / 100) != int((n + len(docs) + 1) * invalid_pct / 100):
                spoil(o, n + len(docs))
            if k is not None and k.namespaced:
                namespaces.setdefault(o["metadata"]["namespace"])
            if o["kind"] == "Namespace":
                namespaces.pop(o["metadata"]["name"], None)
            kinds.add(o["kind"])
            docs.append((f"{project}/{stem}-{len(docs):04d}.yaml", to_yaml(o)))
        ns_docs = [(f"namespaces/{ns}.yaml", to_yaml({"apiVersion": "v1", "kind": "Namespace",
                                                       "metadata": {"name": ns, "labels": {LABEL: str(c)}}}))
                   for ns in namespaces]
        for name, text in ns_docs + docs:
            path = small / f"copy-{c:02d}" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
            big_parts.append(text)
            n += 1
    big = root / "big" / "all.yaml"
    big.parent.mkdir(parents=True)
    big.write_text("---\n".join(big_parts))
    files = sorted(str(p) for p in small.rglob("*.yaml"))
    return {"docs": n, "copies": copies, "kinds": len(kinds), "base": len(base),
            "bytes": sum(len(t) for t in big_parts) / n,
            "layouts": {"small": {"paths": [str(small)], "files": files},
                        "big": {"paths": [str(big)], "files": [str(big)]}}}


# --------------------------------------------------------------------------- timing


def run_child(cmd: list[str], env: dict | None = None, out_path: Path | None = None) -> dict:
    """Run a subprocess; its own wall, CPU (user+sys) and peak RSS (os.wait4)."""
    out = open(out_path, "wb") if out_path else subprocess.DEVNULL
    try:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT)
        _, status, ru = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
    finally:
        if out_path:
            out.close()
    return {"wall": wall, "cpu": ru.ru_utime + ru.ru_stime, "rss": ru.ru_maxrss / 1024, "rc": proc.returncode}


def best(runs: list[dict]) -> dict:
    """The median run by wall time (the figures of one real run, not a mix)."""
    runs = sorted(runs, key=lambda r: r["wall"])
    return runs[len(runs) // 2]


def kctl_cli(paths: list[str], tmp: Path, repeat: int) -> tuple[dict, str]:
    cmd = [sys.executable, "-m", "kctl", "validate", "--summary", "-R"]
    for p in paths:
        cmd += ["-f", p]
    env = dict(os.environ, PYTHONPATH=str(REPO), KCTL_STORE=str(tmp / "unused.db"))
    out = tmp / "kctl.out"
    runs = [run_child(cmd, env, out) for _ in range(repeat)]
    last = out.read_text().strip().splitlines()
    return best(runs), (last[-1] if last else "")


def kctl_inprocess(paths: list[str], repeat: int) -> tuple[dict, str]:
    from kctl.cli.validate import run
    from kctl.validate.reports import summary_line

    runs, line = [], ""
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        docs = run(list(paths), recursive=True)
        runs.append({"wall": time.perf_counter() - t0, "cpu": time.process_time() - c0, "rss": None})
        line = summary_line(docs)
    return best(runs), line


def kv_cli(exe: str, files: list[str], tmp: Path, repeat: int) -> tuple[dict, str]:
    listing = tmp / "kv.out"
    runs = [run_child([exe, "--strict", "--quiet", *files], None, listing) for _ in range(repeat)]
    text = listing.read_text()
    errors, warns = text.count("\nERROR ") + text.startswith("ERROR "), text.count("WARN ")
    return best(runs), f"{errors} ERROR, {warns} WARN lines"


_KV_API = r"""
import json, sys, time
import kubernetes_validate.utils as u
files = open(sys.argv[1]).read().split("\n")
version = u.latest_version()
t0, c0 = time.perf_counter(), time.process_time()
n = bad = 0
for f in files:
    for r in u.resources_from_file(f):
        n += 1
        try:
            u.validate(r, version, True)
        except Exception:
            bad += 1
print(json.dumps({"wall": time.perf_counter() - t0, "cpu": time.process_time() - c0, "docs": n, "bad": bad}))
"""


def kv_python(exe: str) -> str | None:
    """The interpreter of a console script (its shebang), if it imports kubernetes_validate."""
    try:
        first = Path(exe).read_text(errors="replace").split("\n", 1)[0]
    except OSError:
        return None
    py = first[2:].strip().split()[0] if first.startswith("#!") else ""
    if not py or not os.path.exists(py):
        return None
    ok = subprocess.run([py, "-c", "import kubernetes_validate.utils"], capture_output=True).returncode == 0
    return py if ok else None


def kv_api(py: str, files: list[str], tmp: Path) -> tuple[dict, str]:
    listing = tmp / "kv-files.txt"
    listing.write_text("\n".join(files))
    proc = subprocess.run([py, "-c", _KV_API, str(listing)], capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-2000:])
    got = json.loads(proc.stdout.strip().splitlines()[-1])
    return {"wall": got["wall"], "cpu": got["cpu"], "rss": None}, f"{got['docs']} docs, {got['bad']} invalid"


# --------------------------------------------------------------------------- report


def row(label: str, layout: str, n: int, r: dict | None, ref: dict | None, note: str) -> str:
    if r is None:
        return f"  {label:26s} {layout:6s}" + f" {'—':>8s}" * 7 + f"   {note}"
    rss = f"{r['rss']:.0f}" if r.get("rss") else "—"
    # wall figures suffer from other load on the machine; CPU figures much less
    ratio = f"{ref['wall'] / r['wall']:.1f}x" if ref else "—"
    cpu_ratio = f"{ref['cpu'] / r['cpu']:.1f}x" if ref else "—"
    return (f"  {label:26s} {layout:6s} {n / r['wall']:8.0f} {n / r['cpu']:8.0f} {r['wall']:8.2f} {r['cpu']:8.2f}"
            f" {rss:>8s} {ratio:>8s} {cpu_ratio:>8s}   {note}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=3000, help="corpus size (rounded up to whole copies)")
    ap.add_argument("--repeat", type=int, default=3, help="kctl runs per measure (the median is shown)")
    ap.add_argument("--kv-repeat", type=int, default=1, help="kubernetes-validate runs per measure")
    ap.add_argument("--layouts", default="small,big", help="small (one file per document), big (one file)")
    ap.add_argument("--kubernetes-validate", dest="kv", metavar="PATH",
                    help="kubernetes-validate executable (default: on PATH, else its columns are skipped)")
    ap.add_argument("--no-kv-api", action="store_true", help="skip kubernetes-validate's in-process API")
    ap.add_argument("--invalid", type=float, default=0.0, metavar="PCT",
                    help="make PCT%% of the documents invalid (errors: positions are computed for them)")
    ap.add_argument("--keep", metavar="DIR", help="write the corpus to DIR and keep it")
    ap.add_argument("--smoke", action="store_true", help="tiny run for CI: one copy, one run each")
    a = ap.parse_args()
    if a.smoke:
        a.docs, a.repeat, a.kv_repeat = 1, 1, 1
    exe = a.kv or shutil.which("kubernetes-validate")
    if exe and not os.path.exists(exe):
        ap.error(f"--kubernetes-validate: {exe} does not exist")
    layouts = [x for x in a.layouts.split(",") if x]

    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        root = Path(a.keep) if a.keep else tmp / "corpus"
        if a.keep and root.exists():
            shutil.rmtree(root)
        corpus = build_corpus(root, a.docs, a.invalid)
        n = corpus["docs"]
        print(f"corpus: {n} documents ({corpus['copies']} copies of {corpus['base']} real manifests + "
              f"their Namespaces), {corpus['kinds']} kinds, {corpus['bytes']:.0f} bytes each on average; "
              f"small = {len(corpus['layouts']['small']['files'])} files, big = 1 file")
        print(f"  {'':26s} {'layout':6s} {'docs/s':>8s} {'docs/CPUs':>8s} {'wall s':>8s} {'CPU s':>8s} "
              f"{'RSS MB':>8s} {'x k-v':>8s} {'x k-v CPU':>8s}")
        py = kv_python(exe) if exe and not a.no_kv_api else None
        for layout in layouts:
            lay = corpus["layouts"][layout]
            kv = None
            if exe:
                kv, kv_note = kv_cli(exe, lay["files"], tmp, a.kv_repeat)
            ref = kv
            r, note = kctl_cli(lay["paths"], tmp, a.repeat)
            print(row("kctl validate (CLI)", layout, n, r, ref, note))
            r, note = kctl_inprocess(lay["paths"], a.repeat)
            print(row("kctl run() in-process", layout, n, r, ref, note))
            if exe:
                print(row("kubernetes-validate CLI", layout, n, kv, ref, kv_note))
                if py:
                    r, note = kv_api(py, lay["files"], tmp)
                    print(row("kubernetes-validate API", layout, n, r, ref, note))
        if not exe:
            print("  kubernetes-validate: not installed (pass --kubernetes-validate PATH); its columns skipped")
        print(f"  ({os.cpu_count()} CPUs; kctl: median of {a.repeat} runs; "
              f"kubernetes-validate: {a.kv_repeat} run(s), --strict)")


if __name__ == "__main__":
    main()
