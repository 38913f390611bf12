import os

import environ
import sentry_sdk

env = environ.Env()
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost"])
DATABASES = {"default": env.db("DATABASE_URL")}
EMAIL_HOST = os.getenv("EMAIL_HOST", "localhost")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD")
sentry_sdk.init(dsn=os.environ.get("SENTRY_DSN", ""))
