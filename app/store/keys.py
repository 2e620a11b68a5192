"""Where the 32-byte data key lives: the OS credential store, or wrapped under a passphrase.

The keyring is used only on an allow-listed secure backend; anything else (a plaintext file from
keyrings.alt, an unknown third-party backend) is refused loudly rather than used silently.
"""

from __future__ import annotations

import base64
import contextlib
import importlib
import json
import os
import secrets
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Protocol

from argon2.low_level import ARGON2_VERSION, Type, core, ffi, lib
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from app.messages import QT_TRANSLATE_NOOP

from .errors import KeyMissingError, KeyringRefusedError, WrongKeyError
from .layout import KEY_BYTES, KEY_NAME, ProfileMeta

SERVICE = "RM Desk"

SECURE_BACKENDS = frozenset(
    {
        "keyring.backends.Windows.WinVaultKeyring",
        "keyring.backends.macOS.Keyring",
        "keyring.backends.SecretService.Keyring",
        "keyring.backends.kwallet.DBusKeyring",
        "keyring.backends.kwallet.DBusKeyringKWallet4",
        "keyring.backends.libsecret.Keyring",
    }
)


def new_data_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


class KeyStore(Protocol):
    mode: str

    def create(self) -> bytes: ...
    def load(self) -> bytes: ...
    def begin_rotation(self, new_key: bytes) -> None: ...
    def commit_rotation(self, new_key: bytes) -> None: ...
    def candidates(self) -> list[bytes]: ...


def backend_name(backend: object) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


def secure_backend(backend: object | None = None):
    """The backend to use, or KeyringRefusedError saying what to do instead."""
    import keyring
    from keyring.backends.chainer import ChainerBackend

    backend = backend if backend is not None else keyring.get_keyring()
    candidates = list(backend.backends) if isinstance(backend, ChainerBackend) else [backend]
    for b in candidates:
        if backend_name(b) in SECURE_BACKENDS:
            return b
    names = ", ".join(backend_name(b) for b in candidates) or "none"
    raise KeyringRefusedError(QT_TRANSLATE_NOOP(
        "Store", "No secure credential store is available (found: {names}). RM Desk will not keep its key in a "
        "plaintext or unknown keyring. Use a passphrase for this profile instead, or start your "
        "desktop's keyring (GNOME Keyring, KWallet, Windows Credential Manager or macOS Keychain)."
    ).format(names=names))


def _recorded_backend(name: str):
    """The backend class that holds the key, loaded by name: keyring's discovery imports and asks every
    installed backend. None (discover as usual) when the choice is overridden (PYTHON_KEYRING_BACKEND, a
    backend set in this process, as tests do), when it is not allow-listed, or when it cannot be used."""
    keyring_core = sys.modules.get("keyring.core")
    if name not in SECURE_BACKENDS or os.environ.get("PYTHON_KEYRING_BACKEND") or (
            keyring_core is not None and getattr(keyring_core, "_keyring_backend", None) is not None):
        return None
    try:
        module, _, cls = name.rpartition(".")
        backend = getattr(importlib.import_module(module), cls)()
        return backend if backend.priority > 0 else None  # priority raises or is <= 0 when not viable
    except Exception:  # noqa: BLE001 - any failure here just means: discover as usual
        return None


class KeyringKeyStore:
    """The data key in the OS credential store, one entry per profile."""

    mode = "keyring"

    def __init__(self, profile_id: str, backend: object | None = None, recorded: str = "") -> None:
        self.profile_id = profile_id
        self._backend = backend
        self._recorded = recorded  # the backend class name the profile's metadata says holds the key
        self._resolved: object | None = None

    @property
    def backend(self):
        """Resolved once per store: reading the key and its pending twin must not ask twice."""
        if self._resolved is None:
            found = _recorded_backend(self._recorded) if self._backend is None and self._recorded else None
            self._resolved = found if found is not None else secure_backend(self._backend)
        return self._resolved

    def _account(self, pending: bool = False) -> str:
        return f"profile:{self.profile_id}" + (":pending" if pending else "")

    def create(self) -> bytes:
        key = new_data_key()
        self.backend.set_password(SERVICE, self._account(), key.hex())
        return key

    def _get(self, pending: bool = False) -> bytes | None:
        value = self.backend.get_password(SERVICE, self._account(pending))
        return bytes.fromhex(value) if value else None

    def load(self) -> bytes:
        key = self._get()
        if key is None:
            raise KeyMissingError(QT_TRANSLATE_NOOP(
                "Store", "The key for this profile is not in your keyring. If you moved to a new computer or "
                "reset your keyring, restore the profile from a backup together with its key."
            ))
        return key

    def candidates(self) -> list[bytes]:
        found = [k for k in (self._get(), self._get(pending=True)) if k]
        if not found:
            self.load()  # raises the explanatory error
        return found

    def begin_rotation(self, new_key: bytes) -> None:
        self.backend.set_password(SERVICE, self._account(pending=True), new_key.hex())

    def commit_rotation(self, new_key: bytes) -> None:
        backend = self.backend
        backend.set_password(SERVICE, self._account(), new_key.hex())
        with contextlib.suppress(Exception):  # a stale pending entry is harmless
            backend.delete_password(SERVICE, self._account(pending=True))

    def forget(self) -> None:
        for pending in (False, True):
            with contextlib.suppress(Exception):  # already absent
                self.backend.delete_password(SERVICE, self._account(pending))


@dataclass(frozen=True)
class KdfParams:
    iterations: int = 3
    lanes: int = 4
    memory_cost: int = 64 * 1024  # KiB

    @classmethod
    def fast_for_tests(cls) -> KdfParams:
        return cls(iterations=1, lanes=1, memory_cost=8 * 1024)


def _b64(b: bytes) -> str:
    return base64.b64encode(b).decode("ascii")


def _unb64(s: str) -> bytes:
    return base64.b64decode(s.encode("ascii"))


def write_private(path: Path, data: bytes) -> None:
    """Atomic write with owner-only permissions from the first byte: temp, fsync, replace."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    if hasattr(os, "O_DIRECTORY"):
        dfd = os.open(path.parent, os.O_DIRECTORY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)


def argon2id(secret: bytes, salt: bytes, p: KdfParams, length: int = 32) -> bytes:
    """Argon2id (RFC 9106) by libargon2, outside the GIL, on one core fewer than the machine has.

    The lanes are part of the parameters (they change the key); the threads that compute them are
    not. Unlocking runs while the database layer is imported on another thread, so that thread keeps
    a core: on 2 cores one thread takes 0.25 s where 4 threads take 0.17 s but stall the imports.
    """
    threads = max(1, min(p.lanes, (os.cpu_count() or 1) - 1))
    out = ffi.new("uint8_t[]", length)
    pwd, salt_ = ffi.new("uint8_t[]", secret), ffi.new("uint8_t[]", salt)  # kept alive for the call
    ctx = ffi.new("argon2_context *", {
        "out": out, "outlen": length, "pwd": pwd, "pwdlen": len(secret), "salt": salt_, "saltlen": len(salt),
        "secret": ffi.NULL, "secretlen": 0, "ad": ffi.NULL, "adlen": 0, "t_cost": p.iterations,
        "m_cost": p.memory_cost, "lanes": p.lanes, "threads": threads, "version": ARGON2_VERSION,
        "allocate_cbk": ffi.NULL, "free_cbk": ffi.NULL, "flags": lib.ARGON2_DEFAULT_FLAGS})
    rv = core(ctx, Type.ID.value)
    if rv != lib.ARGON2_OK:
        raise ValueError(ffi.string(lib.argon2_error_message(rv)).decode())
    return bytes(ffi.buffer(out, length))


class PassphraseKeyStore:
    """The data key wrapped with AES-GCM under a key derived from a passphrase with Argon2id."""

    mode = "passphrase"

    def __init__(self, key_file: Path, profile_id: str, passphrase: str, params: KdfParams | None = None):
        self.key_file = Path(key_file)
        self.pending_file = self.key_file.with_name(self.key_file.name + ".pending")
        self.profile_id = profile_id
        self._passphrase = passphrase
        self.params = params or KdfParams()

    def _aad(self) -> bytes:
        return b"rmdesk-data-key-v1:" + self.profile_id.encode()

    def _kek(self, passphrase: str, salt: bytes, p: KdfParams) -> bytes:
        if not passphrase:
            raise WrongKeyError(QT_TRANSLATE_NOOP("Store", "A passphrase is required to open this profile."))
        return argon2id(passphrase.encode("utf-8"), salt, p)

    def _wrap(self, key: bytes, passphrase: str) -> bytes:
        salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
        wrapped = AESGCM(self._kek(passphrase, salt, self.params)).encrypt(nonce, key, self._aad())
        doc = {"format": 1, "kdf": "argon2id", **asdict(self.params), "salt": _b64(salt),
               "nonce": _b64(nonce), "wrapped": _b64(wrapped)}
        return json.dumps(doc, indent=1).encode()

    def _unwrap(self, path: Path, passphrase: str) -> bytes:
        try:
            doc = json.loads(path.read_bytes())
            params = KdfParams(doc["iterations"], doc["lanes"], doc["memory_cost"])
            salt, nonce, wrapped = _unb64(doc["salt"]), _unb64(doc["nonce"]), _unb64(doc["wrapped"])
        except FileNotFoundError:
            raise KeyMissingError(QT_TRANSLATE_NOOP(
                "Store", "The key file {name} is missing from the profile folder.").format(name=path.name)) from None
        except (ValueError, KeyError, TypeError):
            raise KeyMissingError(QT_TRANSLATE_NOOP(
                "Store", "The key file {name} is damaged; restore it from a backup.").format(name=path.name)) from None
        try:
            return AESGCM(self._kek(passphrase, salt, params)).decrypt(nonce, wrapped, self._aad())
        except InvalidTag:
            raise WrongKeyError(QT_TRANSLATE_NOOP("Store", "That passphrase is not correct for this profile.")) from None

    def create(self) -> bytes:
        key = new_data_key()
        write_private(self.key_file, self._wrap(key, self._passphrase))
        return key

    def load(self) -> bytes:
        return self._unwrap(self.key_file, self._passphrase)

    def candidates(self) -> list[bytes]:
        keys = [self.load()]
        if self.pending_file.exists():
            with contextlib.suppress(WrongKeyError, KeyMissingError):  # a half-written pending file
                keys.append(self._unwrap(self.pending_file, self._passphrase))
        return keys

    def begin_rotation(self, new_key: bytes) -> None:
        write_private(self.pending_file, self._wrap(new_key, self._passphrase))

    def commit_rotation(self, new_key: bytes) -> None:
        os.replace(self.pending_file, self.key_file)

    def change_passphrase(self, new_passphrase: str) -> None:
        if len(new_passphrase) < 8:
            raise ValueError(QT_TRANSLATE_NOOP("Store", "Choose a passphrase of at least 8 characters."))
        key = self.load()  # proves the old passphrase first
        write_private(self.key_file, self._wrap(key, new_passphrase))
        self._passphrase = new_passphrase


def key_store(home: Path, meta: ProfileMeta, passphrase: str | None = None, *, backend: object | None = None,
              kdf: KdfParams | None = None) -> KeyStore:
    """Where the data key of the profile in `home` is kept, by its metadata's key mode."""
    if meta.key_mode == "passphrase":
        return PassphraseKeyStore(home / KEY_NAME, meta.profile_id, passphrase or "", kdf)
    return KeyringKeyStore(meta.profile_id, backend, meta.key_backend)
