"""A sign-in session's browser and system, read from its User-Agent with `ua-parser` (the maintained port of
the uap-core rules): "Chrome 124" and "Windows 10" instead of a 130-character string."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ua_parser import parse


@dataclass(frozen=True)
class Device:
    browser: str  # "Chrome 124", "Mobile Safari 17" or "" when unknown
    system: str  # "Windows 10", "iOS 17.4", "Android 14" or ""
    device: str  # "iPhone", "Samsung SM-S911B" or "" for a computer or unknown


def _name(family: str | None, *versions: str | None) -> str:
    if not family or family == "Other":
        return ""
    version = ".".join(v for v in versions if v)
    return f"{family} {version}".strip()


@lru_cache(maxsize=512)
def describe_user_agent(user_agent: str) -> Device:
    if not user_agent:
        return Device("", "", "")
    result = parse(user_agent)
    browser = _name(result.user_agent.family, result.user_agent.major) if result.user_agent else ""
    system = _name(result.os.family, result.os.major, result.os.minor) if result.os else ""
    device = ""
    if result.device and result.device.family not in ("", "Other", "Generic Smartphone", "Mac"):
        device = result.device.family
    return Device(browser, system, device)
