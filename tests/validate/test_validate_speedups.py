"""`kctl validate`'s fast paths give the same answers as the plain ones.

- kctl.validate.store.ValidateStore (shared list results) admits a batch exactly as a
  MemoryStore does, and admission leaves the shared objects untouched;
- merge._go_string's no-escape fast path writes what the escaping loop writes;
- allocators._ip_int (memoized) reads addresses as ipaddress does.
"""

from __future__ import annotations

import ipaddress
import json
from datetime import datetime, timezone

import pytest

from kctl import manifests
from kctl.api import merge
from kctl.controllers import allocators
from kctl.engine import AdmissionFailed, ApplyOptions, Engine, intake
from kctl.store.memory import MemoryStore
from kctl.validate.store import ValidateStore

SERVICES = """apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: v1
kind: Service
metadata: {name: a, namespace: shop}
spec: {clusterIP: 10.96.0.50, ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: b, namespace: shop}
spec: {clusterIP: 10.96.0.50, ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: c, namespace: shop}
spec: {type: NodePort, ports: [{port: 80, nodePort: 30080}]}
---
apiVersion: v1
kind: Service
metadata: {name: d, namespace: shop}
spec: {type: NodePort, ports: [{port: 80, nodePort: 30080}, {port: 81}]}
---
apiVersion: v1
kind: Service
metadata: {name: e, namespace: shop}
spec: {clusterIP: None, selector: {app: e}, ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: f, namespace: shop}
spec: {type: ExternalName, externalName: example.com}
---
apiVersion: v1
kind: Service
metadata: {name: a, namespace: shop, labels: {again: "yes"}}
spec: {clusterIP: 10.96.0.50, ports: [{port: 80}]}
"""
PODS = """apiVersion: v1
kind: Pod
metadata: {name: p, namespace: default}
spec: {priorityClassName: missing, containers: [{name: c, image: nginx}]}
---
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: {name: everyone}
value: 1000
globalDefault: true
---
apiVersion: v1
kind: Pod
metadata: {name: q, namespace: default}
spec: {containers: [{name: c, image: nginx}]}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data, namespace: default}
spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
"""
MANY = "---\n".join(
    f"apiVersion: v1\nkind: Service\nmetadata: {{name: s{i}}}\n"
    f"spec: {{type: {'NodePort' if i % 3 == 0 else 'ClusterIP'}, ports: [{{port: 80}}]}}\n"
    for i in range(60))


def _admit(store, text: str):
    ms = manifests.load_text(text, "batch.yaml")
    opts = ApplyOptions(dry_run="server", validate="strict")
    admitted, errors = intake(ms, opts, lambda _: None)
    engine = Engine(store, now=datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc))
    with store.transaction():
        engine.bootstrap()
        engine.converge()
    if isinstance(store, ValidateStore):
        store.shared_lists = True
    try:
        results = engine.apply(admitted, opts, lambda _: None, errors)
        errors = []
    except AdmissionFailed as e:
        results, errors = [], e.errors
    written = {r: store.list(r) for r in ("services", "pods", "persistentvolumeclaims")}
    return ([(r.action, json.dumps(r.obj, sort_keys=True)) for r in results],
            [(e.source, e.render()) for e in errors], json.dumps(written, sort_keys=True))


@pytest.mark.parametrize("text", [SERVICES, PODS, MANY], ids=["services", "pods", "many-services"])
def test_validate_store_admits_as_memory_store(text):
    shared = ValidateStore()
    assert _admit(shared, text) == _admit(MemoryStore(), text)
    assert shared.shared_intact()


def test_validate_store_lists():
    store = ValidateStore()
    store.create("configmaps", {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a", "namespace": "x"}})
    first = store.list("configmaps")
    first[0]["data"] = {"k": "v"}  # not shared yet: a private copy
    assert "data" not in store.list("configmaps")[0]
    store.shared_lists = True
    one, two = store.list("configmaps"), store.list("configmaps", "x")
    assert one[0] is two[0] and store.list("configmaps", "y") == []
    got = store.get("configmaps", "x", "a")
    got["data"] = {"k": "v"}
    store.update("configmaps", got)
    assert store.list("configmaps")[0]["data"] == {"k": "v"}  # a new body is decoded again
    assert store.shared_intact()
    store.list("configmaps")[0]["data"]["k"] = "changed"
    assert not store.shared_intact()


@pytest.mark.parametrize("s", ["", "plain", "app.kubernetes.io/name", "café ☕", "a\"b", "a\\b", "line\nnext",
                               "tab\t", "\x01", "<b>&amp;</b>", "\u2028\u2029", "\ud800x", "😀"])
def test_go_string_fast_path(s):
    slow = ['"']
    for ch in s:
        o = ord(ch)
        if ch in merge._SHORT_ESCAPES:
            slow.append(merge._SHORT_ESCAPES[ch])
        elif o < 0x20 or ch in "<>&" or o in (0x2028, 0x2029):
            slow.append("\\u%04x" % o)
        elif 0xD800 <= o <= 0xDFFF:
            slow.append("\\ufffd")
        else:
            slow.append(ch)
    assert merge._go_string(s) == "".join(slow) + '"'


@pytest.mark.parametrize("ip", ["10.96.0.1", "10.111.255.254", "::1", "not-an-ip", "", "10.96.0.256"])
def test_ip_int_memo(ip):
    try:
        want = int(ipaddress.ip_address(ip))
    except ValueError:
        want = None
    assert allocators._ip_int(ip) == want
