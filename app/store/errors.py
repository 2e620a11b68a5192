"""Errors the store raises, each worded for the person at the keyboard."""

from __future__ import annotations


class StoreError(Exception):
    """Base for every storage error; `str(err)` is safe to show to a user."""


class WrongKeyError(StoreError):
    pass


class CorruptProfileError(StoreError):
    pass


class NewerSchemaError(StoreError):
    pass


class ProfileExistsError(StoreError):
    pass


class ProfileMissingError(StoreError):
    pass


class KeyringRefusedError(StoreError):
    pass


class KeyMissingError(StoreError):
    pass


class DiskFullError(StoreError):
    pass


class BackupError(StoreError):
    pass
