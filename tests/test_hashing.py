from geoner.data.hashing import input_hash, set_hashes, task_hash


def test_input_hash_is_signed_32_bit_and_depends_only_on_text():
    h = input_hash("NATO leaders met in Vilnius.")
    assert -(2**31) <= h < 2**31
    assert h == input_hash("NATO leaders met in Vilnius.")
    assert h != input_hash("NATO leaders met in Madrid.")


def test_task_hash_ignores_span_order_and_extra_keys():
    spans = [{"start": 0, "end": 4, "label": "BLOC", "token_start": 0, "token_end": 0},
             {"start": 28, "end": 34, "label": "SUMMIT"}]
    h = input_hash("x")
    assert task_hash(h, spans) == task_hash(h, list(reversed(spans)))
    assert task_hash(h, spans) == task_hash(h, [{k: s[k] for k in ("start", "end", "label")} for s in spans])


def test_task_hash_changes_when_spans_change():
    h = input_hash("NATO leaders")
    assert task_hash(h, []) != task_hash(h, [{"start": 0, "end": 4, "label": "BLOC"}])
    assert task_hash(h, [{"start": 0, "end": 4, "label": "BLOC"}]) != task_hash(h, [{"start": 0, "end": 4, "label": "SUMMIT"}])


def test_set_hashes_sets_both():
    task = set_hashes({"text": "G7 price cap", "spans": []})
    assert task["_input_hash"] == input_hash("G7 price cap")
    assert task["_task_hash"] == task_hash(task["_input_hash"], [])
