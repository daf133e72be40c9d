FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
# Static files live in the image, outside the /app/var volume, so an upgrade replaces them.
ENV STATIC_ROOT=/app/static
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-thai-tlwg libpango-1.0-0 libpangoft2-1.0-0 \
      libharfbuzz-subset0 gettext curl \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md ./
COPY portal portal
COPY awards awards
COPY cases cases
RUN pip install --no-cache-dir .
COPY . .
RUN DEBUG=0 SECRET_KEY=build-only python manage.py collectstatic --noinput
RUN useradd --system --uid 1000 portal && mkdir -p /app/var && chown -R portal /app/var
USER portal
EXPOSE 8000
CMD ["gunicorn", "portal.wsgi:application", "--config", "python:portal.gunicorn_conf", "--bind", "0.0.0.0:8000"]
