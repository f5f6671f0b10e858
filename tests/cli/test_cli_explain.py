"""`kctl explain`: kubectl 1.37's plaintext layout from kctl's offline schemas, errors, exit codes."""

from __future__ import annotations

import pytest

REPLICAS = (
    "GROUP:      apps\nKIND:       Deployment\nVERSION:    v1\n\n"
    "FIELD: replicas <integer>\n\n\n"
    "DESCRIPTION:\n"
    "    Number of desired pods. This is a pointer to distinguish between explicit\n"
    "    zero and not specified. Defaults to 1.\n"
    "    \n\n")

PORTS_RECURSIVE = (
    "KIND:       Pod\nVERSION:    v1\n\n"
    "FIELD: ports <[]ContainerPort>\n\n\n"
    "DESCRIPTION:\n"
    "    List of ports to expose from the container. Not specifying a port here DOES\n"
    "    NOT prevent that port from being exposed. Any port which is listening on the\n"
    "    default \"0.0.0.0\" address inside a container will be accessible from the\n"
    "    network. Modifying this array with strategic merge patch may corrupt the\n"
    "    data. For more information See\n"
    "    https://github.com/kubernetes/kubernetes/issues/108255. Cannot be updated.\n"
    "    ContainerPort represents a network port in a single container.\n"
    "    \n"
    "FIELDS:\n"
    "  containerPort\t<integer> -required-\n"
    "  hostIP\t<string>\n"
    "  hostPort\t<integer>\n"
    "  name\t<string>\n"
    "  protocol\t<string>\n\n")


@pytest.mark.parametrize("args,out", [
    (["explain", "deploy.spec.replicas"], REPLICAS),
    (["explain", "deployments.apps.spec.replicas"], REPLICAS),
    (["explain", "deployment.spec.replicas", "--api-version=apps/v1"], REPLICAS),
    (["explain", "pod.spec.containers.ports", "--recursive"], PORTS_RECURSIVE),
    (["explain", "po.spec.containers.ports", "-R"], PORTS_RECURSIVE),
], ids=["short-name", "qualified", "api-version", "recursive", "recursive-short"])
def test_explain_exact(kctl, args, out):
    r = kctl(*args)
    assert (r.code, r.out, r.err) == (0, out, "")


def test_explain_kind_lists_fields_with_descriptions(kctl):
    r = kctl("explain", "namespace")
    assert r.code == 0
    assert r.out.startswith(
        "KIND:       Namespace\nVERSION:    v1\n\n"
        "DESCRIPTION:\n"
        "    Namespace provides a scope for Names. Use of multiple namespaces is\n"
        "    optional.\n"
        "    \n"
        "FIELDS:\n"
        "  apiVersion\t<string>\n")
    assert "  metadata\t<ObjectMeta>\n    Standard object's metadata. More info:\n" in r.out
    assert r.out.endswith(
        "  status\t<NamespaceStatus>\n"
        "    Status describes the current status of a Namespace. More info:\n"
        "    https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status\n"
        "\n\n")


def test_explain_types_and_required_marks(kctl):
    out = kctl("explain", "deployment.spec").out
    assert "FIELD: spec <DeploymentSpec>\n\n\nDESCRIPTION:\n    Specification of the desired behavior of the Deployment.\n" \
           "    DeploymentSpec is the specification of the desired behavior of the\n    Deployment.\n" in out
    assert "  selector\t<LabelSelector> -required-\n" in out
    assert "  template\t<PodTemplateSpec> -required-\n" in out
    res = kctl("explain", "pod.spec.containers.resources").out
    assert "  limits\t<map[string]Quantity>\n" in res
    assert "  claims\t<[]ResourceClaim>\n" in res


def test_explain_recursive_max_depth(kctl):
    out = kctl("explain", "deploy.spec.strategy", "--recursive", "--max-depth=1").out
    assert out.split("FIELDS:\n")[1] == "  rollingUpdate\t<RollingUpdateDeployment>\n  type\t<string>\n\n"


@pytest.mark.parametrize("args,err", [
    (["explain", "deploy.spec.foo"], 'error: field "foo" does not exist\n'),
    (["explain", "pod.metadata.labels.x"], 'error: field "x" does not exist\n'),
    (["explain", "nope"], 'error: the server doesn\'t have a resource type "nope"\n'),
    (["explain", "nope.spec"], 'error: the server doesn\'t have a resource type "nope"\n'),
    (["explain", "deploy", "--api-version=apps/v2"],
     'error: couldn\'t find resource for "apps/v2, Resource=deployments"\n'),
    (["explain", "nodeinventory"],  # kctl's own kind has no openapi schema file
     'error: couldn\'t find resource for "kctl.io/v1alpha1, Resource=nodeinventories"\n'),
    (["explain", "pods", "--max-depth=1"], "error: --max-depth requires --recursive\n"),
    (["explain", "pods", "-R", "--max-depth=-1"], "error: --max-depth must be non-negative\n"),
    (["explain", "pods", "svc"], "error: We accept only this format: explain RESOURCE\n\n"),
    (["explain"], 'error: You must specify the type of resource to explain. Use "kctl api-resources" for a '
                  "complete list of supported resources.\n\n"),
    (["explain", "pods", "-o", "plaintext-openapiv2"], "error: unrecognized format: plaintext-openapiv2\n"),
], ids=["missing-field", "map-value", "unknown-type", "unknown-type-with-path", "bad-api-version",
        "no-schema", "max-depth-alone", "negative-depth", "two-args", "no-args", "v2-format"])
def test_explain_errors(kctl, args, err):
    r = kctl(*args)
    assert (r.code, r.out, r.err) == (1, "", err)
