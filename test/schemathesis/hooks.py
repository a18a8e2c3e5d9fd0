"""Schemathesis hooks, loaded through schemathesis.toml (`hooks`).

The served document describes metadata and payloads as one open `JsonObject`
whose `propertyNames` states the key rules for its top level, and whose
description says they hold at every level: a non-recursive schema, so that
client generators make a plain map of it. The service checks every level, so
the fuzzer must nest only keys it admits, or it reports its own invalid
nested keys as "schema-valid request rejected". This makes the rule recursive
for the fuzzer only; the rule itself is still read from the served document.
"""

import schemathesis

VALUE = "JsonValueAtEveryLevel"


@schemathesis.hook
def before_load_schema(context, raw_schema):
    schemas = raw_schema["components"]["schemas"]
    schemas[VALUE] = {
        "anyOf": [
            {"type": "null"},
            {"type": "string"},
            {"type": "number"},
            {"type": "boolean"},
            {"type": "array", "items": {"$ref": f"#/components/schemas/{VALUE}"}},
            {"$ref": "#/components/schemas/JsonObject"},
        ]
    }
    schemas["JsonObject"]["additionalProperties"] = {
        "$ref": f"#/components/schemas/{VALUE}"
    }
