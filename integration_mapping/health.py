"""The health check a load balancer or monitor asks: is this app server able to answer?

It answers 200 only when the default database answers a query, since no page works without it.
No login and no session, never cached; plain HTTP is allowed (settings.SECURE_REDIRECT_EXEMPT),
ALLOWED_HOSTS still applies.
"""

from __future__ import annotations

import logging

from django.db import Error, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


@require_safe
@never_cache
def health(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Error as error:
        logger.warning("Health check: the database does not answer (%s).", type(error).__name__)
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})
