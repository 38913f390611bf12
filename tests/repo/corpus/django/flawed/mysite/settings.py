"""Django settings for mysite (deployed as-is)."""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
DEBUG = True  # expect: repo.debug-django
ALLOWED_HOSTS = ["*"]  # expect: repo.debug-allowed-hosts-wildcard

INSTALLED_APPS = [  # expect: repo.error-tracking-missing
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",  # expect: repo.auth-cookie-insecure
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "corsheaders",
    "chat",
]

MIDDLEWARE = [
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]

ROOT_URLCONF = "mysite.urls"
CORS_ALLOW_ALL_ORIGINS = True  # expect: repo.cors-wildcard-credentials
CORS_ALLOW_CREDENTIALS = True
CSRF_COOKIE_SECURE = False  # expect: repo.auth-cookie-insecure

DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}}
