"""`kctl validate --kubernetes-version 1.35|1.36|1.37`: the chosen minor's schema files decide
which group/version/kinds and fields exist and their Go types; defaulting and semantic
validation stay 1.37's. The manifests below use real differences between the three folders
of schemas/ (see tests/api/test_schema_files.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kctl.engine import ApplyOptions

AVAILABLE = "available versions: 1.35, 1.36, 1.37"

SERVICE = """apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports: [{port: 80}]
"""

CONFIGMAP = """apiVersion: v1
kind: ConfigMap
metadata:
  name: c
data: {a: b}
"""

# PodSpec.schedulingGroup: new in 1.36 (it replaced 1.35's workloadRef)
SCHEDULING_GROUP = """apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  schedulingGroup:
    podGroupName: g
  containers:
  - name: c
    image: nginx
"""
# PodSpec.workloadRef: 1.35 only
WORKLOAD_REF = """apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  workloadRef:
    name: w
    podGroup: g
  containers:
  - name: c
    image: nginx
"""
# VolumeMount.bindMountOptions: new in 1.37
BIND_MOUNT = """apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
  - name: c
    image: nginx
    volumeMounts:
    - name: v
      mountPath: /v
      bindMountOptions: [nosuid]
  volumes:
  - name: v
    emptyDir: {}
"""
# admissionregistration.k8s.io/v1 MutatingAdmissionPolicyBinding: GA in 1.36
MAP_BINDING = """apiVersion: admissionregistration.k8s.io/v1
kind: MutatingAdmissionPolicyBinding
metadata:
  name: b
spec:
  policyName: p
"""
# certificates.k8s.io/v1 ClusterTrustBundle: GA in 1.37 (v1alpha1 before)
TRUST_BUNDLE = """apiVersion: certificates.k8s.io/v1
kind: ClusterTrustBundle
metadata:
  name: bundle
spec:
  trustBundle: |
    -----BEGIN CERTIFICATE-----
    MIIB
    -----END CERTIFICATE-----
"""
# roleRef.apiGroup is marked required in 1.35's schema only; it is defaulted in every version
ROLE_BINDING = """apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: rb
roleRef:
  kind: Role
  name: r
subjects:
- kind: ServiceAccount
  name: default
"""
# a type error: its message names the Go type from that minor's _gotypes.json
BAD_PROTOCOL = """apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
  - name: c
    image: nginx
    ports: [{containerPort: 80, protocol: 6}]
"""


def _bad_request(path: str, line: int, kind: str, err: str) -> str:
    return (f'{path}:{line}: Error from server (BadRequest): error when creating "{path}": '
            f'{kind} in version "v1" cannot be handled as a {kind}: {err}\n')


def _no_matches(path: str, name: str, kind: str, api_version: str) -> str:
    return (f'{path}:1: error: resource mapping not found for name: "{name}" namespace: "" from "{path}": '
            f'no matches for kind "{kind}" in version "{api_version}"\nensure CRDs are installed first\n')


def _unknown(field: str, line: int):
    return lambda p: _bad_request(p, line, "Pod", f'strict decoding error: unknown field "{field}"')


def _ok(_p):
    return ""


CASES = [
    # (manifest, version, exit code, expected stdout given the file's path)
    (SCHEDULING_GROUP, "1.35", 1, _unknown("spec.schedulingGroup", 6)),
    (SCHEDULING_GROUP, "1.36", 0, _ok),
    (SCHEDULING_GROUP, "1.37", 0, _ok),
    (WORKLOAD_REF, "1.35", 0, _ok),
    (WORKLOAD_REF, "1.36", 1, _unknown("spec.workloadRef", 6)),
    (WORKLOAD_REF, "1.37", 1, _unknown("spec.workloadRef", 6)),
    (BIND_MOUNT, "1.35", 1, _unknown("spec.containers[0].volumeMounts[0].bindMountOptions", 12)),
    (BIND_MOUNT, "1.36", 1, _unknown("spec.containers[0].volumeMounts[0].bindMountOptions", 12)),
    (BIND_MOUNT, "1.37", 0, _ok),
    (MAP_BINDING, "1.35", 1,
     lambda p: _no_matches(p, "b", "MutatingAdmissionPolicyBinding", "admissionregistration.k8s.io/v1")),
    (MAP_BINDING, "1.36", 0, _ok),
    (MAP_BINDING, "1.37", 0, _ok),
    (TRUST_BUNDLE, "1.35", 1, lambda p: _no_matches(p, "bundle", "ClusterTrustBundle", "certificates.k8s.io/v1")),
    (TRUST_BUNDLE, "1.36", 1, lambda p: _no_matches(p, "bundle", "ClusterTrustBundle", "certificates.k8s.io/v1")),
    (TRUST_BUNDLE, "1.37", 0, _ok),
    (ROLE_BINDING, "1.35", 0, _ok),
    (ROLE_BINDING, "1.37", 0, _ok),
    (BAD_PROTOCOL, "1.35", 1, lambda p: _bad_request(
        p, 9, "Pod", "json: cannot unmarshal number into Go struct field "
                     "ContainerPort.spec.containers.ports.protocol of type v1.Protocol")),
]
CASE_IDS = ["scheduling-group", "scheduling-group", "scheduling-group", "workload-ref", "workload-ref",
            "workload-ref", "bind-mount", "bind-mount", "bind-mount", "map-binding", "map-binding",
            "map-binding", "trust-bundle", "trust-bundle", "trust-bundle", "role-binding", "role-binding",
            "bad-protocol"]


@pytest.mark.parametrize("text,version,code,out", CASES,
                         ids=[f"{i}@{c[1]}" for i, c in zip(CASE_IDS, CASES)])
def test_version_decides_kinds_and_fields(kctl, write, text, version, code, out):
    path = write("m.yaml", text)
    r = kctl("validate", "-f", path, "--kubernetes-version", version)
    assert (r.code, r.out, r.err) == (code, out(path), "")


def test_default_version_is_137(kctl, write):
    path = write("m.yaml", BIND_MOUNT)
    assert kctl("validate", "-f", path).code == 0
    assert ApplyOptions().k8s_version == "1.37"


@pytest.mark.parametrize("value", ["1.35", "v1.35", "1.36.2", "v1.36.0", "1.37"])
def test_version_spellings_accepted(kctl, write, value):
    path = write("m.yaml", WORKLOAD_REF)
    r = kctl("validate", "-f", path, "--kubernetes-version", value)
    # only 1.35 has workloadRef: the spelling chose the right folder
    assert r.code == (0 if value.lstrip("v").startswith("1.35") else 1), r.out


@pytest.mark.parametrize("value", ["1.34", "1.38", "v1.34.1", "1", "1.36.x", "latest", "v", "1.36.2.1"])
def test_unknown_version_is_a_usage_error(kctl, write, value):
    path = write("m.yaml", SERVICE)
    r = kctl("validate", "-f", path, "--kubernetes-version", value)
    assert (r.code, r.out, r.err) == (2, "", f'error: Kubernetes version "{value}" is not available; {AVAILABLE}\n')


def test_ignore_missing_schemas_skips_kinds_the_version_lacks(kctl, write):
    path = write("m.yaml", MAP_BINDING + "---\n" + CONFIGMAP)
    r = kctl("validate", "-f", path, "--kubernetes-version", "1.35", "--ignore-missing-schemas", "--summary")
    assert (r.code, r.out, r.err) == (
        0, "2 documents: 1 valid, 0 invalid, 1 skipped; 0 errors, 0 warnings\n", "")
    # 1.36 has the kind: it is validated, not skipped
    r = kctl("validate", "-f", path, "--kubernetes-version", "1.36", "--ignore-missing-schemas", "--summary")
    assert (r.code, r.out) == (0, "2 documents: 2 valid, 0 invalid, 0 skipped; 0 errors, 0 warnings\n")


def test_missing_kind_is_reported_as_unknown_kind_in_json(kctl, write):
    path = write("m.yaml", TRUST_BUNDLE)
    r = kctl("validate", "-f", path, "--kubernetes-version", "1.36", "-o", "json")
    assert r.code == 1
    assert json.loads(r.out)["findings"] == [{
        "file": path, "line": 1, "column": 1, "field": "", "rule": "unknown-kind", "severity": "error",
        "object": "ClusterTrustBundle/bundle",
        "message": _no_matches(path, "bundle", "ClusterTrustBundle", "certificates.k8s.io/v1")[len(f"{path}:1: "):-1]}]


def test_flag_belongs_to_validate_only(kctl, write):
    path = write("m.yaml", SERVICE)
    r = kctl("apply", "-f", path, "--kubernetes-version", "1.35")
    assert (r.code, r.err) == (1, "error: unknown flag: --kubernetes-version\nSee 'kctl apply --help' for usage.\n")


def test_help_says_what_the_version_decides(kctl):
    r = kctl("validate", "--help")
    text = " ".join(r.out.split())
    assert "Kubernetes version (1.35, 1.36 or 1.37;" in text
    assert "Defaulting and semantic validation are 1.37's whatever the version." in text


# the engine's check, without the CLI: kinds 1.37 has no schema for are not judged
REQUIRE_CASES = [
    ({"apiVersion": "admissionregistration.k8s.io/v1", "kind": "MutatingAdmissionPolicy",
      "metadata": {"name": "m"}}, "1.35", True),
    ({"apiVersion": "admissionregistration.k8s.io/v1", "kind": "MutatingAdmissionPolicy",
      "metadata": {"name": "m"}}, "1.36", False),
    ({"apiVersion": "kctl.io/v1alpha1", "kind": "NodeInventory", "metadata": {"name": "n"}}, "1.35", False),
    ({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "namespace": "x"}}, "1.35", False),
]


@pytest.mark.parametrize("obj,version,raises", REQUIRE_CASES, ids=["map@1.35", "map@1.36", "inventory", "configmap"])
def test_require_in_version(obj, version, raises):
    from kctl.api import kinds
    from kctl.engine import require_in_version
    from kctl.errors import KctlError

    kind = kinds.for_object(obj["apiVersion"], obj["kind"])
    if not raises:
        assert require_in_version(kind, obj, "f.yaml", "f.yaml:1", version) is None
        return
    with pytest.raises(KctlError) as e:
        require_in_version(kind, obj, "f.yaml", "f.yaml:1", version)
    assert (e.value.message, e.value.source) == (
        'resource mapping not found for name: "m" namespace: "" from "f.yaml": no matches for kind '
        '"MutatingAdmissionPolicy" in version "admissionregistration.k8s.io/v1"\nensure CRDs are installed first',
        "f.yaml:1")



REAL = Path(__file__).resolve().parent.parent / "e2e" / "real"
REAL_PROJECTS = sorted(p.name for p in REAL.iterdir() if p.is_dir() and p.name not in {"crd-kinds", "followups"})


@pytest.mark.parametrize("project", REAL_PROJECTS)
def test_real_projects_validate_the_same_in_every_version(kctl, project):
    """The real-world manifests of tests/e2e/real use nothing 1.35 lacks: every minor gives
    1.37's report (no spurious errors from an older schema's `required` markers either)."""
    args = ["validate", "-f", str(REAL / project), "-R", "--summary", "--assume-namespace", "ui,other"]
    want = kctl(*args)
    assert want.code == 0 and " 0 invalid, 0 skipped; 0 errors" in want.out.splitlines()[-1], want.out
    for version in ("1.35", "1.36"):
        assert kctl(*args, "--kubernetes-version", version) == want, version


# ---------------------------------------------------------------- versions 1.37 no longer serves
# storage.k8s.io/v1beta1 VolumeAttributesClass: served up to 1.36 (v1 since 1.34)
VAC_BETA = """apiVersion: storage.k8s.io/v1beta1
kind: VolumeAttributesClass
metadata:
  name: gold
driverName: csi.example.com
parameters: {iops: "300"}
"""
VAC_BETA_UNKNOWN = VAC_BETA + "bogus: 1\n"
VAC_BETA_BAD_NAME = VAC_BETA.replace("name: gold", "name: Gold_")
# networking.k8s.io/v1beta1 ServiceCIDR and IPAddress: served up to 1.36
SERVICE_CIDR_BETA = """apiVersion: networking.k8s.io/v1beta1
kind: ServiceCIDR
metadata:
  name: extra
spec:
  cidrs: [10.96.0.0/24]
"""
# certificates.k8s.io/v1alpha1 ClusterTrustBundle: served up to 1.36 (v1 in 1.37)
TRUST_BUNDLE_ALPHA = TRUST_BUNDLE.replace("certificates.k8s.io/v1", "certificates.k8s.io/v1alpha1")
# scheduling.k8s.io/v1alpha1 Workload: 1.35 only (v1alpha2 in 1.36)
WORKLOAD_ALPHA = """apiVersion: scheduling.k8s.io/v1alpha1
kind: Workload
metadata:
  name: w
spec:
  podGroups:
  - name: g
    policy: {basic: {}}
"""

_VAC_NAME_ERR = (
    'The VolumeAttributesClass "Gold_" is invalid: metadata.name: Invalid value: "Gold_": a lowercase RFC 1123 '
    "subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an "
    "alphanumeric character (e.g. 'example.com', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')\n")


def _vac_unknown(p):
    return (f'{p}:7: Error from server (BadRequest): error when creating "{p}": VolumeAttributesClass in version '
            f'"v1beta1" cannot be handled as a VolumeAttributesClass: strict decoding error: unknown field "bogus"\n')


OLD_CASES = [
    ("vac-beta", VAC_BETA, "1.35", 0, _ok),
    ("vac-beta", VAC_BETA, "1.36", 0, _ok),
    ("vac-beta", VAC_BETA, "1.37", 1,
     lambda p: _no_matches(p, "gold", "VolumeAttributesClass", "storage.k8s.io/v1beta1")),
    # decoded against the old version's schema file
    ("vac-beta-unknown", VAC_BETA_UNKNOWN, "1.36", 1, _vac_unknown),
    # 1.37's semantic validation of the same group/kind
    ("vac-beta-name", VAC_BETA_BAD_NAME, "1.36", 1, lambda p: f"{p}:4: {_VAC_NAME_ERR}"),
    ("service-cidr-beta", SERVICE_CIDR_BETA, "1.35", 0, _ok),
    ("service-cidr-beta", SERVICE_CIDR_BETA, "1.36", 0, _ok),
    ("service-cidr-beta", SERVICE_CIDR_BETA, "1.37", 1,
     lambda p: _no_matches(p, "extra", "ServiceCIDR", "networking.k8s.io/v1beta1")),
    ("trust-bundle-alpha", TRUST_BUNDLE_ALPHA, "1.36", 0, _ok),
    ("trust-bundle-alpha", TRUST_BUNDLE_ALPHA, "1.37", 1,
     lambda p: _no_matches(p, "bundle", "ClusterTrustBundle", "certificates.k8s.io/v1alpha1")),
    ("workload-alpha1", WORKLOAD_ALPHA, "1.35", 0, _ok),
    ("workload-alpha1", WORKLOAD_ALPHA, "1.36", 1,
     lambda p: _no_matches(p, "w", "Workload", "scheduling.k8s.io/v1alpha1")),
]


@pytest.mark.parametrize("name,text,version,code,out", OLD_CASES, ids=[f"{c[0]}@{c[2]}" for c in OLD_CASES])
def test_versions_only_older_releases_serve(kctl, write, name, text, version, code, out):
    path = write("m.yaml", text)
    r = kctl("validate", "-f", path, "--kubernetes-version", version)
    assert (r.code, r.out, r.err) == (code, out(path), "")


def test_ignore_missing_schemas_validates_older_versions(kctl, write):
    path = write("m.yaml", VAC_BETA_BAD_NAME + "---\n" + CONFIGMAP)
    r = kctl("validate", "-f", path, "--kubernetes-version", "1.36", "--ignore-missing-schemas", "--summary")
    assert (r.code, r.out.splitlines()[-1]) == (1, "2 documents: 1 valid, 1 invalid, 0 skipped; 1 error, 0 warnings")
    r = kctl("validate", "-f", path, "--ignore-missing-schemas", "--summary")
    assert (r.code, r.out) == (0, "2 documents: 1 valid, 0 invalid, 1 skipped; 0 errors, 0 warnings\n")


@pytest.mark.parametrize("api_version,kind,k8s,versions", [
    ("storage.k8s.io/v1beta1", "VolumeAttributesClass", "1.36", ("v1", "v1beta1")),
    ("storage.k8s.io/v1beta1", "VolumeAttributesClass", "1.37", None),
    ("storage.k8s.io/v1alpha1", "VolumeAttributesClass", "1.36", None),
    ("scheduling.k8s.io/v1alpha2", "Workload", "1.36", ("v1beta1", "v1alpha3", "v1alpha2")),
    ("scheduling.k8s.io/v1alpha2", "Workload", "1.35", None),
    ("scheduling.k8s.io/v1beta1", "Workload", "1.36", ("v1beta1", "v1alpha3")),  # the static entry
    ("v1", "ConfigMap", "1.35", ("v1",)),
    ("v1", "NoSuchKind", "1.35", None),
])
def test_for_object_in(api_version, kind, k8s, versions):
    from kctl.api import kinds

    k = kinds.for_object_in(api_version, kind, k8s)
    static = kinds.for_object(api_version, kind)
    if versions is None:
        assert k is static
        return
    assert (k.versions, k.version, k.plural, k.namespaced) == (
        versions, kinds.by_group_kind(k.group, kind).version,
        kinds.by_group_kind(k.group, kind).plural, kinds.by_group_kind(k.group, kind).namespaced)


@pytest.mark.parametrize("version", ["1.35", "1.36"])
def test_older_folders_have_no_kind_137_lacks(version):
    """Why for_object_in needs no table of removed kinds: every top-level kind of an older
    folder (List and subresource-only kinds aside, which no release serves as a resource) is
    a 1.37 kind, and every one of its versions resolves."""
    from kctl.api import kinds, schema

    not_resources = {"Status", "Scale", "Eviction", "TokenRequest"}
    for group, ver, kind in schema.available(version):
        if kind.endswith("List") or kind in not_resources:
            continue
        assert kinds.for_object_in(f"{group}/{ver}" if group else ver, kind, version) is not None, (group, ver, kind)
