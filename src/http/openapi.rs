//! The OpenAPI document: its frame, and the answers every operation shares.
//!
//! Each handler's `#[utoipa::path]` lists what is its own (its success, its
//! 404, 409, 410, 422). What comes from the machinery around the handlers
//! (the API key, the JSON body, the query string, the body limit, the
//! timeout, an internal error, the rate limit) is added here, once, to
//! every operation it applies to, so that no operation can forget one.

use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::path::{Operation, ParameterIn, PathItem};
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, Response};
use utoipa::{Modify, OpenApi};

use crate::error::ErrorBody;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Convive",
        description = "Events, invitations and RSVPs for small recurring events.\n\n\
            Every error has one JSON shape, `ErrorBody`: a stable `error` code, a `message` for a person, and \
            for invalid fields (422) a `fields` object naming each with what is wrong with it. A method a \
            path does not list is answered `405 Method Not Allowed` with an `Allow` header."
    ),
    modifiers(&BearerApiKey),
    components(schemas(ErrorBody)),
    tags(
        (name = "events", description = "An organiser's events"),
        (name = "guests", description = "Who is invited"),
        (name = "answers", description = "Answers set by the organiser, and their history"),
        (name = "series", description = "Series of dates, their community, and who really comes"),
        (name = "check-in", description = "Checking guests in at the door, walk-ins included"),
        (name = "team", description = "Running an event or a series together: its owner, co-organisers and door helpers, and who did what"),
        (name = "invitations", description = "A guest's own invitation, reached with her token"),
        (name = "organiser", description = "Your account and preferences"),
        (name = "unsubscribe", description = "One-click unsubscribe links from emails"),
        (name = "calendar", description = "Subscribable calendar feeds"),
        (name = "webhooks", description = "Signed webhooks (Standard Webhooks v1) sent to your endpoints, and their delivery log"),
        (name = "inbound mail", description = "Calendar replies and unsubscribe requests arriving by mail, and the replies held for you to check"),
        (name = "operations", description = "Probes"),
    )
)]
pub struct ApiDoc;

struct BearerApiKey;

impl Modify for BearerApiKey {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let mut scheme = Http::new(HttpAuthScheme::Bearer);
        scheme.description = Some("An API key from `convive organiser create`".to_owned());
        components.add_security_scheme("api_key", SecurityScheme::Http(scheme));
        let mut inbound = Http::new(HttpAuthScheme::Bearer);
        inbound.description =
            Some("The `inbound_secret` setting (or, with basic auth, as the password), for mail providers".to_owned());
        components.add_security_scheme("inbound_secret", SecurityScheme::Http(inbound));
    }
}

/// The shared answers, by status: the name of each in `components/responses`.
const BAD_REQUEST: (&str, &str) = ("400", "BadRequest");
const UNAUTHORIZED: (&str, &str) = ("401", "Unauthorized");
const NOT_FOUND: (&str, &str) = ("404", "NotFound");
const REQUEST_TIMEOUT: (&str, &str) = ("408", "RequestTimeout");
const PAYLOAD_TOO_LARGE: (&str, &str) = ("413", "PayloadTooLarge");
const UNSUPPORTED_MEDIA_TYPE: (&str, &str) = ("415", "UnsupportedMediaType");
const INVALID_FIELDS: (&str, &str) = ("422", "InvalidFields");
const TOO_MANY_REQUESTS: (&str, &str) = ("429", "TooManyRequests");
const INTERNAL_ERROR: (&str, &str) = ("500", "InternalError");

/// The tag of the probes, which touch no request body, answer within two
/// seconds and report a sick database as 503 rather than 500.
const PROBES_TAG: &str = "operations";

fn error_response(description: &str) -> ResponseBuilder {
    ResponseBuilder::new()
        .description(description)
        .content("application/json", ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorBody"))).build())
}

fn header(description: &str, schema: ObjectBuilder) -> utoipa::openapi::header::Header {
    HeaderBuilder::new().schema(Some(schema)).description(Some(description)).build()
}

/// The shared answers, for `components/responses`.
fn shared_responses() -> [(&'static str, Response); 9] {
    [
        (
            BAD_REQUEST.1,
            error_response("Not well-formed: the body is not JSON, or a query parameter is not of its type").build(),
        ),
        (
            UNAUTHORIZED.1,
            error_response("Missing or invalid API key")
                .header(
                    "WWW-Authenticate",
                    header(
                        "Always `Bearer`",
                        ObjectBuilder::new().schema_type(Type::String).enum_values(Some(["Bearer"])),
                    ),
                )
                .build(),
        ),
        (NOT_FOUND.1, error_response("No such resource, or not yours").build()),
        (
            REQUEST_TIMEOUT.1,
            // Written by the timeout layer, before any handler could answer: no body.
            ResponseBuilder::new().description("The server gave up on the request after 30 seconds").build(),
        ),
        (
            PAYLOAD_TOO_LARGE.1,
            error_response("The body is larger than the route takes: 1 MiB, or 8 MiB for a guest list import").build(),
        ),
        (UNSUPPORTED_MEDIA_TYPE.1, error_response("The body is not of a type the route takes").build()),
        (
            INVALID_FIELDS.1,
            error_response("Invalid fields: `fields` names each one with what is wrong with it").build(),
        ),
        (
            TOO_MANY_REQUESTS.1,
            error_response("Too many requests from this address to routes that take a secret token")
                .header(
                    "Retry-After",
                    header("Seconds to wait", ObjectBuilder::new().schema_type(Type::Integer).minimum(Some(1))),
                )
                .build(),
        ),
        (INTERNAL_ERROR.1, error_response("Something failed on the server; it is logged").build()),
    ]
}

fn operations_mut(item: &mut PathItem) -> impl Iterator<Item = &mut Operation> {
    [
        &mut item.get,
        &mut item.put,
        &mut item.post,
        &mut item.delete,
        &mut item.options,
        &mut item.head,
        &mut item.patch,
        &mut item.trace,
        &mut item.query,
    ]
    .into_iter()
    .flatten()
    .chain(item.additional_operations.values_mut())
}

/// Adds the shared answer `(status, name)` unless the operation describes that status itself.
fn answer(operation: &mut Operation, (status, name): (&str, &str)) {
    operation.responses.responses.entry(status.to_owned()).or_insert_with(|| Ref::from_response_name(name).into());
}

fn has_parameter_in(operation: &Operation, location: &ParameterIn) -> bool {
    operation.parameters.iter().flatten().any(|parameter| match parameter {
        RefOr::T(parameter) => parameter.parameter_in == *location,
        RefOr::Ref(_) => false,
    })
}

/// Adds to every operation the answers that the machinery around its
/// handler can give, and registers them under `components/responses`.
pub struct SharedResponses;

impl Modify for SharedResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        for (name, response) in shared_responses() {
            components.responses.insert(name.to_owned(), response.into());
        }
        for item in openapi.paths.paths.values_mut() {
            for operation in operations_mut(item) {
                // `AuthenticatedOrganiser` runs before anything else reads the request.
                if operation.security.as_ref().is_some_and(|requirements| !requirements.is_empty()) {
                    answer(operation, UNAUTHORIZED);
                }
                // A malformed id names nothing (`extract::Path`).
                if has_parameter_in(operation, &ParameterIn::Path) {
                    answer(operation, NOT_FOUND);
                }
                if has_parameter_in(operation, &ParameterIn::Query) {
                    answer(operation, BAD_REQUEST);
                }
                if let Some(RefOr::T(body)) = &operation.request_body {
                    let json = body.content.contains_key("application/json");
                    answer(operation, BAD_REQUEST);
                    answer(operation, PAYLOAD_TOO_LARGE);
                    answer(operation, UNSUPPORTED_MEDIA_TYPE);
                    if json {
                        // A missing field, or one of the wrong type, is named like any invalid one.
                        answer(operation, INVALID_FIELDS);
                    }
                }
                if !operation.tags.iter().flatten().any(|tag| tag == PROBES_TAG) {
                    answer(operation, REQUEST_TIMEOUT);
                    answer(operation, INTERNAL_ERROR);
                }
            }
        }
    }
}

/// Documents the 429 of rate-limited routes (see `rate_limit`). Said of
/// them whether or not this instance turns the limit on: the document is
/// the same for every deployment.
pub fn rate_limited(openapi: &mut utoipa::openapi::OpenApi) {
    for item in openapi.paths.paths.values_mut() {
        for operation in operations_mut(item) {
            answer(operation, TOO_MANY_REQUESTS);
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use crate::app::events::MAX_PAGE;
    use crate::app::guests::MAX_BULK_GUESTS;
    use crate::domain::answer::MAX_COMPANIONS_BY_ORGANISER;
    use crate::domain::event::{MAX_CAPACITY, MAX_COMPANIONS_ALLOWED};

    fn document() -> Value {
        serde_json::to_value(crate::http::openapi()).unwrap()
    }

    fn number(value: &Value) -> i64 {
        value.as_f64().unwrap_or_else(|| panic!("not a number: {value}")) as i64
    }

    /// utoipa takes bounds as literals only: they are checked here against
    /// the constants the rules use.
    #[test]
    fn the_documented_bounds_are_the_enforced_ones() {
        let doc = document();
        let property = |schema: &str, name: &str| doc["components"]["schemas"][schema]["properties"][name].clone();
        for schema in ["NewEventRequest", "EventPatchRequest"] {
            assert_eq!(number(&property(schema, "capacity")["maximum"]), MAX_CAPACITY, "{schema}");
            assert_eq!(number(&property(schema, "companions_allowed")["maximum"]), MAX_COMPANIONS_ALLOWED);
        }
        for schema in ["CheckInRequest", "WalkInRequest"] {
            assert_eq!(number(&property(schema, "companions")["maximum"]), MAX_COMPANIONS_BY_ORGANISER, "{schema}");
        }
        assert_eq!(number(&property("NewGuestsRequest", "guests")["maxItems"]), MAX_BULK_GUESTS as i64);
        let limit = doc["paths"]["/api/v1/events"]["get"]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|parameter| parameter["name"] == "limit")
            .unwrap()
            .clone();
        assert_eq!(number(&limit["schema"]["maximum"]), MAX_PAGE as i64);
    }

    #[test]
    fn every_operation_lists_what_the_machinery_around_it_can_answer() {
        let doc = document();
        let mut operations = 0;
        for (path, item) in doc["paths"].as_object().unwrap() {
            for (method, operation) in item.as_object().unwrap() {
                let answers = operation["responses"].as_object().unwrap();
                let has = |status: &str| answers.contains_key(status);
                let name = format!("{method} {path}");
                if operation["security"].as_array().is_some_and(|s| !s.is_empty()) {
                    assert!(has("401"), "{name} needs its key");
                }
                if operation.get("requestBody").is_some() {
                    assert!(has("400") && has("413") && has("415"), "{name} reads a body");
                }
                if path.contains('{') {
                    assert!(has("404"), "{name} names a resource");
                }
                let probe = operation["tags"].as_array().unwrap().iter().any(|tag| tag == super::PROBES_TAG);
                assert_eq!(has("500") && has("408"), !probe, "{name}");
                operations += 1;
            }
        }
        assert!(operations >= 30, "only {operations} operations documented");
        let limited = &doc["paths"]["/api/v1/invitations/{token}/answer"]["put"]["responses"];
        assert!(limited.get("429").is_some(), "the token routes say they are rate-limited");
        assert!(doc["paths"]["/api/v1/events"]["get"]["responses"].get("429").is_none(), "the organiser API is not");
    }
}
