"""Authentication backends: django-axes' throttling in front of Django's own users."""

from axes.backends import AxesStandaloneBackend


class ThrottledLogins(AxesStandaloneBackend):
    """django-axes' check, for logins that come with a request (the login page, the admin's). A login
    without one (a shell, the test client's `login()`) comes from no address and has nothing to throttle;
    Django's own backend, next in the list, checks its password as usual."""

    def authenticate(self, request, username=None, password=None, **kwargs):  # noqa: ANN001, ANN003
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
