{% autoescape off %}@echo off
rem Cong cu ky dien tu cua Cong Dich vu cong ({{ version }}) - Windows.
rem Cai dat: py -m pip install --user dvc_signing_agent-{{ version }}-py3-none-any.whl
rem Chep tep nay vao thu muc Startup (Win+R, go shell:startup) de cong cu tu chay khi dang nhap.
rem PKCS11_MODULE: thu vien .dll cua USB ky so (do nha cung cap cap).
set SIGNING_AGENT_ORIGIN={{ origin }}
start "dvc-signing-agent" /min py -m signing.agent
{% endautoescape %}
