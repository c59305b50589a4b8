"""An app's own settings, declared beside its code instead of in ``settings.py`` (ADR 0023).

Each app with settings has a ``conf.py``::

    class CertificatesConf(AppConf):
        VERIFY_RATE = Setting("DIMOS_VERIFY_RATE", str, "60/m")


    conf = CertificatesConf()

and reads ``conf.VERIFY_RATE``. A value is looked up when it is read: a Django setting of
that name first (so ``override_settings(DIMOS_VERIFY_RATE=…)`` and the suite's ``settings``
fixture work, and a deployment's settings module may set it), then the environment variable,
then the default. The manifest's ``conf`` reads every value at start-up: a variable that does
not parse stops the process with its name. docs/configuration.md documents each variable
(a test finds every ``Setting(`` declaration).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any, Generic, TypeVar, overload

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

T = TypeVar("T")

_UNSET = object()
_TRUE = {"1", "true", "yes", "on"}


def _parse_bool(value: str) -> bool:
    return value.strip().lower() in _TRUE


class Setting(Generic[T]):
    """One setting: the environment variable (also the Django setting's name), type, default.

    ``kind`` turns the variable's text into the value (``int``, ``float``, ``str``; ``bool``
    reads 1/true/yes/on). An empty variable counts as unset.
    """

    def __init__(self, name: str, kind: Callable[[str], T], default: T) -> None:
        self.name = name
        self.kind = kind
        self.default = default

    def parse(self, text: str) -> T:
        if self.kind is bool:
            return _parse_bool(text)  # type: ignore[return-value]
        try:
            return self.kind(text.strip())
        except ValueError as error:
            raise ImproperlyConfigured(f"{self.name}={text!r} is not valid: {error}") from error

    def value(self) -> T:
        configured = getattr(settings, self.name, _UNSET)
        if configured is not _UNSET:
            return configured  # type: ignore[return-value]
        text = os.environ.get(self.name, "")
        return self.parse(text) if text.strip() else self.default

    @overload
    def __get__(self, instance: None, owner: type) -> Setting[T]: ...
    @overload
    def __get__(self, instance: AppConf, owner: type) -> T: ...
    def __get__(self, instance: AppConf | None, owner: type) -> Setting[T] | T:
        if instance is None:
            return self
        return self.value()


class AppConf:
    """An app's settings: class attributes that are :class:`Setting`."""

    @classmethod
    def declared(cls) -> dict[str, Setting[Any]]:
        return {
            attr: value
            for klass in reversed(cls.__mro__)
            for attr, value in vars(klass).items()
            if isinstance(value, Setting)
        }

    def validate(self) -> None:
        """Read every value once: a variable that does not parse raises now, not later."""
        for setting in self.declared().values():
            setting.value()
