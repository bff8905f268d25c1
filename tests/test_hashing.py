"""Task hashes against fixed values: a change to the hashing would silently split the corpus
from every earlier export, so these numbers must never change."""
from murmurhash.mrmr import hash as murmur3

from geoner.data.hashing import input_hash, set_hashes, task_hash

TEXT = "NATO leaders met in Vilnius."
NATO = {"start": 0, "end": 4, "label": "BLOC"}


def test_murmur3_matches_the_published_x86_32_test_vectors():
    # MurmurHash3_x86_32 with seed 0, as Prodigy uses, on the usual reference strings.
    assert murmur3("") == 0
    assert murmur3("hello") == 0x248BFA47
    assert murmur3("The quick brown fox jumps over the lazy dog") == 0x2E4FF723


def test_input_hash_is_murmur3_of_the_canonical_text_record():
    assert input_hash(TEXT) == -1605912644
    assert input_hash(TEXT) == murmur3('{"text":"NATO leaders met in Vilnius."}')


def test_input_hash_of_non_ascii_text_hashes_its_utf8_form():
    assert input_hash("Kaja Kallas – EU’s top diplomat") == 753817882


def test_task_hash_has_fixed_values_for_known_spans():
    assert task_hash(-1605912644, []) == -1968496697
    assert task_hash(-1605912644, [NATO]) == -2003882922


def test_task_hash_ignores_span_order_and_extra_keys():
    summit = {"start": 20, "end": 27, "label": "SUMMIT"}
    expected = task_hash(-1605912644, [NATO, summit])
    assert task_hash(-1605912644, [summit, dict(NATO, token_start=0, token_end=0)]) == expected


def test_set_hashes_sets_both_fixed_values():
    task = set_hashes({"text": TEXT, "spans": [NATO]})
    assert (task["_input_hash"], task["_task_hash"]) == (-1605912644, -2003882922)
