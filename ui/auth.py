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
from urllib.parse import urlparse

import streamlit as st

from analytics.access import auth, users as users_mod
from analytics.access.sessions import DEVICE_COOKIE, SESSION_COOKIE, TICKET_SECONDS, Sessions
from analytics.core.config import default_db_path
from analytics.core.store import StoreError
from analytics.access.viewer import Viewer
from ui.i18n import language, language_switch, t

VIEWER_KEY = "clairvoie_viewer"
_LAST_SEEN_KEY = "clairvoie_last_seen"
_VIA_KEY = "clairvoie_login_via"        # "password" | "oidc"; absent when a test planted the viewer
_NOTICE_KEY = "clairvoie_login_notice"  # a message for the next login page (expired session, …)
_TAG_KEY = "clairvoie_credential_tag"   # fingerprint of the password hash at login: a reset ends the session
_SESSION_KEY = "clairvoie_session_id"   # the session's row in the operational database (None: a planted viewer)
_SEEN_KEY = "clairvoie_session_seen"    # when the row's last_seen was last written
_TICKET_KEY = "clairvoie_session_ticket"  # (ticket, expires at): handed to the browser for its cookie
_CLEAR_COOKIE_KEY = "clairvoie_clear_cookie"  # after logout: the browser drops its session cookie
#: The route of serve.py that turns a ticket into HttpOnly cookies (absent under plain ``streamlit run app.py``).
SESSION_ROUTE = "/_clairvoie/session"

_ENDED = {
    "idle": "Your session ended after a long time without activity. Please log in again.",
    "expired": "Your session has expired. Please log in again.",
    "revoked": "Your account was changed or removed. Please log in again.",
    "ended": "You were logged out. Please log in again.",
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
            _sidebar(viewer, path)
            return viewer
        via = st.session_state.get(_VIA_KEY)
        _forget_session()
        st.session_state[_NOTICE_KEY] = _ENDED[problem]
        if via == "oidc" and _oidc_configured():
            st.logout()  # otherwise the provider's cookie would log the user straight back in
    viewer = _viewer_from_cookie(path)
    if viewer is not None:
        _sidebar(viewer, path)
        return viewer
    viewer = _viewer_from_oidc(path)
    if viewer is not None:
        _start_session(viewer, "oidc", path=path)
        _sidebar(viewer, path)
        return viewer
    _show_login(path)
    st.stop()
    raise RuntimeError("unreachable: st.stop() ends the script run")  # pragma: no cover


def logout() -> None:
    """End the session (and the identity provider's, when logged in through it): its row is
    revoked, so its cookie is worthless in every tab from now on, and the browser drops it."""
    via = st.session_state.get(_VIA_KEY)
    _revoke(default_db_path())
    _forget_session()
    st.session_state[_CLEAR_COOKIE_KEY] = True
    st.query_params.clear()  # the next person at this browser does not land on the last intervention
    if via == "oidc" and _oidc_configured():
        st.logout()
    else:
        st.rerun()


# ---------------------------------------------------------------- session

def _start_session(viewer: Viewer, via: str, tag: str | None = None, *, path: Path | None = None,
                   session_id: int | None = None) -> None:
    """Remember the viewer in this browser session; a new login (``path`` given) also opens a
    server-side session whose one-time ticket the page hands to the browser for its cookie."""
    ticket = None
    if session_id is None and path is not None:
        try:
            session_id, ticket = Sessions(path).open_session(viewer.username, via, tag)
        except Exception:  # noqa: BLE001 - no operational database: the login still holds for this tab
            session_id = None
    st.session_state[_TAG_KEY] = tag
    st.session_state[VIEWER_KEY] = viewer
    st.session_state[_VIA_KEY] = via
    st.session_state[_LAST_SEEN_KEY] = time.time()
    st.session_state[_SESSION_KEY] = session_id
    st.session_state[_SEEN_KEY] = time.time()
    if ticket:
        st.session_state[_TICKET_KEY] = (ticket, time.time() + TICKET_SECONDS)


def _forget_session() -> None:
    for key in (VIEWER_KEY, _VIA_KEY, _LAST_SEEN_KEY, _TAG_KEY, _SESSION_KEY, _SEEN_KEY, _TICKET_KEY):
        st.session_state.pop(key, None)


def _revoke(path: Path) -> None:
    session_id = st.session_state.get(_SESSION_KEY)
    if session_id is not None:
        try:
            Sessions(path).revoke(session_id)
        except Exception:  # noqa: BLE001 - the operational database is gone: nothing left to revoke
            pass


def _session_problem(viewer: Viewer, path: Path) -> str | None:
    last_seen = st.session_state.get(_LAST_SEEN_KEY, viewer.logged_in_at)
    problem = auth.session_problem(viewer.logged_in_at, last_seen)
    if problem:
        _revoke(path)
        return problem
    if st.session_state.get(_VIA_KEY):  # a real login: the user must still exist, unchanged
        try:
            if auth.refresh_viewer(path, viewer, st.session_state.get(_TAG_KEY)) is None:
                _revoke(path)
                return "revoked"
        except StoreError:
            return "revoked"
    session_id = st.session_state.get(_SESSION_KEY)
    if session_id is not None:  # logged out in another tab: this one ends too
        try:
            is_open, seen = Sessions(path).still_open(session_id, st.session_state.get(_SEEN_KEY))
        except Exception:  # noqa: BLE001 - the operational database cannot be read: keep this tab's login
            return None
        st.session_state[_SEEN_KEY] = seen
        if not is_open:
            return "ended"
    return None


def _cookie(name: str) -> str | None:
    try:
        value = st.context.cookies.get(name)
    except Exception:  # noqa: BLE001 - no browser request (AppTest)
        return None
    return value if isinstance(value, str) else None


def _client_address() -> str | None:
    try:
        value = st.context.ip_address
    except Exception:  # noqa: BLE001 - no browser request (AppTest)
        return None
    return value if isinstance(value, str) else None


def _viewer_from_cookie(path: Path) -> Viewer | None:
    """The viewer of a live session whose cookie this browser sent (a reload), else None."""
    token = _cookie(SESSION_COOKIE)
    if not token:
        return None
    try:
        sessions = Sessions(path)
        resumed = sessions.resume(token)
        if resumed is None:
            return None
        found = users_mod.get_user(path, resumed.username)
        viewer = auth.viewer_from_user_row(found, now=resumed.created_at) if found else None
        if viewer is None or auth.refresh_viewer(path, viewer, resumed.credential_tag) is None:
            sessions.revoke(resumed.session_id)  # the user was removed or changed since
            return None
    except (StoreError, ValueError):
        return None
    _start_session(viewer, resumed.via, resumed.credential_tag, session_id=resumed.session_id)
    return viewer


def _hand_over_ticket(path: Path) -> None:
    """Give this login's one-time ticket to the browser, which posts it to :data:`SESSION_ROUTE`
    for its HttpOnly session cookie; drawn until the ticket is exchanged or expires."""
    pending = st.session_state.get(_TICKET_KEY)
    if not pending:
        return
    ticket, expires = pending
    try:
        done = Sessions(path).is_exchanged(st.session_state.get(_SESSION_KEY))
    except Exception:  # noqa: BLE001
        done = True
    if done or time.time() > expires:
        st.session_state.pop(_TICKET_KEY, None)
        return
    # the ticket is URL-safe base64 (letters, digits, - and _): nothing in it can end the string
    st.html(f"<script>fetch({SESSION_ROUTE!r}, {{method: 'POST', body: {ticket!r}, "
            "credentials: 'same-origin', cache: 'no-store'});</script>", unsafe_allow_javascript=True)


def _drop_cookie() -> None:
    """After logout: ask the browser to drop its (already revoked) session cookie."""
    if st.session_state.pop(_CLEAR_COOKIE_KEY, False):
        st.html(f"<script>fetch({SESSION_ROUTE!r}, {{method: 'DELETE', credentials: 'same-origin'}});</script>",
                unsafe_allow_javascript=True)


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

def _sidebar(viewer: Viewer, path: Path) -> None:
    with st.sidebar:
        scope = viewer.scope
        what = scope.manufacturer_id or scope.station_id
        role = t(ROLE_LABELS.get(viewer.role, viewer.role))
        # st.text: the username and ids are data, shown verbatim (never markdown)
        st.text(f"{viewer.username} — {role}" + (f" {what}" if what else ""))
        if st.button(t("Log out"), key="clairvoie_logout"):
            logout()
        _hand_over_ticket(path)


#: The app's pages (file stems of ``pages/``), the addresses the login page answers at.
_PAGE_STEMS = tuple(sorted(p.stem for p in (Path(__file__).resolve().parents[1] / "pages").glob("*.py")))


def asked_page() -> str | None:
    """The page stem of the address the browser asked for (``/disputes?…`` -> ``disputes``), when it
    names a page of the app; None for the app's root or anything else."""
    try:
        path = urlparse(st.context.url or "").path
    except Exception:  # noqa: BLE001 - no browser context (AppTest)
        return None
    stem = path.rstrip("/").rsplit("/", 1)[-1]
    return stem if stem in _PAGE_STEMS and stem != "log_in" else None


def _show_login(path: Path) -> None:
    """The login page as the app's only page: a hidden one-page navigation, so that nobody sees
    the list of pages (Streamlit would otherwise list the ``pages/`` folder) before logging in."""
    def log_in():
        _login_page(path)

    # The login also answers at the address of the page a shared link asks for (hidden): the link
    # shows the login, not Streamlit's "Page not found" box, and lands on its page once logged in.
    # Only that page's address is registered, so that a visitor is sent no list of the app's pages
    # (a station is never told the names of the pages it may not open).
    asked = asked_page()
    at_pages = [st.Page(log_in, title=t("Log in"), url_path=asked)] if asked else []
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
    _drop_cookie()
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
            result = auth.attempt_login(path, username, password, address=_client_address(),
                                        device_token=_cookie(DEVICE_COOKIE))
        except StoreError as exc:
            st.error(str(exc))
            return
        if result.viewer is not None:
            _start_session(result.viewer, "password", result.tag, path=path)
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
