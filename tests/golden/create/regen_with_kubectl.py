"""Regenerate the `create` generator golden files with the real kubectl 1.37.

Run from anywhere: `python tests/golden/create/regen_with_kubectl.py [path/to/kubectl]`.
Each case's stdout is written to `<id>.<yaml|json|txt>` next to this script; the tests
(tests/cli/test_cli_create.py) run the same arguments through kctl and compare byte for
byte, so CI needs no kubectl. Input files the cases read live in `inputs/`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

# (id, arguments after `create`); every case is offline (--dry-run=client)
CASES = [
    ("deployment-yaml", ["deployment", "web", "--image=nginx", "--dry-run=client", "-o", "yaml"]),
    ("deployment-json", ["deployment", "web", "--image=nginx", "--dry-run=client", "-o", "json"]),
    ("deployment-full-json", ["deployment", "web", "--image=registry.k8s.io/pause:3.9",
                              "--replicas=3", "--port=8080", "-n", "shop", "--dry-run=client", "-o", "json",
                              "--", "sleep", "3600"]),
    ("deployment-full-yaml", ["deployment", "web", "--image=nginx:1.27", "--image=redis@sha256:abc", "--image=my.reg:5000/team/api:v2",
                              "--replicas=0",
                              "--port=80", "-n", "shop", "--dry-run=client", "-o", "yaml"]),
    ("deployment-name", ["deployment", "web", "--image=nginx", "--dry-run=client", "-o", "name"]),
    ("deployment-plain", ["deployment", "web", "--image=nginx", "--dry-run=client"]),
    ("service-clusterip-yaml", ["service", "clusterip", "web", "--tcp=80:8080", "--dry-run=client", "-o", "yaml"]),
    ("service-clusterip-json", ["service", "clusterip", "web", "--tcp=80:8080", "--tcp=443:https",
                                "--dry-run=client", "-o", "json"]),
    ("service-headless-yaml", ["service", "clusterip", "hl", "--clusterip=None", "--dry-run=client", "-o", "yaml"]),
    ("service-nodeport-yaml", ["service", "nodeport", "np", "--tcp=80:8080", "--node-port=30080",
                               "--dry-run=client", "-o", "yaml"]),
    ("service-nodeport-json", ["service", "nodeport", "np", "--tcp=80", "-n", "shop",
                               "--dry-run=client", "-o", "json"]),
    ("service-loadbalancer-json", ["service", "loadbalancer", "lb", "--tcp=80", "--tcp=443:8443",
                                   "--dry-run=client", "-o", "json"]),
    ("service-externalname-yaml", ["service", "externalname", "en", "--external-name=example.com",
                                   "--dry-run=client", "-o", "yaml"]),
    ("service-externalname-json", ["service", "externalname", "en", "--external-name=example.com",
                                   "--dry-run=client", "-o", "json"]),
    ("configmap-yaml", ["configmap", "c", "--from-literal=k=v", "--from-literal=a=b=c",
                        "--from-file=inputs/app.properties", "--from-file=cfg=inputs/app.properties",
                        "--dry-run=client", "-o", "yaml"]),
    ("configmap-json", ["configmap", "c", "--from-literal=k=v", "--from-file=inputs/dir", "-n", "shop",
                        "--dry-run=client", "-o", "json"]),
    ("configmap-envfile-yaml", ["configmap", "c", "--from-env-file=inputs/app.env", "--dry-run=client", "-o", "yaml"]),
    ("configmap-binary-yaml", ["configmap", "c", "--from-file=inputs/blob.bin", "--dry-run=client", "-o", "yaml"]),
    ("secret-generic-yaml", ["secret", "generic", "s", "--from-literal=user=admin", "--from-literal=pass=s3cr3t!",
                             "--dry-run=client", "-o", "yaml"]),
    ("secret-generic-json", ["secret", "generic", "s", "--from-literal=a=b", "--type=Opaque",
                             "--from-file=inputs/app.properties", "--dry-run=client", "-o", "json"]),
    ("secret-docker-json", ["secret", "docker-registry", "reg", "--docker-server=r.io", "--docker-username=u",
                            "--docker-password=p", "--docker-email=e@x", "--dry-run=client", "-o", "json"]),
    ("secret-docker-yaml", ["secret", "docker-registry", "reg", "--docker-username=u", "--docker-password=p",
                            "--dry-run=client", "-o", "yaml"]),
    # inputs/tls.* is a throwaway self-signed pair made for these tests (openssl req -x509)
    ("secret-tls-json", ["secret", "tls", "t", "--cert=inputs/tls.crt", "--key=inputs/tls.key", "-n", "shop",
                         "--dry-run=client", "-o", "json"]),
    ("secret-tls-yaml", ["secret", "tls", "t", "--cert=inputs/tls.crt", "--key=inputs/tls.key",
                         "--dry-run=client", "-o", "yaml"]),
    ("namespace-yaml", ["namespace", "shop", "--dry-run=client", "-o", "yaml"]),
    ("namespace-json", ["namespace", "shop", "--dry-run=client", "-o", "json"]),
    ("serviceaccount-yaml", ["serviceaccount", "bot", "-n", "shop", "--dry-run=client", "-o", "yaml"]),
    ("serviceaccount-json", ["serviceaccount", "bot", "--dry-run=client", "-o", "json"]),
    ("job-yaml", ["job", "j", "--image=busybox", "--dry-run=client", "-o", "yaml", "--", "echo", "hi"]),
    ("job-json", ["job", "j", "--image=busybox", "-n", "shop", "--dry-run=client", "-o", "json"]),
    ("cronjob-yaml", ["cronjob", "cj", "--image=busybox", "--schedule=*/1 * * * *", "--dry-run=client", "-o", "yaml"]),
    ("cronjob-json", ["cronjob", "cj", "--image=busybox", "--schedule=0 0 * * *", "--restart=Never",
                      "--dry-run=client", "-o", "json", "--", "sh", "-c", "date"]),
    ("priorityclass-yaml", ["priorityclass", "high", "--value=1000", "--description=important",
                            "--global-default", "--dry-run=client", "-o", "yaml"]),
    ("priorityclass-json", ["priorityclass", "low", "--value=-5", "--preemption-policy=Never",
                            "--dry-run=client", "-o", "json"]),
    ("rolebinding-yaml", ["rolebinding", "rb", "--role=r", "--user=u", "-n", "shop", "--dry-run=client", "-o", "yaml"]),
    ("rolebinding-json", ["rolebinding", "rb", "--clusterrole=view", "--dry-run=client", "-o", "json"]),
    ("clusterrolebinding-json", ["clusterrolebinding", "b", "--clusterrole=view", "--user=u", "--group=g",
                                 "--serviceaccount=ns:sa", "--user=a", "--dry-run=client", "-o", "json"]),
    ("clusterrolebinding-yaml", ["clusterrolebinding", "b", "--clusterrole=x", "--serviceaccount=kube-system:sa",
                                 "--group=system:masters", "--dry-run=client", "-o", "yaml"]),
]


def golden_name(case_id: str) -> str:
    ext = case_id.rsplit("-", 1)[-1]
    return f"{case_id}.{ext if ext in ('yaml', 'json') else 'txt'}"


def main() -> int:
    kubectl = sys.argv[1] if len(sys.argv) > 1 else (shutil.which("kubectl") or "/usr/local/bin/kubectl")
    if not os.path.exists(kubectl):
        print(f"kubectl not found at {kubectl}; golden files left as they are", file=sys.stderr)
        return 1
    for case_id, args in CASES:
        r = subprocess.run([kubectl, "create", *args], cwd=HERE, capture_output=True, text=True,
                           env={**os.environ, "KUBECONFIG": "/nonexistent"})
        if r.returncode != 0:
            print(f"{case_id}: kubectl failed: {r.stderr}", file=sys.stderr)
            return 1
        (HERE / golden_name(case_id)).write_text(r.stdout)
    print(f"wrote {len(CASES)} golden files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
