"""The spec's Python example (section 7), unchanged but for BASE_URL and the key, against a real server."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

from tests.api.conftest import Caller

pytestmark = [pytest.mark.db, pytest.mark.slow]

SPEC = Path(__file__).resolve().parents[3] / "shared" / "spec" / "api.md"

# Copied verbatim from spec/api.md, "7. Code Examples" → "Python" (checked against the spec when present).
SPEC_PYTHON_EXAMPLE = """\
import requests
import time

API_KEY = 'ls_1234567890abcdef'
BASE_URL = 'https://api.leadscraper.com/v1'

headers = {
    'Authorization': f'Bearer {API_KEY}',
    'Content-Type': 'application/json'
}

# Create scraping job
def create_scraping_job(urls):
    response = requests.post(
        f'{BASE_URL}/scrape',
        headers=headers,
        json={
            'type': 'bulk',
            'urls': urls,
            'options': {
                'qualify_leads': True
            }
        }
    )
    return response.json()

# Get job status
def get_job_status(job_id):
    response = requests.get(
        f'{BASE_URL}/jobs/{job_id}',
        headers=headers
    )
    return response.json()

# List leads
def list_leads(filters):
    response = requests.get(
        f'{BASE_URL}/leads',
        headers=headers,
        params=filters
    )
    return response.json()

# Usage
job = create_scraping_job([
    'https://example.com/contact',
    'https://company.com/about'
])

print(f'Job created: {job["id"]}')

# Poll for completion
status = get_job_status(job['id'])
while status['status'] == 'processing':
    time.sleep(5)
    status = get_job_status(job['id'])

print(f'Job completed: {status["leads_found"]} leads found')

# Get leads
leads = list_leads({
    'job_id': job['id'],
    'score_min': 70
})

print(f'Hot leads: {len(leads["data"])}')
"""


def test_embedded_example_is_the_spec_s() -> None:
    if not SPEC.exists():
        pytest.skip(f"{SPEC} not present")
    python = SPEC.read_text().split("### Python", 1)[1]
    block = re.search(r"```python\n(.*?)```", python, re.S)
    assert block is not None and block.group(1) == SPEC_PYTHON_EXAMPLE


@pytest.fixture
def server_url(live_app: Flask) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/v1"
    finally:
        server.shutdown()
        thread.join(5)


def test_spec_python_example_runs_unchanged(server_url: str, caller: Caller) -> None:
    script = SPEC_PYTHON_EXAMPLE.replace("ls_1234567890abcdef", caller.key).replace(
        "https://api.leadscraper.com/v1", server_url
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert re.fullmatch(r"Job created: job_[0-9A-Z]{26}", lines[0]), lines
    assert re.fullmatch(r"Job completed: \d+ leads found", lines[1]), lines
    assert re.fullmatch(r"Hot leads: \d+", lines[2]), lines
