"""A local stand-in for the five providers' list endpoints, for the generated-client check.

Usage: mock_providers.py STATE_FILE

Serves each provider on its own port of 127.0.0.1 (picked by the system), so every base
URL is a host root plus the path of the spec's server URL, and writes STATE_FILE (JSON,
written whole) once all are listening:
    {"<key>": {"base_url": "http://127.0.0.1:PORT...", "total": N}, ...}
Then serves until it is terminated. Each request is logged on stderr.

Each provider pages the way its spec and documentation say, over a fixed set of entries
(`total` of them, several pages at the small page sizes the list programs ask for):
* vonage-cc: `page` and `limit`; `meta.page`, `count`, `pageCount`, `totalCount`. Only the
  vendor media type `application/vnd.newvoicemedia.v4+json` in `Accept` gets the list;
  any other `Accept` (`*/*` included) gets 406 with the spec's `Error` body.
* webex-calling: `start` and `max`; a `Link: <...>; rel="next"` header while entries
  follow, none on the last page.
* fone-dynamics: `Results_Skip` and `Results_Count`; no total, and the listing ends on an
  empty page. Pages alternate between the two shapes the spec allows, `{"Numbers": [...]}`
  and the bare array, so a client meets both.
* apple-business: an opaque `after` cursor in `pagination.cursors.after` and
  `pagination.next`; `pagination` is `{}` on the last page.
* zoom-phone: `next_page_token` and `page_size`; the token is empty on the last page.

Entries are valid for their spec's schemas, except that the response enums carry some
values outside the documented lists (as the providers add values), e.g. Webex
`phoneNumberType` `VIRTUAL_PRIMARY`, Fone `RoutingMethod` `Flow`, Zoom `status`
`porting`. Every request must carry the spec's credentials (any value: the programs send
the dummy token `test-token`); without them the answer is 401 with the provider's error
body, as it is 400 for a page size outside the documented range or an unknown cursor.
"""

import base64
import http.server
import json
import os
import re
import signal
import sys
import threading
import urllib.parse
import uuid

VONAGE_MEDIA_TYPE = "application/vnd.newvoicemedia.v4+json"
FONE_ACCOUNT = "AC0000000000000000000000000000000A"
FONE_PROPERTY = "PR0000000000000000000000000000000A"
APPLE_ORG = "9467895078742654934"
APPLE_BRAND = "9467895078742654921"


class Reply(Exception):
    """An answer other than a page: status, JSON body, extra headers."""

    def __init__(self, status, body, headers=None):
        super().__init__(status)
        self.status, self.body, self.headers = status, body, headers or {}


def integer(query, name, default, low, high=None):
    """A query parameter that must be an integer within [low, high]."""
    raw = query.get(name, [str(default)])[-1]
    if not re.fullmatch(r"-?[0-9]+", raw) or int(raw) < low or (high is not None and int(raw) > high):
        raise ValueError(f"{name}={raw} is not an integer from {low} to {high if high is not None else 'any'}")
    return int(raw)


def bearer(headers):
    """True when `Authorization: Bearer <token>` is present with a token."""
    return bool(re.fullmatch(r"Bearer \S+", headers.get("Authorization", "")))


def basic(headers):
    """True when `Authorization: Basic <base64 of user:password>` is present with both."""
    scheme, _, value = headers.get("Authorization", "").partition(" ")
    try:
        user, colon, password = base64.b64decode(value, validate=True).decode().partition(":")
    except ValueError:
        return False
    return scheme == "Basic" and bool(user and colon and password)


# Opaque cursors (Apple) and tokens (Zoom): the offset of the next entry, disguised and
# checked, so a client must send back what it was given.
def cursor(prefix, offset):
    return base64.urlsafe_b64encode(f"{prefix}:{offset}".encode()).decode().rstrip("=")


def uncursor(prefix, value, total):
    try:
        text = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
        name, offset = text.split(":")
        if name == prefix and 0 < int(offset) < total:
            return int(offset)
    except ValueError:
        pass
    raise ValueError(f"unknown cursor {value!r}")


def some_id(key, i):
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"telnums-mock/{key}/{i}"))


def webex_id(kind, uuid_text):
    """A Webex resource ID: base64 of `ciscospark://us/<KIND>/<uuid>`, without padding."""
    return base64.b64encode(f"ciscospark://us/{kind}/{uuid_text}".encode()).decode().rstrip("=")


# --- the providers -------------------------------------------------------------------


class Vonage:
    key = "vonage-cc"
    prefix = ""
    path = re.compile(r"/useradmin/callbackNumbers")
    total = 23

    def entry(self, i):
        return {
            "callbackNumberId": some_id(self.key, i),
            "callbackNumberName": f"CallbackNumber{i + 1}",
            "callbackNumberClid": f"+4411155{i:04d}",
        }

    def error(self, status, message, code):
        return Reply(status, {"message": message, "code": code})

    def page(self, handler, match, query):
        if not bearer(handler.headers):
            raise self.error(401, "Authorization has been denied for this request.", "Unauthorized")
        accept = [part.split(";")[0].strip().lower() for part in handler.headers.get("Accept", "").split(",")]
        if VONAGE_MEDIA_TYPE not in accept:
            raise self.error(406, f"Send Accept: {VONAGE_MEDIA_TYPE}.", "NotAcceptable")
        try:
            limit = integer(query, "limit", 25, 1, 5000)
            page = integer(query, "page", 1, 1, 1000000000)
        except ValueError as e:
            raise self.error(400, str(e), "InvalidParameter") from None
        entries = [self.entry(i) for i in range((page - 1) * limit, min(page * limit, self.total))]
        meta = {"page": page, "count": len(entries), "pageCount": -(-self.total // limit), "totalCount": self.total}
        return {"meta": meta, "callbackNumbers": entries}, {"Content-Type": VONAGE_MEDIA_TYPE}


class Webex:
    key = "webex-calling"
    prefix = ""
    path = re.compile(r"/v1/telephony/config/numbers")
    total = 47
    owners = ["PEOPLE", "PLACE", "PAGING_GROUP", "AUTO_ATTENDANT", "OFFICE_ANYWHERE", "HUNT_GROUP"]
    # VIRTUAL_PRIMARY is not in the spec's list; it comes first so page 1 has it.
    number_types = ["VIRTUAL_PRIMARY", "PRIMARY", "ALTERNATE", "FAX", "DNIS", "PRIMARY"]

    def entry(self, i):
        extension = str(1000 + i)
        location = {
            "id": webex_id("LOCATION", some_id(self.key, i % 3)),
            "name": ["Richardson", "Washington", "Banglore"][i % 3],
        }
        entry = {
            "extension": extension,
            "routingPrefix": "1234",
            "esn": "1234" + extension,
            "mainNumber": i == 1,
            "tollFreeNumber": False,
            "isServiceNumber": i % 9 == 4,
            "location": location,
        }
        if i % 5 == 3:
            entry["phoneNumber"] = None  # an extension without a phone number
            entry["includedTelephonyTypes"] = "PSTN_NUMBER"
        else:
            entry["phoneNumber"] = f"+1205635{i:04d}"
            entry["state"] = "INACTIVE" if i % 7 == 6 else "ACTIVE"
            entry["phoneNumberType"] = self.number_types[i % len(self.number_types)]
            entry["includedTelephonyTypes"] = "MOBILE_NUMBER" if i % 8 == 7 else "PSTN_NUMBER"
        if i % 4 != 2:
            entry["owner"] = {
                "id": webex_id("PEOPLE", some_id(self.key, i)),
                "type": self.owners[i % len(self.owners)],
                "firstName": "Test",
                "lastName": f"User{i}",
            }
        return entry

    def error(self, status, message):
        return Reply(
            status,
            {
                "message": message,
                "errors": [{"description": message, "errorCode": 25008}],
                "trackingId": "ROUTERGW_mock",
            },
            {"TrackingID": "ROUTERGW_mock"},
        )

    def page(self, handler, match, query):
        if not bearer(handler.headers):
            raise self.error(401, "The request requires a valid access token set in the Authorization request header.")
        try:
            size = integer(query, "max", 2000, 1)
            start = integer(query, "start", 0, 0)
        except ValueError as e:
            raise self.error(400, str(e)) from None
        headers = {"TrackingID": f"ROUTERGW_mock_{start}"}
        if start + size < self.total:
            following = urllib.parse.urlencode(
                {**{k: v[-1] for k, v in query.items()}, "start": start + size, "max": size}
            )
            headers["Link"] = f'<{handler.origin()}{match.group(0)}?{following}>; rel="next"'
        entries = [self.entry(i) for i in range(start, min(start + size, self.total))]
        return {"phoneNumbers": entries}, headers


class Fone:
    key = "fone-dynamics"
    prefix = ""
    path = re.compile(r"/v2/(Accounts|Properties)/([^/]+)/Numbers")
    total = 35
    routing = ["Flow", "Endpoint", "Endpoint", "Voicemail"]  # only Endpoint is documented
    types = ["Local", "Toll-Free", "Mobile", "Local", "National", "Shared-Rate"]  # Mobile is not
    statuses = ["Active", "Active", "Pending", "Porting"]  # Porting is not

    def entry(self, i):
        entry = {
            "Number": f"+6125550{i:04d}",
            "PropertySid": FONE_PROPERTY,
            "AccountSid": FONE_ACCOUNT,
            "Friendly": f"Line {i + 1}",
            "RoutingMethod": self.routing[i % len(self.routing)],
            "Recording": "Call" if i % 3 == 0 else "Off",
            "Type": self.types[i % len(self.types)],
            "Capabilities": "Voice,SMS" if i % 2 else "Voice",
            "CountryCode": "AU",
            "Status": self.statuses[i % len(self.statuses)],
        }
        if entry["RoutingMethod"] == "Endpoint":
            entry["EndpointNumber"] = f"+6125559{i:04d}"
        if i % 5 == 0:
            entry.update(Region="NSW", City="Sydney", Attribution_Source="google", Attribution_Medium="cpc")
        return entry

    def error(self, status, code, message):
        return Reply(status, {"ResponseStatus": {"ErrorCode": code, "Message": message}})

    def page(self, handler, match, query):
        if not basic(handler.headers):
            raise self.error(
                401, "Unauthorized", "Basic authentication with the account SID and API token is required."
            )
        sid = FONE_ACCOUNT if match.group(1) == "Accounts" else FONE_PROPERTY
        if match.group(2) != sid:
            raise self.error(404, "NotFound", f"No {match.group(1)[:-1].lower()} {match.group(2)}.")
        try:
            count = integer(query, "Results_Count", 200, 1, 200)
            skip = integer(query, "Results_Skip", 0, 0)
        except ValueError as e:
            raise self.error(400, "InvalidParameter", str(e)) from None
        entries = [self.entry(i) for i in range(skip, min(skip + count, self.total))]
        # The envelope on the first page and every other one, the bare array in between
        # (the empty page that ends the listing included).
        return ({"Numbers": entries} if (skip // count) % 2 == 0 else entries), {}


class Apple:
    key = "apple-business"
    prefix = "/api/v1"
    path = re.compile(r"/api/v1/orgs/([^/]+)/brands/([^/]+)/caller-ids")
    total = 26
    departments = ["department.general.support.customer_service", "department.general.sales"]

    def entry(self, i):
        return {
            "orgId": APPLE_ORG,
            "brandId": APPLE_BRAND,
            "id": str(9467895078742600000 + i),
            "createdDate": f"2026-10-{1 + i % 28:02d}T10:31:00Z",
            "updatedDate": f"2026-10-{1 + i % 28:02d}T18:34:00Z",
            "state": "PUBLISHED" if i % 6 else "IN_REVIEW",
            "etag": some_id(self.key, i),
            "callerIdDetails": {"phoneNumber": f"+1800555{i:04d}", "department": self.departments[i % 2]},
        }

    def error(self, status, code, message):
        return Reply(status, {"code": code, "message": message}, {"apple-request-id": some_id(self.key, -status)})

    def page(self, handler, match, query):
        if not bearer(handler.headers):
            raise self.error(401, "UNAUTHORIZED", "A bearer token is required.")
        if match.group(1) != APPLE_ORG or match.group(2) != APPLE_BRAND:
            raise self.error(404, "NOT_FOUND", "No such organization or brand.")
        try:
            limit = integer(query, "limit", 20, 1)
            start = uncursor("apple", query["after"][-1], self.total) if "after" in query else 0
        except ValueError as e:
            raise self.error(400, "INVALID_QUERY", str(e)) from None
        entries = [self.entry(i) for i in range(start, min(start + limit, self.total))]
        pagination = {}
        if start + limit < self.total:
            after = cursor("apple", start + limit)
            following = urllib.parse.urlencode({**{k: v[-1] for k, v in query.items()}, "after": after})
            pagination = {"cursors": {"after": after}, "next": f"{match.group(0)}?{following}"}
        headers = {"apple-request-id": some_id(self.key, start)}
        return {"data": entries, "pagination": pagination, "total": self.total}, headers


class Zoom:
    key = "zoom-phone"
    prefix = "/v2"
    path = re.compile(r"/v2/phone/numbers")
    total = 42
    statuses = ["porting", "available", "pending", "available"]  # porting is not documented
    assignees = ["user", "callQueue", "sharedLineGroup", "autoReceptionist", "commonArea"]  # sharedLineGroup is not

    def entry(self, i):
        entry = {
            "id": some_id(self.key, i).replace("-", "")[:22],
            "number": f"+1205555{i:04d}",
            "display_name": f"Line {i + 1}",
            "location": "Birmingham, Alabama, US",
            "number_type": "tollfree" if i % 6 == 5 else "toll",
            "source": "external" if i % 4 == 1 else "internal",
            "status": self.statuses[i % len(self.statuses)],
            "capability": ["incoming", "outgoing"],
            "site": {"id": "8f71O6rWT8KFUGQmJIFAdQ", "name": "Main Office"},
        }
        if i % 3 != 2:
            entry["assignee"] = {
                "extension_number": 1000 + i,
                "id": some_id("zoom-assignee", i)[:22],
                "name": f"Assignee {i}",
                "type": self.assignees[i % len(self.assignees)],
            }
        if entry["source"] == "external":
            entry.update(
                carrier={"code": 1, "name": "Example Carrier"},
                emergency_address_status=2,
                emergency_address_update_time="2024-10-30T08:15:00Z",
            )
        return entry

    def error(self, status, code, message):
        return Reply(status, {"code": code, "message": message}, {"x-zm-trackingid": "v=2.0;clid=mock"})

    def page(self, handler, match, query):
        if not bearer(handler.headers):
            raise self.error(401, 124, "Invalid access token.")
        try:
            size = integer(query, "page_size", 30, 1, 100)
            token = query.get("next_page_token", [""])[-1]
            start = uncursor("zoom", token, self.total) if token else 0
        except ValueError as e:
            raise self.error(400, 300, str(e)) from None
        entries = [self.entry(i) for i in range(start, min(start + size, self.total))]
        following = cursor("zoom", start + size) if start + size < self.total else ""
        body = {"next_page_token": following, "page_size": size, "total_records": self.total, "phone_numbers": entries}
        return body, {"x-zm-trackingid": f"v=2.0;clid=mock;rid={start}"}


PROVIDERS = [Vonage(), Webex(), Fone(), Apple(), Zoom()]


def handler_for(provider):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def origin(self):
            return f"http://{self.server.server_address[0]}:{self.server.server_address[1]}"

        def do_GET(self):
            url = urllib.parse.urlsplit(self.path)
            query = urllib.parse.parse_qs(url.query, keep_blank_values=True)
            match = provider.path.fullmatch(url.path)
            try:
                if not match:
                    raise Reply(404, {"message": f"no such path {url.path}"})
                body, headers = provider.page(self, match, query)
                self.answer(200, body, headers)
            except Reply as reply:
                self.answer(reply.status, reply.body, reply.headers)

        def answer(self, status, body, headers):
            data = json.dumps(body).encode()
            self.send_response(status)
            headers = {"Content-Type": "application/json", **headers}
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format, *args):
            sys.stderr.write(f"mock {provider.key}: {format % args}\n")

    return Handler


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    servers, state = [], {}
    for provider in PROVIDERS:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler_for(provider))
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        host, port = server.server_address[:2]
        state[provider.key] = {"base_url": f"http://{host}:{port}{provider.prefix}", "total": provider.total}
    partial = f"{sys.argv[1]}.partial"
    with open(partial, "w", encoding="utf-8") as f:
        json.dump(state, f, indent=2)
    os.replace(partial, sys.argv[1])
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    for server in servers:
        server.shutdown()
        server.server_close()


if __name__ == "__main__":
    main()
