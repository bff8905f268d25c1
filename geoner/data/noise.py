"""Changes that real copy makes to text (case, quotes, dashes), each keeping every character
offset, so gold spans stay valid for training augmenters and the robustness benchmark alike."""


def same_length_case(text: str, upper: bool) -> str:
    """Upper- or lower-case ``text`` character by character, keeping any character whose case
    change would alter the length ("ß" -> "SS"), so that character offsets stay valid."""
    change = str.upper if upper else str.lower
    return "".join(c2 if len(c2 := change(c)) == 1 else c for c in text)


def title_case(text: str) -> str:
    """Headline title case: the first letter of every word upper-cased, the rest left alone, so
    acronyms stay acronyms and offsets stay valid."""
    out = list(text)
    for i, c in enumerate(text):
        if c.isalpha() and (i == 0 or text[i - 1].isspace() or text[i - 1] in "\"'“‘(["):
            out[i] = same_length_case(c, upper=True)
    return "".join(out)


# Typographic and plain forms of the same mark, one character each so that offsets hold.
TO_PLAIN = {"“": '"', "”": '"', "‘": "'", "’": "'", "—": "-", "–": "-"}


def swap_punctuation(text: str) -> str:
    """Curly quotes and apostrophes become straight and en/em dashes become hyphens; straight
    quotes and apostrophes become curly (opening after a space or at the start) and a hyphen
    between spaces becomes an em dash. What the corpus writes one way, copy writes the other."""
    out = []
    for i, c in enumerate(text):
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        if c in TO_PLAIN:
            out.append(TO_PLAIN[c])
        elif c in "\"'":
            opening = before.isspace() or before in "(["
            out.append({'"': "“”", "'": "‘’"}[c][0 if opening else 1])
        elif c == "-" and before.isspace() and after.isspace():
            out.append("—")
        else:
            out.append(c)
    return "".join(out)
