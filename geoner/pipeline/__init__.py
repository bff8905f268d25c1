"""What ships in or builds the trained pipeline: the span-edge component, match patterns,
spaCy registry hooks for training, and package metadata."""
