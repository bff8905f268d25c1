"""Shared logic for the geopolitical NER project: corpus I/O, hashing, validation, conversion."""

LABELS = ("OFFICIAL", "BLOC", "SANCTION", "SUMMIT")
GUIDELINES_VERSION = "1.2.0"


class DataError(Exception):
    """A problem with input data, always reported as ``FILE:LINE: reason``."""

    def __init__(self, path, line, reason):
        self.path, self.line, self.reason = str(path), line, reason
        super().__init__(f"{self.path}:{line}: {reason}")


class ValidationFailed(Exception):
    """Raised with every ``FILE:LINE: reason`` found, so callers can print them all."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))
