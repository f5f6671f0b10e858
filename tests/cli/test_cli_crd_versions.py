"""Multi-version CustomResourceDefinitions, as the apiextensions-apiserver serves them with
conversion strategy None: a custom resource is decoded, defaulted and validated in the version
it was sent in, stored in the storage version (apiVersion rewritten, then pruned against that
version's schema), read back in the version asked for (the preferred one by default), with the
deprecation warnings of deprecated versions (exact stdout, stderr and exit codes)."""

from __future__ import annotations

import json

import pytest

# v1beta1: deprecated, `size` free text defaulting to "small", `old` only here;
# v1: storage and preferred, `size` an enum, `replicas` only here (defaulted)
CRD = """apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {{kind: Widget, plural: widgets}}
  versions:
  - name: v1beta1
    served: true
    storage: false
    deprecated: true{warning}
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              size: {{type: string, default: small}}
              old: {{type: integer}}
  - name: v1
    served: true
    storage: {v1_storage}
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              size: {{type: string, enum: [small, large]}}
              replicas: {{type: integer, default: 1}}
  - name: v2alpha1
    served: true
    storage: {v2_storage}
    schema:
      openAPIV3Schema:
        type: object
        x-kubernetes-preserve-unknown-fields: true
{conversion}"""


def crd(warning: str = "", storage: str = "v1", conversion: str = "") -> str:
    return CRD.format(warning=warning, v1_storage=str(storage == "v1").lower(),
                      v2_storage=str(storage == "v2alpha1").lower(), conversion=conversion)


def widget(version: str, name: str = "w1", spec: str = "{old: 3}") -> str:
    return f"apiVersion: example.com/{version}\nkind: Widget\nmetadata:\n  name: {name}\nspec: {spec}\n"


DEPRECATED = "Warning: example.com/v1beta1 Widget is deprecated; use example.com/v1 Widget\n"
CREATED = "widget.example.com/{} created\n"


@pytest.fixture
def widgets(kctl, write):
    """The CRD applied; returns an `apply -f` of manifest text."""
    assert kctl("apply", "-f", write("crd.yaml", crd())).code == 0

    def apply(text: str, *flags: str):
        return kctl("apply", "-f", write("w.yaml", text), *flags)

    return apply


def spec_of(kctl, *args: str) -> tuple[str, dict, str]:
    r = kctl("get", *args, "-o", "json")
    assert r.code == 0, r.err
    obj = json.loads(r.out)
    return obj["apiVersion"], obj["spec"], r.err


def test_stored_in_the_storage_version_read_in_the_preferred_one(kctl, widgets):
    r = widgets(widget("v1beta1"))
    assert (r.code, r.out, r.err) == (0, CREATED.format("w1"), DEPRECATED)
    # stored as v1: v1beta1's default came in; `old` (unknown to v1) was pruned on the way
    # to storage; read in v1 (the preferred version), v1's default came in
    assert spec_of(kctl, "widgets", "w1") == ("example.com/v1", {"replicas": 1, "size": "small"}, "")
    assert spec_of(kctl, "widgets.v1.example.com", "w1") == (
        "example.com/v1", {"replicas": 1, "size": "small"}, "")
    # read in v1beta1: converted from storage, pruned against v1beta1's schema
    assert spec_of(kctl, "widgets.v1beta1.example.com", "w1") == (
        "example.com/v1beta1", {"size": "small"}, DEPRECATED)
    assert spec_of(kctl, "widgets.v2alpha1.example.com", "w1") == (
        "example.com/v2alpha1", {"replicas": 1, "size": "small"}, "")


@pytest.mark.parametrize("version,api_version,err", [
    ("v1beta1", "example.com/v1beta1", DEPRECATED),
    ("v1", "example.com/v1", ""),
    ("v2alpha1", "example.com/v2alpha1", ""),
])
def test_get_f_reads_in_the_files_version(kctl, widgets, write, version, api_version, err):
    assert widgets(widget("v1", spec="{size: large}")).code == 0
    r = kctl("get", "-f", write("g.yaml", widget(version)), "-o", "jsonpath={.apiVersion}")
    assert (r.code, r.out, r.err) == (0, api_version, err)


@pytest.mark.parametrize("version,code,out,err", [
    # v1beta1's `size` is free text: valid there, though v1 (where it is stored) has an enum
    ("v1beta1", 0, CREATED.format("w1"), DEPRECATED),
    ("v1", 1, "", 'w.yaml:5: The Widget "w1" is invalid: spec.size: Unsupported value: "huge": supported '
                  'values: "small", "large"\nerror: no objects were changed\n'),
    ("v2alpha1", 0, CREATED.format("w1"), ""),
])
def test_validated_in_the_version_sent(kctl, widgets, write, version, code, out, err):
    r = widgets(widget(version, spec="{size: huge}"))
    path = write("w.yaml", widget(version, spec="{size: huge}"))
    assert (r.code, r.out, r.err.replace(path, "w.yaml")) == (code, out, err)


def test_unknown_fields_are_the_sent_versions(kctl, widgets, write):
    r = widgets(widget("v1", spec="{old: 3}"))
    path = write("w.yaml", widget("v1", spec="{old: 3}"))
    assert (r.code, r.out) == (1, "")
    assert r.err == (f'{path}:5: Error from server (BadRequest): error when creating "{path}": Widget in version '
                     '"v1" cannot be handled as a Widget: strict decoding error: unknown field "spec.old"\n'
                     "error: no objects were changed\n")


def test_reapply_in_another_version_updates_the_stored_object(kctl, widgets):
    assert widgets(widget("v1", spec="{size: large}")).code == 0
    # the live object is read in v1beta1 for the merge: no apiVersion change error
    r = widgets(widget("v1beta1", spec="{size: small}"))
    assert (r.code, r.out, r.err) == (0, "widget.example.com/w1 configured\n", DEPRECATED)
    assert spec_of(kctl, "widget", "w1")[:2] == ("example.com/v1", {"replicas": 1, "size": "small"})


def test_server_side_apply_stores_the_storage_version(kctl, widgets):
    r = widgets(widget("v1beta1", spec="{size: large}"), "--server-side")
    assert (r.code, r.out, r.err) == (0, "widget.example.com/w1 serverside-applied\n", DEPRECATED)
    r = widgets(widget("v1beta1", spec="{size: small}"), "--server-side")
    assert (r.code, r.out) == (0, "widget.example.com/w1 serverside-applied\n")
    assert spec_of(kctl, "widget", "w1")[:2] == ("example.com/v1", {"replicas": 1, "size": "small"})


def test_replace_validates_in_the_sent_version(kctl, widgets, write):
    assert widgets(widget("v1", spec="{size: large}")).code == 0
    r = kctl("replace", "-f", write("r.yaml", widget("v1beta1", spec="{size: huge}")))
    assert (r.code, r.out, r.err) == (0, "widget.example.com/w1 replaced\n", DEPRECATED)
    # stored in v1 with v1beta1's value (no conversion logic: fields unchanged)
    assert spec_of(kctl, "widget", "w1")[:2] == ("example.com/v1", {"replicas": 1, "size": "huge"})


def test_warning_once_per_command(kctl, widgets):
    r = widgets(widget("v1beta1", "a") + "---\n" + widget("v1beta1", "b"))
    assert (r.code, r.out, r.err) == (0, CREATED.format("a") + CREATED.format("b"), DEPRECATED)
    r = kctl("get", "widgets.v1beta1.example.com")
    assert (r.code, r.err) == (0, DEPRECATED)


def test_stored_versions_keep_every_storage_version(kctl, write, widgets):
    def stored():
        r = kctl("get", "crd", "widgets.example.com", "-o", "jsonpath={.status.storedVersions}")
        return r.out

    assert stored() == '["v1"]'
    r = kctl("apply", "-f", write("crd.yaml", crd(storage="v2alpha1")))
    assert (r.code, r.out) == (0, "customresourcedefinition.apiextensions.k8s.io/widgets.example.com configured\n")
    assert stored() == '["v1","v2alpha1"]'
    assert widgets(widget("v1", "w2", "{size: large}")).code == 0
    # stored in v2alpha1 now; the preferred version is still v1 (GA before alpha)
    assert spec_of(kctl, "widget", "w2")[:2] == ("example.com/v1", {"replicas": 1, "size": "large"})
    r = kctl("get", "widgets.v2alpha1.example.com", "w2", "-o", "jsonpath={.apiVersion}")
    assert r.out == "example.com/v2alpha1"


@pytest.mark.parametrize("warning,err", [
    ("", DEPRECATED),
    ("\n    deprecationWarning: widgets v1beta1 go away in 2027", "Warning: widgets v1beta1 go away in 2027\n"),
    ('\n    deprecationWarning: ""', ""),  # an empty text: no warning at all
])
def test_deprecation_warning_text(kctl, write, warning, err):
    assert kctl("apply", "-f", write("crd.yaml", crd(warning=warning))).code == 0
    r = kctl("apply", "-f", write("w.yaml", widget("v1beta1")))
    assert (r.code, r.out, r.err) == (0, CREATED.format("w1"), err)
    r = kctl("get", "widgets.v1beta1.example.com", "w1", "-o", "name")
    assert (r.code, r.out, r.err) == (0, "widget.example.com/w1\n", err)


WEBHOOK = """  conversion:
    strategy: Webhook
    webhook:
      conversionReviewVersions: [v1]
      clientConfig:
        service: {namespace: default, name: conv}
"""
CONVERTED = ("Warning: kctl calls no conversion webhook: Widget converted from example.com/{} to example.com/{} "
             "as with conversion strategy None (apiVersion only, fields unchanged)\n")


def test_webhook_conversion_runs_as_none_with_a_warning(kctl, write):
    assert kctl("apply", "-f", write("crd.yaml", crd(conversion=WEBHOOK))).code == 0
    # the storage version needs no conversion: no warning
    r = kctl("apply", "-f", write("w.yaml", widget("v1", spec="{size: large}")))
    assert (r.code, r.out, r.err) == (0, CREATED.format("w1"), "")
    r = kctl("apply", "-f", write("w2.yaml", widget("v2alpha1", "w2")))
    assert (r.code, r.out, r.err) == (0, CREATED.format("w2"), CONVERTED.format("v2alpha1", "v1"))
    r = kctl("get", "widgets.v2alpha1.example.com", "w1", "-o", "jsonpath={.apiVersion}")
    assert (r.code, r.out, r.err) == (0, "example.com/v2alpha1", CONVERTED.format("v1", "v2alpha1"))


@pytest.mark.parametrize("versions,asked,want", [
    ([{"name": "v1", "served": True}], "v1", []),
    ([{"name": "v1beta1", "served": True, "deprecated": True}, {"name": "v1", "served": True}], "v1beta1",
     ["example.com/v1beta1 Widget is deprecated; use example.com/v1 Widget"]),
    # the highest-priority served, non-deprecated version above it
    ([{"name": "v1alpha1", "served": True, "deprecated": True}, {"name": "v1beta2", "served": True},
      {"name": "v1", "served": False}, {"name": "v2", "served": True, "deprecated": True}], "v1alpha1",
     ["example.com/v1alpha1 Widget is deprecated; use example.com/v1beta2 Widget"]),
    # nothing better: the bare text
    ([{"name": "v1", "served": True, "deprecated": True}, {"name": "v1beta1", "served": True}], "v1",
     ["example.com/v1 Widget is deprecated"]),
    ([{"name": "v1", "served": True, "deprecated": True, "deprecationWarning": "no"}], "v1", ["no"]),
])
def test_version_warnings(versions, asked, want):
    from kctl.api.crd import admit

    crd_obj = {"spec": {"group": "example.com", "names": {"kind": "Widget"}, "versions": versions}}
    assert admit.version_warnings(crd_obj, asked) == want


# ---------------------------------------------------------------- names conflicts
NAMED = """apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: {plural}.{group}
spec:
  group: {group}
  scope: Namespaced
  names: {names}
  versions:
  - name: v1
    served: true
    storage: true
    schema: {{openAPIV3Schema: {{type: object, x-kubernetes-preserve-unknown-fields: true}}}}
"""
FIRST = NAMED.format(plural="widgets", group="example.com", names="{kind: Widget, plural: widgets, shortNames: [wd]}")


def named(names: str, plural: str, group: str = "example.com") -> str:
    return NAMED.format(plural=plural, group=group, names=names)


NOT_ESTABLISHED = ["False", "NotAccepted", "not all names are accepted"]


@pytest.mark.parametrize("second,accepted,names_cond", [
    # same kind (and so list kind): the last conflict found is the one reported
    (named("{kind: Widget, plural: gadgets, singular: gadget}", "gadgets"),
     {"plural": "gadgets", "singular": "gadget", "kind": ""},
     ["False", "ListKindConflict", '"WidgetList" is already in use']),
    (named("{kind: Gadget, plural: gadgets, singular: gadget, listKind: WidgetList}", "gadgets"),
     {"plural": "gadgets", "singular": "gadget", "kind": "Gadget"},
     ["False", "ListKindConflict", '"WidgetList" is already in use']),
    (named("{kind: Gadget, plural: gadgets, singular: widget}", "gadgets"),
     {"plural": "gadgets", "kind": "Gadget", "listKind": "GadgetList"},
     ["False", "SingularConflict", '"widget" is already in use']),
    (named("{kind: Gadget, plural: gadgets, shortNames: [wd]}", "gadgets"),
     {"plural": "gadgets", "singular": "gadget", "kind": "Gadget", "listKind": "GadgetList"},
     ["False", "ShortNamesConflict", '"wd" is already in use']),
    (named("{kind: Gadget, plural: gadgets, shortNames: [wd, widgets, gd]}", "gadgets"),
     {"plural": "gadgets", "singular": "gadget", "kind": "Gadget", "listKind": "GadgetList"},
     ["False", "ShortNamesConflict", '["wd" is already in use, "widgets" is already in use]']),
    # the other CRD's short name as this one's plural
    (named("{kind: Gadget, plural: wd}", "wd"),
     {"plural": "", "singular": "gadget", "kind": "Gadget", "listKind": "GadgetList"},
     ["False", "PluralConflict", '"wd" is already in use']),
    # another group: no conflict
    (named("{kind: Widget, plural: widgets, shortNames: [wd]}", "widgets", "other.io"),
     {"plural": "widgets", "singular": "widget", "kind": "Widget", "listKind": "WidgetList", "shortNames": ["wd"]},
     ["True", "NoConflicts", "no conflicts found"]),
])
def test_names_conflicts(kctl, write, second, accepted, names_cond):
    assert kctl("apply", "-f", write("a.yaml", FIRST)).code == 0
    r = kctl("apply", "-f", write("b.yaml", second))
    name = second.split("name: ", 1)[1].split("\n", 1)[0]
    assert (r.code, r.out, r.err) == (
        0, f"customresourcedefinition.apiextensions.k8s.io/{name} created\n", "")
    status = json.loads(kctl("get", "crd", name, "-o", "json").out)["status"]
    conds = {c["type"]: [c["status"], c["reason"], c["message"]] for c in status["conditions"]}
    want_established = (["True", "InitialNamesAccepted", "the initial names have been accepted"]
                        if names_cond[0] == "True" else NOT_ESTABLISHED)
    assert (status["acceptedNames"], conds) == (accepted, {"NamesAccepted": names_cond,
                                                          "Established": want_established})


def test_a_crd_whose_names_were_not_accepted_is_not_served(kctl, write):
    assert kctl("apply", "-f", write("a.yaml", FIRST)).code == 0
    thing = named("{kind: Thing, plural: things, shortNames: [wd]}", "things")
    cr = "apiVersion: example.com/v1\nkind: Thing\nmetadata: {name: t}\n"
    path = write("b.yaml", thing + "---\n" + cr)
    # in one batch (all or nothing): the CRD would be written, its custom resource not served
    r = kctl("apply", "-f", path)
    assert (r.code, r.out, r.err) == (1, "", (
        f'{path}:15: error: resource mapping not found for name: "t" namespace: "default" from "{path}": '
        'no matches for kind "Thing" in version "example.com/v1"\nensure CRDs are installed first\n'
        "error: no objects were changed\n"))
    r = kctl("apply", "-f", write("b.yaml", thing))
    assert (r.code, r.out) == (0, "customresourcedefinition.apiextensions.k8s.io/things.example.com created\n")
    path = write("t.yaml", cr)
    r = kctl("apply", "-f", path)
    assert (r.code, r.out, r.err) == (1, "", (
        f'{path}:1: error: resource mapping not found for name: "t" namespace: "" from "{path}": '
        'no matches for kind "Thing" in version "example.com/v1"\nensure CRDs are installed first\n'
        "error: no objects were changed\n"))
    # `wd` still names the first CRD's kind only
    r = kctl("get", "wd")
    assert (r.code, r.err) == (0, "No resources found in default namespace.\n")
    r = kctl("api-resources", "--api-group", "example.com", "--no-headers")
    assert r.out.split() == ["widgets", "wd", "example.com/v1", "true", "Widget"]


def test_an_established_crd_keeps_its_names_on_a_conflicting_update(kctl, write):
    assert kctl("apply", "-f", write("a.yaml", FIRST)).code == 0
    gadgets = named("{kind: Gadget, plural: gadgets}", "gadgets")
    assert kctl("apply", "-f", write("b.yaml", gadgets)).code == 0
    r = kctl("apply", "-f", write("b.yaml", gadgets.replace("plural: gadgets}", "plural: gadgets, shortNames: [wd]}")))
    assert r.code == 0
    status = json.loads(kctl("get", "crd", "gadgets.example.com", "-o", "json").out)["status"]
    conds = {c["type"]: [c["status"], c["reason"]] for c in status["conditions"]}
    assert (status["acceptedNames"].get("shortNames"), conds) == (
        None, {"NamesAccepted": ["False", "ShortNamesConflict"], "Established": ["True", "InitialNamesAccepted"]})
    # still served, under its accepted names: `wd` is the first CRD's
    r = kctl("api-resources", "--api-group", "example.com", "--no-headers")
    assert [line.split() for line in r.out.splitlines()] == [
        ["gadgets", "example.com/v1", "true", "Gadget"], ["widgets", "wd", "example.com/v1", "true", "Widget"]]


def test_diff_of_an_unchanged_object_sent_in_another_version_is_empty(kctl, widgets, write):
    assert widgets(widget("v1beta1", spec="{size: large}")).code == 0
    r = kctl("diff", "-f", write("w.yaml", widget("v1beta1", spec="{size: large}")))
    assert (r.code, r.out, r.err) == (0, "", DEPRECATED)
    r = kctl("diff", "-f", write("w.yaml", widget("v1beta1", spec="{size: small}")))
    assert (r.code, r.out.splitlines()[-2:]) == (1, ["-  size: large", "+  size: small"])


# ---------------------------------------------------------------- patch and describe in a version
INVALID_HUGE = 'The Widget "w1" is invalid: spec.size: Unsupported value: "huge": supported values: "small", "large"\n'


@pytest.mark.parametrize("resource,patch,code,out,err,stored", [
    # v1beta1's `size` is free text: valid there, though v1 (where it is stored) has an enum
    ("widgets.v1beta1.example.com", '{"spec":{"size":"huge"}}', 0, "example.com/v1beta1 huge", DEPRECATED,
     {"replicas": 1, "size": "huge"}),
    ("widgets.v1.example.com", '{"spec":{"size":"huge"}}', 1, "", INVALID_HUGE, {"replicas": 1, "size": "large"}),
    ("widget", '{"spec":{"size":"huge"}}', 1, "", INVALID_HUGE, {"replicas": 1, "size": "large"}),
    # defaulted in the version requested: v1beta1 defaults `size`, v1 does not
    ("widgets.v1beta1.example.com", '{"spec":{"size":null}}', 0, "example.com/v1beta1 small", DEPRECATED,
     {"replicas": 1, "size": "small"}),
    ("widget", '{"spec":{"size":null}}', 0, "example.com/v1 ", "", {"replicas": 1}),
    # `old` exists in v1beta1 only: accepted there, pruned on the way to storage
    ("widgets.v1beta1.example.com", '{"spec":{"old":4}}', 0, "example.com/v1beta1 large", DEPRECATED,
     {"replicas": 1, "size": "large"}),
])
def test_patch_in_the_version_requested(kctl, widgets, resource, patch, code, out, err, stored):
    assert widgets(widget("v1", spec="{size: large}")).code == 0
    r = kctl("patch", resource, "w1", "--type", "merge", "-p", patch, "-o", "jsonpath={.apiVersion} {.spec.size}")
    assert (r.code, r.out, r.err) == (code, out, err)
    assert spec_of(kctl, "widget", "w1")[:2] == ("example.com/v1", stored)


def test_patch_in_a_version_without_change(kctl, widgets):
    assert widgets(widget("v1", spec="{size: large}")).code == 0
    args = ("patch", "widgets.v1beta1.example.com", "w1", "--type", "json", "-p",
            '[{"op": "replace", "path": "/spec/size", "value": "small"}]')
    assert kctl(*args).out == "widget.example.com/w1 patched\n"
    r = kctl(*args)
    assert (r.code, r.out, r.err) == (0, "widget.example.com/w1 patched (no change)\n", DEPRECATED)


@pytest.mark.parametrize("resource,api_version,err", [
    ("widget", "example.com/v1", ""),  # the preferred version, not the storage one (v2alpha1)
    ("widgets.v1beta1.example.com", "example.com/v1beta1", DEPRECATED),
    ("widgets.v2alpha1.example.com", "example.com/v2alpha1", ""),
])
def test_describe_shows_the_version_read(kctl, write, resource, api_version, err):
    assert kctl("apply", "-f", write("crd.yaml", crd(storage="v2alpha1"))).code == 0
    assert kctl("apply", "-f", write("w.yaml", widget("v1", spec="{size: large}"))).code == 0
    assert json.loads(kctl("get", "crd", "widgets.example.com", "-o", "json").out)["spec"]["versions"][2]["storage"]
    r = kctl("describe", resource, "w1")
    lines = r.out.splitlines()
    assert (r.code, lines[4], r.err) == (0, f"API Version:  {api_version}", err)


THING = named("{kind: Thing, plural: things, shortNames: [wd]}", "things")
ACCEPTED = {"NamesAccepted": ["True", "NoConflicts", "no conflicts found"],
            "Established": ["True", "InitialNamesAccepted", "the initial names have been accepted"]}


def names_status(kctl, name: str) -> tuple[list, dict]:
    status = json.loads(kctl("get", "crd", name, "-o", "json").out)["status"]
    conds = {c["type"]: [c["status"], c["reason"], c["message"]] for c in status["conditions"]}
    return status["acceptedNames"].get("shortNames"), conds


@pytest.mark.parametrize("with_instance", [False, True])
def test_a_crd_that_lost_a_names_clash_is_served_once_the_holder_is_deleted(kctl, write, with_instance):
    assert kctl("apply", "-f", write("a.yaml", FIRST)).code == 0
    if with_instance:  # deleted through the cleanup finalizer: names held until the CRD is gone
        assert kctl("apply", "-f", write("w.yaml", "apiVersion: example.com/v1\nkind: Widget\n"
                                                   "metadata: {name: w}\n")).code == 0
    assert kctl("apply", "-f", write("b.yaml", THING)).code == 0
    assert names_status(kctl, "things.example.com") == (None, {
        "NamesAccepted": ["False", "ShortNamesConflict", '"wd" is already in use'],
        "Established": NOT_ESTABLISHED})
    r = kctl("delete", "crd", "widgets.example.com")
    assert (r.code, r.out) == (0, 'customresourcedefinition.apiextensions.k8s.io "widgets.example.com" deleted\n')
    # the naming controller re-checked the group: `wd` is free, things takes it and is served
    assert names_status(kctl, "things.example.com") == (["wd"], ACCEPTED)
    r = kctl("api-resources", "--api-group", "example.com", "--no-headers")
    assert r.out.split() == ["things", "wd", "example.com/v1", "true", "Thing"]
    r = kctl("apply", "-f", write("t.yaml", "apiVersion: example.com/v1\nkind: Thing\nmetadata: {name: t}\n"))
    assert (r.code, r.out, r.err) == (0, "thing.example.com/t created\n", "")
    r = kctl("get", "wd")
    assert (r.code, r.out.split()) == (0, ["NAME", "AGE", "t", "0s"])


def test_a_name_released_by_an_update_goes_to_the_crd_that_asked_for_it(kctl, write):
    assert kctl("apply", "-f", write("a.yaml", FIRST)).code == 0
    assert kctl("apply", "-f", write("b.yaml", THING)).code == 0
    assert names_status(kctl, "things.example.com")[1]["NamesAccepted"][0] == "False"
    assert kctl("apply", "-f", write("a.yaml", FIRST.replace(", shortNames: [wd]", ""))).code == 0
    assert names_status(kctl, "things.example.com") == (["wd"], ACCEPTED)
    r = kctl("api-resources", "--api-group", "example.com", "--no-headers")
    assert [line.split() for line in r.out.splitlines()] == [
        ["things", "wd", "example.com/v1", "true", "Thing"], ["widgets", "example.com/v1", "true", "Widget"]]
