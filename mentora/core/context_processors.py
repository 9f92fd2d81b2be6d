from mentora.core.roles import request_viewer


def viewer(request) -> dict:
    return {"viewer": request_viewer(request)}
