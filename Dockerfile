# One image for the web server and the workers.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends fluidsynth timgm6mb-soundfont \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt pyproject.toml ./
# torch's CPU wheels; the GPU worker image overrides TORCH_INDEX with a CUDA index.
ARG TORCH_INDEX=https://download.pytorch.org/whl/cpu
RUN pip install --extra-index-url "$TORCH_INDEX" -r requirements.txt
COPY . .
RUN pip install --no-deps -e . \
 && DJANGO_SETTINGS_MODULE=arena.settings.local python manage.py collectstatic --no-input -v0
EXPOSE 8000
# gunicorn.conf.py: 3 processes x 8 threads, each on its own socket
CMD ["gunicorn", "arena.wsgi", "--bind", "0.0.0.0:8000"]
