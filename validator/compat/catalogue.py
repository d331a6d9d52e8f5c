"""The catalogue: every compatibility rule in one hand-written table (what ``diff --list-rules`` prints).

A rule has one id, one direction, one verdict and one summary. The id is the rule function's name,
prefixed by its direction for schema rules (the same change narrows a request and widens a
response, so it has one row per direction); the fixture folder ``tests/compat/fixtures/<id>``
carries the same name. ``bump`` is what a non-breaking change asks of the version number.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from .report import Finding
from .rules import bounds, composition, operations, parameters, relations, requests, responses, schemas

CONTRACT, OPERATION, SCHEMA = "contract", "operation", "schema"
OP, REQ, RESP = "operation", "request", "response"
_SCOPES = {
    "operations": CONTRACT,
    "parameters": OPERATION,
    "requests": OPERATION,
    "responses": OPERATION,
    "relations": OPERATION,
    "schemas": SCHEMA,
    "bounds": SCHEMA,
    "composition": SCHEMA,
}


@dataclass(frozen=True, slots=True)
class Rule:
    """One compatibility rule: id, direction (operation, request, response), verdict, summary, check."""

    id: str
    direction: str
    breaking: bool
    summary: str
    check: Callable[[Any], Iterable[Finding]]
    nonbreaking_bump: str = "minor"  # patch for information and narrowed output

    @property
    def scope(self) -> str:
        """What the check reads: the contract pair, one operation pair, or one schema pair."""
        return _SCOPES[self.check.__module__.rsplit(".", 1)[1]]

    @property
    def bump(self) -> str:
        """The version bump a change found by this rule requires."""
        return "major" if self.breaking else self.nonbreaking_bump


RULES: tuple[Rule, ...] = (
    # -- operations --------------------------------------------------------------------------------
    Rule("operation-removed", OP, True, "an operation and its path are gone", operations.operation_removed),
    Rule(
        "operation-method-removed",
        OP,
        True,
        "a method is gone from a path that remains",
        operations.operation_method_removed,
    ),
    Rule(
        "operation-path-changed",
        OP,
        True,
        "an operation moved to another path or method",
        operations.operation_path_changed,
    ),
    Rule("operation-added", OP, False, "a new operation", operations.operation_added),
    Rule(
        "operation-id-changed",
        OP,
        False,
        "only the operationId changed: same wire (policy 11)",
        operations.operation_id_changed,
        "patch",
    ),
    Rule(
        "path-variable-renamed",
        OP,
        False,
        "only a path variable's name changed: same wire (policy 11)",
        operations.path_variable_renamed,
        "patch",
    ),
    Rule(
        "security-requirement-added",
        OP,
        True,
        "old credentials no longer meet the security requirements",
        operations.security_requirement_added,
    ),
    Rule(
        "operation-deprecated",
        OP,
        False,
        "an operation is marked deprecated: information",
        operations.operation_deprecated,
        "patch",
    ),
    # -- parameters (request side) -----------------------------------------------------------------
    Rule(
        "parameter-required-added",
        REQ,
        True,
        "old clients do not send the new required parameter",
        parameters.parameter_required_added,
    ),
    Rule("parameter-optional-added", REQ, False, "a new optional parameter", parameters.parameter_optional_added),
    Rule(
        "parameter-removed",
        REQ,
        True,
        "a query/header/cookie parameter is gone: the list is closed (4)",
        parameters.parameter_removed,
    ),
    Rule(
        "parameter-became-required",
        REQ,
        True,
        "clients that omit the parameter fail",
        parameters.parameter_became_required,
    ),
    Rule(
        "parameter-became-optional",
        REQ,
        False,
        "clients may now omit the parameter",
        parameters.parameter_became_optional,
    ),
    Rule(
        "parameter-location-changed",
        REQ,
        True,
        "the parameter is read from another place",
        parameters.parameter_location_changed,
    ),
    Rule(
        "parameter-style-changed",
        REQ,
        True,
        "the parameter is serialised differently",
        parameters.parameter_style_changed,
    ),
    # -- request bodies ----------------------------------------------------------------------------
    Rule("request-body-added-required", REQ, True, "old clients send no body", requests.request_body_added_required),
    Rule("request-body-added-optional", REQ, False, "a new optional body", requests.request_body_added_optional),
    Rule("request-body-removed", REQ, True, "clients that send a body are refused", requests.request_body_removed),
    Rule(
        "request-body-became-required",
        REQ,
        True,
        "clients that send no body fail",
        requests.request_body_became_required,
    ),
    Rule(
        "request-body-became-optional",
        REQ,
        False,
        "clients may now omit the body",
        requests.request_body_became_optional,
    ),
    Rule(
        "request-media-type-removed",
        REQ,
        True,
        "bodies of that media type are refused",
        requests.request_media_type_removed,
    ),
    Rule("request-media-type-added", REQ, False, "a new accepted media type", requests.request_media_type_added),
    # -- responses ---------------------------------------------------------------------------------
    Rule(
        "success-status-changed",
        RESP,
        True,
        "clients expecting the old success status fail (policy 12)",
        responses.success_status_changed,
    ),
    Rule(
        "success-status-added",
        RESP,
        True,
        "a second success status old clients do not handle (policy 12)",
        responses.success_status_added,
    ),
    Rule(
        "success-status-removed",
        RESP,
        False,
        "one of several success statuses is gone: output narrows",
        responses.success_status_removed,
        "patch",
    ),
    Rule("error-status-added", RESP, False, "a documented error status (13)", responses.error_status_added),
    Rule(
        "error-status-removed",
        RESP,
        False,
        "an error status is no longer documented (policy 13)",
        responses.error_status_removed,
        "patch",
    ),
    Rule(
        "non-error-status-added", RESP, True, "a 1xx/3xx status old clients never saw", responses.non_error_status_added
    ),
    Rule(
        "response-media-type-added",
        RESP,
        True,
        "output may come in a media type clients cannot read",
        responses.response_media_type_added,
    ),
    Rule(
        "response-media-type-removed",
        RESP,
        True,
        "clients that accept only that media type are refused",
        responses.response_media_type_removed,
    ),
    Rule("response-body-removed", RESP, True, "clients reading the body fail", responses.response_body_removed),
    Rule("response-body-added", RESP, True, "a body where clients expected none", responses.response_body_added),
    Rule(
        "response-header-removed",
        RESP,
        True,
        "the header's value is no longer promised",
        responses.response_header_removed,
    ),
    Rule(
        "response-header-became-optional",
        RESP,
        True,
        "clients relying on the header fail",
        responses.response_header_became_optional,
    ),
    Rule("response-header-added", RESP, False, "a new documented response header", responses.response_header_added),
    # -- schemas: request rows NEW accepts all OLD did; response rows NEW sends only what OLD allowed
    Rule(
        "request-property-added",
        REQ,
        False,
        "new optional property: old clients never send it (policy 2)",
        schemas.property_added,
    ),
    Rule(
        "request-required-property-added",
        REQ,
        True,
        "new required property, even with a default (policy 3)",
        schemas.required_property_added,
    ),
    Rule(
        "response-property-added-to-open-object",
        RESP,
        False,
        "new property in an open response object (policy 1)",
        schemas.property_added_to_open_object,
    ),
    Rule(
        "response-property-added-to-closed-object",
        RESP,
        True,
        "new property in a closed response object: strict clients reject it (policy 1)",
        schemas.property_added_to_closed_object,
    ),
    Rule(
        "response-property-removed",
        RESP,
        True,
        "property removed from a response: its value is no longer promised (policy 5)",
        schemas.property_removed,
    ),
    Rule(
        "request-property-removed-from-closed-object",
        REQ,
        True,
        "property removed from a closed request object: sending it fails (policy 4)",
        schemas.property_removed_from_closed_object,
    ),
    Rule(
        "request-property-removed-from-open-object",
        REQ,
        False,
        "property removed from an open request object: still accepted (policy 4)",
        schemas.property_removed_from_open_object,
        "patch",
    ),
    Rule(
        "request-property-became-required",
        REQ,
        True,
        "clients that omit the property fail",
        schemas.property_became_required,
    ),
    Rule(
        "response-property-became-required",
        RESP,
        False,
        "output always has the property now",
        schemas.property_became_required,
        "patch",
    ),
    Rule(
        "request-property-became-optional",
        REQ,
        False,
        "clients may now omit the property",
        schemas.property_became_optional,
    ),
    Rule(
        "response-property-became-optional",
        RESP,
        True,
        "clients relying on the property fail",
        schemas.property_became_optional,
    ),
    Rule(
        "request-object-closed",
        REQ,
        False,
        "clients only send declared members (policy 2)",
        schemas.object_closed,
        "patch",
    ),
    Rule("response-object-closed", RESP, False, "output narrows", schemas.object_closed, "patch"),
    Rule("request-object-opened", REQ, False, "input widens", schemas.object_opened),
    Rule(
        "response-object-opened",
        RESP,
        True,
        "undeclared members may appear: strict clients reject them",
        schemas.object_opened,
    ),
    Rule("request-type-narrowed", REQ, True, "values of the dropped type are refused", schemas.type_narrowed),
    Rule("response-type-narrowed", RESP, False, "output narrows", schemas.type_narrowed, "patch"),
    Rule("request-type-widened", REQ, False, "input widens", schemas.type_widened),
    Rule(
        "response-type-widened",
        RESP,
        True,
        "values of the new type reach clients that cannot read them",
        schemas.type_widened,
    ),
    Rule("request-type-changed", REQ, True, "old values are refused", schemas.type_changed),
    Rule("response-type-changed", RESP, True, "new values reach clients that cannot read them", schemas.type_changed),
    Rule("request-enum-value-added", REQ, False, "input widens (policy 6)", schemas.enum_value_added),
    Rule(
        "response-enum-value-added",
        RESP,
        True,
        "clients meet a value they do not know (policy 6)",
        schemas.enum_value_added,
    ),
    Rule("request-enum-value-removed", REQ, True, "the removed value is refused", schemas.enum_value_removed),
    Rule("response-enum-value-removed", RESP, False, "output narrows", schemas.enum_value_removed, "patch"),
    Rule("request-enum-added", REQ, True, "values outside the enum are refused", schemas.enum_added),
    Rule("response-enum-added", RESP, False, "output narrows", schemas.enum_added, "patch"),
    Rule("request-enum-removed", REQ, False, "input widens", schemas.enum_removed),
    Rule("response-enum-removed", RESP, True, "any value may now reach clients", schemas.enum_removed),
    Rule("request-minimum-raised", REQ, True, "small values are refused", bounds.minimum_raised),
    Rule("response-minimum-raised", RESP, False, "output narrows", bounds.minimum_raised, "patch"),
    Rule("request-minimum-lowered", REQ, False, "input widens", bounds.minimum_lowered),
    Rule("response-minimum-lowered", RESP, True, "smaller values reach clients", bounds.minimum_lowered),
    Rule("request-maximum-lowered", REQ, True, "large values are refused", bounds.maximum_lowered),
    Rule("response-maximum-lowered", RESP, False, "output narrows", bounds.maximum_lowered, "patch"),
    Rule("request-maximum-raised", REQ, False, "input widens", bounds.maximum_raised),
    Rule("response-maximum-raised", RESP, True, "larger values reach clients", bounds.maximum_raised),
    Rule(
        "request-multiple-of-narrowed",
        REQ,
        True,
        "values that are not multiples are refused",
        bounds.multiple_of_narrowed,
    ),
    Rule("response-multiple-of-narrowed", RESP, False, "output narrows", bounds.multiple_of_narrowed, "patch"),
    Rule("request-multiple-of-widened", REQ, False, "input widens", bounds.multiple_of_widened),
    Rule(
        "response-multiple-of-widened", RESP, True, "values off the old step reach clients", bounds.multiple_of_widened
    ),
    Rule("request-min-length-raised", REQ, True, "short strings are refused", bounds.min_length_raised),
    Rule("response-min-length-raised", RESP, False, "output narrows", bounds.min_length_raised, "patch"),
    Rule("request-min-length-lowered", REQ, False, "input widens", bounds.min_length_lowered),
    Rule("response-min-length-lowered", RESP, True, "shorter strings reach clients", bounds.min_length_lowered),
    Rule("request-max-length-lowered", REQ, True, "long strings are refused", bounds.max_length_lowered),
    Rule("response-max-length-lowered", RESP, False, "output narrows", bounds.max_length_lowered, "patch"),
    Rule("request-max-length-raised", REQ, False, "input widens", bounds.max_length_raised),
    Rule("response-max-length-raised", RESP, True, "longer strings reach clients", bounds.max_length_raised),
    Rule("request-pattern-added", REQ, True, "strings off the pattern are refused", bounds.pattern_added),
    Rule("response-pattern-added", RESP, False, "output narrows", bounds.pattern_added, "patch"),
    Rule("request-pattern-removed", REQ, False, "input widens", bounds.pattern_removed),
    Rule(
        "response-pattern-removed",
        RESP,
        True,
        "strings off the old pattern reach clients (policy 8)",
        bounds.pattern_removed,
    ),
    Rule(
        "request-pattern-changed",
        REQ,
        True,
        "strings matching only the old pattern are refused",
        bounds.pattern_changed,
    ),
    Rule(
        "response-pattern-changed",
        RESP,
        True,
        "strings matching only the new pattern reach clients",
        bounds.pattern_changed,
    ),
    Rule(
        "request-format-added",
        REQ,
        True,
        "strings not in the format are refused (formats are asserted)",
        bounds.format_added,
    ),
    Rule("response-format-added", RESP, False, "output narrows", bounds.format_added, "patch"),
    Rule("request-format-removed", REQ, False, "input widens", bounds.format_removed),
    Rule(
        "response-format-removed",
        RESP,
        True,
        "strings outside the old format reach clients (policy 8)",
        bounds.format_removed,
    ),
    Rule("request-format-changed", REQ, True, "strings in only the old format are refused", bounds.format_changed),
    Rule("response-format-changed", RESP, True, "strings in only the new format reach clients", bounds.format_changed),
    Rule("request-min-items-raised", REQ, True, "short arrays are refused", bounds.min_items_raised),
    Rule("response-min-items-raised", RESP, False, "output narrows", bounds.min_items_raised, "patch"),
    Rule("request-min-items-lowered", REQ, False, "input widens", bounds.min_items_lowered),
    Rule("response-min-items-lowered", RESP, True, "shorter arrays reach clients", bounds.min_items_lowered),
    Rule("request-max-items-lowered", REQ, True, "long arrays are refused", bounds.max_items_lowered),
    Rule("response-max-items-lowered", RESP, False, "output narrows", bounds.max_items_lowered, "patch"),
    Rule("request-max-items-raised", REQ, False, "input widens", bounds.max_items_raised),
    Rule("response-max-items-raised", RESP, True, "longer arrays reach clients", bounds.max_items_raised),
    Rule("request-unique-items-added", REQ, True, "arrays with repeats are refused", bounds.unique_items_added),
    Rule("response-unique-items-added", RESP, False, "output narrows", bounds.unique_items_added, "patch"),
    Rule("request-unique-items-removed", REQ, False, "input widens", bounds.unique_items_removed),
    Rule("response-unique-items-removed", RESP, True, "arrays with repeats reach clients", bounds.unique_items_removed),
    Rule(
        "request-items-schema-added", REQ, True, "items outside the new schema are refused", bounds.items_schema_added
    ),
    Rule("response-items-schema-added", RESP, False, "output narrows", bounds.items_schema_added, "patch"),
    Rule("request-items-schema-removed", REQ, False, "input widens", bounds.items_schema_removed),
    Rule("response-items-schema-removed", RESP, True, "any item may reach clients", bounds.items_schema_removed),
    Rule(
        "request-prefix-items-added",
        REQ,
        True,
        "arrays off the new leading positions are refused",
        bounds.prefix_items_added,
    ),
    Rule("response-prefix-items-added", RESP, False, "output narrows", bounds.prefix_items_added, "patch"),
    Rule("request-prefix-items-removed", REQ, False, "input widens", bounds.prefix_items_removed),
    Rule(
        "response-prefix-items-removed",
        RESP,
        True,
        "leading items are no longer constrained",
        bounds.prefix_items_removed,
    ),
    Rule("request-contains-added", REQ, True, "arrays without a matching item are refused", bounds.contains_added),
    Rule("response-contains-added", RESP, False, "output narrows", bounds.contains_added, "patch"),
    Rule("request-contains-removed", REQ, False, "input widens", bounds.contains_removed),
    Rule(
        "response-contains-removed",
        RESP,
        True,
        "arrays without the promised item reach clients",
        bounds.contains_removed,
    ),
    Rule(
        "request-one-of-branch-added-disjoint",
        REQ,
        False,
        "a disjoint new oneOf branch only widens input (policy 9)",
        composition.one_of_branch_added_disjoint,
    ),
    Rule(
        "request-one-of-branch-added-overlapping",
        REQ,
        True,
        "values matching two oneOf branches now fail (policy 9)",
        composition.one_of_branch_added_overlapping,
    ),
    Rule(
        "response-one-of-branch-added",
        RESP,
        True,
        "a new oneOf branch widens output (policy 10)",
        composition.one_of_branch_added,
    ),
    Rule("request-any-of-branch-added", REQ, False, "input widens", composition.any_of_branch_added),
    Rule(
        "response-any-of-branch-added",
        RESP,
        True,
        "a new anyOf branch widens output (policy 10)",
        composition.any_of_branch_added,
    ),
    Rule(
        "request-one-of-overlapping-branch-changed",
        REQ,
        True,
        "values may enter the overlap and fail",
        composition.one_of_overlapping_branch_changed,
    ),
    Rule(
        "response-one-of-overlapping-branch-changed",
        RESP,
        True,
        "values may leave the overlap and pass",
        composition.one_of_overlapping_branch_changed,
    ),
    Rule(
        "request-one-of-branch-removed",
        REQ,
        True,
        "values of the removed branch may be refused",
        composition.one_of_branch_removed,
    ),
    Rule(
        "response-one-of-branch-removed-disjoint",
        RESP,
        False,
        "output narrows",
        composition.one_of_branch_removed_disjoint,
        "patch",
    ),
    Rule(
        "response-one-of-branch-removed-overlapping",
        RESP,
        True,
        "values in the overlap, once refused by oneOf, may now be sent",
        composition.one_of_branch_removed_overlapping,
    ),
    Rule(
        "request-any-of-branch-removed",
        REQ,
        True,
        "values of the removed branch may be refused",
        composition.any_of_branch_removed,
    ),
    Rule("response-any-of-branch-removed", RESP, False, "output narrows", composition.any_of_branch_removed, "patch"),
    Rule("request-union-added", REQ, True, "values outside every branch are refused", composition.union_added),
    Rule("response-union-added", RESP, False, "output narrows", composition.union_added, "patch"),
    Rule("request-union-removed", REQ, False, "input widens", composition.union_removed),
    Rule(
        "response-union-removed", RESP, True, "values outside every old branch reach clients", composition.union_removed
    ),
    Rule("response-any-of-became-one-of", RESP, False, "output narrows", composition.any_of_became_one_of, "patch"),
    Rule(
        "request-any-of-became-one-of-overlapping",
        REQ,
        True,
        "values matching two branches now fail (policy 9)",
        composition.any_of_became_one_of_overlapping,
    ),
    Rule(
        "request-any-of-became-one-of-disjoint",
        REQ,
        False,
        "disjoint branches: oneOf and anyOf accept the same values",
        composition.any_of_became_one_of_disjoint,
        "patch",
    ),
    Rule("request-one-of-became-any-of", REQ, False, "input widens", composition.one_of_became_any_of),
    Rule(
        "request-union-swapped-with-added-branch",
        REQ,
        False,
        "input widens",
        composition.union_swapped_with_added_branch,
    ),
    Rule(
        "response-union-swapped-with-added-branch",
        RESP,
        True,
        "a new branch widens output (policy 10)",
        composition.union_swapped_with_added_branch,
    ),
    Rule(
        "request-union-swapped-with-removed-branch",
        REQ,
        True,
        "values of a removed branch may be refused",
        composition.union_swapped_with_removed_branch,
    ),
    Rule(
        "response-union-swapped-with-removed-branch",
        RESP,
        False,
        "output narrows",
        composition.union_swapped_with_removed_branch,
        "patch",
    ),
    Rule(
        "response-one-of-became-any-of-overlapping",
        RESP,
        True,
        "values matching several branches may now be sent",
        composition.one_of_became_any_of_overlapping,
    ),
    Rule(
        "request-all-of-part-added", REQ, True, "values failing the new part are refused", composition.all_of_part_added
    ),
    Rule("response-all-of-part-added", RESP, False, "output narrows", composition.all_of_part_added, "patch"),
    Rule("request-all-of-part-removed", REQ, False, "input widens", composition.all_of_part_removed),
    Rule(
        "response-all-of-part-removed",
        RESP,
        True,
        "a constraint on the output is gone (policy 10)",
        composition.all_of_part_removed,
    ),
    Rule("request-not-added", REQ, True, "excluded values are refused", composition.not_added),
    Rule("response-not-added", RESP, False, "output narrows", composition.not_added, "patch"),
    Rule("request-not-removed", REQ, False, "input widens", composition.not_removed),
    Rule("response-not-removed", RESP, True, "values the old version excluded reach clients", composition.not_removed),
    Rule(
        "request-discriminator-property-changed",
        REQ,
        True,
        "clients tag variants with the old member",
        composition.discriminator_property_changed,
    ),
    Rule(
        "response-discriminator-property-changed",
        RESP,
        True,
        "clients dispatch on the old member",
        composition.discriminator_property_changed,
    ),
    Rule(
        "request-discriminator-mapping-removed",
        REQ,
        True,
        "the removed variant is refused",
        composition.discriminator_mapping_removed,
    ),
    Rule(
        "response-discriminator-mapping-removed",
        RESP,
        False,
        "output narrows",
        composition.discriminator_mapping_removed,
        "patch",
    ),
    Rule("request-discriminator-mapping-added", REQ, False, "input widens", composition.discriminator_mapping_added),
    Rule(
        "response-discriminator-mapping-added",
        RESP,
        True,
        "clients meet a variant they do not know",
        composition.discriminator_mapping_added,
    ),
    Rule(
        "request-default-changed",
        REQ,
        True,
        "clients that omit the value get other behaviour (policy 7)",
        schemas.default_changed,
    ),
    Rule(
        "response-default-changed",
        RESP,
        False,
        "a response default is an annotation (policy 7)",
        schemas.default_changed,
        "patch",
    ),
    Rule("request-schema-deprecated", REQ, False, "an annotation: information", schemas.schema_deprecated, "patch"),
    Rule("response-schema-deprecated", RESP, False, "an annotation: information", schemas.schema_deprecated, "patch"),
    # -- x-relations: promises about the request ------------------------------------------------------
    Rule("relation-removed", RESP, True, "clients relied on the promise", relations.relation_removed),
    Rule(
        "relation-weakened", RESP, True, "the promise covers less than clients relied on", relations.relation_weakened
    ),
    Rule("relation-added", RESP, False, "answers only get more predictable", relations.relation_added),
)

BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}
