"""Tagging a news archive with the trained pipeline: streamed input readers, paragraph-level
tagging with canonical names, numbered part files that make a run resumable, a local
multi-process engine and a Dask engine, the summary of a tagged archive and its benchmark."""
