"""``python -m service.cli`` runs the ``gremium`` command line."""

import sys

from . import main

sys.exit(main())
