"""The generated schema files and how kctl.api.schema finds and reads them."""

from __future__ import annotations

import importlib.util
import json

import pytest

from kctl.api import schema

REPO_SCHEMAS = schema.schemas_dir()


def _load_generator():
    spec = importlib.util.spec_from_file_location("kctl_schemas_generate", REPO_SCHEMAS / "generate.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_schemas_dir_holds_the_version_folder():
    assert (schema.schemas_dir() / "v1.37").is_dir()


@pytest.mark.parametrize(
    "gvk,path",
    [
        (("apps", "v1", "Deployment"), "apps.v1.Deployment.json"),
        (("", "v1", "Pod"), "core.v1.Pod.json"),
        (("autoscaling", "v2", "HorizontalPodAutoscaler"), "autoscaling.v2.HorizontalPodAutoscaler.json"),
    ],
    ids=["deployment", "pod", "hpa-v2"],
)
def test_schema_path(gvk, path):
    assert schema.schema_path(*gvk).name == path


@pytest.mark.parametrize(
    "gvk",
    [("apps", "v1beta1", "Deployment"), ("", "v1", "Nope"), ("kctl.io", "v1alpha1", "NodeInventory")],
    ids=["old-version", "unknown-kind", "node-inventory"],
)
def test_missing_schema_is_none(gvk):
    assert schema.schema_path(*gvk) is None
    assert schema.load_schema(*gvk) is None


def test_loaded_schema_is_self_contained_and_keeps_annotations():
    s = schema.load_schema("apps", "v1", "Deployment")
    assert s["x-kubernetes-group-version-kind"] == [{"group": "apps", "kind": "Deployment", "version": "v1"}]
    refs = set()

    def walk(n):
        if isinstance(n, dict):
            if isinstance(n.get("$ref"), str):
                refs.add(n["$ref"])
            for v in n.values():
                walk(v)
        elif isinstance(n, list):
            for v in n:
                walk(v)

    walk(s)
    assert refs and all(r.startswith("#/$defs/") and r[len("#/$defs/"):] in s["$defs"] for r in refs)
    containers = s["$defs"]["io.k8s.api.core.v1.PodSpec"]["properties"]["containers"]
    assert containers["x-kubernetes-patch-merge-key"] == "name"
    assert containers["x-kubernetes-patch-strategy"] == "merge"
    assert "description" in containers
    # unrelated definitions are not carried along
    assert "io.k8s.api.batch.v1.JobSpec" not in s["$defs"]


def test_files_are_compact_json():
    text = (REPO_SCHEMAS / "v1.37" / "core.v1.ConfigMap.json").read_text()
    compact = json.dumps(json.loads(text), separators=(",", ":"), sort_keys=True, ensure_ascii=False) + "\n"
    assert text == compact


def test_generator_closure_and_names(tmp_path):
    gen = _load_generator()
    defs = {
        "a.v1.Top": {
            "x-kubernetes-group-version-kind": [{"group": "", "version": "v1", "kind": "Top"}],
            "properties": {"metadata": {"$ref": "/api/_definitions.json#/$defs/a.v1.Meta"}, "x": {"$ref": "#/$defs/a.v1.X"}},
        },
        "a.v1.Meta": {"type": "object"},
        "a.v1.X": {"properties": {"self": {"$ref": "#/$defs/a.v1.X"}}},
        "a.v1.Unused": {"type": "string"},
    }
    top, sub = gen.closure("a.v1.Top", defs)
    assert sorted(sub) == ["a.v1.Meta", "a.v1.X"]
    assert top["properties"]["metadata"]["$ref"] == "#/$defs/a.v1.Meta"
    assert gen.file_name("", "v1", "Top") == "core.v1.Top.json"
    assert gen.top_level_kinds(defs) == [("a.v1.Top", "", "v1", "Top")]
    src = tmp_path / "src"
    src.mkdir()
    (src / "_definitions.json").write_text(json.dumps({"$defs": defs}))
    out = tmp_path / "out"
    assert gen.generate(src, "9.99", out) == 1
    doc = json.loads((out / "core.v1.Top.json").read_text())
    assert set(doc["$defs"]) == {"a.v1.Meta", "a.v1.X"}


def test_every_file_is_valid_json_with_its_kind():
    for group, version, kind in schema.available():
        s = schema.load_schema(group, version, kind)
        gvks = s["x-kubernetes-group-version-kind"]
        assert {"group": group, "version": version, "kind": kind} in gvks


QUALIFY_CASES = [
    ("*int32", ("int32", False)),
    ("Protocol", ("v1.Protocol", True)),
    ("*metav1.Time", ("v1.Time", True)),
    ("[]byte", ("[]uint8", False)),
    ("[]Capability", ("[]v1.Capability", True)),
    ("map[string][]byte", ("map[string][]uint8", False)),
    ("map[ResourceName]resource.Quantity", ("map[v1.ResourceName]resource.Quantity", True)),
    ("types.UID", ("types.UID", True)),
]


@pytest.mark.parametrize("go,expected", QUALIFY_CASES, ids=[c[0] for c in QUALIFY_CASES])
def test_generator_go_type_strings(go, expected):
    gen = _load_generator()
    imports = {"metav1": "v1", "resource": "resource", "types": "types"}
    assert gen._qualify(go, "v1", imports) == expected


def test_generator_go_field_types(tmp_path):
    gen = _load_generator()
    pkg = tmp_path / "core" / "v1"
    pkg.mkdir(parents=True)
    (pkg / "types.go").write_text(
        'package v1\n\nimport (\n\tmetav1 "k8s.io/apimachinery/pkg/apis/meta/v1"\n)\n\n'
        "type Port struct {\n"
        '\tName string `json:"name,omitempty"`\n'
        '\tProtocol Protocol `json:"protocol,omitempty"`\n'
        '\tWhen *metav1.Time `json:"when,omitempty"`\n'
        "}\n"
    )
    defs = {"io.k8s.api.core.v1.Port": {"properties": {"name": {}, "protocol": {}, "when": {"$ref": "#/$defs/t"}}}}
    assert gen.go_field_types("io.k8s.api", tmp_path, defs) == {"io.k8s.api.core.v1.Port": {"protocol": "v1.Protocol"}}


# ---------------------------------------------------------------- one folder per Kubernetes minor
VERSIONS = ["1.35", "1.36", "1.37"]
# kind files (List kinds included) per folder, as generated from kubernetes-validate 1.37.0
KIND_FILES = {"1.35": 177, "1.36": 187, "1.37": 197}


def test_versions_lists_every_folder_oldest_first():
    assert schema.versions() == VERSIONS


@pytest.mark.parametrize("k8s", VERSIONS)
def test_version_folder_is_complete(k8s):
    folder = schema.schemas_dir() / f"v{k8s}"
    assert len(schema.available(k8s)) == KIND_FILES[k8s]
    gotypes = json.loads((folder / "_gotypes.json").read_text())
    # a named non-struct field type every release has
    assert gotypes["io.k8s.api.core.v1.ContainerPort"]["protocol"] == "v1.Protocol"


@pytest.mark.parametrize("k8s", VERSIONS)
def test_every_file_of_every_version_is_compact_and_names_its_kind(k8s):
    folder = schema.schemas_dir() / f"v{k8s}"
    for group, version, kind in schema.available(k8s):
        text = (folder / schema.file_name(group, version, kind)).read_text()
        s = json.loads(text)
        assert {"group": group, "version": version, "kind": kind} in s["x-kubernetes-group-version-kind"]
        assert s["$id"] == f"kctl:{k8s}/{schema.file_name(group, version, kind)}"
        assert text == json.dumps(s, separators=(",", ":"), sort_keys=True, ensure_ascii=False) + "\n"


def test_pyproject_ships_every_version_folder():
    import tomllib

    conf = tomllib.loads((REPO_SCHEMAS.parent / "pyproject.toml").read_text())
    data_files = conf["tool"]["setuptools"]["data-files"]
    for k8s in VERSIONS:
        assert data_files[f"share/kctl/schemas/v{k8s}"] == [f"schemas/v{k8s}/*.json"]


# (group, version, kind) -> the minors that have it; from diffing the three folders
GVK_CASES = [
    (("admissionregistration.k8s.io", "v1", "MutatingAdmissionPolicy"), {"1.36", "1.37"}),
    (("certificates.k8s.io", "v1", "ClusterTrustBundle"), {"1.37"}),
    (("certificates.k8s.io", "v1alpha1", "ClusterTrustBundle"), {"1.35", "1.36"}),
    (("storage.k8s.io", "v1beta1", "VolumeAttributesClass"), {"1.35", "1.36"}),
    (("scheduling.k8s.io", "v1alpha2", "Workload"), {"1.36"}),
    (("apps", "v1", "Deployment"), {"1.35", "1.36", "1.37"}),
]


@pytest.mark.parametrize("gvk,present", GVK_CASES, ids=["/".join(c[0]) for c in GVK_CASES])
def test_kinds_per_version(gvk, present):
    assert {k for k in VERSIONS if schema.schema_path(*gvk, k8s=k) is not None} == present


# a Kubernetes minor has a group/version/kind when its folder has the schema; kinds 1.37 has no
# schema for (kctl's NodeInventory, custom resources) are not judged
SERVED_CASES = [
    (("admissionregistration.k8s.io", "v1", "MutatingAdmissionPolicyBinding"), "1.35", False),
    (("admissionregistration.k8s.io", "v1", "MutatingAdmissionPolicyBinding"), "1.36", True),
    (("certificates.k8s.io", "v1", "ClusterTrustBundle"), "1.36", False),
    (("certificates.k8s.io", "v1", "ClusterTrustBundle"), "1.37", True),
    (("kctl.io", "v1alpha1", "NodeInventory"), "1.35", True),
    (("example.com", "v1", "Widget"), "1.35", True),
    (("", "v1", "Pod"), "1.35", True),
]


@pytest.mark.parametrize("gvk,k8s,want", SERVED_CASES,
                         ids=[f"{'/'.join(c[0])}@{c[1]}" for c in SERVED_CASES])
def test_served(gvk, k8s, want):
    assert schema.served(*gvk, k8s=k8s) is want


# fields added or removed between minors (PodSpec.workloadRef was replaced by schedulingGroup
# in 1.36; VolumeMount.bindMountOptions is new in 1.37)
FIELD_CASES = [
    ("io.k8s.api.core.v1.PodSpec", "workloadRef", {"1.35"}),
    ("io.k8s.api.core.v1.PodSpec", "schedulingGroup", {"1.36", "1.37"}),
    ("io.k8s.api.core.v1.VolumeMount", "bindMountOptions", {"1.37"}),
]


@pytest.mark.parametrize("definition,prop,present", FIELD_CASES, ids=[c[1] for c in FIELD_CASES])
def test_fields_per_version(definition, prop, present):
    have = {k for k in VERSIONS
            if prop in schema.load_schema("", "v1", "Pod", k)["$defs"][definition]["properties"]}
    assert have == present


def test_every_builtin_kind_has_a_137_schema():
    from kctl.api.resources import KINDS  # the static table: no CRD kinds registered by other tests

    missing = [f"{k.group}/{v}/{k.kind}" for k in KINDS for v in (k.versions or (k.version,))
               if schema.schema_path(k.group, v, k.kind) is None]
    assert missing == ["kctl.io/v1alpha1/NodeInventory"]
