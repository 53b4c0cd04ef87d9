"""Scrapy item pipelines, one concern each: validate → merge → (qualify) → store."""
