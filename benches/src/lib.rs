//! Fixtures shared by the benchmarks in `benches/`: realistic page bodies for each
//! provider, hand-written baseline types that decode the same bytes, local wiremock
//! servers and a few `/proc` readers.
//!
//! Run everything with `cargo tools bench` (or `cargo bench -p telnums-benches`); the
//! results land in `BENCHMARKS.md`.

use std::path::PathBuf;

use serde_json::{json, Value};
use wiremock::MockServer;

/// Path of the Vonage listing.
pub const VONAGE_PATH: &str = "/useradmin/callbackNumbers";
/// Path of the Webex listing.
pub const WEBEX_PATH: &str = "/v1/telephony/config/numbers";
/// Account SID used for Fone Dynamics.
pub const FONE_ACCOUNT: &str = "AC0000000000000000000000000000000A";
/// Organisation id used for Apple.
pub const APPLE_ORG: &str = "9467895078742654934";
/// Brand id used for Apple.
pub const APPLE_BRAND: &str = "9467895078742654921";
/// Path of the Zoom listing (below the base URL).
pub const ZOOM_PATH: &str = "/phone/numbers";

/// Path of the Fone Dynamics account listing.
pub fn fone_path() -> String {
    format!("/v2/Accounts/{FONE_ACCOUNT}/Numbers")
}

/// Path of the Apple caller-ID listing, including the `/api/v1` prefix of the base URL.
pub fn apple_path() -> String {
    format!("/api/v1/orgs/{APPLE_ORG}/brands/{APPLE_BRAND}/caller-ids")
}

/// A cheap deterministic mix of `i`, so that neighbouring items differ in every field.
fn mix(i: u64) -> u64 {
    let mut x = i.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

fn uuid(i: u64) -> String {
    let a = mix(i);
    let b = mix(a);
    format!(
        "{:08x}-{:04x}-4{:03x}-a{:03x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        b >> 52,
        b & 0xffff_ffff_ffff
    )
}

/// A base64url-looking id of `len` characters, like Webex's and Zoom's ids.
fn opaque_id(i: u64, len: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut x = mix(i);
    (0..len)
        .map(|k| {
            if k % 10 == 9 {
                x = mix(x);
            }
            let c = ALPHABET[(x % ALPHABET.len() as u64) as usize];
            x /= ALPHABET.len() as u64;
            c as char
        })
        .collect()
}

fn pick<'a>(values: &[&'a str], i: u64) -> &'a str {
    values[(mix(i) % values.len() as u64) as usize]
}

const FIRST_NAMES: &[&str] = &[
    "Amelia", "Noah", "Olivia", "Liam", "Priya", "Kenji", "Sofia", "Mateo", "Aisha", "Lucas",
];
const LAST_NAMES: &[&str] = &[
    "Smith", "Nguyen", "Garcia", "Okafor", "Kowalski", "Tanaka", "Müller", "Rossi", "Silva",
];
const CITIES: &[(&str, &str, &str)] = &[
    ("Birmingham", "AL", "35203"),
    ("Austin", "TX", "73301"),
    ("Seattle", "WA", "98101"),
    ("Denver", "CO", "80202"),
    ("Boston", "MA", "02108"),
];

fn page_body(value: &Value) -> Vec<u8> {
    serde_json::to_vec(value).expect("a JSON value serialises")
}

/// One Vonage item; `i` is its index across the whole listing.
pub fn vonage_item(i: u64) -> Value {
    json!({
        "callbackNumberId": uuid(i),
        "callbackNumberName": format!("{} line {i}", pick(&["Sales", "Support", "Billing", "Callback"], i)),
        "callbackNumberClid": format!("+44{:010}", 2_000_000_000 + i),
    })
}

/// A Vonage page of `count` items starting at item `start`, numbered `page` of
/// `page_count`.
pub fn vonage_page(start: u64, count: usize, page: u32, page_count: u32, total: u64) -> Vec<u8> {
    let items: Vec<Value> = (start..start + count as u64).map(vonage_item).collect();
    page_body(&json!({
        "meta": { "page": page, "count": count, "pageCount": page_count, "totalCount": total },
        "callbackNumbers": items,
    }))
}

/// One Webex entry with every field of the spec's example filled.
pub fn webex_item(i: u64) -> Value {
    let owner_types = [
        "PEOPLE",
        "PLACE",
        "VIRTUAL_LINE",
        "AUTO_ATTENDANT",
        "CALL_QUEUE",
        "GROUP_PAGING",
        "HUNT_GROUP",
        "VOICE_MESSAGING",
        "BROADWORKS_ANYWHERE",
        "CONTACT_CENTER_LINK",
        "CONTACT_CENTER_ADAPTER",
        "ROUTE_LIST",
        "VOICEMAIL_GROUP",
        "COLLABORATE_BRIDGE",
    ];
    let ext = 1000 + i % 9000;
    json!({
        "phoneNumber": format!("+1205{:07}", 6_350_000 + i),
        "extension": ext.to_string(),
        "routingPrefix": "1234",
        "esn": format!("1234{ext}"),
        "state": pick(&["ACTIVE", "INACTIVE"], i),
        "phoneNumberType": pick(&["PRIMARY", "ALTERNATE", "FAX", "DNIS"], i + 1),
        "mainNumber": i.is_multiple_of(97),
        "includedTelephonyTypes": pick(&["PSTN_NUMBER", "MOBILE_NUMBER"], i + 2),
        "mobileNetwork": pick(&["mobileNetwork", "AT&T Mobility", "Verizon Wireless"], i + 3),
        "routingProfile": pick(&["AttRtPf", "VzRtPf"], i + 4),
        "tollFreeNumber": i.is_multiple_of(31),
        "isServiceNumber": i.is_multiple_of(17),
        "location": {
            "id": format!("Y2lzY29zcGFyazovL3VzL0xPQ0FUSU9OL{}", opaque_id(i / 50, 55)),
            "name": CITIES[(i / 50 % CITIES.len() as u64) as usize].0,
        },
        "owner": {
            "id": format!("Y2lzY29zcGFyazovL3VzL1BFT1BMRS9{}", opaque_id(i, 56)),
            "type": pick(&owner_types, i + 5),
            "firstName": pick(FIRST_NAMES, i + 6),
            "lastName": pick(LAST_NAMES, i + 7),
        },
    })
}

/// A Webex page of `count` entries starting at `start`, with organisation counts.
pub fn webex_page(start: u64, count: usize) -> Vec<u8> {
    let items: Vec<Value> = (start..start + count as u64).map(webex_item).collect();
    page_body(&json!({
        "count": {
            "assigned": 33, "unAssigned": 114, "inActive": 12, "extensionOnly": 692,
            "tollFreeNumbers": 1, "total": 839, "mobileNumber": 6, "serviceNumber": 1
        },
        "phoneNumbers": items,
    }))
}

/// One Fone Dynamics number with every field of the spec's example filled.
pub fn fone_item(i: u64) -> Value {
    let (city, region) = [
        ("Sydney", "NSW"),
        ("Melbourne", "VIC"),
        ("Brisbane", "QLD"),
        ("Perth", "WA"),
    ][(mix(i) % 4) as usize];
    json!({
        "Number": format!("+612555{:05}", i % 100_000),
        "PropertySid": format!("PR{:032X}", mix(i / 20) as u128),
        "AccountSid": FONE_ACCOUNT,
        "Friendly": format!("{city} {} {i}", pick(&["reception", "sales", "support", "hotline"], i)),
        "RoutingMethod": "Endpoint",
        "EndpointNumber": format!("+612555{:05}", 99_999 - i % 100_000),
        "Recording": pick(&["Off", "Call"], i + 1),
        "Attribution_Source": pick(&["google", "newsletter", "bing", "facebook"], i + 2),
        "Attribution_Medium": pick(&["cpc", "email", "social"], i + 3),
        "Attribution_Campaign": pick(&["spring-sale", "winter-launch", "eofy"], i + 4),
        "Attribution_Content": pick(&["headline-a", "footer-link", "banner-b"], i + 5),
        "Type": pick(&["Local", "Toll-Free", "Shared-Rate", "National"], i + 6),
        "Capabilities": pick(&["Voice,SMS", "Voice", "Voice,SMS,MMS"], i + 7),
        "CountryCode": "AU",
        "Region": region,
        "City": city,
        "Status": pick(&["Active", "Pending"], i + 8),
    })
}

/// A Fone Dynamics page in the wrapped form (`{"Numbers": [...]}`).
pub fn fone_page(start: u64, count: usize) -> Vec<u8> {
    let items: Vec<Value> = (start..start + count as u64).map(fone_item).collect();
    page_body(&json!({ "Numbers": items }))
}

/// One Apple caller ID with every field of the spec's example filled.
pub fn apple_item(i: u64) -> Value {
    let created = 1_790_000_000 + (mix(i) % 10_000_000) as i64;
    let updated = created + (mix(i + 1) % 1_000_000) as i64;
    let date = |secs: i64| {
        chrono::DateTime::from_timestamp(secs, 0)
            .expect("in range")
            .format("%Y-%m-%dT%H:%M:%SZ")
            .to_string()
    };
    json!({
        "orgId": APPLE_ORG,
        "brandId": APPLE_BRAND,
        "id": (9_467_895_078_742_654_966u64 - i).to_string(),
        "createdDate": date(created),
        "updatedDate": date(updated),
        "state": "PUBLISHED",
        "etag": uuid(i + 7),
        "callerIdDetails": {
            "phoneNumber": format!("+1800{:07}", 5_555_555 - i),
            "department": pick(&[
                "department.general.support.customer_service",
                "department.sales",
                "department.billing",
            ], i),
        },
    })
}

/// An Apple page of `count` caller IDs with a next link.
pub fn apple_page(start: u64, count: usize) -> Vec<u8> {
    let items: Vec<Value> = (start..start + count as u64).map(apple_item).collect();
    page_body(&json!({
        "data": items,
        "pagination": {
            "cursors": { "after": "8U54a61d9b495324" },
            "next": format!("/api/v1/orgs/{APPLE_ORG}/brands/{APPLE_BRAND}/caller-ids?limit={count}&after=8U54a61d9b495324"),
        },
        "total": 4 * count,
    }))
}

/// One Zoom phone number with every field of the spec's example filled.
pub fn zoom_item(i: u64) -> Value {
    let assignee_types = [
        "user",
        "callQueue",
        "autoReceptionist",
        "commonArea",
        "emergencyNumberPool",
        "companyLocation",
        "meetingService",
    ];
    let (city, state, zip) = CITIES[(mix(i) % CITIES.len() as u64) as usize];
    let tollfree = i.is_multiple_of(5);
    json!({
        "id": opaque_id(i, 22),
        "number": if tollfree { format!("+1800{:07}", 5_550_000 + i) } else { format!("+1205{:07}", 5_550_000 + i) },
        "display_name": format!("{} {}", pick(&["Emergency pool line", "Head office", "Front desk", "Support line"], i), i),
        "location": format!("{city}, {state}, US"),
        "number_type": if tollfree { "tollfree" } else { "toll" },
        "source": pick(&["internal", "external"], i + 1),
        "status": pick(&["pending", "available"], i + 2),
        "capability": ["incoming", "outgoing"],
        "assignee": {
            "extension_number": 1000 + i % 9000,
            "id": opaque_id(i + 1_000_000, 22),
            "name": format!("{} {}", pick(FIRST_NAMES, i + 3), pick(LAST_NAMES, i + 4)),
            "type": pick(&assignee_types, i + 5),
        },
        "carrier": { "code": 1 + i % 3, "name": pick(&["Example Carrier", "Example Telecom", "Bandwidth"], i + 6) },
        "emergency_address": {
            "address_line1": format!("{} Example Street", 100 + i % 900),
            "address_line2": format!("Floor {}", 1 + i % 20),
            "city": city,
            "country": "US",
            "state_code": state,
            "zip": zip,
        },
        "emergency_address_status": 1 + i % 2,
        "emergency_address_update_time": "2024-10-30T08:15:00Z",
        "sip_group": { "display_name": "BYOC trunk group", "id": opaque_id(i / 100, 22) },
        "site": { "id": opaque_id(i / 30 + 7, 22), "name": pick(&["Main Office", "Warehouse", "Branch"], i / 30) },
    })
}

/// A Zoom page of `count` numbers with a next-page token.
pub fn zoom_page(start: u64, count: usize) -> Vec<u8> {
    let items: Vec<Value> = (start..start + count as u64).map(zoom_item).collect();
    page_body(&json!({
        "next_page_token": "R4aF9Oj0fVM2hhezJTEmSKaBSkfesDwGy42",
        "page_size": count,
        "total_records": 4 * count,
        "phone_numbers": items,
    }))
}

/// Hand-written minimal types decoding the same bytes as the generated ones: the same
/// fields and field types, except that every enum is a plain `String`. Comparing them
/// with the generated types shows what the generated open enums
/// (`enum X { Known(XKnown), Other(String) }`, `#[serde(untagged)]`) and envelopes cost.
pub mod baseline {
    use serde::Deserialize;

    /// Vonage Contact Center.
    pub mod vonage {
        use super::Deserialize;

        /// `CallbackNumberList`.
        #[derive(Debug, Deserialize)]
        #[serde(rename_all = "camelCase")]
        pub struct List {
            /// Paging metadata.
            pub meta: Meta,
            /// The items.
            pub callback_numbers: Vec<Item>,
        }
        /// `PageMeta`.
        #[derive(Debug, Deserialize)]
        #[serde(rename_all = "camelCase")]
        pub struct Meta {
            /// Items on this page.
            pub count: Option<i32>,
            /// This page.
            pub page: Option<i32>,
            /// Pages in all.
            pub page_count: Option<i32>,
            /// Items in all.
            pub total_count: Option<i64>,
        }
        /// `CallbackNumber`.
        #[derive(Debug, Deserialize)]
        #[serde(rename_all = "camelCase")]
        pub struct Item {
            /// CLID.
            pub callback_number_clid: Option<String>,
            /// Id.
            pub callback_number_id: Option<String>,
            /// Name.
            pub callback_number_name: Option<String>,
        }
    }

    /// Webex Calling.
    pub mod webex {
        use super::Deserialize;

        /// `WebexNumberList`.
        #[derive(Debug, Deserialize)]
        #[serde(rename_all = "camelCase")]
        pub struct List {
            /// Organisation counts.
            pub count: Option<Count>,
            /// The entries.
            #[serde(default)]
            pub phone_numbers: Vec<Item>,
        }
        /// `WebexNumberCount`.
        #[derive(Debug, Deserialize)]
        #[serde(rename_all = "camelCase")]
        pub struct Count {
            /// Assigned.
            pub assigned: Option<i32>,
            /// Extension only.
            pub extension_only: Option<i32>,
            /// Inactive.
            pub in_active: Option<i32>,
            /// Mobile.
            pub mobile_number: Option<i32>,
            /// Service.
            pub service_number: Option<i32>,
            /// Toll-free.
            pub toll_free_numbers: Option<i32>,
            /// Total.
            pub total: Option<i32>,
            /// Unassigned.
            pub un_assigned: Option<i32>,
        }
        /// `WebexNumber`, enums as strings.
        #[derive(Debug, Deserialize)]
        #[serde(rename_all = "camelCase")]
        pub struct Item {
            /// ESN.
            pub esn: Option<String>,
            /// Extension.
            pub extension: Option<String>,
            /// Telephony type (an enum in the spec).
            pub included_telephony_types: Option<String>,
            /// Service number.
            pub is_service_number: Option<bool>,
            /// Location.
            pub location: Option<Location>,
            /// Main number.
            pub main_number: Option<bool>,
            /// Mobile network.
            pub mobile_network: Option<String>,
            /// Owner.
            pub owner: Option<Owner>,
            /// Number.
            pub phone_number: Option<String>,
            /// Number type (an enum in the spec).
            pub phone_number_type: Option<String>,
            /// Routing prefix.
            pub routing_prefix: Option<String>,
            /// Routing profile.
            pub routing_profile: Option<String>,
            /// State (an enum in the spec).
            pub state: Option<String>,
            /// Toll-free.
            pub toll_free_number: Option<bool>,
        }
        /// `WebexNumberLocation`.
        #[derive(Debug, Deserialize)]
        pub struct Location {
            /// Id.
            pub id: Option<String>,
            /// Name.
            pub name: Option<String>,
        }
        /// `WebexNumberOwner`, the type as a string.
        #[derive(Debug, Deserialize)]
        #[serde(rename_all = "camelCase")]
        pub struct Owner {
            /// First name.
            pub first_name: Option<String>,
            /// Id.
            pub id: Option<String>,
            /// Last name.
            pub last_name: Option<String>,
            /// Owner type (an enum in the spec).
            #[serde(rename = "type")]
            pub type_: Option<String>,
        }
    }

    /// Fone Dynamics (the wrapped form only: no untagged envelope-or-array choice).
    pub mod fone {
        use super::Deserialize;

        /// `FoneNumberListEnvelope`.
        #[derive(Debug, Deserialize)]
        pub struct Envelope {
            /// The numbers.
            #[serde(rename = "Numbers")]
            pub numbers: Vec<Item>,
        }
        /// `FoneNumber`, enums as strings.
        #[derive(Debug, Deserialize)]
        pub struct Item {
            /// Account.
            #[serde(rename = "AccountSid")]
            pub account_sid: Option<String>,
            /// Campaign.
            #[serde(rename = "Attribution_Campaign")]
            pub attribution_campaign: Option<String>,
            /// Content.
            #[serde(rename = "Attribution_Content")]
            pub attribution_content: Option<String>,
            /// Medium.
            #[serde(rename = "Attribution_Medium")]
            pub attribution_medium: Option<String>,
            /// Source.
            #[serde(rename = "Attribution_Source")]
            pub attribution_source: Option<String>,
            /// Capabilities.
            #[serde(rename = "Capabilities")]
            pub capabilities: Option<String>,
            /// City.
            #[serde(rename = "City")]
            pub city: Option<String>,
            /// Country.
            #[serde(rename = "CountryCode")]
            pub country_code: Option<String>,
            /// Endpoint.
            #[serde(rename = "EndpointNumber")]
            pub endpoint_number: Option<String>,
            /// Friendly name.
            #[serde(rename = "Friendly")]
            pub friendly: Option<String>,
            /// Number.
            #[serde(rename = "Number")]
            pub number: Option<String>,
            /// Property.
            #[serde(rename = "PropertySid")]
            pub property_sid: Option<String>,
            /// Recording (an enum in the spec).
            #[serde(rename = "Recording")]
            pub recording: Option<String>,
            /// Region.
            #[serde(rename = "Region")]
            pub region: Option<String>,
            /// Routing (an enum in the spec).
            #[serde(rename = "RoutingMethod")]
            pub routing_method: Option<String>,
            /// Status (an enum in the spec).
            #[serde(rename = "Status")]
            pub status: Option<String>,
            /// Type (an enum in the spec).
            #[serde(rename = "Type")]
            pub type_: Option<String>,
        }
    }

    /// Apple Business Connect. Dates are `chrono` values, as in the generated types.
    pub mod apple {
        use super::Deserialize;
        use chrono::{DateTime, Utc};

        /// `AppleCallerIdList`.
        #[derive(Debug, Deserialize)]
        pub struct List {
            /// The caller IDs.
            pub data: Vec<Item>,
            /// Next page.
            pub pagination: Option<Pagination>,
            /// Total.
            pub total: i64,
        }
        /// `AppleCallerIdPagination`.
        #[derive(Debug, Deserialize)]
        pub struct Pagination {
            /// Cursors.
            pub cursors: Option<Cursors>,
            /// Next link.
            pub next: Option<String>,
        }
        /// `AppleCallerIdCursors`.
        #[derive(Debug, Deserialize)]
        pub struct Cursors {
            /// After.
            pub after: Option<String>,
        }
        /// `AppleCallerId`.
        #[derive(Debug, Deserialize)]
        #[serde(rename_all = "camelCase")]
        pub struct Item {
            /// Brand.
            pub brand_id: String,
            /// Details.
            pub caller_id_details: Details,
            /// Created.
            pub created_date: DateTime<Utc>,
            /// Etag.
            pub etag: String,
            /// Id.
            pub id: String,
            /// Organisation.
            pub org_id: String,
            /// State.
            pub state: String,
            /// Updated.
            pub updated_date: DateTime<Utc>,
        }
        /// `AppleCallerIdDetails`.
        #[derive(Debug, Deserialize)]
        #[serde(rename_all = "camelCase")]
        pub struct Details {
            /// Department.
            pub department: Option<String>,
            /// Number.
            pub phone_number: Option<String>,
        }
    }

    /// Zoom Phone.
    pub mod zoom {
        use super::Deserialize;

        /// `ZoomPhoneNumberList`.
        #[derive(Debug, Deserialize)]
        pub struct List {
            /// Next token.
            pub next_page_token: Option<String>,
            /// Page size.
            pub page_size: Option<i32>,
            /// The numbers.
            #[serde(default)]
            pub phone_numbers: Vec<Item>,
            /// Total.
            pub total_records: Option<i32>,
        }
        /// `ZoomPhoneNumber`, enums as strings.
        #[derive(Debug, Deserialize)]
        pub struct Item {
            /// Assignee.
            pub assignee: Option<Assignee>,
            /// Capabilities.
            #[serde(default)]
            pub capability: Vec<String>,
            /// Carrier.
            pub carrier: Option<Carrier>,
            /// Display name.
            pub display_name: Option<String>,
            /// Emergency address.
            pub emergency_address: Option<Address>,
            /// Address status.
            pub emergency_address_status: Option<i32>,
            /// Address update time.
            pub emergency_address_update_time: Option<String>,
            /// Id.
            pub id: Option<String>,
            /// Location.
            pub location: Option<String>,
            /// Number.
            pub number: Option<String>,
            /// Number type (an enum in the spec).
            pub number_type: Option<String>,
            /// SIP group.
            pub sip_group: Option<Named>,
            /// Site.
            pub site: Option<Site>,
            /// Source (an enum in the spec).
            pub source: Option<String>,
            /// Status (an enum in the spec).
            pub status: Option<String>,
        }
        /// `ZoomNumberAssignee`, the type as a string.
        #[derive(Debug, Deserialize)]
        pub struct Assignee {
            /// Extension.
            pub extension_number: Option<i64>,
            /// Id.
            pub id: Option<String>,
            /// Name.
            pub name: Option<String>,
            /// Type (an enum in the spec).
            #[serde(rename = "type")]
            pub type_: Option<String>,
        }
        /// `ZoomCarrier`.
        #[derive(Debug, Deserialize)]
        pub struct Carrier {
            /// Code.
            pub code: Option<i32>,
            /// Name.
            pub name: Option<String>,
        }
        /// `ZoomEmergencyAddress`.
        #[derive(Debug, Deserialize)]
        pub struct Address {
            /// Line 1.
            pub address_line1: Option<String>,
            /// Line 2.
            pub address_line2: Option<String>,
            /// City.
            pub city: Option<String>,
            /// Country.
            pub country: Option<String>,
            /// State.
            pub state_code: Option<String>,
            /// ZIP.
            pub zip: Option<String>,
        }
        /// `ZoomSipGroup`.
        #[derive(Debug, Deserialize)]
        pub struct Named {
            /// Name.
            pub display_name: Option<String>,
            /// Id.
            pub id: Option<String>,
        }
        /// `ZoomSite`.
        #[derive(Debug, Deserialize)]
        pub struct Site {
            /// Id.
            pub id: Option<String>,
            /// Name.
            pub name: Option<String>,
        }
    }
}

/// Starts a local wiremock server on 127.0.0.1 that does not record requests (so long
/// runs do not grow its memory).
pub async fn start_server() -> MockServer {
    MockServer::builder()
        .disable_request_recording()
        .start()
        .await
}

/// A multi-thread tokio runtime with one worker per core.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
}

/// A field of `/proc/self/status` in KiB (`VmRSS`, `VmHWM`), where the OS has one.
pub fn proc_status_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status.lines().find_map(|line| {
        let rest = line.strip_prefix(field)?.strip_prefix(':')?;
        rest.trim().strip_suffix("kB")?.trim().parse().ok()
    })
}

/// Resets the process's peak RSS (`VmHWM`) to its current RSS (Linux: `5` into
/// `/proc/self/clear_refs`). Returns whether it worked.
pub fn reset_peak_rss() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// The cargo target directory: `CARGO_TARGET_DIR`, else `<workspace>/target`.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .parent()
                .expect("benches/ lives below the workspace root")
                .join("target")
        })
}

/// Writes one bench's result to `target/telnums-bench/<file>`, where
/// `cargo tools bench` reads it.
pub fn write_result(file: &str, result: &Value) {
    let dir = target_dir().join("telnums-bench");
    std::fs::create_dir_all(&dir).expect("create target/telnums-bench");
    std::fs::write(dir.join(file), format!("{result}\n")).expect("write a bench result");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixtures_decode_as_generated_and_baseline_types() {
        let v = vonage_page(0, 50, 1, 1, 50);
        let g: telnums_vonage_cc::types::CallbackNumberList =
            serde_json::from_slice(&v).expect("vonage generated");
        let b: baseline::vonage::List = serde_json::from_slice(&v).expect("vonage baseline");
        assert_eq!(g.callback_numbers.len(), b.callback_numbers.len());

        let w = webex_page(0, 50);
        let g: telnums_webex_calling::types::WebexNumberList =
            serde_json::from_slice(&w).expect("webex generated");
        assert!(g.phone_numbers.iter().all(|n| matches!(
            n.state,
            Some(telnums_webex_calling::types::WebexNumberState::Known(_))
        )));
        let b: baseline::webex::List = serde_json::from_slice(&w).expect("webex baseline");
        assert_eq!(g.phone_numbers.len(), b.phone_numbers.len());

        let f = fone_page(0, 50);
        let g: telnums_fone_dynamics::types::FoneNumberListResponse =
            serde_json::from_slice(&f).expect("fone generated");
        assert!(matches!(
            g,
            telnums_fone_dynamics::types::FoneNumberListResponse::FoneNumberListEnvelope(_)
        ));
        let b: baseline::fone::Envelope = serde_json::from_slice(&f).expect("fone baseline");
        assert_eq!(b.numbers.len(), 50);

        let a = apple_page(0, 50);
        let g: telnums_apple_business::types::AppleCallerIdList =
            serde_json::from_slice(&a).expect("apple generated");
        let b: baseline::apple::List = serde_json::from_slice(&a).expect("apple baseline");
        assert_eq!(g.data.len(), b.data.len());

        let z = zoom_page(0, 50);
        let g: telnums_zoom_phone::types::ZoomPhoneNumberList =
            serde_json::from_slice(&z).expect("zoom generated");
        assert!(g.phone_numbers.iter().all(|n| matches!(
            n.status,
            Some(telnums_zoom_phone::types::ZoomPhoneNumberStatus::Known(_))
        )));
        let b: baseline::zoom::List = serde_json::from_slice(&z).expect("zoom baseline");
        assert_eq!(g.phone_numbers.len(), b.phone_numbers.len());
    }

    #[test]
    fn proc_status_reads_rss() {
        if cfg!(target_os = "linux") {
            assert!(proc_status_kib("VmRSS").is_some_and(|kib| kib > 0));
        }
    }
}
