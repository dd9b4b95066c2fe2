FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml ./
COPY portal portal
COPY accounts accounts
COPY sandbox sandbox
RUN pip install --no-cache-dir .
COPY . .
RUN DEBUG=1 python manage.py collectstatic --no-input
EXPOSE 8000
CMD ["gunicorn", "portal.wsgi", "--bind", "0.0.0.0:8000", "--workers", "2"]
