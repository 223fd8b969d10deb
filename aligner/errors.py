"""Errors a user sees as one line: the file, then the problem.

Exit codes (documented in docs/errors.md):
  1  an input file could not be used (missing, unreadable, empty, binary, undecodable, hostile)
  2  usage error (click's own code: bad option or argument)
  3  output could not be written
  4  a model or package problem (no model installed for the pair, e.g. ru→en, nor a pivot through English;
     a bad .argosmodel)
  5  finished, but with a warning the user asked to be fatal, or the pair looks unrelated
  130 interrupted (Ctrl-C)
"""
from __future__ import annotations

import re

EXIT_INPUT = 1
EXIT_USAGE = 2
EXIT_OUTPUT = 3
EXIT_MODEL = 4
EXIT_SUSPICIOUS = 5
EXIT_INTERRUPTED = 130


class AlignerError(Exception):
    """An error with a one-line message for the user and an exit code."""
    exit_code = EXIT_INPUT

    def __init__(self, path: str | None, problem: str):
        self.path = path
        self.problem = problem
        super().__init__(self.message)

    @property
    def message(self) -> str:
        text = f"{self.path}: {self.problem}" if self.path else self.problem
        return one_line(text)


# Characters that would break "one line on stderr": C0/C1 controls, DEL, and Unicode's own line separators.
_BREAKS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def one_line(text: str) -> str:
    """``text`` with line breaks and other controls escaped (``\\n``, ``\\x1b``): a file named "a\\nb.txt" must
    not split the error over two lines, nor let a terminal escape sequence through."""
    return _BREAKS.sub(lambda m: _NAMED.get(m.group(), f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                                            else f"\\u{ord(m.group()):04x}"), text)


class InputError(AlignerError):
    exit_code = EXIT_INPUT


class OutputError(AlignerError):
    exit_code = EXIT_OUTPUT


class ModelError(AlignerError):
    exit_code = EXIT_MODEL


class MismatchError(AlignerError):
    """The two files do not look like an original in the source language and its translation into the target
    language (--src-lang/--tgt-lang: a Russian original and its English translation unless told)."""
    exit_code = EXIT_SUSPICIOUS
