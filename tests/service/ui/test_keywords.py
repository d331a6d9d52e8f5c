"""The ML keywords in words, from their INTERFACE.md syntax."""

from __future__ import annotations

from validator.service.ui import keywords


def test_tensor_names_datatype_and_shape_with_named_and_free_dims() -> None:
    text = keywords.tensor({"name": "input-0", "datatype": "FP32", "shape": ["batch", 11]})
    assert text.startswith("tensor input-0: FP32, batch x 11")
    assert "batch: one value per exchange" in text
    assert keywords.tensor({"name": "t", "datatype": "INT64", "shape": [-1]}) == "tensor t: INT64, any"


def test_sum_and_sorted_say_what_adds_up_and_in_which_order() -> None:
    assert keywords.total({"equals": 1, "tolerance": 1e-6, "of": "/probability"}) == (
        "the /probability of the items add up to 1 (± 1e-06)"
    )
    assert keywords.total({"equals": 1.0}, on_object=True) == "the values of the members add up to 1"
    assert keywords.ordering({"order": "desc", "by": "/score"}) == "sorted by /score, highest first (ties allowed)"
    assert keywords.ordering({"order": "asc"}) == "sorted lowest first (ties allowed)"


def test_each_relation_kind_names_both_sides() -> None:
    said = keywords.relations(
        [
            {
                "kind": "batch",
                "request": "body:/clients",
                "response": "body:/scores",
                "key": "/client_id",
                "order": "any",
            },
            {"kind": "echo", "request": "header:X-Request-ID", "response": "header:X-Request-ID"},
            {"kind": "at-most", "request": "body:/n", "response": "body:/recommendations"},
            {"kind": "stable", "response": "body:/model_version"},
            {"kind": "variant", "response": "body:/variant", "forced-by": "header:X-Variant", "sticky-by": "query:cid"},
        ]
    )
    assert said == [
        "one body /scores item per body /clients item, in any order, each carrying its item's /client_id",
        "when the request has header X-Request-ID, the response carries the same value in header X-Request-ID",
        "body /recommendations has at most as many items as body /n says",
        "body /model_version is the same in every response of one test run",
        "body /variant names the A/B variant; a request with header X-Variant gets that variant; "
        "the same query parameter cid always gets the same variant",
    ]


def test_slo_and_match_in_words_and_unknown_shapes_as_written() -> None:
    assert keywords.slo({"latency_p95_ms": 150, "latency_p99_ms": 300}) == [
        "95% of requests answered within 150 ms",
        "99% of requests answered within 300 ms",
    ]
    assert keywords.match("exact") == "exactly as written"
    assert keywords.match({"tolerance": 0.01, "ignore": ["/a", "/b"]}) == "numbers within ± 0.01; ignoring /a, /b"
    assert keywords.tensor("not a mapping") == '"not a mapping"'
    assert keywords.relation({"kind": "telepathy"}) == '{"kind": "telepathy"}'
