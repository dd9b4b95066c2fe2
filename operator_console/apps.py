from django.apps import AppConfig


class OperatorConsoleConfig(AppConfig):
    name = "operator_console"
    verbose_name = "Quản trị hệ thống"
