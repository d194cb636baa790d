"""URLs for the statistics tests while `advisors.urls` is not mounted yet.

Once the project mounts the `advisors` namespace (with `advisors.stats_urls`)
and the advisor API, this adds only what is missing, so the tests keep
running against the real configuration.
"""

from django.http import HttpResponse
from django.urls import include, path

from advisors import stats_urls
from advisors.stats_api import StatsView
from config.urls import urlpatterns as project_urlpatterns


def _sign_in(request):
    return HttpResponse("sign in")


def _mounted(namespace: str) -> bool:
    return any(getattr(p, "namespace", None) == namespace for p in project_urlpatterns)


urlpatterns = [
    path("api/v1/advisor/stats/", StatsView.as_view()),
    *project_urlpatterns,
]
if not _mounted("advisors"):
    advisors = [*stats_urls.urlpatterns, path("connexion/", _sign_in, name="login")]
    urlpatterns.append(path("conseil/", include((advisors, "advisors"))))
