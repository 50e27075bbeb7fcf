"""URL map: pages, the REST API and its docs, the admin."""

import os

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, reverse_lazy

from timetill.api import api

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # The language switch of the login page (Django's set_language: a cookie, then back to the page).
    path("i18n/", include("django.conf.urls.i18n")),
    # Forgotten passwords and invitations: Django's own views, with the app's templates (registration/).
    path("password-reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    # A parent invited to their family page: once the password is chosen, logged in, on their family's page.
    path(
        "password-reset/family/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            post_reset_login=True,
            post_reset_login_backend="django.contrib.auth.backends.ModelBackend",
            success_url=reverse_lazy("my-invoices"),
        ),
        name="family_invitation_confirm",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"
    ),
    path("backoffice/", include("timetill.backoffice.urls")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("billing/", include("timetill.billing.urls")),
    path("catalog/", include("timetill.catalog.urls")),
    path("invoicing/", include("timetill.invoicing.urls")),
    path("reports/", include("timetill.reports.urls")),
    path("", include("timetill.customers.urls")),
    path("", include("timetill.sales.urls")),
    path("", include("timetill.web.urls")),
]
if os.environ.get("TIMETILL_BENCH") == "1":  # the HTTP benchmark's bare-insert endpoint (bench/README.md)
    urlpatterns.append(path("bench/", include("bench.benchapp.urls")))
