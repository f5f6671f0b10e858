"""kctl.api.validation.core: Pod / PodSpec / pod template rules with the API server's texts.

Pods here are already defaulted the way the API server defaults them (imagePullPolicy,
terminationMessagePolicy, restartPolicy, dnsPolicy, probe timings ...), as the engine
hands them to validation.
"""

import copy

import pytest

from kctl.api.validation.core import (
    POD_UPDATE_FORBIDDEN,
    validate_pod,
    validate_pod_spec,
    validate_pod_template_spec,
    validate_pod_update,
)

DNS_LABEL = (
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and "
    "end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
)
SUBDOMAIN = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
    "and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
    r"'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
)
NAME_PART = (
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
    "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
    "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
)
C0 = "spec.containers[0]"


def container(name="app", image="nginx:1.27", **extra):
    c = {
        "name": name,
        "image": image,
        "imagePullPolicy": "IfNotPresent",
        "terminationMessagePath": "/dev/termination-log",
        "terminationMessagePolicy": "File",
        "resources": {},
    }
    c.update(extra)
    return c


def probe(**handler):
    p = {"timeoutSeconds": 1, "periodSeconds": 10, "successThreshold": 1, "failureThreshold": 3}
    p.update(handler or {"tcpSocket": {"port": 80}})
    return p


def make_pod(containers=None, name="web", **spec_extra):
    spec = {
        "containers": containers if containers is not None else [container()],
        "restartPolicy": "Always",
        "terminationGracePeriodSeconds": 30,
        "dnsPolicy": "ClusterFirst",
        "securityContext": {},
        "schedulerName": "default-scheduler",
        "enableServiceLinks": True,
    }
    spec.update(spec_extra)
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": "default", "labels": {"app": "web"}},
        "spec": spec,
    }


def strs(errs):
    return [str(e) for e in errs]


# ---------------------------------------------------------------------------------------------
# valid, realistic pods


def nginx_pod():
    return make_pod([container(
        "nginx", "nginx:1.27",
        ports=[{"name": "http", "containerPort": 80, "protocol": "TCP"}],
        env=[{"name": "POD_NAME", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.name"}}},
             {"name": "LOG_LEVEL", "valueFrom": {"configMapKeyRef": {"name": "web-config", "key": "log.level"}}},
             {"name": "DB_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "db", "key": "password"}}},
             {"name": "MEM_LIMIT", "valueFrom": {"resourceFieldRef": {"resource": "limits.memory", "divisor": "1Mi"}}},
             {"name": "GREETING", "value": "hello"}],
        envFrom=[{"configMapRef": {"name": "web-env"}}, {"prefix": "S_", "secretRef": {"name": "web-secret"}}],
        resources={"requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"cpu": "500m", "memory": "256Mi"}},
        livenessProbe=probe(httpGet={"path": "/healthz", "port": "http", "scheme": "HTTP"}),
        readinessProbe=probe(httpGet={"path": "/ready", "port": 80, "scheme": "HTTP"}),
        startupProbe=probe(exec={"command": ["cat", "/tmp/ready"]}),
        lifecycle={"preStop": {"exec": {"command": ["nginx", "-s", "quit"]}}},
        volumeMounts=[{"name": "conf", "mountPath": "/etc/nginx/conf.d", "readOnly": True},
                      {"name": "cache", "mountPath": "/var/cache/nginx"},
                      {"name": "tls", "mountPath": "/etc/tls"},
                      {"name": "data", "mountPath": "/data", "subPath": "web"}],
        securityContext={"runAsNonRoot": True, "runAsUser": 101, "allowPrivilegeEscalation": False,
                         "capabilities": {"drop": ["ALL"]}, "seccompProfile": {"type": "RuntimeDefault"}},
    )],
        volumes=[{"name": "conf", "configMap": {"name": "nginx-conf", "defaultMode": 420}},
                 {"name": "cache", "emptyDir": {"sizeLimit": "1Gi"}},
                 {"name": "tls", "secret": {"secretName": "web-tls", "defaultMode": 420,
                                            "items": [{"key": "tls.crt", "path": "tls.crt"}]}},
                 {"name": "data", "persistentVolumeClaim": {"claimName": "web-data"}}],
        nodeSelector={"kubernetes.io/os": "linux"},
        tolerations=[{"key": "dedicated", "operator": "Equal", "value": "web", "effect": "NoSchedule"},
                     {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute",
                      "tolerationSeconds": 300}],
        affinity={"podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [
            {"weight": 100, "podAffinityTerm": {"labelSelector": {"matchLabels": {"app": "web"}},
                                                "topologyKey": "kubernetes.io/hostname"}}]},
            "nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
                {"matchExpressions": [{"key": "zone", "operator": "In", "values": ["a", "b"]}]}]}}},
        topologySpreadConstraints=[{"maxSkew": 1, "topologyKey": "topology.kubernetes.io/zone",
                                    "whenUnsatisfiable": "ScheduleAnyway",
                                    "labelSelector": {"matchLabels": {"app": "web"}}}],
        serviceAccountName="web",
        hostname="web-0",
        subdomain="web",
        priorityClassName="high-priority",
    )


def sidecar_pod():
    return make_pod(
        [container("app", "busybox:1.36", command=["sh", "-c", "sleep 3600"],
                   volumeMounts=[{"name": "logs", "mountPath": "/var/log/app"}])],
        initContainers=[
            container("migrate", "migrate:1", command=["migrate", "up"]),
            container("log-shipper", "fluent-bit:3", restartPolicy="Always",
                      volumeMounts=[{"name": "logs", "mountPath": "/logs", "readOnly": True}],
                      startupProbe=probe(), readinessProbe=probe(exec={"command": ["true"]})),
        ],
        volumes=[{"name": "logs", "emptyDir": {}},
                 {"name": "token", "projected": {"defaultMode": 420, "sources": [
                     {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                     {"configMap": {"name": "kube-root-ca.crt", "items": [{"key": "ca.crt", "path": "ca.crt"}]}},
                     {"downwardAPI": {"items": [{"path": "namespace", "fieldRef": {"apiVersion": "v1",
                                                                                    "fieldPath": "metadata.namespace"}}]}},
                 ]}}],
        serviceAccountName="default",
    )


def job_like_pod():
    return make_pod([container("worker", "python:3.12", args=["run.py"],
                               resources={"limits": {"cpu": "2", "memory": "1Gi", "nvidia.com/gpu": "1"}})],
                    restartPolicy="OnFailure", activeDeadlineSeconds=600,
                    dnsPolicy="None", dnsConfig={"nameservers": ["10.96.0.10"], "searches": ["svc.cluster.local"],
                                                 "options": [{"name": "ndots", "value": "2"}]})


@pytest.mark.parametrize("pod", [nginx_pod(), sidecar_pod(), job_like_pod(), make_pod()],
                         ids=["nginx-full", "sidecar-init", "gpu-job-dns-none", "minimal"])
def test_realistic_pods_are_valid(pod):
    assert strs(validate_pod(pod)) == []


# ---------------------------------------------------------------------------------------------
# one rule per case: a change to a valid pod -> the exact errors


def set_c0(**kv):
    def f(pod):
        pod["spec"]["containers"][0].update(kv)
    return f


def del_c0(key):
    def f(pod):
        pod["spec"]["containers"][0].pop(key, None)
    return f


def set_spec(**kv):
    def f(pod):
        pod["spec"].update(kv)
    return f


def del_spec(key):
    def f(pod):
        pod["spec"].pop(key, None)
    return f


POD_CASES = [
    ("containers-required", set_spec(containers=[]), ["spec.containers: Required value"]),
    ("container-name-required", set_c0(name=""), [f"{C0}.name: Required value"]),
    ("container-name-invalid", set_c0(name="App_1"), [f'{C0}.name: Invalid value: "App_1": {DNS_LABEL}']),
    ("container-image-required", set_c0(image=""), [f"{C0}.image: Required value"]),
    ("container-image-whitespace", set_c0(image=" nginx"),
     [f'{C0}.image: Invalid value: " nginx": must not have leading or trailing whitespace']),
    ("container-duplicate-name", set_spec(containers=[container("a"), container("a")]),
     ['spec.containers[1].name: Duplicate value: "a"']),
    ("init-duplicates-container", set_spec(initContainers=[container("app")]),
     ['spec.initContainers[0].name: Duplicate value: "app"']),
    ("pull-policy-unsupported", set_c0(imagePullPolicy="Sometimes"),
     [f'{C0}.imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"']),
    ("pull-policy-missing", del_c0("imagePullPolicy"), [f"{C0}.imagePullPolicy: Required value"]),
    ("termination-message-policy", set_c0(terminationMessagePolicy="Always"),
     [f'{C0}.terminationMessagePolicy: Unsupported value: "Always": supported values: "File", "FallbackToLogsOnError"']),
    ("port-zero", set_c0(ports=[{"containerPort": 0, "protocol": "TCP"}]),
     [f"{C0}.ports[0].containerPort: Required value"]),
    ("port-out-of-range", set_c0(ports=[{"containerPort": 70000, "protocol": "TCP"}]),
     [f"{C0}.ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive"]),
    ("host-port-out-of-range", set_c0(ports=[{"containerPort": 80, "hostPort": 65536, "protocol": "TCP"}]),
     [f"{C0}.ports[0].hostPort: Invalid value: 65536: must be between 1 and 65535, inclusive"]),
    ("port-protocol", set_c0(ports=[{"containerPort": 80, "protocol": "HTTP"}]),
     [f'{C0}.ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"']),
    ("port-protocol-missing", set_c0(ports=[{"containerPort": 80}]), [f"{C0}.ports[0].protocol: Required value"]),
    ("port-name-iana", set_c0(ports=[{"name": "HTTP_PORT", "containerPort": 80, "protocol": "TCP"}]),
     [f'{C0}.ports[0].name: Invalid value: "HTTP_PORT": must contain only alpha-numeric characters (a-z, 0-9), '
      "and hyphens (-)",
      f'{C0}.ports[0].name: Invalid value: "HTTP_PORT": must contain at least one letter (a-z)']),
    ("port-name-duplicate", set_c0(ports=[{"name": "http", "containerPort": 80, "protocol": "TCP"},
                                          {"name": "http", "containerPort": 81, "protocol": "TCP"}]),
     [f'{C0}.ports[1].name: Duplicate value: "http"']),
    ("host-port-conflict", set_spec(containers=[
        container("a", ports=[{"containerPort": 80, "hostPort": 8080, "protocol": "TCP"}]),
        container("b", ports=[{"containerPort": 81, "hostPort": 8080, "protocol": "TCP"}])]),
     ['spec.containers[1].ports[0].hostPort: Duplicate value: "TCP//8080"']),
    ("env-name-required", set_c0(env=[{"name": "", "value": "x"}]), [f"{C0}.env[0].name: Required value"]),
    ("env-name-equals", set_c0(env=[{"name": "A=B", "value": "x"}]),
     [f'{C0}.env[0].name: Invalid value: "A=B": a valid environment variable name must consist only of printable '
      "ASCII characters other than '='"]),
    ("env-value-from-empty", set_c0(env=[{"name": "A", "valueFrom": {}}]),
     [f'{C0}.env[0].valueFrom: Invalid value: "": must specify one of: `fieldRef`, `resourceFieldRef`, '
      "`configMapKeyRef` or `secretKeyRef`"]),
    ("env-value-and-value-from", set_c0(env=[{"name": "A", "value": "x",
                                              "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}}]),
     [f'{C0}.env[0].valueFrom: Invalid value: "": may not be specified when `value` is not empty']),
    ("env-two-sources", set_c0(env=[{"name": "A", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"},
                                                                 "configMapKeyRef": {"name": "c", "key": "k"}}}]),
     [f'{C0}.env[0].valueFrom: Invalid value: "": may not have more than one field specified at a time']),
    ("env-key-ref-missing-key-and-name", set_c0(env=[{"name": "A", "valueFrom": {"configMapKeyRef": {}}}]),
     [f'{C0}.env[0].valueFrom.configMapKeyRef.name: Invalid value: "": {SUBDOMAIN}',
      f"{C0}.env[0].valueFrom.configMapKeyRef.key: Required value"]),
    ("env-key-ref-bad-key", set_c0(env=[{"name": "A", "valueFrom": {"secretKeyRef": {"name": "s", "key": "a/b"}}}]),
     [f'{C0}.env[0].valueFrom.secretKeyRef.key: Invalid value: "a/b": a valid config key must consist of '
      "alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for "
      "validation is '[-._a-zA-Z0-9]+')"]),
    ("env-field-ref-unsupported", set_c0(env=[{"name": "A", "valueFrom": {"fieldRef": {"apiVersion": "v1",
                                                                                       "fieldPath": "spec.restartPolicy"}}}]),
     [f'{C0}.env[0].valueFrom.fieldRef.fieldPath: Unsupported value: "spec.restartPolicy": supported values: '
      '"metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", '
      '"status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"']),
    ("env-field-ref-unknown", set_c0(env=[{"name": "A", "valueFrom": {"fieldRef": {"apiVersion": "v1",
                                                                                   "fieldPath": "spec.foo"}}}]),
     [f'{C0}.env[0].valueFrom.fieldRef.fieldPath: Invalid value: "spec.foo": error converting fieldPath: '
      "field label not supported: spec.foo"]),
    ("env-from-no-source", set_c0(envFrom=[{"prefix": "P_"}]),
     [f'{C0}.envFrom: Invalid value: "": must specify one of: `configMapRef` or `secretRef`']),
    ("env-from-name-required", set_c0(envFrom=[{"configMapRef": {"name": ""}}]),
     [f"{C0}.envFrom[0].configMapRef.name: Required value"]),
    ("resources-negative", set_c0(resources={"requests": {"cpu": "-1"}}),
     [f'{C0}.resources.requests[cpu]: Invalid value: "-1": must be greater than or equal to 0']),
    ("resources-request-over-limit", set_c0(resources={"requests": {"cpu": "600m"}, "limits": {"cpu": "500m"}}),
     [f'{C0}.resources.requests: Invalid value: "600m": must be less than or equal to cpu limit of 500m']),
    ("resources-memory-over-limit", set_c0(resources={"requests": {"memory": "1Gi"}, "limits": {"memory": "512Mi"}}),
     [f'{C0}.resources.requests: Invalid value: "1Gi": must be less than or equal to memory limit of 512Mi']),
    ("resources-bad-quantity", set_c0(resources={"limits": {"memory": "1GB"}}),
     [f'{C0}.resources.limits[memory]: Invalid value: "1GB": quantities must match the regular expression '
      "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"]),
    ("resources-unknown-name", set_c0(resources={"limits": {"gpu": "1"}}),
     [f"{C0}.resources.limits[gpu]: Invalid value: gpu: must be a standard resource type or fully qualified",
      f"{C0}.resources.limits[gpu]: Invalid value: gpu: must be a standard resource for containers"]),
    ("resources-extended-needs-limit", set_c0(resources={"requests": {"example.com/foo": "1"}}),
     [f"{C0}.resources.limits: Required value: Limit must be set for non overcommitable resources"]),
    ("resources-extended-must-equal", set_c0(resources={"requests": {"example.com/foo": "1"},
                                                        "limits": {"example.com/foo": "2"}}),
     [f'{C0}.resources.requests: Invalid value: "1": must be equal to example.com/foo limit of 2']),
    ("resources-extended-integer", set_c0(resources={"limits": {"example.com/foo": "500m"}}),
     [f"{C0}.resources.limits[example.com/foo]: Invalid value: 500m: must be an integer"]),
    ("resources-hugepages-alone", set_c0(resources={"limits": {"hugepages-2Mi": "2Mi"}}),
     [f"{C0}.resources: Forbidden: HugePages require cpu or memory"]),
    ("resources-hugepages-multiple", set_c0(resources={"limits": {"hugepages-2Mi": "3Mi", "memory": "1Gi"}}),
     [f'{C0}.resources.limits[hugepages-2Mi]: Invalid value: "3Mi": 3Mi is not positive integer multiple of '
      "hugepages-2Mi"]),
    ("env-from-prefix", set_c0(envFrom=[{"prefix": "A=", "configMapRef": {"name": "c"}}]),
     [f'{C0}.envFrom[0].prefix: Invalid value: "A=": a valid environment variable name must consist only of '
      "printable ASCII characters other than '='"]),
    ("mount-propagation-bidirectional", lambda p: (
        p["spec"].update(volumes=[{"name": "v", "hostPath": {"path": "/mnt"}}]),
        p["spec"]["containers"][0].update(volumeMounts=[{"name": "v", "mountPath": "/mnt",
                                                         "mountPropagation": "Bidirectional"}])),
     [f"{C0}.volumeMounts.mountPropagation: Forbidden: Bidirectional mount propagation is available only to "
      "privileged containers"]),
    ("projected-token-expiration", set_spec(volumes=[{"name": "t", "projected": {"sources": [
        {"serviceAccountToken": {"path": "token", "expirationSeconds": 60}}]}}]),
     ["spec.volumes[0].projected.sources[0].serviceAccountToken.expirationSeconds: Invalid value: 60: may not "
      "specify a duration less than 10 minutes"]),
    ("downward-volume-field", set_spec(volumes=[{"name": "d", "downwardAPI": {"items": [
        {"path": "node", "fieldRef": {"apiVersion": "v1", "fieldPath": "spec.nodeName"}}]}}]),
     ['spec.volumes[0].downwardAPI.fieldRef.fieldPath: Unsupported value: "spec.nodeName": supported values: '
      '"metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid"']),
    ("sidecar-liveness-threshold", set_spec(initContainers=[container(
        "proxy", restartPolicy="Always", livenessProbe=dict(probe(), successThreshold=2))]),
     ["spec.initContainers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1"]),
    ("init-lifecycle-without-sidecar", set_spec(initContainers=[container(
        "init", lifecycle={"postStart": {"exec": {"command": ["true"]}}})]),
     ["spec.initContainers[0].lifecycle: Forbidden: may not be set for init containers without restartPolicy=Always"]),
    ("probe-no-handler", set_c0(livenessProbe=probe(tcpSocket=None)),
     [f"{C0}.livenessProbe: Required value: must specify a handler type"]),
    ("probe-two-handlers", set_c0(readinessProbe=probe(exec={"command": ["true"]}, tcpSocket={"port": 80})),
     [f"{C0}.readinessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type"]),
    ("probe-negative-seconds", set_c0(readinessProbe=dict(probe(), periodSeconds=-1)),
     [f"{C0}.readinessProbe.periodSeconds: Invalid value: -1: must be greater than or equal to 0"]),
    ("liveness-success-threshold", set_c0(livenessProbe=dict(probe(), successThreshold=2)),
     [f"{C0}.livenessProbe.successThreshold: Invalid value: 2: must be 1"]),
    ("startup-success-threshold", set_c0(startupProbe=dict(probe(), successThreshold=3)),
     [f"{C0}.startupProbe.successThreshold: Invalid value: 3: must be 1"]),
    ("readiness-grace-period", set_c0(readinessProbe=dict(probe(), terminationGracePeriodSeconds=5)),
     [f"{C0}.readinessProbe.terminationGracePeriodSeconds: Invalid value: 5: must not be set for readinessProbes"]),
    ("probe-http-port-name", set_c0(livenessProbe=probe(httpGet={"path": "/", "port": "8080", "scheme": "HTTP"})),
     [f'{C0}.livenessProbe.httpGet.port: Invalid value: "8080": must contain at least one letter (a-z)']),
    ("probe-http-scheme", set_c0(livenessProbe=probe(httpGet={"path": "/", "port": 80, "scheme": "FTP"})),
     [f'{C0}.livenessProbe.httpGet.scheme: Unsupported value: "FTP": supported values: "HTTP", "HTTPS"']),
    ("probe-exec-command", set_c0(livenessProbe=probe(exec={})),
     [f"{C0}.livenessProbe.exec.command: Required value"]),
    ("lifecycle-no-handler", set_c0(lifecycle={"postStart": {}}),
     [f"{C0}.lifecycle.postStart: Required value: must specify a handler type"]),
    ("lifecycle-sleep-too-long", set_c0(lifecycle={"preStop": {"sleep": {"seconds": 60}}}),
     [f"{C0}.lifecycle.preStop.sleep: Invalid value: 60: must be non-negative and less than "
      "terminationGracePeriodSeconds (30)"]),
    ("mount-unknown-volume", set_c0(volumeMounts=[{"name": "x", "mountPath": "/x"}]),
     [f'{C0}.volumeMounts[0].name: Not found: "x"']),
    ("mount-path-required", lambda p: (p["spec"].update(volumes=[{"name": "v", "emptyDir": {}}]),
                                       p["spec"]["containers"][0].update(volumeMounts=[{"name": "v", "mountPath": ""}])),
     [f"{C0}.volumeMounts[0].mountPath: Required value"]),
    ("mount-path-unique", lambda p: (p["spec"].update(volumes=[{"name": "v", "emptyDir": {}}, {"name": "w", "emptyDir": {}}]),
                                     p["spec"]["containers"][0].update(volumeMounts=[{"name": "v", "mountPath": "/d"},
                                                                                     {"name": "w", "mountPath": "/d"}])),
     [f'{C0}.volumeMounts[1].mountPath: Invalid value: "/d": must be unique']),
    ("mount-subpath-absolute", lambda p: (p["spec"].update(volumes=[{"name": "v", "emptyDir": {}}]),
                                          p["spec"]["containers"][0].update(
                                              volumeMounts=[{"name": "v", "mountPath": "/d", "subPath": "/abs"}])),
     [f'{C0}.volumeMounts.subPath: Invalid value: "/abs": must be a relative path']),
    ("volume-no-source", set_spec(volumes=[{"name": "v"}]),
     ["spec.volumes[0]: Required value: must specify a volume type"]),
    ("volume-two-sources", set_spec(volumes=[{"name": "v", "emptyDir": {}, "configMap": {"name": "c"}}]),
     ["spec.volumes[0].configMap: Forbidden: may not specify more than 1 volume type"]),
    ("volume-name-invalid", set_spec(volumes=[{"name": "My_Vol", "emptyDir": {}}]),
     [f'spec.volumes[0].name: Invalid value: "My_Vol": {DNS_LABEL}']),
    ("volume-name-required", set_spec(volumes=[{"name": "", "emptyDir": {}}]),
     ["spec.volumes[0].name: Required value"]),
    ("volume-duplicate", set_spec(volumes=[{"name": "v", "emptyDir": {}}, {"name": "v", "emptyDir": {}}]),
     ['spec.volumes[1].name: Duplicate value: "v"']),
    ("volume-configmap-name", set_spec(volumes=[{"name": "v", "configMap": {"defaultMode": 420}}]),
     ["spec.volumes[0].configMap.name: Required value"]),
    ("volume-secret-mode", set_spec(volumes=[{"name": "v", "secret": {"secretName": "s", "defaultMode": 1000}}]),
     ["spec.volumes[0].secret.defaultMode: Invalid value: 1000: must be a number between 0 and 0777 (octal), "
      "both inclusive"]),
    ("volume-pvc-claim", set_spec(volumes=[{"name": "v", "persistentVolumeClaim": {}}]),
     ["spec.volumes[0].persistentVolumeClaim.claimName: Required value"]),
    ("volume-hostpath-type", set_spec(volumes=[{"name": "v", "hostPath": {"path": "/x", "type": "Dir"}}]),
     ['spec.volumes[0].hostPath.type: Unsupported value: "Dir": supported values: "", "BlockDevice", "CharDevice", '
      '"Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"']),
    ("volume-hostpath-backsteps", set_spec(volumes=[{"name": "v", "hostPath": {"path": "/a/../etc"}}]),
     ["spec.volumes[0].hostPath.path: Invalid value: \"/a/../etc\": must not contain '..'"]),
    ("volume-items-key", set_spec(volumes=[{"name": "v", "configMap": {"name": "c", "items": [{"path": "p"}]}}]),
     ["spec.volumes[0].configMap.items[0].key: Required value"]),
    ("restart-policy", set_spec(restartPolicy="Sometimes"),
     ['spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"']),
    ("dns-policy", set_spec(dnsPolicy="Cluster"),
     ['spec.dnsPolicy: Unsupported value: "Cluster": supported values: "ClusterFirstWithHostNet", "ClusterFirst", '
      '"Default", "None"']),
    ("dns-none-needs-config", set_spec(dnsPolicy="None"),
     ["spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None"]),
    ("dns-nameserver-ip", set_spec(dnsConfig={"nameservers": ["dns.local"]}),
     ['spec.dnsConfig.nameservers[0]: Invalid value: "dns.local": must be a valid IP address, (e.g. 10.9.8.7 or '
      "2001:db8::ffff)"]),
    ("grace-required", del_spec("terminationGracePeriodSeconds"),
     ["spec.terminationGracePeriodSeconds: Required value"]),
    ("active-deadline-zero", set_spec(activeDeadlineSeconds=0),
     ["spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive"]),
    ("node-selector-label", set_spec(nodeSelector={"disk": "fast ssd"}),
     ['spec.nodeSelector: Invalid value: "fast ssd": a valid label must be an empty string or consist of '
      "alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. "
      "'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"]),
    ("service-account-name", set_spec(serviceAccountName="My_SA"),
     [f'spec.serviceAccountName: Invalid value: "My_SA": {SUBDOMAIN}']),
    ("hostname-label", set_spec(hostname="web.0"), ['spec.hostname: Invalid value: "web.0": must not contain dots']),
    ("subdomain-label", set_spec(subdomain="Web"), [f'spec.subdomain: Invalid value: "Web": {DNS_LABEL}']),
    ("toleration-operator", set_spec(tolerations=[{"key": "k", "operator": "In", "value": "v"}]),
     ['spec.tolerations[0].operator: Unsupported value: "In": supported values: "Equal", "Exists"']),
    ("toleration-exists-value", set_spec(tolerations=[{"key": "k", "operator": "Exists", "value": "v"}]),
     ["spec.tolerations[0].operator: Invalid value: \"v\": value must be empty when `operator` is 'Exists'"]),
    ("toleration-empty-key", set_spec(tolerations=[{"operator": "Equal", "value": "v"}]),
     ['spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which '
      'means "match all values and all keys"']),
    ("toleration-seconds-needs-noexecute", set_spec(tolerations=[{"key": "k", "operator": "Exists",
                                                                  "effect": "NoSchedule", "tolerationSeconds": 5}]),
     ["spec.tolerations[0].effect: Invalid value: \"NoSchedule\": effect must be 'NoExecute' when "
      "`tolerationSeconds` is set"]),
    ("toleration-effect", set_spec(tolerations=[{"key": "k", "operator": "Exists", "effect": "Never"}]),
     ['spec.tolerations[0].effect: Unsupported value: "Never": supported values: "NoSchedule", '
      '"PreferNoSchedule", "NoExecute"']),
    ("toleration-key", set_spec(tolerations=[{"key": "bad key", "operator": "Exists"}]),
     [f'spec.tolerations[0].key: Invalid value: "bad key": {NAME_PART}']),
    ("affinity-no-terms", set_spec(affinity={"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
        "nodeSelectorTerms": []}}}),
     ["spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms: Required value: "
      "must have at least one node selector term"]),
    ("affinity-operator", set_spec(affinity={"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
        "nodeSelectorTerms": [{"matchExpressions": [{"key": "zone", "operator": "Is", "values": ["a"]}]}]}}}),
     ['spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0]'
      '.matchExpressions[0].operator: Invalid value: "Is": not a valid selector operator']),
    ("affinity-weight", set_spec(affinity={"podAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [
        {"weight": 0, "podAffinityTerm": {"topologyKey": "kubernetes.io/hostname"}}]}}),
     ["spec.affinity.podAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: 0: "
      "must be in the range 1-100"]),
    ("affinity-topology-key", set_spec(affinity={"podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [
        {"labelSelector": {"matchLabels": {"app": "web"}}, "topologyKey": ""}]}}),
     ["spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: Required value: "
      "can not be empty",
      'spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: Invalid value: "": '
      "name part must be non-empty",
      f'spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: Invalid value: "": '
      f"{NAME_PART}"]),
    ("spread-max-skew", set_spec(topologySpreadConstraints=[{"maxSkew": 0, "topologyKey": "zone",
                                                             "whenUnsatisfiable": "DoNotSchedule"}]),
     ["spec.topologySpreadConstraints[0].maxSkew: Invalid value: 0: must be greater than zero"]),
    ("security-run-as-user", set_c0(securityContext={"runAsUser": -1}),
     [f"{C0}.securityContext.runAsUser: Invalid value: -1: must be between 0 and 4294967295, inclusive"]),
    ("pod-security-fsgroup", set_spec(securityContext={"fsGroup": -5}),
     ["spec.securityContext.fsGroup: Invalid value: -5: must be between 0 and 4294967295, inclusive"]),
    ("seccomp-type", set_c0(securityContext={"seccompProfile": {"type": "Strict"}}),
     [f'{C0}.securityContext.seccompProfile.type: Unsupported value: "Strict": supported values: "Localhost", '
      '"RuntimeDefault", "Unconfined"']),
    ("regular-container-restart-policy", set_c0(restartPolicy="Always"),
     [f"{C0}.restartPolicy: Forbidden: may not be set for non-init containers"]),
    ("init-restart-policy-never", set_spec(initContainers=[container("init", restartPolicy="Never")]),
     ['spec.initContainers[0].restartPolicy: Unsupported value: "Never": supported values: "Always"']),
    ("init-probe-without-sidecar", set_spec(initContainers=[container("init", readinessProbe=probe())]),
     ["spec.initContainers[0].readinessProbe: Forbidden: may not be set for init containers without "
      "restartPolicy=Always"]),
    ("host-network-host-port", set_spec(hostNetwork=True, containers=[container(ports=[
        {"containerPort": 80, "hostPort": 8080, "protocol": "TCP"}])]),
     ["spec.containers[0].ports[0].hostPort: Invalid value: 8080: must match `containerPort` when `hostNetwork` "
      "is true"]),
    ("ephemeral-on-create", set_spec(ephemeralContainers=[container("debug")]),
     ["spec.ephemeralContainers: Forbidden: cannot be set on create"]),
    ("metadata-name", lambda p: p["metadata"].update(name="Web"),
     [f'metadata.name: Invalid value: "Web": {SUBDOMAIN}']),
    ("deletion-cost", lambda p: p["metadata"].update(annotations={"controller.kubernetes.io/pod-deletion-cost": "+1"}),
     ['metadata.annotations[controller.kubernetes.io/pod-deletion-cost]: Invalid value: "+1": must be a 32bit integer']),
]


@pytest.mark.parametrize("mutate,expected", [c[1:] for c in POD_CASES], ids=[c[0] for c in POD_CASES])
def test_pod_rule(mutate, expected):
    pod = make_pod()
    mutate(pod)
    assert strs(validate_pod(pod)) == expected


def test_all_errors_reported_in_upstream_order():
    pod = make_pod([container("A", "", ports=[{"containerPort": 0, "protocol": "TCP"}])],
                   restartPolicy="Sometimes", volumes=[{"name": "v"}])
    pod["metadata"]["name"] = ""
    assert strs(validate_pod(pod)) == [
        "metadata.name: Required value: name or generateName is required",
        "spec.volumes[0]: Required value: must specify a volume type",
        f'{C0}.name: Invalid value: "A": {DNS_LABEL}',
        f"{C0}.image: Required value",
        f"{C0}.ports[0].containerPort: Required value",
        'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
    ]


def test_mount_of_invalid_volume_is_not_found():
    # a volume with errors is not registered, so mounting it also fails (as upstream)
    pod = make_pod([container(volumeMounts=[{"name": "v", "mountPath": "/v"}])], volumes=[{"name": "v"}])
    assert strs(validate_pod(pod)) == [
        "spec.volumes[0]: Required value: must specify a volume type",
        f'{C0}.volumeMounts[0].name: Not found: "v"',
    ]


# ---------------------------------------------------------------------------------------------
# pod templates of workloads


def template(**spec_extra):
    pod = make_pod(**spec_extra)
    return {"metadata": {"labels": {"app": "web"}}, "spec": pod["spec"]}


TEMPLATE_CASES = [
    ("deployment-valid", "Deployment", template(), []),
    ("deployment-on-failure", "Deployment", template(restartPolicy="OnFailure"),
     ['spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"']),
    ("deployment-deadline", "Deployment", template(activeDeadlineSeconds=10),
     ["spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported"]),
    ("statefulset-deadline", "StatefulSet", template(activeDeadlineSeconds=10),
     ["spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in StatefulSet is not Supported"]),
    ("daemonset-deadline", "DaemonSet", template(activeDeadlineSeconds=10),
     ["spec.template.spec.activeDeadlineSeconds: Invalid value: 10: activeDeadlineSeconds must be nil for daemon set"]),
    ("job-always", "Job", template(restartPolicy="Always"),
     ['spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"']),
    ("job-never", "Job", template(restartPolicy="Never"), []),
    ("no-kind-no-workload-rules", "", template(restartPolicy="OnFailure"), []),
    ("template-labels-path", "Deployment",
     {"metadata": {"labels": {"app": "-"}}, "spec": template()["spec"]},
     ["spec.template.labels: Invalid value: \"-\": a valid label must be an empty string or consist of alphanumeric "
      "characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or "
      "'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"]),
    ("template-container-error-path", "Deployment", template(containers=[container(image="")]),
     ["spec.template.spec.containers[0].image: Required value"]),
    ("template-host-network-port-zero-ok", "Deployment",
     template(hostNetwork=True, containers=[container(ports=[{"containerPort": 80, "protocol": "TCP"}])]), []),
]


@pytest.mark.parametrize("kind,tmpl,expected", [c[1:] for c in TEMPLATE_CASES], ids=[c[0] for c in TEMPLATE_CASES])
def test_pod_template_spec(kind, tmpl, expected):
    assert strs(validate_pod_template_spec(tmpl, "spec.template", workload_kind=kind)) == expected


def test_validate_pod_spec_direct():
    assert strs(validate_pod_spec({"containers": []}, "spec")) == [
        "spec.terminationGracePeriodSeconds: Required value",
        "spec.containers: Required value",
        "spec.restartPolicy: Required value",
        "spec.dnsPolicy: Required value",
    ]


# ---------------------------------------------------------------------------------------------
# updates


def with_rv(pod, rv="1"):
    pod = copy.deepcopy(pod)
    pod["metadata"].update(resourceVersion=rv, uid="u-1", creationTimestamp="2026-01-01T00:00:00Z")
    return pod


def changed(mutate):
    old = with_rv(nginx_pod())
    new = copy.deepcopy(old)
    mutate(new)
    return new, old


UPDATE_OK = [
    ("same", lambda p: None),
    ("image", lambda p: p["spec"]["containers"][0].update(image="nginx:1.28")),
    ("labels", lambda p: p["metadata"]["labels"].update(tier="front")),
    ("deadline-set", lambda p: p["spec"].update(activeDeadlineSeconds=100)),
    ("toleration-added", lambda p: p["spec"]["tolerations"].append({"key": "x", "operator": "Exists"})),
    ("toleration-seconds-changed", lambda p: p["spec"]["tolerations"][1].update(tolerationSeconds=60)),
    ("quantity-spelling", lambda p: p["spec"]["containers"][0]["resources"]["limits"].update(cpu="0.5")),
]


@pytest.mark.parametrize("mutate", [c[1] for c in UPDATE_OK], ids=[c[0] for c in UPDATE_OK])
def test_allowed_pod_updates(mutate):
    new, old = changed(mutate)
    assert strs(validate_pod_update(new, old)) == []


def test_forbidden_update_sentence():
    new, old = changed(lambda p: p["spec"]["containers"][0]["resources"]["limits"].update(cpu="1"))
    errs = strs(validate_pod_update(new, old))
    assert len(errs) == 1
    assert errs[0].startswith(
        "spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,"
        "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to "
        "existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was "
        "previously negative)\n")
    assert "containers[0].resources.limits.cpu" in errs[0]
    assert POD_UPDATE_FORBIDDEN in errs[0]


UPDATE_BAD = [
    ("add-container", lambda p: p["spec"]["containers"].append(container("extra")),
     ["spec.containers: Forbidden: pod updates may not add or remove containers"]),
    ("name-changed", lambda p: p["metadata"].update(name="web2"),
     ['metadata.name: Invalid value: "web2": field is immutable']),
    ("deadline-raised", lambda p: (p["spec"].update(activeDeadlineSeconds=200)),
     ["spec.activeDeadlineSeconds: Invalid value: 200: must be less than or equal to previous value"]),
    ("toleration-removed", lambda p: p["spec"]["tolerations"].pop(0),
     ["spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds"]),
    ("image-emptied", lambda p: p["spec"]["containers"][0].update(image=""),
     [f"{C0}.image: Required value", f"{C0}.image: Required value"]),
]


@pytest.mark.parametrize("mutate,expected", [c[1:] for c in UPDATE_BAD], ids=[c[0] for c in UPDATE_BAD])
def test_rejected_pod_updates(mutate, expected):
    old = with_rv(nginx_pod())
    if "activeDeadlineSeconds" in str(expected):
        old["spec"]["activeDeadlineSeconds"] = 100
    new = copy.deepcopy(old)
    mutate(new)
    assert strs(validate_pod_update(new, old)) == expected


def test_deadline_removed():
    old = with_rv(nginx_pod())
    old["spec"]["activeDeadlineSeconds"] = 100
    new = copy.deepcopy(old)
    del new["spec"]["activeDeadlineSeconds"]
    errs = strs(validate_pod_update(new, old))
    assert errs[0] == "spec.activeDeadlineSeconds: Invalid value: null: must not update from a positive integer to nil value"


def test_dns_search_relaxed_rule():
    ok = make_pod(dnsConfig={"searches": ["my_svc.cluster.local", "."]})
    assert strs(validate_pod(ok)) == []
    bad = make_pod(dnsConfig={"searches": ["Bad"]})
    assert strs(validate_pod(bad)) == [
        'spec.dnsConfig.searches[0]: Invalid value: "Bad": a lowercase RFC 1123 subdomain must consist of lower case '
        "alphanumeric characters, '_', '-' or '.', and must start and end with an alphanumeric character (e.g. "
        r"'example.com', regex used for validation is '_?[a-z0-9]([-_a-z0-9]*[a-z0-9])?(\._?[a-z0-9]([-_a-z0-9]*"
        r"[a-z0-9])?)*')"]


def test_label_selector_helper():
    from kctl.api.validation.core import validate_label_selector

    sel = {"matchLabels": {"app": "web"},
           "matchExpressions": [{"key": "tier", "operator": "In"},
                                {"key": "env", "operator": "Exists", "values": ["x"]},
                                {"key": "zone", "operator": "Near", "values": ["a"]}]}
    assert strs(validate_label_selector(sel, "spec.selector")) == [
        "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
        "spec.selector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or "
        "'DoesNotExist'",
        'spec.selector.matchExpressions[2].operator: Invalid value: "Near": not a valid selector operator',
    ]


def test_grace_period_may_go_from_negative_to_one():
    old = with_rv(make_pod(terminationGracePeriodSeconds=-1))
    new = copy.deepcopy(old)
    new["spec"]["terminationGracePeriodSeconds"] = 1
    assert strs(validate_pod_update(new, old)) == []
    new["spec"]["terminationGracePeriodSeconds"] = 5
    errs = strs(validate_pod_update(new, old))
    assert len(errs) == 1 and errs[0].startswith("spec: Forbidden: pod updates may not change fields other than")
