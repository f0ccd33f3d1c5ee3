from django.test import override_settings

from accounts.checks import rate_limit_store


def test_dummy_cache_is_an_error():
    with override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}):
        assert [e.id for e in rate_limit_store(None)] == ["portal.E001"]


def test_configured_cache_passes():
    assert rate_limit_store(None) == []
