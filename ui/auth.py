"""The login boundary of the app: every page asks :func:`require_viewer`.

The whole login sits behind this one function so tests can stand in for it by
putting a :class:`analytics.viewer.Viewer` in ``st.session_state[VIEWER_KEY]``
before running a page (AppTest).

What it does, on every page view:

* a logged-in session is checked for expiry (idle / absolute, :mod:`analytics.auth`)
  and, when it came from the login page, re-read from the store: a removed user, a
  changed role, scope or admin flag, or a password reset ends the session at once;
* otherwise it shows the login page — a username/password form checked by
  :func:`analytics.auth.attempt_login` (throttled, one message for any failure),
  plus "Log in with your company account" (``st.login``, OpenID Connect) when
  ``.streamlit/secrets.toml`` has an ``[auth]`` section; the identity provider's
  e-mail is mapped to a Clairvoie user — and stops the script (``st.stop()``);
* the sidebar shows who is logged in and a logout button.

The viewer's scope always comes from the store's user row, never from the URL.
"""
from __future__ import annotations

import time
from pathlib import Path

import streamlit as st

from analytics.access import auth
from analytics.core.config import default_db_path
from analytics.core.store import StoreError
from analytics.access.viewer import Viewer
from ui.i18n import language, language_switch, t

VIEWER_KEY = "clairvoie_viewer"
_LAST_SEEN_KEY = "clairvoie_last_seen"
_VIA_KEY = "clairvoie_login_via"        # "password" | "oidc"; absent when a test planted the viewer
_NOTICE_KEY = "clairvoie_login_notice"  # a message for the next login page (expired session, …)
_TAG_KEY = "clairvoie_credential_tag"   # fingerprint of the password hash at login: a reset ends the session

_ENDED = {
    "idle": "Your session ended after a long time without activity. Please log in again.",
    "expired": "Your session has expired. Please log in again.",
    "revoked": "Your account was changed or removed. Please log in again.",
}

ROLE_LABELS = {"manager": "network manager", "manufacturer": "manufacturer", "station": "station"}


def require_viewer(db_path: Path | str | None = None) -> Viewer:
    """The logged-in viewer; shows the login page and stops the script when there is none."""
    path = Path(db_path) if db_path else default_db_path()
    viewer = st.session_state.get(VIEWER_KEY)
    if viewer is not None and not isinstance(viewer, Viewer):
        _forget_session()
        viewer = None
    if viewer is not None:
        problem = _session_problem(viewer, path)
        if problem is None:
            st.session_state[_LAST_SEEN_KEY] = time.time()
            _sidebar(viewer)
            return viewer
        via = st.session_state.get(_VIA_KEY)
        _forget_session()
        st.session_state[_NOTICE_KEY] = _ENDED[problem]
        if via == "oidc" and _oidc_configured():
            st.logout()  # otherwise the provider's cookie would log the user straight back in
    viewer = _viewer_from_oidc(path)
    if viewer is not None:
        _start_session(viewer, "oidc")
        _sidebar(viewer)
        return viewer
    _show_login(path)
    st.stop()
    raise RuntimeError("unreachable: st.stop() ends the script run")  # pragma: no cover


def logout() -> None:
    """End the session (and the identity provider's, when logged in through it)."""
    via = st.session_state.get(_VIA_KEY)
    _forget_session()
    if via == "oidc" and _oidc_configured():
        st.logout()
    else:
        st.rerun()


# ---------------------------------------------------------------- session

def _start_session(viewer: Viewer, via: str, tag: str | None = None) -> None:
    st.session_state[_TAG_KEY] = tag
    st.session_state[VIEWER_KEY] = viewer
    st.session_state[_VIA_KEY] = via
    st.session_state[_LAST_SEEN_KEY] = time.time()


def _forget_session() -> None:
    for key in (VIEWER_KEY, _VIA_KEY, _LAST_SEEN_KEY, _TAG_KEY):
        st.session_state.pop(key, None)


def _session_problem(viewer: Viewer, path: Path) -> str | None:
    last_seen = st.session_state.get(_LAST_SEEN_KEY, viewer.logged_in_at)
    problem = auth.session_problem(viewer.logged_in_at, last_seen)
    if problem:
        return problem
    if st.session_state.get(_VIA_KEY):  # a real login: the user must still exist, unchanged
        try:
            if auth.refresh_viewer(path, viewer, st.session_state.get(_TAG_KEY)) is None:
                return "revoked"
        except StoreError:
            return "revoked"
    return None


# ---------------------------------------------------------------- OpenID Connect

def _oidc_configured() -> bool:
    try:
        return bool(st.secrets.load_if_toml_exists() and "auth" in st.secrets)
    except Exception:  # no or unreadable secrets file: password login only
        return False


def _oidc_user() -> dict:
    try:
        return dict(st.user.to_dict()) if st.user.is_logged_in else {}
    except Exception:
        return {}


def _viewer_from_oidc(path: Path) -> Viewer | None:
    if not _oidc_configured():
        return None
    info = _oidc_user()
    if not info:
        return None
    if info.get("email_verified") is False:
        st.session_state[_NOTICE_KEY] = "Your company account's e-mail is not verified."
        return None
    try:
        viewer = auth.viewer_for_email(path, info.get("email"))
    except StoreError as exc:
        st.session_state[_NOTICE_KEY] = str(exc)
        return None
    if viewer is None:
        st.session_state[_NOTICE_KEY] = (
            "No Clairvoie user has the e-mail of your company account. "
            "Ask a network manager to add it (python -m analytics users add … --email …)."
        )
    return viewer


# ---------------------------------------------------------------- pages

def _sidebar(viewer: Viewer) -> None:
    with st.sidebar:
        scope = viewer.scope
        what = scope.manufacturer_id or scope.station_id
        role = t(ROLE_LABELS.get(viewer.role, viewer.role))
        # st.text: the username and ids are data, shown verbatim (never markdown)
        st.text(f"{viewer.username} — {role}" + (f" {what}" if what else ""))
        if st.button(t("Log out"), key="clairvoie_logout"):
            logout()


#: The app's pages (file stems of ``pages/``), the addresses the login page answers at.
_PAGE_STEMS = tuple(sorted(p.stem for p in (Path(__file__).resolve().parents[1] / "pages").glob("*.py")))


def _show_login(path: Path) -> None:
    """The login page as the app's only page: a hidden one-page navigation, so that nobody sees
    the list of pages (Streamlit would otherwise list the ``pages/`` folder) before logging in."""
    def log_in():
        _login_page(path)

    # The login answers at every page's address too (hidden): a shared link opened before login
    # shows the login, not Streamlit's "Page not found" box, and lands on its page once logged in.
    at_pages = [st.Page(log_in, title=t("Log in"), url_path=stem) for stem in _PAGE_STEMS if stem != "log_in"]
    try:
        nav = st.navigation([st.Page(log_in, title=t("Log in"), default=True), *at_pages], position="hidden")
    except Exception:  # noqa: BLE001 - e.g. a navigation already drawn in this run: the form alone
        _login_page(path)
        return
    nav.run()


def _failure_text(result: auth.LoginResult) -> str:
    """Why the login failed, in the page's language (one message for any failure; the wait when throttled)."""
    if result.retry_after > 0 and language() == "fr":
        minutes = max(1, round(result.retry_after / 60))
        return t("Too many failed logins: please wait about {minutes} minute(s) before trying again.").format(
            minutes=minutes)
    return t(result.message)


def _login_page(path: Path) -> None:
    language_switch()  # a no-op when app.py already drew it in this run
    st.title("Clairvoie")
    st.subheader(t("Log in"))
    notice = st.session_state.pop(_NOTICE_KEY, None)
    if notice:
        st.info(t(notice))  # the fixed notices are translated; a store error's text stays as written
    with st.form("clairvoie_login", clear_on_submit=False):
        username = st.text_input(t("Username"), key="clairvoie_login_username", autocomplete="username")
        password = st.text_input(t("Password"), type="password", key="clairvoie_login_password",
                                 autocomplete="current-password")
        submitted = st.form_submit_button(t("Log in"), type="primary")
    if submitted:
        try:
            result = auth.attempt_login(path, username, password)
        except StoreError as exc:
            st.error(str(exc))
            return
        if result.viewer is not None:
            _start_session(result.viewer, "password", result.tag)
            st.rerun()
        st.error(_failure_text(result))
    if _oidc_configured():
        st.divider()
        if st.button(t("Log in with your company account"), key="clairvoie_oidc_login"):
            try:
                st.login()
            except Exception as exc:  # e.g. Authlib missing, provider misconfigured
                st.error(t("The company login is not available: {error}").format(error=exc))
        if _oidc_user():
            if st.button(t("Log out of the company account"), key="clairvoie_oidc_logout"):
                st.logout()
