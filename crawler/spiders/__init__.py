"""LeadScraper's spiders."""
