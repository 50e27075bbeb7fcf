"""The typed error every service raises: a stable code for programs, a message for people, an HTTP status,
and, when it is about one field, that field's path for programs (the message names it in plain words)."""


class TimetillError(Exception):
    status = 400

    def __init__(
        self, code: str, message: str, *, status: int | None = None, field: str | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        if status is not None:
            self.status = status

    def as_dict(self) -> dict[str, str]:
        found = {"code": self.code, "message": self.message}
        if self.field is not None:
            found["field"] = self.field
        return found


class Forbidden(TimetillError):
    status = 403


class NotFound(TimetillError):
    status = 404


class Conflict(TimetillError):
    status = 409
