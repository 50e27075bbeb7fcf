"""Back-office page addresses."""

from django.urls import path

from timetill.backoffice.views import home, users

urlpatterns = [
    path("", home.home, name="backoffice"),
    path("users/", users.user_list, name="bo-users"),
    path("users/new/", users.user_create, name="bo-user-new"),
    path("users/<int:pk>/", users.user_edit, name="bo-user"),
    path("users/<int:pk>/active/", users.user_set_active, name="bo-user-active"),
    path("users/<int:pk>/invite/", users.user_invite, name="bo-user-invite"),
]
