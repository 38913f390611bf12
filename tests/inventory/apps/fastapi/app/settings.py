from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    anthropic_api_key: str
    qdrant_url: str
    qdrant_api_key: str
    database_url: str
    sentry_dsn: str = ""


settings = Settings()
