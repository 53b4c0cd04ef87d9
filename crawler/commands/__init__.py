"""The project's Scrapy commands (``COMMANDS_MODULE``): ``crawl`` with exit codes and a quiet console."""
