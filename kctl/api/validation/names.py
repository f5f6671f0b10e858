"""String-format checks of apimachinery (pkg/util/validation, pkg/api/validate/content).

Each `is_*`/name function returns a list of upstream's message strings (empty when
valid); callers wrap them in FieldErrors (`field.invalid(path, value, msg)`).
The texts are interface: they match Kubernetes 1.37 byte for byte.
"""

from __future__ import annotations

import re

DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
DNS1123_LABEL_ERR = ("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
                     "and must start and end with an alphanumeric character")
DNS1123_LABEL_MAX = 63
DNS1123_SUBDOMAIN_FMT = DNS1123_LABEL_FMT + r"(\." + DNS1123_LABEL_FMT + ")*"
DNS1123_SUBDOMAIN_ERR = ("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, "
                         "'-' or '.', and must start and end with an alphanumeric character")
DNS1123_SUBDOMAIN_MAX = 253
DNS1035_LABEL_FMT = "[a-z]([-a-z0-9]*[a-z0-9])?"
DNS1035_LABEL_ERR = ("a DNS-1035 label must consist of lower case alphanumeric characters or '-', "
                     "start with an alphabetic character, and end with an alphanumeric character")
DNS1035_LABEL_MAX = 63

LABEL_KEY_CHAR_FMT = "[A-Za-z0-9]"
LABEL_KEY_EXT_CHAR_FMT = "[-A-Za-z0-9_.]"
LABEL_KEY_FMT = "(" + LABEL_KEY_CHAR_FMT + LABEL_KEY_EXT_CHAR_FMT + "*)?" + LABEL_KEY_CHAR_FMT
LABEL_KEY_ERR = ("must consist of alphanumeric characters, '-', '_' or '.', "
                 "and must start and end with an alphanumeric character")
LABEL_KEY_MAX = 63
LABEL_VALUE_FMT = "(" + LABEL_KEY_FMT + ")?"
LABEL_VALUE_ERR = ("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', "
                   "and must start and end with an alphanumeric character")
LABEL_VALUE_MAX = 63

ENV_VAR_NAME_FMT = "[-._a-zA-Z][-._a-zA-Z0-9]*"
ENV_VAR_NAME_ERR = ("a valid environment variable name must consist of alphabetic characters, digits, '_', '-', "
                    "or '.', and must not start with a digit")
RELAXED_ENV_VAR_NAME_ERR = ("a valid environment variable name must consist only of printable ASCII characters "
                            "other than '='")
CONFIG_MAP_KEY_FMT = "[-._a-zA-Z0-9]+"
CONFIG_MAP_KEY_ERR = "a valid config key must consist of alphanumeric characters, '-', '_' or '.'"
PERCENT_FMT = "[0-9]+%"
PERCENT_ERR = "a valid percent string must be a numeric string followed by an ending '%'"
HTTP_HEADER_NAME_FMT = "[-A-Za-z0-9]+"
HTTP_HEADER_NAME_ERR = "a valid HTTP header must consist of alphanumeric characters or '-'"
C_IDENTIFIER_FMT = "[A-Za-z_][A-Za-z0-9_]*"

_dns1123_label_re = re.compile("^" + DNS1123_LABEL_FMT + "$")
_dns1123_subdomain_re = re.compile("^" + DNS1123_SUBDOMAIN_FMT + "$")
_dns1035_label_re = re.compile("^" + DNS1035_LABEL_FMT + "$")
_label_key_re = re.compile("^" + LABEL_KEY_FMT + "$")
_label_value_re = re.compile("^" + LABEL_VALUE_FMT + "$")
_env_var_re = re.compile("^" + ENV_VAR_NAME_FMT + "$")
_config_map_key_re = re.compile("^" + CONFIG_MAP_KEY_FMT + "$")
_percent_re = re.compile("^" + PERCENT_FMT + "$")
_http_header_re = re.compile("^" + HTTP_HEADER_NAME_FMT + "$")
_port_name_charset_re = re.compile("^[-a-z0-9]+$")
_port_name_letter_re = re.compile("[a-z]")


def _match(rx: re.Pattern, value: str) -> bool:
    # Go's regexp `$` matches only at the very end; Python's also before a final "\n"
    return rx.match(value) is not None and "\n" not in value


def max_len_error(length: int, unit: str = "characters") -> str:
    """util/validation's MaxLenError says "characters"; the newer api/validate/content
    package (label keys and values since 1.35) says "bytes"."""
    return f"must be no more than {length} {unit}"


def regex_error(msg: str, fmt: str, *examples: str) -> str:
    """apimachinery RegexError: message, examples and the regex used.

    Upstream appends "'ex', " per example and joins with " or ", so two examples read
    `(e.g. 'my-name',  or 'abc-123', regex used ...)` -- comma and double space included.
    """
    if not examples:
        return f"{msg} (regex used for validation is '{fmt}')"
    ex = " or ".join(f"'{e}', " for e in examples)
    return f"{msg} (e.g. {ex}regex used for validation is '{fmt}')"


def empty_error() -> str:
    return "must be non-empty"


def inclusive_range_error(lo: int, hi: int) -> str:
    return f"must be between {lo} and {hi}, inclusive"


def dns1123_label(value: str) -> list[str]:
    """IsDNS1123Label: container, volume, port-less names (`my-name`)."""
    errs = []
    if len(value) > DNS1123_LABEL_MAX:
        errs.append(max_len_error(DNS1123_LABEL_MAX))
    if not _match(_dns1123_label_re, value):
        if _match(_dns1123_subdomain_re, value):
            errs.append("must not contain dots")
        else:
            errs.append(regex_error(DNS1123_LABEL_ERR, DNS1123_LABEL_FMT, "my-name", "123-abc"))
    return errs


def dns1123_subdomain(value: str, unit: str = "characters") -> list[str]:
    """IsDNS1123Subdomain: most object names (`example.com`)."""
    errs = []
    if len(value) > DNS1123_SUBDOMAIN_MAX:
        errs.append(max_len_error(DNS1123_SUBDOMAIN_MAX, unit))
    if not _match(_dns1123_subdomain_re, value):
        errs.append(regex_error(DNS1123_SUBDOMAIN_ERR, DNS1123_SUBDOMAIN_FMT, "example.com"))
    return errs


def dns1035_label(value: str) -> list[str]:
    """IsDNS1035Label: Service names (`my-name`, must start with a letter)."""
    errs = []
    if len(value) > DNS1035_LABEL_MAX:
        errs.append(max_len_error(DNS1035_LABEL_MAX))
    if not _match(_dns1035_label_re, value):
        errs.append(regex_error(DNS1035_LABEL_ERR, DNS1035_LABEL_FMT, "my-name", "abc-123"))
    return errs


is_dns1123_label = dns1123_label
is_dns1123_subdomain = dns1123_subdomain
is_dns1035_label = dns1035_label


# --- name functions for ObjectMeta (apimachinery/pkg/api/validation/generic.go) ---------------

def _mask_trailing_dash(name: str) -> str:
    """generateName prefixes may end in '-': check them as if that dash were 'a'."""
    if len(name) > 1 and name.endswith("-"):
        return name[:-2] + "a"
    return name


def name_is_dns_subdomain(name: str, prefix: bool = False) -> list[str]:
    """NameIsDNSSubdomain(name, prefix) -> messages."""
    if prefix:
        name = _mask_trailing_dash(name)
    return dns1123_subdomain(name)


def name_is_dns_label(name: str, prefix: bool = False) -> list[str]:
    """NameIsDNSLabel(name, prefix) -> messages."""
    if prefix:
        name = _mask_trailing_dash(name)
    return dns1123_label(name)


def name_is_dns1035_label(name: str, prefix: bool = False) -> list[str]:
    """NameIsDNS1035Label(name, prefix) -> messages (Services)."""
    if prefix:
        name = _mask_trailing_dash(name)
    return dns1035_label(name)


# upstream's ValidateNamespaceName / ValidateServiceAccountName are DNS label / subdomain
validate_namespace_name = name_is_dns_label
validate_service_account_name = name_is_dns_subdomain


def _prefix_each(msgs: list[str], prefix: str) -> list[str]:
    return [prefix + m for m in msgs]


def qualified_name(value: str) -> list[str]:
    """IsQualifiedName / IsLabelKey: `[prefix/]name` (label and annotation keys, finalizers)."""
    errs: list[str] = []
    parts = value.split("/")
    if len(parts) == 1:
        name = parts[0]
    elif len(parts) == 2:
        prefix, name = parts
        if not prefix:
            errs.append("prefix part " + empty_error())
        else:
            msgs = dns1123_subdomain(prefix, "bytes")
            if msgs:
                errs.extend(_prefix_each(msgs, "prefix part "))
    else:
        return ["a valid label key " + regex_error(LABEL_KEY_ERR, LABEL_KEY_FMT, "MyName", "my.name", "123-abc")
                + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"]
    if not name:
        errs.append("name part " + empty_error())
    elif len(name) > LABEL_KEY_MAX:
        errs.append("name part " + max_len_error(LABEL_KEY_MAX, "bytes"))
    if not _match(_label_key_re, name):
        errs.append("name part " + regex_error(LABEL_KEY_ERR, LABEL_KEY_FMT, "MyName", "my.name", "123-abc"))
    return errs


is_qualified_name = qualified_name
label_key = qualified_name


def label_value(value: str) -> list[str]:
    """IsValidLabelValue: empty, or up to 63 label-key characters."""
    errs = []
    if len(value) > LABEL_VALUE_MAX:
        errs.append(max_len_error(LABEL_VALUE_MAX, "bytes"))
    if not _match(_label_value_re, value):
        errs.append(regex_error(LABEL_VALUE_ERR, LABEL_VALUE_FMT, "MyValue", "my_value", "12345"))
    return errs


is_valid_label_value = label_value


def is_valid_port_name(port: str) -> list[str]:
    """IsValidPortName (IANA_SVC_NAME): <=15 chars of [-a-z0-9], a letter, no '--', no edge '-'."""
    errs = []
    if len(port) > 15:
        errs.append(max_len_error(15))
    if not _match(_port_name_charset_re, port):
        errs.append("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")
    if not _port_name_letter_re.search(port):
        errs.append("must contain at least one letter (a-z)")
    if "--" in port:
        errs.append("must not contain consecutive hyphens")
    if port and (port[0] == "-" or port[-1] == "-"):
        errs.append("must not begin or end with a hyphen")
    return errs


port_name = is_valid_port_name


def is_valid_port_num(port: int) -> list[str]:
    """IsValidPortNum: 1..65535."""
    if 1 <= port <= 65535:
        return []
    return [inclusive_range_error(1, 65535)]


port_number = is_valid_port_num


def is_in_range(value: int, lo: int, hi: int) -> list[str]:
    return [] if lo <= value <= hi else [inclusive_range_error(lo, hi)]


def is_valid_user_id(uid: int) -> list[str]:
    return is_in_range(uid, 0, 0xFFFFFFFF)


is_valid_group_id = is_valid_user_id


def _has_chdir_prefix(value: str) -> list[str]:
    if value == ".":
        return ["must not be '.'"]
    if value == "..":
        return ["must not be '..'"]
    if value.startswith(".."):
        return ["must not start with '..'"]
    return []


def env_var_name_strict(value: str) -> list[str]:
    """IsEnvVarName: the pre-1.32 C-like rule (kept for reference; 1.37 uses the relaxed rule)."""
    errs = []
    if not _match(_env_var_re, value):
        errs.append(regex_error(ENV_VAR_NAME_ERR, ENV_VAR_NAME_FMT, "my.env-name", "MY_ENV.NAME", "MyEnvName1"))
    errs.extend(_has_chdir_prefix(value))
    return errs


def env_var_name(value: str) -> list[str]:
    """IsRelaxedEnvVarName: 1.37 (RelaxedEnvironmentVariableValidation GA) rule for env names and envFrom prefixes."""
    errs = []
    if not value:
        errs.append("environment variable name " + empty_error())
    for ch in value:
        if ord(ch) > 127 or not ch.isprintable() or ch == "=":
            errs.append(RELAXED_ENV_VAR_NAME_ERR)
            break
    return errs


is_env_var_name = env_var_name


def config_map_key(value: str) -> list[str]:
    """IsConfigMapKey: ConfigMap/Secret data keys and key selectors."""
    errs = []
    if len(value) > DNS1123_SUBDOMAIN_MAX:
        errs.append(max_len_error(DNS1123_SUBDOMAIN_MAX))
    if not _match(_config_map_key_re, value):
        errs.append(regex_error(CONFIG_MAP_KEY_ERR, CONFIG_MAP_KEY_FMT, "key.name", "KEY_NAME", "key-name"))
    errs.extend(_has_chdir_prefix(value))
    return errs


is_config_map_key = config_map_key


def percent(value: str) -> list[str]:
    """IsValidPercent: `25%`."""
    if _match(_percent_re, value):
        return []
    return [regex_error(PERCENT_ERR, PERCENT_FMT, "1%", "93%")]


is_valid_percent = percent


def http_header_name(value: str) -> list[str]:
    """IsHTTPHeaderName."""
    if _match(_http_header_re, value):
        return []
    return [regex_error(HTTP_HEADER_NAME_ERR, HTTP_HEADER_NAME_FMT, "X-Header-Name")]
