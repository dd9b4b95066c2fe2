"""The record of calls to outside systems (portal/calls.py), read by top administrators:
"Nhật ký kết nối hệ thống ngoài", a filtered page."""
