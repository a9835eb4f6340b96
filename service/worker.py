"""What a Dask worker loads as it starts (``gremium worker`` preloads it): the models imported
and HiGHS checked, as a local pool worker does (:func:`service.pool.warm`), so the first task
does not pay for them and a worker without a working solver says so in its log."""

from __future__ import annotations

import logging
from typing import Any

from .pool import warm

logger = logging.getLogger("gremium.worker")


def dask_setup(worker: Any) -> None:
    """Dask's preload hook, called once per worker process."""
    warmth = warm()
    logger.info("gremium worker %s: pid %d, %s", worker.name, warmth.pid, warmth.solver)
