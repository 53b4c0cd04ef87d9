"""The scrapyd side: the JSON API client, job launch across nodes, egg deploy and a local node."""
