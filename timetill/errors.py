"""The typed error every service raises: a stable code for programs, a message for people, an HTTP status."""


class TimetillError(Exception):
    status = 400

    def __init__(self, code: str, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        if status is not None:
            self.status = status

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


class Forbidden(TimetillError):
    status = 403


class NotFound(TimetillError):
    status = 404


class Conflict(TimetillError):
    status = 409
