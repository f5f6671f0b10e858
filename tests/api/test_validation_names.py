"""kctl.api.validation.names: apimachinery's string-format messages, verbatim."""

import pytest

from kctl.api.validation import names

SUBDOMAIN_MSG = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
    "and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
    r"'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
)
LABEL_MSG = (
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and "
    "end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
)
DNS1035_MSG = (
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic "
    "character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation "
    "is '[a-z]([-a-z0-9]*[a-z0-9])?')"
)
NAME_PART_MSG = (
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
    "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
    "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
)
LABEL_VALUE_MSG = (
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must "
    "start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for "
    "validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
)
CONFIG_KEY_MSG = (
    "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or "
    "'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"
)

CASES = [
    ("subdomain-ok", names.dns1123_subdomain, "example.com", []),
    ("subdomain-upper", names.dns1123_subdomain, "Example", [SUBDOMAIN_MSG]),
    ("subdomain-trailing-dash", names.dns1123_subdomain, "web-", [SUBDOMAIN_MSG]),
    ("subdomain-too-long", names.dns1123_subdomain, "a" * 254, ["must be no more than 253 characters"]),
    ("subdomain-newline", names.dns1123_subdomain, "web\n", [SUBDOMAIN_MSG]),
    ("label-ok", names.dns1123_label, "123-abc", []),
    ("label-dots", names.dns1123_label, "a.b", ["must not contain dots"]),
    ("label-underscore", names.dns1123_label, "my_name", [LABEL_MSG]),
    ("label-too-long", names.dns1123_label, "a" * 64, ["must be no more than 63 characters"]),
    ("dns1035-ok", names.dns1035_label, "my-svc", []),
    ("dns1035-digit-start", names.dns1035_label, "1svc", [DNS1035_MSG]),
    ("qualified-ok", names.qualified_name, "app.kubernetes.io/name", []),
    ("qualified-plain", names.qualified_name, "MyName", []),
    ("qualified-bad-name", names.qualified_name, "-bad", [NAME_PART_MSG]),
    ("qualified-empty-prefix", names.qualified_name, "/name", ["prefix part must be non-empty"]),
    ("qualified-bad-prefix", names.qualified_name, "Example.com/name", ["prefix part " + SUBDOMAIN_MSG]),
    ("qualified-empty-name", names.qualified_name, "example.com/",
     ["name part must be non-empty", NAME_PART_MSG]),
    ("qualified-too-long", names.qualified_name, "a" * 64, ["name part must be no more than 63 bytes"]),
    ("qualified-two-slashes", names.qualified_name, "a/b/c",
     ["a valid label key must consist of alphanumeric characters, '-', '_' or '.', and must start and end "
      "with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
      "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. "
      "'example.com/MyName')"]),
    ("label-value-empty", names.label_value, "", []),
    ("label-value-bad", names.label_value, "a b", [LABEL_VALUE_MSG]),
    ("label-value-long", names.label_value, "a" * 64, ["must be no more than 63 bytes"]),
    ("port-name-ok", names.is_valid_port_name, "http-alt", []),
    ("port-name-long", names.is_valid_port_name, "a" * 16, ["must be no more than 15 characters"]),
    ("port-name-upper", names.is_valid_port_name, "HTTP",
     ["must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)",
      "must contain at least one letter (a-z)"]),
    ("port-name-digits", names.is_valid_port_name, "8080", ["must contain at least one letter (a-z)"]),
    ("port-name-double-dash", names.is_valid_port_name, "a--b", ["must not contain consecutive hyphens"]),
    ("port-name-edge-dash", names.is_valid_port_name, "-web", ["must not begin or end with a hyphen"]),
    ("env-ok-relaxed", names.env_var_name, "1-my.var with space", []),
    ("env-equals", names.env_var_name, "A=B",
     ["a valid environment variable name must consist only of printable ASCII characters other than '='"]),
    ("env-non-ascii", names.env_var_name, "VÄR",
     ["a valid environment variable name must consist only of printable ASCII characters other than '='"]),
    ("env-empty", names.env_var_name, "", ["environment variable name must be non-empty"]),
    ("config-key-ok", names.config_map_key, "app.properties", []),
    ("config-key-slash", names.config_map_key, "a/b", [CONFIG_KEY_MSG]),
    ("config-key-dotdot", names.config_map_key, "..data", ["must not start with '..'"]),
    ("config-key-dot", names.config_map_key, ".", ["must not be '.'"]),
    ("percent-ok", names.percent, "25%", []),
    ("percent-bad", names.percent, "25",
     ["a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', "
      "regex used for validation is '[0-9]+%')"]),
    ("port-num-ok", names.is_valid_port_num, 65535, []),
    ("port-num-zero", names.is_valid_port_num, 0, ["must be between 1 and 65535, inclusive"]),
    ("port-num-high", names.is_valid_port_num, 70000, ["must be between 1 and 65535, inclusive"]),
]


@pytest.mark.parametrize("fn,value,expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_messages(fn, value, expected):
    assert fn(value) == expected


def test_brief_subdomain_text():
    # the exact sentence users see for a bad metadata.name
    assert names.dns1123_subdomain("Web")[0] == SUBDOMAIN_MSG


@pytest.mark.parametrize("fn,prefix,expected", [
    (names.name_is_dns_subdomain, "web-", []),
    (names.name_is_dns_label, "web-", []),
    (names.name_is_dns1035_label, "svc-", []),
    (names.name_is_dns_subdomain, "Web-", [SUBDOMAIN_MSG]),
], ids=["subdomain-prefix-dash", "label-prefix-dash", "dns1035-prefix-dash", "prefix-upper"])
def test_generate_name_prefixes(fn, prefix, expected):
    assert fn(prefix, True) == expected
    assert fn(prefix, False) != []  # without prefix mode the trailing dash is an error
