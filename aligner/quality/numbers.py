"""The ``numbers`` QA flag's normaliser lives in aligner.numbers, shared with anchors, readers and splitters."""
from aligner.numbers import number_tokens, soft_numbers

__all__ = ["number_tokens", "soft_numbers"]
