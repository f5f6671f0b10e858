"""`kctl describe` framing checked byte for byte against the real kubectl 1.37 client (driven
against a fake API server serving the same objects): when Events are shown, how several objects
and name-prefix matches are separated, errors."""

from __future__ import annotations

import pytest

OBJECTS = """\
apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: b, namespace: shop, labels: {app: web}}
data: {k: v}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: a, namespace: shop, labels: {app: db}}
data: {k: v, k2: v}
"""

A = """\
Name:         a
Namespace:    shop
Labels:       app=db
Annotations:  <none>

Data
====
k:
----
v

k2:
----
v


BinaryData
====

"""
B = """\
Name:         b
Namespace:    shop
Labels:       app=web
Annotations:  <none>

Data
====
k:
----
v


BinaryData
====

"""
EVENTS = "Events:  <none>\n"


@pytest.fixture
def shop(kctl, write, frozen_now):
    r = kctl("apply", "-f", write("m.yaml", OBJECTS))
    assert r.code == 0, r.err


CASES = [
    (["describe", "cm", "a", "-n", "shop"], 0, A + EVENTS, ""),
    # several objects: no Events unless --show-events is given
    (["describe", "cm", "a", "b", "-n", "shop"], 0, A + "\n\n" + B, ""),
    (["describe", "cm", "-n", "shop", "-l", "app"], 0, A + "\n\n" + B, ""),
    (["describe", "cm", "-n", "shop", "-l", "app", "--show-events"], 0, A + EVENTS + "\n\n" + B + EVENTS, ""),
    # one object through a selector is one result: Events shown
    (["describe", "cm", "-n", "shop", "-l", "app=web"], 0, B + EVENTS, ""),
    (["describe", "cm", "a", "-n", "shop", "--show-events=false"], 0, A, ""),
    # an error hides the Events of the objects found
    (["describe", "cm", "a", "nope", "-n", "shop"], 1, A, 'Error from server (NotFound): configmaps "nope" not found\n'),
    # name-prefix match (only for TYPE NAME): each text then one newline, no Events
    (["describe", "cm", "b", "-n", "shop"], 0, B + EVENTS, ""),
    (["describe", "configmap", "k", "-n", "shop"], 0, None, ""),
    (["describe", "cm/k", "-n", "shop"], 1, "", 'Error from server (NotFound): configmaps "k" not found\n'),
    (["describe", "ep", "web", "-n", "shop"], 1, "",
     "Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice\n"
     'Error from server (NotFound): endpoints "web" not found\n'),
    (["describe", "cm", "a", "-A"], 1, "", "error: a resource cannot be retrieved by name across all namespaces\n"),
    (["describe", "cm", "-n", "nothing"], 0, "", "No resources found in nothing namespace.\n"),
    (["describe", "cm", "-A", "-l", "app=nope"], 0, "", "No resources found\n"),
    # kubectl names the request namespace even for a cluster-scoped kind
    (["describe", "nodes", "-l", "x=y"], 0, "", "No resources found in default namespace.\n"),
    (["describe", "cm", "a", "-n", "shop", "--show-events=maybe"], 1, "",
     'error: invalid argument "maybe" for "--show-events" flag: strconv.ParseBool: parsing "maybe": invalid '
     "syntax\nSee 'kctl describe --help' for usage.\n"),
]


@pytest.mark.parametrize("args,code,out,err", CASES, ids=[" ".join(c[0]) for c in CASES])
def test_describe_matches_kubectl(kctl, shop, args, code, out, err):
    r = kctl(*args)
    assert (r.code, r.err) == (code, err)
    if out is not None:
        assert r.out == out


def test_prefix_match_prints_each_then_newline(kctl, shop):
    r = kctl("describe", "cm", "k", "-n", "shop")
    assert r.code == 0 and r.err == ""
    assert r.out.startswith("Name:         kube-root-ca.crt\n")
    assert r.out.endswith("BinaryData\n====\n\n\n")  # describer text + "\n", no Events
    assert "Events:" not in r.out


def test_describe_filename(kctl, shop, write):
    one = write("a.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: shop}\n")
    r = kctl("describe", "-f", one)
    assert (r.code, r.out, r.err) == (0, A + EVENTS, "")
    r = kctl("describe", "-f", one, "-n", "other")
    assert (r.code, r.out, r.err) == (1, "", 'the namespace from the provided object "shop" does not match the '
                                              "namespace \"other\". You must pass '--namespace=shop' to perform "
                                              "this operation.\n")
