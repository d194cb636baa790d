"""The root URLconf plus the advisors' accounts under /conseil/.

Stands in for advisors/urls.py until it exists on this branch; then the tests
drop this module and use the real configuration.
"""

from django.urls import include, path

from config.urls import urlpatterns as root

urlpatterns = [path("conseil/", include(("advisors.auth_urls", "advisors"))), *root]
