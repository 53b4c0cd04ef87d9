"""LeadScraper's Scrapy project: spiders, settings, middlewares and the pure extractors."""
