"""Selection by -l / --field-selector shared by label, annotate and wait (cli/common.select_objects)."""

POD = ("apiVersion: v1\nkind: Pod\nmetadata: {name: p, labels: {app: web}}\nspec:\n  containers:\n"
       "  - name: c\n    image: nginx:1.27\n")
NODES = ("apiVersion: kctl.io/v1alpha1\nkind: NodeInventory\nmetadata: {name: n}\n"
         "nodeGroups: [{name: w, count: 1, capacity: {cpu: '2', memory: 4Gi}}]\n")


def test_pod_field_selector_on_a_kind_specific_field(kctl, write):
    assert kctl("apply", "-f", write("n.yaml", NODES), "-f", write("p.yaml", POD)).code == 0
    r = kctl("label", "pods", "--field-selector", "status.phase=Running", "tier=front")
    assert (r.code, r.out) == (0, "pod/p labeled\n")
    r = kctl("wait", "pods", "-l", "tier=front", "--for=condition=Ready", "--timeout=10s")
    assert (r.code, r.out) == (0, "pod/p condition met\n")


def test_bad_selector_gets_the_servers_text(kctl):
    r = kctl("label", "pods", "-l", "app in (a", "x=y")
    assert r.code == 1
    assert r.err.startswith('Error from server (BadRequest): Unable to find "/v1, Resource=pods" that match label selector "app in (a"')
    assert "Traceback" not in r.err and "internal error" not in r.err
