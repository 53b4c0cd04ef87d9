"""``python -m api.worker``: run the background worker."""

from __future__ import annotations

from api.worker.runner import main

raise SystemExit(main())
