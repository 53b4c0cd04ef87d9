"""Database layer shared by the crawler and the API: models, engine/session, migrations, queries."""
