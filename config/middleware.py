import logging
import time

logger = logging.getLogger("caillou.request")


class RequestLogMiddleware:
    """Log one line per request: method, route pattern, status and duration.

    The route pattern is logged instead of the path, so that private tokens in
    URLs and query strings never reach the logs.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.monotonic()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        route = match.route if match else "<unresolved>"
        logger.info(
            "%s /%s %s %dms",
            request.method,
            route,
            response.status_code,
            (time.monotonic() - started) * 1000,
        )
        return response
