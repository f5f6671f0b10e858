"""RFC 6902 JSON patch with evanphx/json-patch v4's behaviour and error texts (checked
against kubectl 1.37 `patch --local --type json`)."""

from __future__ import annotations

import pytest

from kctl.api.jsonpatch import JSONPatchError, apply_patch

DOC = {"spec": {"replicas": 1, "list": [{"n": "a"}, {"n": "b"}], "m": {"a/b": 1, "t~": 2}}}


@pytest.mark.parametrize("patch,expected", [
    ([{"op": "add", "path": "/spec/x", "value": 1}], {"x": 1}),
    ([{"op": "add", "path": "/spec/list/0", "value": {"n": "z"}}],
     {"list": [{"n": "z"}, {"n": "a"}, {"n": "b"}]}),
    ([{"op": "add", "path": "/spec/list/-", "value": {"n": "z"}}],
     {"list": [{"n": "a"}, {"n": "b"}, {"n": "z"}]}),
    ([{"op": "add", "path": "/spec/list/2", "value": {"n": "z"}}],
     {"list": [{"n": "a"}, {"n": "b"}, {"n": "z"}]}),
    ([{"op": "remove", "path": "/spec/list/0"}], {"list": [{"n": "b"}]}),
    ([{"op": "remove", "path": "/spec/m/a~1b"}], {"m": {"t~": 2}}),
    ([{"op": "replace", "path": "/spec/m/t~0", "value": 3}], {"m": {"a/b": 1, "t~": 3}}),
    ([{"op": "replace", "path": "/spec/nope", "value": 1}], {"nope": 1}),  # v4: adds a missing key
    ([{"op": "move", "from": "/spec/replicas", "path": "/spec/r"}], {"r": 1, "replicas": None}),
    ([{"op": "copy", "from": "/spec/replicas", "path": "/spec/r"}], {"r": 1}),
    ([{"op": "copy", "from": "/spec/nope", "path": "/spec/r"}], {"r": None}),  # v4: copies null
    ([{"op": "test", "path": "/spec/replicas", "value": 1},
      {"op": "replace", "path": "/spec/replicas", "value": 2}], {"replicas": 2}),
    ([{"op": "test", "path": "/spec/nope", "value": None}], {}),
], ids=["add-key", "add-index", "add-end-dash", "add-at-len", "remove-index", "remove-escaped",
        "replace-escaped", "replace-missing-key", "move", "copy", "copy-missing", "test-then-replace",
        "test-missing-null"])
def test_apply(patch, expected):
    out = apply_patch(DOC, patch)
    want = {"spec": {**DOC["spec"], **expected}}
    want["spec"] = {k: v for k, v in want["spec"].items() if v is not None or k == "r"}
    assert out == want
    assert DOC["spec"]["replicas"] == 1 and len(DOC["spec"]["list"]) == 2  # input untouched


@pytest.mark.parametrize("patch,message", [
    ({"op": "add"}, "json: cannot unmarshal object into Go value of type jsonpatch.Patch"),
    ([{"op": "foo", "path": "/spec"}], "Unexpected kind: foo"),
    ([{"path": "/spec/a"}], "Unexpected kind: unknown"),
    ([{"op": "add", "value": 1}], "add operation failed to decode path: missing value"),
    ([{"op": "remove"}], "remove operation failed to decode path: missing value"),
    ([{"op": "add", "path": "spec", "value": 3}],
     'add operation does not apply: doc is missing path: "spec": missing value'),
    ([{"op": "add", "path": "/spec/x/y", "value": 1}],
     'add operation does not apply: doc is missing path: "/spec/x/y": missing value'),
    ([{"op": "add", "path": "/spec/list/5", "value": 3}],
     "error in add for path: '/spec/list/5': Unable to access invalid index: 5: invalid index referenced"),
    ([{"op": "add", "path": "/spec/list/x", "value": 1}],
     "error in add for path: '/spec/list/x': value was not a proper array index: 'x': "
     'strconv.Atoi: parsing "x": invalid syntax'),
    ([{"op": "remove", "path": "/spec/nope"}],
     "error in remove for path: '/spec/nope': Unable to remove nonexistent key: nope: missing value"),
    ([{"op": "remove", "path": "/spec/x/y"}],
     'remove operation does not apply: doc is missing path: "/spec/x/y": missing value'),
    ([{"op": "remove", "path": "/spec/list/3"}],
     "error in remove for path: '/spec/list/3': Unable to access invalid index: 3: invalid index referenced"),
    ([{"op": "replace", "path": "/spec/x/y", "value": 3}],
     "replace operation does not apply: doc is missing path: /spec/x/y: missing value"),
    ([{"op": "replace", "path": "/spec/list/7", "value": 1}],
     "Object to be patched is missing field (/spec/list/7: missing value)"),
    ([{"op": "test", "path": "/spec/replicas", "value": 3}], "testing value /spec/replicas failed: test failed"),
    ([{"op": "test", "path": "/spec/replicas", "value": True}], "testing value /spec/replicas failed: test failed"),
    ([{"op": "test", "path": "/spec/nope", "value": 1}], "testing value /spec/nope failed: test failed"),
    ([{"op": "move", "from": "/spec/nope", "path": "/spec/a"}],
     "error in move for path: 'nope': Unable to remove nonexistent key: nope: missing value"),
    ([{"op": "move", "from": "/spec", "path": "/spec/a"}],
     "move operation does not apply: doc is missing destination path: /spec/a: missing value"),
], ids=["not-a-list", "unknown-op", "no-op", "add-no-path", "remove-no-path", "path-without-slash",
        "add-missing-parent", "add-bad-index", "add-not-index", "remove-missing-key",
        "remove-missing-parent", "remove-bad-index", "replace-missing-parent", "replace-bad-index",
        "test-fails", "test-bool-is-not-number", "test-missing", "move-missing-from", "move-into-itself"])
def test_errors(patch, message):
    with pytest.raises(JSONPatchError) as e:
        apply_patch(DOC, patch)
    assert str(e.value) == message
