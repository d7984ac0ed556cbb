"""The small error hierarchy every layer raises; the CLI and UI turn these into friendly messages.

Each message says what happened and how to fix it, naming the file, field or setting involved.
"""

from __future__ import annotations

import re

_USERINFO = re.compile(r"(?<=://)([^/@\s:]+):([^/@\s]+)@")


class CitechatError(Exception):
    """Base of every error citechat raises on purpose."""


class ConfigError(CitechatError):
    """A setting is missing or has a bad value."""


class IngestError(CitechatError):
    """A source file or record cannot be read or parsed."""


class StoreError(CitechatError):
    """The vector store or keyword index cannot be reached or is inconsistent."""


class ModelError(CitechatError):
    """A local model cannot be loaded, or a remote model endpoint failed."""


class InputError(CitechatError):
    """A question or a value the user typed cannot be used as it is."""


def redact_url(url: str) -> str:
    """`url` with any password in it hidden, for messages and logs.

    >>> redact_url("http://user:s3cret@127.0.0.1:8000/v1")
    'http://user:***@127.0.0.1:8000/v1'
    """
    return _USERINFO.sub(r"\1:***@", url)
