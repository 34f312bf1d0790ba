import re

from tests.conftest import login
from tests.factories import PASSWORD


def csrf_token(client, url):
    html = client.get(url).get_data(as_text=True)
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    return match.group(1)


def test_sign_in_and_out_through_the_pages(client, world, csrf_enabled):
    token = csrf_token(client, "/login")
    response = client.post("/login", data={"email": "manager@lead.example.org", "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "Max Manager" in client.get("/").get_data(as_text=True)
    token = csrf_token(client, "/")
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/").status_code == 302


def test_a_wrong_password_is_shown_beside_the_field_and_the_email_is_kept(client, world):
    response = client.post("/login", data={"email": "manager@lead.example.org", "password": "wrong password"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "do not match an active account" in html
    assert 'value="manager@lead.example.org"' in html
    assert 'aria-invalid="true"' in html


def test_forms_are_refused_without_a_csrf_token(client, world, csrf_enabled):
    response = client.post("/login", data={"email": "manager@lead.example.org", "password": PASSWORD})
    assert response.status_code == 400
    assert "form had expired" in response.get_data(as_text=True)
    assert "/login" in client.get("/").headers["Location"]  # not signed in
    signed_in = login(client, world.users["manager"])
    response = signed_in.post("/authorities/new", data={"name": "Sneaky Council", "kind": "council"})
    assert response.status_code == 400
    assert "Sneaky Council" not in signed_in.get("/authorities/").get_data(as_text=True)
    response = signed_in.post("/logout")
    assert response.status_code == 400


def test_logout_invalidates_a_copied_session_cookie(app, world, csrf_enabled):
    browser = app.test_client()
    token = csrf_token(browser, "/login")
    browser.post("/login", data={"email": "finance@lead.example.org", "password": PASSWORD, "csrf_token": token})
    stolen = browser.get_cookie("session").value
    token = csrf_token(browser, "/")
    browser.post("/logout", data={"csrf_token": token})
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    assert thief.get("/").status_code == 302


def test_next_only_redirects_within_the_site(client, world):
    ok = client.post("/login", data={"email": "manager@lead.example.org", "password": PASSWORD, "next": "/engagements/"})
    assert ok.headers["Location"] == "/engagements/"
    client.post("/logout")
    evil = client.post("/login", data={"email": "manager@lead.example.org", "password": PASSWORD,
                                       "next": "https://evil.example.com/"})
    assert evil.headers["Location"] == "/"


def test_change_password_page(client, world):
    login(client, world.users["consultant"])
    response = client.post("/account/password", data={"current_password": "nope nope nope", "new_password": "another passphrase"})
    assert "not your current password" in response.get_data(as_text=True)
    response = client.post("/account/password", data={"current_password": PASSWORD, "new_password": "another passphrase"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200  # re-signed in with the new session version


def test_admin_creates_a_client_user_and_errors_name_fields(client, world):
    login(client, world.users["admin"])
    response = client.post("/users/new", data={"email": "new@a.example.org", "role": "client", "authority_id": 0,
                                                "staff_id": 0, "password": "a long passphrase"})
    html = response.get_data(as_text=True)
    assert "A client user must belong to an authority." in html
    assert 'value="new@a.example.org"' in html
    response = client.post("/users/new", data={"email": "new@a.example.org", "role": "client",
                                                "authority_id": world.client_a.id, "staff_id": 0,
                                                "password": "a long passphrase"})
    assert response.status_code == 302
    assert "new@a.example.org" in client.get("/users").get_data(as_text=True)


def test_cookies_are_httponly_and_samesite(client, world):
    response = client.post("/login", data={"email": "manager@lead.example.org", "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_a_user_revokes_their_api_tokens_from_the_account_page(app, world, api_as, login_as):
    api = api_as("finance")
    assert api.get("/api/v1/engagements").status_code == 200
    assert login_as("finance").post("/account/tokens/revoke").status_code == 302
    assert api.get("/api/v1/engagements").status_code == 401
