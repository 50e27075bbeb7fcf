"""Report page addresses."""

from django.urls import path

from timetill.reports import views

urlpatterns = [
    path("", views.time_line_report, name="reports"),
    path("time-lines.csv", views.time_line_download, {"extension": "csv"}, name="reports-time-lines-csv"),
    path("time-lines.xlsx", views.time_line_download, {"extension": "xlsx"}, name="reports-time-lines-xlsx"),
    path("occupancy/", views.occupancy_report, name="reports-occupancy"),
    path("occupancy.csv", views.occupancy_download, name="reports-occupancy-download"),
    path("revenue/", views.revenue_report, name="reports-revenue"),
]
