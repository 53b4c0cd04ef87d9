"""Verifier settings: safe defaults, the environment variables, and refusals of malformed values."""

from __future__ import annotations

import ipaddress

import pytest

from crawler.verify import VerifierConfig, VerifierConfigError


def test_the_defaults_probe_nothing_and_use_the_system_resolver() -> None:
    config = VerifierConfig()

    assert config.smtp_probe is False
    assert config.nameservers == ()
    assert config.smtp_port == 25
    assert config.allowlist == ()
    assert VerifierConfig.from_env({}) == config


def test_the_environment_sets_every_knob() -> None:
    config = VerifierConfig.from_env(
        {
            "LEADSCRAPER_SMTP_PROBE": "1",
            "LEADSCRAPER_SMTP_HELO": "mail.example.org",
            "LEADSCRAPER_SMTP_MAIL_FROM": "verify@example.org",
            "LEADSCRAPER_SMTP_PORT": "2525",
            "LEADSCRAPER_SMTP_TIMEOUT": "4.5",
            "LEADSCRAPER_SMTP_RATE": "0.5",
            "LEADSCRAPER_SMTP_GREYLIST_RETRY": "20",
            "LEADSCRAPER_VERIFY_BUDGET": "60",
            "LEADSCRAPER_DNS_NAMESERVERS": "192.0.2.53, 2001:db8::53",
            "LEADSCRAPER_DNS_PORT": "5353",
            "LEADSCRAPER_ALLOW_PRIVATE_NETWORKS": "10.0.0.0/8",
        }
    )

    assert config == VerifierConfig(
        nameservers=("192.0.2.53", "2001:db8::53"),
        dns_port=5353,
        smtp_probe=True,
        smtp_port=2525,
        helo_name="mail.example.org",
        mail_from="verify@example.org",
        connect_timeout=4.5,
        budget_seconds=60.0,
        max_probes_per_host_per_second=0.5,
        greylist_retry_delay=20.0,
        allowlist=(ipaddress.ip_network("10.0.0.0/8"),),
    )


@pytest.mark.parametrize("word", ["0", "false", "off", "no", ""])
def test_probing_stays_off_for_a_no(word: str) -> None:
    assert VerifierConfig.from_env({"LEADSCRAPER_SMTP_PROBE": word}).smtp_probe is False


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"LEADSCRAPER_SMTP_PROBE": "maybe"}, "LEADSCRAPER_SMTP_PROBE must be 1 or 0, not 'maybe'"),
        ({"LEADSCRAPER_SMTP_PORT": "smtp"}, "LEADSCRAPER_SMTP_PORT must be a number, not 'smtp'"),
        ({"LEADSCRAPER_SMTP_PORT": "70000"}, "smtp_port must be between 1 and 65535, not 70000"),
        ({"LEADSCRAPER_SMTP_RATE": "0"}, "max_probes_per_host_per_second must be positive, not 0.0"),
        ({"LEADSCRAPER_DNS_NAMESERVERS": "dns.google"}, "nameserver 'dns.google' is not an IP address"),
        ({"LEADSCRAPER_SMTP_MAIL_FROM": "<a@b.c>"}, "mail_from '<a@b.c>' is not a bare address"),
        ({"LEADSCRAPER_ALLOW_PRIVATE_NETWORKS": "10.0.0.0/33"}, "LEADSCRAPER_ALLOW_PRIVATE_NETWORKS: "),
    ],
)
def test_malformed_values_are_refused_with_the_reason(env: dict[str, str], message: str) -> None:
    with pytest.raises(VerifierConfigError) as caught:
        VerifierConfig.from_env(env)

    assert str(caught.value).startswith(message)
    assert isinstance(caught.value, ValueError)
