"""Calling a WSGI application as a server would (the page cache's WSGI layer tests)."""


def call(app, rf, path, method="get", **extra):
    request = getattr(rf, method)(path, **extra)
    # The environ as a server passes it (WSGIRequest put the decoded path into this one).
    environ = {**request.environ, "PATH_INFO": request.path_info.encode().decode("iso-8859-1")}
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"], answer["headers"] = status, headers

    result = app(environ, start_response)
    try:
        answer["body"] = b"".join(result)
    finally:
        if hasattr(result, "close"):
            result.close()
    answer["names"] = sorted(name.lower() for name, _ in answer["headers"])
    answer["header"] = {name.lower(): value for name, value in answer["headers"]}
    return answer
