"""Sign-in backend: Django's, with a person's permissions kept between requests.

Every staff page asks what the person may do (the view's check, the staff menu): two queries
(their own permissions and their roles') per request. They are kept in the cache under a
version that any change of roles, permissions or accounts replaces
(:data:`dimos.accounts.selectors.PERMISSIONS_VERSION`), so a role taken away applies on the
next request, as before.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache


class CachedPermissionsBackend(ModelBackend):
    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            from dimos.accounts.selectors import PERMISSIONS_VERSION

            key = f"dimos:perms:{user_obj.pk}:{PERMISSIONS_VERSION()}"
            perms = cache.get(key)
            if perms is None:
                perms = super().get_all_permissions(user_obj)
                cache.set(key, perms, 300)
            user_obj._perm_cache = perms
        perms_cached: set[str] = user_obj._perm_cache
        return perms_cached
