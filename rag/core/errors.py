"""The small error hierarchy every layer raises; the CLI and UI turn these into friendly messages.

Each message says what happened and how to fix it, naming the file, field or setting involved.
"""

from __future__ import annotations


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
