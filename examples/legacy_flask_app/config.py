"""Default configuration.

Values here are overridden by the file named in ``LEGACY_APP_SETTINGS`` (if set)
and then by the ``config`` mapping passed to :func:`legacy_flask_app.create_app`.
"""

import os
from typing import ClassVar


class DefaultConfig:
    SECRET_KEY = os.environ.get("LEGACY_APP_SECRET_KEY", "dev-secret-change-me")
    API_KEY = "dev-api-key"
    APP_VERSION = "1.4.2"

    # DATABASE and UPLOAD_FOLDER default to files under app.instance_path;
    # create_app fills them in when they are not configured.
    DATABASE = None
    UPLOAD_FOLDER = None

    ITEMS_PER_PAGE = 10
    MAX_ITEMS_PER_PAGE = 100
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024  # 2 MiB uploads
    ALLOWED_UPLOAD_EXTENSIONS: ClassVar[set[str]] = {"png", "jpg", "jpeg", "gif", "webp"}

    # Fixed exchange rates used by /api/v1/convert (the "pricing service"
    # used to be an HTTP call; it was frozen into config in 2021).
    EXCHANGE_RATES: ClassVar[dict[str, float]] = {"USD": 1.0, "EUR": 0.9, "GBP": 0.8, "JPY": 150.0}

    # Simulated latency of the upstream reporting service, seconds.
    UPSTREAM_LATENCY = 0.01
