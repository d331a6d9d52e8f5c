"""JSON Schema 2020-12's keywords, grouped as the specification groups them, for the modules that sort
a schema's keywords (which ones apply subschemas, which ones only describe).

Each module still decides its own set (what the evaluation engine reports alike, what a UUID meets,
what is followed when walking); it composes it from these groups, so a keyword is spelled once.
"""

from __future__ import annotations

# Core: identifiers, references, comments and definitions ("definitions" is the name before 2019-09,
# which OpenAPI documents still use).
CORE = ("$schema", "$id", "$ref", "$anchor", "$dynamicRef", "$dynamicAnchor", "$vocabulary", "$comment", "$defs")
DEFINITIONS = ("$defs", "definitions")
# Applicators whose subschemas apply to the instance itself.
IN_PLACE = ("allOf", "anyOf", "oneOf", "not", "if", "then", "else", "dependentSchemas")
# Applicators whose subschemas apply to the instance's items or members.
TO_CHILDREN = (
    "prefixItems",
    "items",
    "contains",
    "properties",
    "patternProperties",
    "additionalProperties",
    "propertyNames",
)
UNEVALUATED = ("unevaluatedItems", "unevaluatedProperties")
VALIDATION = (
    "type",
    "enum",
    "const",
    "multipleOf",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "maxContains",
    "minContains",
    "maxProperties",
    "minProperties",
    "required",
    "dependentRequired",
)
FORMAT = ("format",)
CONTENT = ("contentEncoding", "contentMediaType", "contentSchema")
META_DATA = ("title", "description", "default", "deprecated", "readOnly", "writeOnly", "examples")
# What OpenAPI 3.1 adds to a Schema Object (``example`` is deprecated there, and still read).
OPENAPI = ("discriminator", "xml", "externalDocs", "example")

# Keywords holding subschemas, by the shape of their value: one schema, a list of them, a map of them.
SUBSCHEMA = (
    "items",
    "contains",
    "not",
    "if",
    "then",
    "else",
    "additionalProperties",
    "unevaluatedProperties",
    "unevaluatedItems",
    "propertyNames",
    "contentSchema",
)
SUBSCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
SUBSCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
