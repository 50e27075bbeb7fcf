"""Page addresses: home, preferences, the Timestamp page and its htmx actions, the family page."""

from django.urls import path

from timetill.web.views import family, home, timestamp

urlpatterns = [
    path("", home.home, name="home"),
    path("preferences/", home.preferences, name="preferences"),
    path("timestamp/", timestamp.timestamp, name="timestamp"),
    path("timestamp/lists/", timestamp.lists, name="timestamp-lists"),
    path("timestamp/scan/", timestamp.scan, name="timestamp-scan"),
    path("timestamp/search/", timestamp.search, name="timestamp-search"),
    path("timestamp/check-in/", timestamp.check_in, name="timestamp-check-in"),
    path("timestamp/lines/<int:pk>/", timestamp.line_panel, name="timestamp-line"),
    path("timestamp/lines/<int:pk>/stop/", timestamp.stop, name="timestamp-stop"),
    path("timestamp/lines/<int:pk>/note/", timestamp.note, name="timestamp-note"),
    path("timestamp/lines/<int:pk>/assign/", timestamp.assign, name="timestamp-assign"),
    path("timestamp/lines/<int:pk>/hide/", timestamp.hide, name="timestamp-hide"),
    path("timestamp/lines/<int:pk>/times/", timestamp.edit_times, name="timestamp-times"),
    path("timestamp/lines/<int:pk>/sale/", timestamp.link_sale, name="timestamp-link-sale"),
    path("timestamp/hide-paid/", timestamp.hide_paid, name="timestamp-hide-paid"),
    path("family/", family.family, name="family"),
    path("family/<int:customer_pk>/check-in/", family.family_check_in, name="family-check-in"),
    path("family/<int:customer_pk>/check-out/", family.family_check_out, name="family-check-out"),
]
