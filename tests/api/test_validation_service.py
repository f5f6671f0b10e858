"""Service validation: exact upstream texts."""

from __future__ import annotations

import copy

import pytest

from kctl.api.defaults import apply_defaults
from kctl.api.kinds import Kind
from kctl.api.validation import validate_create, validate_update

SERVICE = Kind("", "v1", "Service", "services", "service", ("svc",))


def ingress_nginx_service() -> dict:
    """Shaped after the ingress-nginx chart's controller Service."""
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "ingress-nginx-controller", "namespace": "ingress-nginx",
                     "labels": {"app.kubernetes.io/name": "ingress-nginx"}},
        "spec": {
            "type": "LoadBalancer",
            "ipFamilyPolicy": "SingleStack",
            "ipFamilies": ["IPv4"],
            "ports": [
                {"name": "http", "port": 80, "protocol": "TCP", "targetPort": "http", "appProtocol": "http"},
                {"name": "https", "port": 443, "protocol": "TCP", "targetPort": "https", "appProtocol": "https"},
            ],
            "selector": {"app.kubernetes.io/name": "ingress-nginx", "app.kubernetes.io/component": "controller"},
        },
    }


def redis_headless() -> dict:
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "redis-headless", "namespace": "default"},
            "spec": {"type": "ClusterIP", "clusterIP": "None", "publishNotReadyAddresses": True,
                     "ports": [{"name": "tcp-redis", "port": 6379, "targetPort": "redis"}],
                     "selector": {"app.kubernetes.io/name": "redis"}}}


def simple(**spec) -> dict:
    base = {"selector": {"app": "web"}, "ports": [{"port": 80}]}
    base.update(spec)
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web", "namespace": "default"}, "spec": base}


def errs(obj):
    apply_defaults(SERVICE, obj)
    return [str(e) for e in validate_create(SERVICE, obj)]


@pytest.mark.parametrize("make", [ingress_nginx_service, redis_headless,
                                  lambda: simple(type="NodePort", ports=[{"port": 80, "nodePort": 30080}]),
                                  lambda: {"metadata": {"name": "db", "namespace": "default"},
                                           "spec": {"type": "ExternalName", "externalName": "db.example.com."}}],
                         ids=["lb-ingress-nginx", "headless-redis", "nodeport", "externalname-fqdn"])
def test_realistic_services_are_valid(make):
    assert errs(make()) == []


CASES = [
    ("no-ports", simple(ports=[]), ["spec.ports: Required value"]),
    ("type-unknown", simple(type="Internal"),
     ['spec.type: Unsupported value: "Internal": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"']),
    ("port-out-of-range", simple(ports=[{"port": 70000}]),
     # targetPort defaults to port, so upstream reports it too
     ["spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive",
      "spec.ports[0].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive"]),
    ("second-port-needs-name", simple(ports=[{"name": "http", "port": 80}, {"port": 443}]),
     ["spec.ports[1].name: Required value"]),
    ("both-unnamed", simple(ports=[{"port": 80}, {"port": 443}]),
     ["spec.ports[0].name: Required value", "spec.ports[1].name: Required value"]),
    ("duplicate-name", simple(ports=[{"name": "web", "port": 80}, {"name": "web", "port": 81}]),
     ['spec.ports[1].name: Duplicate value: "web"']),
    ("duplicate-port", simple(ports=[{"name": "a", "port": 443}, {"name": "b", "port": 443}]),
     ['spec.ports[1]: Duplicate value: core.ServicePort{Name:"", Protocol:"TCP", AppProtocol:(*string)(nil), Port:443, '
      'TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}']),
    ("same-port-other-protocol-ok", simple(ports=[{"name": "dns", "port": 53}, {"name": "dns-udp", "port": 53, "protocol": "UDP"}]), []),
    ("bad-port-name", simple(ports=[{"name": "HTTP_1", "port": 80}]),
     ['spec.ports[0].name: Invalid value: "HTTP_1": a lowercase RFC 1123 label must consist of lower case alphanumeric '
      "characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', "
      "regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"]),
    ("target-port-name-too-long", simple(ports=[{"port": 80, "targetPort": "a-very-long-port-name"}]),
     ['spec.ports[0].targetPort: Invalid value: "a-very-long-port-name": must be no more than 15 characters']),
    ("target-port-zero-protocol", simple(ports=[{"port": 80, "protocol": "HTTP"}]),
     ['spec.ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"']),
    ("node-port-on-cluster-ip", simple(ports=[{"port": 80, "nodePort": 30001}]),
     ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"]),
    ("node-port-out-of-range", simple(type="NodePort", ports=[{"port": 80, "nodePort": 8080}]),
     ["spec.ports[0].nodePort: Invalid value: 8080: provided port is not in the valid range. The range of valid ports is 30000-32767"]),
    ("duplicate-node-port", simple(type="NodePort", ports=[{"name": "a", "port": 80, "nodePort": 30001},
                                                           {"name": "b", "port": 81, "nodePort": 30001}]),
     ["spec.ports[1].nodePort: Duplicate value: 30001"]),
    ("session-affinity", simple(sessionAffinity="Sticky"),
     ['spec.sessionAffinity: Unsupported value: "Sticky": supported values: "ClientIP", "None"']),
    ("affinity-config-with-none-dropped-by-defaults", simple(sessionAffinityConfig={"clientIP": {"timeoutSeconds": 60}}), []),
    ("affinity-timeout", simple(sessionAffinity="ClientIP", sessionAffinityConfig={"clientIP": {"timeoutSeconds": 90000}}),
     ["spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 90000: must be greater than 0 and less than 86400"]),
    ("cluster-ip-invalid", simple(clusterIP="10.0.0.300"),
     ['spec.clusterIPs[0]: Invalid value: "10.0.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)']),
    ("headless-nodeport", simple(type="NodePort", clusterIP="None"),
     ['spec.clusterIPs[0]: Invalid value: "None": may not be set to \'None\' for NodePort services']),
    ("external-name-missing", {"metadata": {"name": "ext", "namespace": "default"}, "spec": {"type": "ExternalName"}},
     ["spec.externalName: Required value"]),
    ("external-name-invalid", {"metadata": {"name": "ext", "namespace": "default"},
                               "spec": {"type": "ExternalName", "externalName": "Db_Host"}},
     ['spec.externalName: Invalid value: "Db_Host": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric '
      "characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', "
      "regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"]),
    ("external-name-with-cluster-ip", {"metadata": {"name": "ext", "namespace": "default"},
                                       "spec": {"type": "ExternalName", "externalName": "db.example.com", "clusterIP": "10.0.0.5"}},
     ["spec.clusterIPs: Forbidden: may not be set for ExternalName services"]),
    ("external-traffic-policy-on-cluster-ip", simple(externalTrafficPolicy="Local"),
     ['spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services']),
    ("external-traffic-policy-enum", simple(type="NodePort", externalTrafficPolicy="Global"),
     ['spec.externalTrafficPolicy: Unsupported value: "Global": supported values: "Cluster", "Local"']),
    ("internal-traffic-policy-enum", simple(internalTrafficPolicy="Node"),
     ['spec.internalTrafficPolicy: Unsupported value: "Node": supported values: "Cluster", "Local"']),
    ("selector-value", simple(selector={"app": "bad value"}),
     ['spec.selector: Invalid value: "bad value": a valid label must be an empty string or consist of alphanumeric '
      "characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or "
      "'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"]),
    ("name-dns1035", {"metadata": {"name": "1web", "namespace": "default"}, "spec": {"ports": [{"port": 80}]}},
     ['metadata.name: Invalid value: "1web": a DNS-1035 label must consist of lower case alphanumeric characters or '
      "'-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or "
      "'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"]),
]


@pytest.mark.parametrize("obj, expected", [pytest.param(o, e, id=i) for i, o, e in CASES])
def test_service_create(obj, expected):
    assert errs(copy.deepcopy(obj)) == expected


def _assigned(obj, ip="10.96.0.12"):
    apply_defaults(SERVICE, obj)
    obj["spec"]["clusterIP"] = ip
    obj["spec"]["clusterIPs"] = [ip]
    return obj


def test_update_cluster_ip_may_not_change():
    old = _assigned(simple())
    new = copy.deepcopy(old)
    new["spec"]["clusterIP"] = "10.96.0.99"
    new["spec"]["clusterIPs"] = ["10.96.0.99"]
    assert [str(e) for e in validate_update(SERVICE, new, old)] == [
        'spec.clusterIPs[0]: Invalid value: []string{"10.96.0.99"}: may not change once set',
    ]


def test_update_ports_and_selector_allowed():
    old = _assigned(simple())
    new = copy.deepcopy(old)
    new["spec"]["ports"] = [{"name": "http", "port": 8080, "protocol": "TCP", "targetPort": 8080},
                            {"name": "metrics", "port": 9090, "protocol": "TCP", "targetPort": 9090}]
    new["spec"]["selector"] = {"app": "web", "track": "stable"}
    assert validate_update(SERVICE, new, old) == []


def test_update_to_external_name_may_drop_cluster_ip():
    old = _assigned(simple())
    new = {"metadata": copy.deepcopy(old["metadata"]), "spec": {"type": "ExternalName", "externalName": "web.example.com"}}
    apply_defaults(SERVICE, new)
    assert validate_update(SERVICE, new, old) == []


def test_update_ip_family_may_not_change():
    old = _assigned(simple())
    new = copy.deepcopy(old)
    new["spec"]["ipFamilies"] = ["IPv6"]
    assert [str(e) for e in validate_update(SERVICE, new, old)] == [
        'spec.ipFamilies[0]: Invalid value: []core.IPFamily{"IPv6"}: may not change once set']


def test_nodeport_to_clusterip_after_registry_steps_is_valid():
    from kctl.api.defaults.core import prepare_service_update

    old = _assigned(simple(type="NodePort", ports=[{"port": 80, "nodePort": 30080}]))
    new = copy.deepcopy(old)
    new["spec"]["type"] = "ClusterIP"
    assert "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'" in [
        str(e) for e in validate_update(SERVICE, new, old)]
    prepare_service_update(new, old)
    assert validate_update(SERVICE, new, old) == []
