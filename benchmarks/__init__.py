"""Benchmark scripts, run as ``python -m benchmarks.<name>``; never timed tests.

Multi-threaded OpenBLAS busy-waits for its threads: on a shared 2-core machine under load an
eigenvalue problem of size 200 took 2.2 s with 2 threads against 34 ms with one. Unless the
caller chose otherwise, the benchmarks pin BLAS to one thread before numpy is first imported.
"""

import os

for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")
