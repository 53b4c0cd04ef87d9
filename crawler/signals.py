"""The crawl's own signals: how the spider, the item pipelines and JobProgress tell each other what happened.

Sent and received through ``crawler.signals`` like Scrapy's own (``spider_opened``, ``item_scraped``).
Per page, pipelines pass what they learnt on the item itself (``PageItem``); these signals carry
what is not about one page. What outlives the crawl goes into ``crawler.stats``.
"""

from __future__ import annotations

from enum import StrEnum

# The job's status when this process stopped working on it (set by JobProgress, or by the spider
# for a job that had already ended); ``scrapy crawl`` turns it into its exit code.
JOB_STATUS_STAT = "leadscraper/job_status"


class CrawlSignal(StrEnum):
    """The signals, each with its arguments, sender and receivers."""

    JOB_OPENED = "leadscraper.job_opened"
    """``run`` (``crawler.jobrun.JobRun``). Sent by the spider once its job is started. Received by
    ValidatePipeline (the account's suppressions), QualifyPipeline (the job's options),
    StorePipeline (the job, account and price a URL) and JobProgress (the claims to renew)."""

    SEED_FINISHED = "leadscraper.seed_finished"
    """``seed`` (``crawler.jobrun.Seed``). Sent by the spider when the crawl of a claimed URL's site has
    ended. Received by StorePipeline, which records its outcome and charge with its leads."""

    BATCH_STORED = "leadscraper.batch_stored"
    """``batch`` (``pipelines.store.Batch``), ``unpaid`` (URL ids the credits did not cover). Sent by
    StorePipeline after each committed flush. Received by the spider (those seeds are charged now)
    and QualifyPipeline (their companies are ready for the LLM refinement)."""

    STORE_CLOSED = "leadscraper.store_closed"
    """No arguments; receivers may return a Deferred, which is awaited. Sent by StorePipeline when
    its last flush has committed, as the spider closes. Received by QualifyPipeline, which starts
    its last refinements and waits for them."""

    COMPANY_REFINED = "leadscraper.company_refined"
    """``domain``, ``qualification`` (``pipelines.scoring.CompanyQualification``). Sent by
    QualifyPipeline when the LLM's answer for a company arrives. Received by StorePipeline, which
    writes that qualification with the company's later rows."""

    JOB_STOPPING = "leadscraper.job_stopping"
    """``reason`` (a ``db.jobs.CrawlStop`` value, or ``closespider_timeout``). Sent by whatever stops
    the job early: the spider (no URL left that the credits cover; the job's time limit cut a
    download), StorePipeline (a charge failed: out of credits) and JobProgress (the job was
    cancelled); the last two then close the spider through the engine.
    Received by the spider (it claims no more URLs) and JobProgress (the job ends for that reason)."""
