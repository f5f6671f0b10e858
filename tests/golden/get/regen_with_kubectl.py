"""Regenerate tests/golden/get/*.txt from the real kubectl client (run by hand, not by pytest).

    python tests/golden/get/regen_with_kubectl.py [--check]

It serves objects.json from a small fake API server on 127.0.0.1 and runs every case of
cases.json through `kubectl --server=...`, writing kubectl's stdout (or, on failure,
"ERR:" + stderr) to <name>.txt. --check only reports differences.

What the goldens prove: for -o yaml/json/name/jsonpath/custom-columns and --sort-by the text
is entirely kubectl's. For tables, the API server computes the cells, so the fake server
returns a meta.k8s.io/v1 Table whose cells come from kctl.printers.columns; the goldens then
pin kubectl's client side (tabwriter layout, NAMESPACE/kind prefixes, -L, --show-labels,
blank lines between kinds, --no-headers) around kctl's cells.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))

from kctl.api.kinds import Kind  # noqa: E402
from kctl.printers.columns import columns_for  # noqa: E402

NOW = datetime(2026, 11, 25, 17, 0, 0, tzinfo=timezone.utc)
KINDS = [
    Kind("", "v1", "Pod", "pods", "pod", ("po",), True),
    Kind("", "v1", "Service", "services", "service", ("svc",), True),
    Kind("", "v1", "Namespace", "namespaces", "namespace", ("ns",), False),
    Kind("", "v1", "Node", "nodes", "node", ("no",), False),
    Kind("", "v1", "ConfigMap", "configmaps", "configmap", ("cm",), True),
    Kind("", "v1", "Event", "events", "event", ("ev",), True),
    Kind("apps", "v1", "Deployment", "deployments", "deployment", ("deploy",), True),
    Kind("apps", "v1", "ReplicaSet", "replicasets", "replicaset", ("rs",), True),
]
ALL = {"pods", "services", "deployments", "replicasets"}


def load_objects():
    return json.loads((HERE / "objects.json").read_text())


def make_handler(objs):
    by_path = {(k.group, k.plural): k for k in KINDS}

    class H(BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def send(self, obj, code=200):
            b = json.dumps(obj).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(b)))
            self.end_headers()
            self.wfile.write(b)

        def resources(self, group):
            return [
                {"name": k.plural, "singularName": k.singular, "namespaced": k.namespaced, "kind": k.kind,
                 "verbs": ["get", "list"], "shortNames": list(k.short_names),
                 **({"categories": ["all"]} if k.plural in ALL else {})}
                for k in KINDS if k.group == group
            ]

        def do_GET(self):
            u = urlparse(self.path)
            p, q = u.path.rstrip("/"), parse_qs(u.query)
            if p == "/api":
                return self.send({"kind": "APIVersions", "versions": ["v1"],
                                  "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": "x"}]})
            if p == "/apis":
                gv = {"groupVersion": "apps/v1", "version": "v1"}
                return self.send({"kind": "APIGroupList", "apiVersion": "v1",
                                  "groups": [{"name": "apps", "versions": [gv], "preferredVersion": gv}]})
            if p == "/api/v1":
                return self.send({"kind": "APIResourceList", "groupVersion": "v1", "resources": self.resources("")})
            if p == "/apis/apps/v1":
                return self.send({"kind": "APIResourceList", "groupVersion": "apps/v1",
                                  "resources": self.resources("apps")})
            parts = p.strip("/").split("/")
            group, rest = ("", parts[2:]) if parts[0] == "api" else (parts[1], parts[3:])
            ns = None
            if rest and rest[0] == "namespaces" and len(rest) >= 3:
                ns, rest = rest[1], rest[2:]
            kind = by_path.get((group, rest[0] if rest else ""))
            if kind is None:
                return self.send({"kind": "Status", "apiVersion": "v1", "status": "Failure", "code": 404}, 404)
            name = rest[1] if len(rest) > 1 else None
            items = [dict(o, apiVersion=kind.api_version, kind=kind.kind) for o in objs.get(kind.plural, [])
                     if (ns is None or o["metadata"].get("namespace") == ns)
                     and (name is None or o["metadata"]["name"] == name)]
            if name and not items:
                return self.send({"kind": "Status", "apiVersion": "v1", "status": "Failure", "reason": "NotFound",
                                  "message": f'{kind.plural} "{name}" not found', "code": 404}, 404)
            if "as=Table" in self.headers.get("Accept", ""):
                wide_h, row = columns_for(kind, True)
                narrow = set(columns_for(kind, False)[0])
                cols = [{"name": h, "type": "string", "format": "name" if h == "NAME" else "", "description": "",
                         "priority": 0 if h in narrow else 1} for h in wide_h]
                full = q.get("includeObject", ["Metadata"])[0] == "Object"
                rows = [{"cells": row(o, NOW),
                         "object": o if full else {"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1",
                                                   "metadata": o["metadata"]}} for o in items]
                return self.send({"kind": "Table", "apiVersion": "meta.k8s.io/v1",
                                  "metadata": {"resourceVersion": "7"}, "columnDefinitions": cols, "rows": rows})
            if name:
                return self.send(items[0])
            return self.send({"kind": kind.kind + "List", "apiVersion": kind.api_version,
                              "metadata": {"resourceVersion": "7"}, "items": items})

    return H


def main(check: bool) -> int:
    srv = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(load_objects()))
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    server = f"http://127.0.0.1:{srv.server_address[1]}"
    cases = json.loads((HERE / "cases.json").read_text())
    changed = 0
    for c in cases:
        words = c["kubectl"].split(" ")
        # keep a jsonpath template with spaces in one argument
        for i, w in enumerate(words):
            if "{range" in w:
                words = words[:i] + [" ".join(words[i:])]
                break
        cmd = ["kubectl", f"--server={server}", "-n", c["namespace"] or "default", *words]
        r = subprocess.run(cmd, capture_output=True, text=True)
        text = r.stdout if r.returncode == 0 else r.stdout + "ERR:" + r.stderr
        path = HERE / f"{c['name']}.txt"
        old = path.read_text() if path.exists() else None
        if old != text:
            changed += 1
            print(("DIFF " if check else "wrote ") + path.name)
            if not check:
                path.write_text(text)
    srv.shutdown()
    print(f"{len(cases)} cases, {changed} {'different' if check else 'written'}")
    return 1 if (check and changed) else 0


if __name__ == "__main__":
    sys.exit(main("--check" in sys.argv))
