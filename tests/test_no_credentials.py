"""No credential in the repository besides the documented demo ones.

Scans every file git tracks or would add (tracked + untracked, not ignored): private
keys, cloud/API tokens, password hashes, credentials inside URLs, secrets files, and —
outside the tests — any password/secret/token assigned a literal value. The only
password allowed in the product is the demo password (:data:`analytics.users.DEMO_PASSWORD`),
and only where it is documented as demo-only. Tests may use throwaway passwords for the
temporary stores they build; those never reach a real store.
"""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from analytics.core.config import PROJECT_ROOT
from analytics.access.users import DEMO_PASSWORD

# High-confidence secrets: flagged in every file, tests included.
SECRET_PATTERNS = {
    "private key": re.compile(r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY"),
    "AWS access key": re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
    "GitHub token": re.compile(r"\bgh[pousr]_[A-Za-z0-9]{30,}\b|\bgithub_pat_[A-Za-z0-9_]{40,}"),
    "Slack token": re.compile(r"\bxox[abprs]-[A-Za-z0-9-]{10,}"),
    "Google API key": re.compile(r"\bAIza[0-9A-Za-z_\-]{35}\b"),
    "OpenAI-style key": re.compile(r"\bsk-(?:proj-)?[A-Za-z0-9_\-]{32,}"),
    "argon2 hash": re.compile(r"\$argon2(?:id|i|d)\$v=\d+\$m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/]{10,}\$[A-Za-z0-9+/]{20,}"),
    "bcrypt hash": re.compile(r"\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}"),
    "credentials in a URL": re.compile(r"\b[a-z][a-z0-9+.\-]*://[^\s/:@'\"]+:[^\s/@'\"$]{3,}@[\w.\-]+"),
}

# Literal values assigned to secret-looking names (outside the tests).
ASSIGNMENT = re.compile(
    r"""(?ix)\b(password|passwd|pwd|secret|client_secret|cookie_secret|api_?key|access_token|
    auth_token|token|private_key)\b["']?\s*[:=]\s*["']([^"'\s]{6,})["']"""
)
#: Values that are not credentials: the documented demo password, placeholders.
ALLOWED_VALUES = {DEMO_PASSWORD}
PLACEHOLDER = re.compile(r"^(<.*>|\.\.\.|x+|\*+|change-?me|your[-_].*|example.*)$", re.I)

#: Where the demo password may be written: its definition and its documentation.
DEMO_PASSWORD_PLACES = {"analytics/access/users.py", "README.md", "docs/DEMO.md", "docs/ARCHITECTURE.md"}

SECRET_FILES = re.compile(r"(^|/)(secrets\.toml|\.env(\..*)?|id_rsa|id_ed25519|.*\.pem|.*\.p12|.*\.key)$")


def repository_files() -> list[str]:
    out = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=PROJECT_ROOT, capture_output=True, check=True,
    ).stdout.decode("utf-8", "replace")
    return sorted({p for p in out.split("\0") if p and (PROJECT_ROOT / p).is_file()})


def _text(path: str) -> str | None:
    full = PROJECT_ROOT / path
    if full.stat().st_size > 5_000_000:
        return None
    data = full.read_bytes()
    if b"\0" in data[:8192]:
        return None  # binary (images, parquet, …)
    return data.decode("utf-8", "replace")


@pytest.fixture(scope="module")
def files() -> dict[str, str]:
    texts = {}
    for path in repository_files():
        text = _text(path)
        if text is not None:
            texts[path] = text
    assert "analytics/access/users.py" in texts, "the scan must see the repository"
    return texts


def _line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def test_no_secret_files_in_the_repository():
    found = [p for p in repository_files() if SECRET_FILES.search(p)]
    assert found == [], f"secret files would be committed: {found} (add them to .gitignore)"


def test_secrets_toml_is_ignored():
    result = subprocess.run(["git", "check-ignore", "-q", ".streamlit/secrets.toml"], cwd=PROJECT_ROOT)
    assert result.returncode == 0, ".streamlit/secrets.toml must be in .gitignore"


def test_no_high_confidence_secrets(files):
    found = []
    for path, text in files.items():
        for what, pattern in SECRET_PATTERNS.items():
            for m in pattern.finditer(text):
                found.append(f"{path}:{_line_of(text, m.start())}: {what}")
    assert found == []


def test_no_literal_passwords_outside_tests(files):
    found = []
    for path, text in files.items():
        if path.startswith("tests/"):
            continue
        for m in ASSIGNMENT.finditer(text):
            value = m.group(2)
            if value in ALLOWED_VALUES or PLACEHOLDER.match(value):
                continue
            found.append(f"{path}:{_line_of(text, m.start())}: {m.group(1)} = {value[:3]}…")
    assert found == []


def test_demo_password_only_where_documented_as_demo(files):
    places = {p for p, t in files.items() if DEMO_PASSWORD in t and not p.startswith("tests/")}
    assert places <= DEMO_PASSWORD_PLACES, f"the demo password appears in {sorted(places - DEMO_PASSWORD_PLACES)}"


def test_readme_lists_the_demo_users_as_demo_only(files):
    readme = files.get("README.md", "")
    m = re.search(r"^## Roles and users\n(.*?)(?=^## |\Z)", readme, re.S | re.M)
    assert m, "README.md needs a section '## Roles and users'"
    section = m.group(1)
    assert DEMO_PASSWORD in section
    assert re.search(r"demo[- ]only", section, re.I)
    from analytics.access.users import DEMO_USERNAMES

    for name in DEMO_USERNAMES:
        assert f"`{name}`" in section, f"demo user {name} is not documented"


def test_scanner_catches_what_it_should():
    """The patterns themselves: each catches a planted example and ignores look-alikes."""
    fake_hash = "$argon2id$v=19$m=65536,t=3,p=4$" + "c2FsdHNhbHRzYWx0" + "$" + "A" * 43
    assert SECRET_PATTERNS["argon2 hash"].search(fake_hash)
    assert not SECRET_PATTERNS["argon2 hash"].search('startswith("$argon2id$v=19$m=65536,t=3,p=4$")')
    assert SECRET_PATTERNS["credentials in a URL"].search("postgres://app:" + "hunter22@db.internal/x")
    assert not SECRET_PATTERNS["credentials in a URL"].search("https://example.org/a@b")
    assert SECRET_PATTERNS["private key"].search("-----BEGIN OPENSSH " + "PRIVATE KEY-----")
    assert ASSIGNMENT.search('cookie_secret = "s3cr3t-value"')
    assert ASSIGNMENT.search('"password": "hunter2hunter2"')
    assert not ASSIGNMENT.search("password = getpass.getpass()")
