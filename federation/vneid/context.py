from federation.vneid.base import vneid_enabled


def vneid(request) -> dict:
    """Whether the login page offers "Đăng nhập bằng tài khoản định danh điện tử VNeID"."""
    return {"vneid_offered": vneid_enabled()}
