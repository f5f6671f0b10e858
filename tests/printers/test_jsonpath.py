"""kctl.printers.jsonpath against outputs recorded from kubectl 1.37.1.

Every expected value below was produced by
`kubectl label --local --overwrite -f pod.yaml x=y -o jsonpath=TEMPLATE` on the POD object
(the label x=y is part of it), so these are kubectl's own results, errors included.
"""

import pytest

from kctl.printers.jsonpath import JSONPath, JSONPathError, execute_template, go_float, relaxed

POD = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {"name": "p", "labels": {"app": "web", "tier": "fe", "x": "y"}},
    "spec": {
        "containers": [
            {"name": "a", "image": "nginx", "ports": [{"containerPort": 80, "name": "http"}, {"containerPort": 443}]},
            {"name": "b", "image": "busybox"},
        ]
    },
    "status": {"conditions": [{"type": "Ready", "status": "True"}, {"type": "PodScheduled", "status": "False"}]},
}

# (template, stdout or None, first line of the error without kubectl's "error: " or None).
# `{.metadata.*}` is left out: Go walks map keys in random order there (kctl sorts them).
KUBECTL_CASES = [
    ('{.spec.containers[*].name}{"\\n"}', 'a b\n', None),
    ('{range .spec.containers[*]}{.name}:{.image}{"\\t"}{end}', 'a:nginx\tb:busybox\t', None),
    ('{.status.conditions[?(@.type=="Ready")].status}', 'True', None),
    ('{..containerPort}', '80 443', None),
    ('{.spec.containers[-1:]}', '{"image":"busybox","name":"b"}', None),
    ('{.metadata.labels}', '{"app":"web","tier":"fe","x":"y"}', None),
    ('{.spec.containers[0].ports[*].containerPort}', '80 443', None),
    ('x{.metadata.name}y', 'xpy', None),
    ('{.metadata.name,.kind}', None, "error parsing jsonpath {.metadata.name,.kind}, unrecognized character in action: U+002C ','"),
    ("{.spec.containers[*]['name','image']}", 'a b nginx busybox', None),
    ('{.nope}', '', None),
    ('{$.kind}', 'Pod', None),
    ('{.spec.containers[5]}', None, 'error executing jsonpath "{.spec.containers[5]}": Error executing template: array index out of bounds: index 5, length 2. Printing more information for debugging the template:'),
    ('{.spec.containers[0:5]}', None, 'error executing jsonpath "{.spec.containers[0:5]}": Error executing template: array index out of bounds: index 4, length 2. Printing more information for debugging the template:'),
    ('{.spec.containers[1:0]}', None, 'error executing jsonpath "{.spec.containers[1:0]}": Error executing template: starting index 1 is greater than ending index 0. Printing more information for debugging the template:'),
    ('{.spec.containers[::-1]}', None, 'error executing jsonpath "{.spec.containers[::-1]}": Error executing template: step must be > 0. Printing more information for debugging the template:'),
    ('{.spec.containers[*].ports[?(@.containerPort>100)].containerPort}', '443', None),
    ('{.spec.containers[?(@.ports)].name}', 'a', None),
    ('{.metadata.labels.app}', 'web', None),
    ("{.metadata.labels['app']}", 'web', None),
    ('{.spec.containers[*].ports}', '[{"containerPort":80,"name":"http"},{"containerPort":443}]', None),
    ('{range .spec.containers[*]}[{.name}]{range .ports[*]}<{.containerPort}>{end}{"\\n"}{end}', '[a]<80><443>\n[b]\n', None),
    ('{.kind} {.apiVersion}', 'Pod v1', None),
    ('{"a"}{\'b\'}', 'ab', None),
    ('{.status.conditions[?(@.status=="False")].type}', 'PodScheduled', None),
    ('{..name}', 'p a http b', None),
    ('{.spec}', '{"containers":[{"image":"nginx","name":"a","ports":[{"containerPort":80,"name":"http"},{"containerPort":443}]},{"image":"busybox","name":"b"}]}', None),
    ('{range .status.conditions[*]}{.type}={.status}{"\\n"}{end}', 'Ready=True\nPodScheduled=False\n', None),
    ('{.spec.containers[0].ports[0].containerPort}', '80', None),
    ('{.metadata.labels.x}', 'y', None),
    ('{@.kind}', 'Pod', None),
    ('{.spec.containers[?(@.name=="b")].image}', 'busybox', None),
    ('{.spec.containers[*].nothing}', '', None),
    ('{.spec.containers.name}', '', None),
    ('{.a b}', None, 'error executing jsonpath "{.a b}": Error executing template: unrecognized identifier b. Printing more information for debugging the template:'),
    ('{.a', None, 'error parsing jsonpath {.a, unclosed action'),
    ('{.a[}', None, 'error parsing jsonpath {.a[}, unterminated array'),
    ('{.a[x]}', None, 'error parsing jsonpath {.a[x]}, invalid array index x'),
    ('{.kind}}', 'Pod}', None),
    ('{range .spec.containers[*]}{.name}', 'ab', None),
    ('{.metadata.labels.x}{.metadata.labels.app}', 'yweb', None),
    ('{%}', None, "error parsing jsonpath {%}, unrecognized character in action: U+0025 '%'"),
    ('{.spec.containers[?(@.name!="b")].name}', 'a', None),
    ("{.spec.containers[0]['image']}", 'nginx', None),
    ('{.spec.containers[-2].name}', 'a', None),
    ('{.spec.containers[-3].name}', None, 'error executing jsonpath "{.spec.containers[-3].name}": Error executing template: array index out of bounds: index -1, length 2. Printing more information for debugging the template:'),
]


@pytest.mark.parametrize("template,out,err", KUBECTL_CASES, ids=[c[0] for c in KUBECTL_CASES])
def test_matches_kubectl(template, out, err):
    if err is None:
        assert execute_template(template, POD) == out
    else:
        with pytest.raises(JSONPathError) as exc:
            execute_template(template, POD)
        assert str(exc.value).split("\n")[0] == err


def test_execution_error_dumps_object_like_go():
    with pytest.raises(JSONPathError) as exc:
        execute_template("{.spec.containers[5]}", {"spec": {"containers": [{"n": 1}], "x": None}})
    text = str(exc.value)
    assert "\ttemplate was:\n\t\t{.spec.containers[5]}\n" in text
    assert text.endswith(
        "\tobject given to jsonpath engine was:\n"
        '\t\tmap[string]interface {}{"spec":map[string]interface {}{"containers":[]interface {}'
        '{map[string]interface {}{"n":1}}, "x":interface {}(nil)}}\n\n'
    )


@pytest.mark.parametrize(
    "template,data,expected",
    [
        ("{.metadata.labels.app\\.kubernetes\\.io/name}", {"metadata": {"labels": {"app.kubernetes.io/name": "web"}}}, "web"),
        ("{.metadata.labels['app.kubernetes.io/name']}", {"metadata": {"labels": {"app.kubernetes.io/name": "web"}}}, "web"),
        ("{.items[*].metadata.name}", {"items": [{"metadata": {"name": "a"}}, {"metadata": {"name": "b"}}]}, "a b"),
        ("{.a}", {"a": None}, ""),
        ("{.a}", {"a": True}, "true"),
        ("{.a}", {"a": 0.5}, "0.5"),
        ("{.a}", {"a": "<&>"}, "<&>"),
        ("{.a}", {"a": {"k": "<&>"}}, '{"k":"\\u003c\\u0026\\u003e"}'),
        ("{.items[?(@.n>1)].n}", {"items": [{"n": 1}, {"n": 2}, {"n": 3}]}, "2 3"),
        ("{.items[?(@.n<=2)].n}", {"items": [{"n": 1}, {"n": 2}, {"n": 3}]}, "1 2"),
        ("{.items[1:3]}", {"items": [1, 2, 3, 4]}, "2 3"),
        ("{.items[::2]}", {"items": [1, 2, 3, 4]}, "1 3"),
        ("{.items[-1]}", {"items": [1, 2, 3, 4]}, "4"),
        ("{.m.*}", {"m": {"b": 2, "a": 1}}, "1 2"),
        ("{range .items[*]}[{.}]{end}", {"items": [1, 2]}, "[1][2]"),
        ("{range .none[*]}x{end}after", {}, "after"),
        ("plain text", {}, "plain text"),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_more_expressions(template, data, expected):
    assert execute_template(template, data) == expected


def test_missing_keys_error_when_not_allowed():
    with pytest.raises(JSONPathError, match="nope is not found"):
        JSONPath("{.nope}", allow_missing_keys=False).execute({"a": 1})


@pytest.mark.parametrize(
    "expr,expected",
    [
        (".metadata.name", "{.metadata.name}"),
        ("metadata.name", "{.metadata.name}"),
        ("{.metadata.name}", "{.metadata.name}"),
        ("{metadata.name}", "{.metadata.name}"),
    ],
)
def test_relaxed(expr, expected):
    assert relaxed(expr) == expected


@pytest.mark.parametrize(
    "value,expected",
    [(0.5, "0.5"), (1e6, "1e+06"), (123456.0, "123456"), (1e21, "1e+21"), (0.0001, "0.0001"), (1e-05, "1e-05")],
)
def test_go_float(value, expected):
    assert go_float(value) == expected


def test_relaxed_rejects_braces_inside():
    with pytest.raises(JSONPathError, match="unexpected path string"):
        relaxed("{.a}{.b}")


@pytest.mark.parametrize("template,expected", [
    ("{range .items[*]}{.n}{'\\n'}{end}", "a\nb\n"),
    ("{range .items[*]}{'\\t'}{.n}{end}", "\ta\tb"),
    ("{'say \"hi\"'}", 'say "hi"'),
    ("{'it\\'s'}", "it's"),
], ids=["newline", "tab", "double-quotes-inside", "escaped-single-quote"])
def test_single_quoted_literals_are_unescaped(template, expected):
    from kctl.printers.jsonpath import execute_template

    assert execute_template(template, {"items": [{"n": "a"}, {"n": "b"}]}) == expected
