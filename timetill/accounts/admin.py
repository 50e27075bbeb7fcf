"""Back-office screen for each user's preferences."""

from django.contrib import admin

from timetill.accounts.models import Profile


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "home_page", "default_site"]
