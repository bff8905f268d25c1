"""The loop that extends the corpus: pre-annotation, merging reviews, agreement, consistency."""
