"""aligner: sentence-aligned translation memories from Russian MFA statements and their English translations."""

__version__ = "0.1.0"
