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
    path("exports/", views.export_start, name="reports-export-start"),
    path("exports/<int:pk>/", views.export_page, name="reports-export"),
    path("exports/<int:pk>/progress/", views.export_progress, name="reports-export-progress"),
    path("exports/<int:pk>/download/", views.export_download, name="reports-export-download"),
]
