"""kctl.manifests: documents, Lists, values, positions and kubectl's error texts."""

from __future__ import annotations

import textwrap

import pytest

from kctl import manifests
from kctl.errors import ManifestError
from kctl.manifests import ManifestErrorList, iter_files, load, load_text

HINT = "if you choose to ignore these errors, turn validation off with --validate=false"


def y(s: str) -> str:
    return textwrap.dedent(s).lstrip("\n")


def names(ms):
    return [(m.obj["kind"], m.obj["metadata"]["name"], m.line) for m in ms]


DEPLOY = y("""
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
      labels:
        app.kubernetes.io/name: web
    spec:
      replicas: 2
      template:
        spec:
          containers:
          - name: app
            image: nginx
          - name: side
            image: envoy
            ports:
            - containerPort: 80
    """)


# ---------------------------------------------------------------- documents


@pytest.mark.parametrize(
    "text,expected",
    [
        pytest.param("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n", [("ConfigMap", "a", 1)], id="single"),
        pytest.param(
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: b}\n",
            [("ConfigMap", "a", 1), ("Secret", "b", 5)],
            id="two-docs",
        ),
        pytest.param(
            "---\n# only a comment\n---\n\n---\nnull\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n",
            [("ConfigMap", "a", 8)],
            id="empty-docs-skipped",
        ),
        pytest.param("# nothing\n", [], id="comment-only-file"),
        pytest.param("", [], id="empty-file"),
        pytest.param(
            "# head\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n",
            [("ConfigMap", "a", 2)],
            id="line-after-comment",
        ),
    ],
)
def test_documents(text, expected):
    assert names(load_text(text, "f.yaml")) == expected


NODELIST = y("""
    apiVersion: v1
    kind: NodeList
    items:
    - apiVersion: v1
      kind: Node
      metadata:
        name: n1
    - metadata:
        name: n2
      spec:
        unschedulable: true
    metadata:
      resourceVersion: ""
    """)


def test_nodelist_items_flattened_with_their_lines():
    ms = load_text(NODELIST, "nodes.yaml")
    assert names(ms) == [("Node", "n1", 4), ("Node", "n2", 8)]
    # an item without kind/apiVersion inherits them from the typed list
    assert ms[1].obj["apiVersion"] == "v1"
    assert ms[1].where("spec.unschedulable") == "nodes.yaml:11"
    assert ms[0].where("metadata.name") == "nodes.yaml:7"


def test_list_kind_and_nested_list():
    text = y("""
        apiVersion: v1
        kind: List
        items:
        - apiVersion: v1
          kind: ConfigMap
          metadata: {name: a}
        - apiVersion: apps/v1
          kind: DeploymentList
          items:
          - apiVersion: apps/v1
            kind: Deployment
            metadata: {name: d}
        """)
    ms = load_text(text, "l.yaml")
    assert names(ms) == [("ConfigMap", "a", 4), ("Deployment", "d", 10)]
    assert ms[1].where("metadata.name") == "l.yaml:12"


def test_empty_list_gives_nothing():
    assert load_text("apiVersion: v1\nkind: List\nitems: []\n", "l.yaml") == []


def test_json_single_list_and_stream():
    one = '{\n\t"apiVersion": "v1",\n\t"kind": "ConfigMap",\n\t"metadata": {"name": "t"},\n\t"data": {"n": 3.5}\n}\n'
    ms = load_text(one, "t.json")
    assert names(ms) == [("ConfigMap", "t", 1)]
    assert ms[0].obj["data"] == {"n": 3.5}
    assert ms[0].where("metadata.name") == "t.json:4"
    stream = '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"}}\n{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"b"}}\n'
    assert names(load_text(stream, "s.json")) == [("ConfigMap", "a", 1), ("ConfigMap", "b", 2)]
    lst = '{"apiVersion":"v1","kind":"List","items":[\n {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"}},\n {"apiVersion":"v1","kind":"Secret","metadata":{"name":"b"}}]}'
    assert names(load_text(lst, "l.json")) == [("ConfigMap", "a", 2), ("Secret", "b", 3)]


def test_json_with_trailing_comma_falls_back_to_yaml():
    # apimachinery's YAMLOrJSONDecoder retries as YAML, which accepts this flow mapping
    ms = load_text('{"apiVersion": "v1", "kind": "ConfigMap",\n "metadata": {"name": "x",}}\n', "bad.json")
    assert names(ms) == [("ConfigMap", "x", 1)]


# ---------------------------------------------------------------- values (go-yaml v2 / sigs.k8s.io/yaml)

VALUES = [
    ("yes", True), ("Yes", True), ("on", True), ("ON", True), ("y", True), ("true", True),
    ("no", False), ("off", False), ("n", False), ("False", False),
    ("~", None), ("null", None), ("", None),
    ("2020-01-01", "2020-01-01"), ("2001-12-14t21:59:43.10-05:00", "2001-12-14t21:59:43.10-05:00"),
    ("0777", 511), ("0x1F", 31), ("0o17", 15), ("0b101", 5), ("1_000", 1000), ("-12", -12), ("+7", 7),
    ("1e3", 1000), ("3.0", 3), ("0.5", 0.5), (".5", 0.5), ("1.5e-3", 0.0015), ("1e21", 1e21), ("1e400", "1e400"),
    ("9223372036854775808", 9223372036854775808), ("08", 8), ("09.5", 9.5),
    ("250m", "250m"), ("1Gi", "1Gi"), ("1.2.3", "1.2.3"), ("0x", "0x"), ("-x", "-x"), ("+", "+"), (".", "."),
    ("'yes'", "yes"), ('"0777"', "0777"), ("!!str on", "on"), ("!!int 12", 12), ("|\n    on", "on\n"),
]


@pytest.mark.parametrize("raw,expected", VALUES, ids=[v[0] or "empty" for v in VALUES])
def test_scalar_values_as_kubectl(raw, expected):
    text = f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: x}}\ndata:\n  v: {raw}\n"
    got = load_text(text, "v.yaml")[0].obj["data"]["v"]
    assert got == expected
    assert type(got) is type(expected)


@pytest.mark.parametrize(
    "raw_key,expected",
    [("80", "80"), ("on", "true"), ("no", "false"), ("0x10", "16"), ("'80'", "80"), ("a.b/c", "a.b/c")],
    ids=["int", "on", "no", "hex", "quoted", "dotted"],
)
def test_keys_become_strings(raw_key, expected):
    text = f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: x}}\ndata:\n  {raw_key}: v\n"
    assert list(load_text(text, "k.yaml")[0].obj["data"]) == [expected]


def test_anchors_and_merge_keys():
    text = y("""
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: x
          labels: &l {a: "1", b: "2"}
          annotations:
            <<: *l
            b: three
        """)
    meta = load_text(text, "m.yaml")[0].obj["metadata"]
    assert meta["labels"] == {"a": "1", "b": "2"}
    assert meta["annotations"] == {"a": "1", "b": "three"}


# ---------------------------------------------------------------- positions


@pytest.mark.parametrize(
    "path,where",
    [
        ("", "d.yaml:1"),
        ("kind", "d.yaml:2"),
        ("metadata.name", "d.yaml:4"),
        ("metadata.labels[app.kubernetes.io/name]", "d.yaml:6"),
        ("metadata.labels[missing]", "d.yaml:5"),
        ("spec[replicas]", "d.yaml:8"),
        ("spec.replicas", "d.yaml:8"),
        ("spec.template.spec.containers[0]", "d.yaml:12"),
        ("spec.template.spec.containers[0].image", "d.yaml:13"),
        ("spec.template.spec.containers[1].image", "d.yaml:15"),
        ("spec.template.spec.containers[1].ports[0].containerPort", "d.yaml:17"),
        ("spec.template.spec.containers[1].ports[0].protocol", "d.yaml:17"),
        ("spec.template.spec.containers[2].name", "d.yaml:11"),
        ("spec.selector.matchLabels", "d.yaml:7"),
        ("status", "d.yaml:1"),
    ],
)
def test_where(path, where):
    m = load_text(DEPLOY, "d.yaml")[0]
    assert m.where(path) == where


def test_positions_in_second_document_are_file_lines():
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n" + DEPLOY
    m = load_text(text, "d.yaml")[1]
    assert m.line == 5
    assert m.where("spec.template.spec.containers[0].image") == "d.yaml:17"
    assert m.positions["spec.template.spec.containers[0].image"] == (17, 9)
    assert m.doc_index == 1


def test_manifest_with_explicit_positions():
    m = manifests.Manifest({"kind": "X"}, "a.yaml", 3, {"spec": (4, 1)}, 0)
    assert m.where("spec.x") == "a.yaml:4"
    assert m.where("metadata") == "a.yaml:3"


# ---------------------------------------------------------------- errors


@pytest.mark.parametrize(
    "text,source,message",
    [
        pytest.param(
            "a: 1\nb: c: d\n", "syn.yaml:2:5",
            "error parsing f.yaml: error converting YAML to JSON: yaml: line 2: mapping values are not allowed in this context",
            id="mapping-values",
        ),
        pytest.param(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: y\n   bad: 1\n",
            "syn.yaml:10:7",
            "error parsing f.yaml: error converting YAML to JSON: yaml: line 5: mapping values are not allowed in this context",
            id="line-counts-from-document",
        ),
        pytest.param(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  - y\n", "syn.yaml:5:3",
            # go-yaml reports parser errors with a 0-based line (kubectl prints 4)
            "error parsing f.yaml: error converting YAML to JSON: yaml: line 4: did not find expected key",
            id="parser-error-line",
        ),
        pytest.param(
            'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: "x\n', "syn.yaml:5:1",
            "error parsing f.yaml: error converting YAML to JSON: yaml: line 5: found unexpected end of stream",
            id="unclosed-quote",
        ),
        pytest.param(
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {a: *zz}\n", "syn.yaml:4:11",
            "error parsing f.yaml: error converting YAML to JSON: yaml: unknown anchor 'zz' referenced",
            id="unknown-anchor",
        ),
        pytest.param(
            'apiVersion: v1\nkind: ConfigMap\ndata: {a: "x\x01"}\n', "syn.yaml:3:13",
            "error parsing f.yaml: error converting YAML to JSON: yaml: control characters are not allowed",
            id="control-character",
        ),
        pytest.param(
            "apiVersion: v1\nkind: ConfigMap\n--- {a: 1}\n", "syn.yaml:3",
            "error parsing f.yaml: invalid Yaml document separator: {a: 1}",
            id="content-after-separator",
        ),
    ],
)
def test_yaml_syntax_errors(text, source, message):
    with pytest.raises(ManifestError) as ei:
        load_text(text, "f.yaml")
    e = ei.value
    assert e.message == message
    assert e.source == source.replace("syn.yaml", "f.yaml")
    assert e.render() == f"{e.source}: error: {message}"


def test_duplicate_keys():
    text = y("""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
        spec:
          containers:
          - image: a
            image: b
            name: x
            name: y
        """)
    with pytest.raises(ManifestError) as ei:
        load_text(text, "f.yaml")
    assert ei.value.source == "f.yaml:8"
    assert ei.value.message == (
        "error parsing f.yaml: error converting YAML to JSON: yaml: unmarshal errors:\n"
        '  line 8: key "image" already set in map\n'
        '  line 10: key "name" already set in map'
    )


@pytest.mark.parametrize(
    "text,source,detail",
    [
        pytest.param("apiVersion: v1\nmetadata:\n  name: x\n", "f.yaml:1", "kind not set", id="no-kind"),
        pytest.param("kind: Pod\n", "f.yaml:1", "apiVersion not set", id="no-apiVersion"),
        pytest.param("foo: 1\n", "f.yaml:1", "[apiVersion not set, kind not set]", id="neither"),
        pytest.param("apiVersion: 1\nkind: [a]\n", "f.yaml:1", "[apiVersion isn't string type, kind isn't string type]", id="wrong-types"),
        pytest.param("- a\n- b\n", "f.yaml:1", "invalid object to validate", id="list-document"),
        pytest.param("x: 1\n---\nhello\n", "f.yaml:3", None, id="scalar-document-second"),
        pytest.param("apiVersion: v1\nkind: List\nitems:\n- 7\n", "f.yaml:4", "invalid object to validate", id="list-item-scalar"),
        pytest.param(
            "apiVersion: v1\nkind: List\nitems:\n- metadata: {name: a}\n", "f.yaml:4",
            "[apiVersion not set, kind not set]", id="untyped-list-item",
        ),
    ],
)
def test_validation_errors(text, source, detail):
    with pytest.raises(ManifestError) as ei:
        load_text(text, "f.yaml")
    errs = ei.value.errors if isinstance(ei.value, ManifestErrorList) else [ei.value]
    last = errs[-1]
    assert last.source == source
    if detail is not None:
        assert last.message == f'error validating "f.yaml": error validating data: {detail}; {HINT}'


def test_every_bad_document_is_reported(tmp_path):
    (tmp_path / "a.yaml").write_text("kind: Pod\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n---\n- x\n")
    (tmp_path / "b.yaml").write_text("apiVersion: v1\n")
    with pytest.raises(ManifestErrorList) as ei:
        load([str(tmp_path)])
    e = ei.value
    assert [x.source for x in e.errors] == [f"{tmp_path}/a.yaml:1", f"{tmp_path}/a.yaml:7", f"{tmp_path}/b.yaml:1"]
    assert e.render().count("\n") == 2
    assert e.render().splitlines()[2] == (
        f'{tmp_path}/b.yaml:1: error: error validating "{tmp_path}/b.yaml": error validating data: kind not set; {HINT}'
    )


# ---------------------------------------------------------------- files


@pytest.fixture
def tree(tmp_path):
    cm = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: %s}\n"
    (tmp_path / "b.yaml").write_text(cm % "b")
    (tmp_path / "a.yml").write_text(cm % "a")
    (tmp_path / "c.json").write_text('{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"}}')
    (tmp_path / "notes.txt").write_text("not yaml")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "s.yaml").write_text(cm % "s")
    (tmp_path / "aa").mkdir()
    (tmp_path / "aa" / "z.yaml").write_text(cm % "z")
    (tmp_path / "empty").mkdir()
    return tmp_path


def rel(root, files):
    return [f[len(str(root)) + 1:] if f != "-" else f for f in files]


@pytest.mark.parametrize(
    "args,recursive,expected",
    [
        pytest.param(["."], False, ["a.yml", "b.yaml", "c.json"], id="dir-flat"),
        pytest.param(["."], True, ["a.yml", "aa/z.yaml", "b.yaml", "c.json", "sub/s.yaml"], id="dir-recursive-lexical"),
        pytest.param(["notes.txt"], False, ["notes.txt"], id="explicit-file-any-extension"),
        pytest.param(["-", "b.yaml"], False, ["-", "b.yaml"], id="stdin-kept"),
    ],
)
def test_iter_files(tree, args, recursive, expected):
    paths = [a if a == "-" else str(tree / a) for a in args]
    assert rel(tree, iter_files(paths, recursive)) == expected


@pytest.mark.parametrize(
    "arg,message",
    [
        ("missing.yaml", 'the path "{root}/missing.yaml" does not exist'),
        ("empty", "error reading [{root}/empty]: recognized file extensions are [.json .yaml .yml]"),
    ],
    ids=["missing", "empty-dir"],
)
def test_iter_files_errors(tree, arg, message):
    with pytest.raises(ManifestError) as ei:
        iter_files([str(tree / arg)], False)
    assert ei.value.message == message.format(root=tree)
    assert ei.value.render() == "error: " + message.format(root=tree)


def test_directory_paths_are_cleaned(tree, monkeypatch):
    monkeypatch.chdir(tree)
    assert iter_files(["./sub/"], False) == ["sub/s.yaml"]
    assert iter_files(["./b.yaml"], False) == ["./b.yaml"]


def test_load_directory_and_stdin(tree):
    ms = load([str(tree), "-"], stdin_text="apiVersion: v1\nkind: Secret\nmetadata: {name: in}\n")
    assert [(m.obj["metadata"]["name"], m.source.rsplit("/", 1)[-1]) for m in ms] == [
        ("a", "a.yml"), ("b", "b.yaml"), ("c", "c.json"), ("in", "STDIN"),
    ]
    assert ms[-1].where("metadata.name") == "STDIN:3"


def test_stdin_errors_name_stdin():
    with pytest.raises(ManifestError) as ei:
        load(["-"], stdin_text="kind: ConfigMap\nmetadata: {name: x}\n")
    assert ei.value.render() == f'STDIN:1: error: error validating "STDIN": error validating data: apiVersion not set; {HINT}'


def test_start_up_does_not_import_ruamel():
    import subprocess
    import sys

    code = "import sys, kctl.manifests; print('ruamel' in ' '.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
