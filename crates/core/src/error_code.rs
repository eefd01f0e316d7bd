//! Postmark's own error numbers, which are not HTTP statuses.
//!
//! [`ErrorCode`] is an open newtype rather than an enum: Postmark keeps adding
//! codes, and a code this crate has never heard of must still parse, compare
//! and print.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A Postmark `ErrorCode`: `0` on success, a documented or unknown number otherwise.
///
/// ```
/// use postmark_kit::ErrorCode;
///
/// assert_eq!(ErrorCode::INACTIVE_RECIPIENT.name(), Some("INACTIVE_RECIPIENT"));
/// assert_eq!(ErrorCode::from(406), ErrorCode::INACTIVE_RECIPIENT);
/// let unknown = ErrorCode::from(98_765);
/// assert_eq!(unknown.name(), None);
/// assert_eq!(unknown.as_u32(), 98_765);
/// ```
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(transparent)]
pub struct ErrorCode(u32);

impl ErrorCode {
    /// The number as sent by Postmark.
    pub const fn as_u32(self) -> u32 {
        self.0
    }

    /// Whether this is `0`, Postmark's "no error".
    pub const fn is_success(self) -> bool {
        self.0 == 0
    }
}

impl From<u32> for ErrorCode {
    fn from(code: u32) -> Self {
        ErrorCode(code)
    }
}

impl From<ErrorCode> for u32 {
    fn from(code: ErrorCode) -> Self {
        code.0
    }
}

impl fmt::Debug for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => write!(f, "ErrorCode({} {name})", self.0),
            None => write!(f, "ErrorCode({})", self.0),
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

/// Declares every documented code once: the constant, its name and its description.
macro_rules! error_codes {
    ($($(#[$attr:meta])* $name:ident = $code:literal, $description:literal;)*) => {
        impl ErrorCode {
            $(
                #[doc = $description]
                $(#[$attr])*
                pub const $name: ErrorCode = ErrorCode($code);
            )*

            /// Every documented code, in ascending order: a binary search
            /// finds one in less code than a `match` of this many arms.
            const CODES: &'static [u32] = &[$($code),*];
            /// The names of [`CODES`](Self::CODES), and their descriptions,
            /// apart: a build that never describes a code leaves them out.
            const NAMES: &'static [&'static str] = &[$(stringify!($name)),*];
            const DESCRIPTIONS: &'static [&'static str] = &[$($description),*];

            /// Where the code is in [`CODES`](Self::CODES).
            const fn position(self) -> Option<usize> {
                let (mut low, mut high) = (0, Self::CODES.len());
                while low < high {
                    let middle = low + (high - low) / 2;
                    let code = Self::CODES[middle];
                    if code == self.0 {
                        return Some(middle);
                    }
                    match code < self.0 {
                        true => low = middle + 1,
                        false => high = middle,
                    }
                }
                None
            }

            /// The constant's name for a documented code, `None` for an unknown one.
            pub const fn name(self) -> Option<&'static str> {
                match self.position() {
                    Some(at) => Some(Self::NAMES[at]),
                    None => None,
                }
            }

            /// What Postmark documents the code to mean, `None` for an unknown one.
            pub const fn description(self) -> Option<&'static str> {
                match self.position() {
                    Some(at) => Some(Self::DESCRIPTIONS[at]),
                    None => None,
                }
            }

            /// Every documented code, in ascending order.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$name),*];
        }

        // The binary search needs the codes declared in ascending order.
        const _: () = {
            let mut i = 1;
            while i < ErrorCode::CODES.len() {
                assert!(ErrorCode::CODES[i - 1] < ErrorCode::CODES[i]);
                i += 1;
            }
        };
    };
}

error_codes! {
    SUCCESS = 0, "No error: the request was accepted.";
    INVALID_TOKEN = 10, "The request has no valid server or account token, or the wrong kind of token for this endpoint.";
    MULTIPLE_ERRORS = 11, "Several fields are invalid; the `Errors` property lists them (bulk API).";
    BULK_NOT_FOUND = 12, "No bulk send with this ID exists on this server.";
    INVALID_PAGINATION_KEY = 13, "The pagination key is invalid (bulk list).";
    APPROVAL_REQUIRED = 14, "The endpoint needs approval from Postmark support before it can be used.";
    MAINTENANCE = 100, "The API is temporarily down for planned maintenance.";
    UNEXPECTED_ERROR = 101, "An unexpected error occurred on Postmark's side.";
    INVALID_EMAIL_REQUEST = 300, "The email request is invalid: recipients, addresses, bodies, headers, metadata or attachments.";
    /// Legacy code, no longer documented.
    SENDER_SIGNATURE_NOT_FOUND_LEGACY = 400, "Legacy: the From address has no sender signature.";
    /// Legacy code, no longer documented.
    SENDER_SIGNATURE_NOT_CONFIRMED_LEGACY = 401, "Legacy: the From address's sender signature has not been confirmed yet.";
    INVALID_JSON = 402, "The request body is not valid JSON.";
    INVALID_REQUEST_FIELDS = 403, "The request has invalid or incompatible fields.";
    /// Legacy code, no longer documented.
    NOT_ALLOWED_TO_SEND_LEGACY = 405, "Legacy: the account may not send (out of credits or under review).";
    INACTIVE_RECIPIENT = 406, "Every recipient is inactive: bounced, complained or manually suppressed.";
    /// Legacy code, no longer documented.
    BOUNCE_NOT_FOUND_LEGACY = 407, "Legacy: no bounce has this ID.";
    /// Legacy code, no longer documented.
    BOUNCE_QUERY_EXCEPTION_LEGACY = 408, "Legacy: the bounce query is invalid.";
    /// Legacy code, no longer documented.
    JSON_REQUIRED_LEGACY = 409, "Legacy: the Accept and Content-Type headers must be application/json.";
    TOO_MANY_BATCH_MESSAGES = 410, "A batch may hold at most 500 messages.";
    FORBIDDEN_ATTACHMENT_TYPE = 411, "An attachment has a file type Postmark refuses.";
    ACCOUNT_PENDING = 412, "The account still awaits approval, so it may only send to recipients on the From address's domain.";
    ACCOUNT_MAY_NOT_SEND = 413, "The account has not been approved for sending.";
    INVALID_SERVER_OR_ACCOUNT = 422, "The server or account is invalid.";
    SENDER_SIGNATURE_QUERY_INVALID = 500, "The sender signature or domain list query is invalid.";
    SENDER_SIGNATURE_NOT_FOUND = 501, "The sender signature was not found, or it has no DKIM information.";
    NO_SIGNATURE_DATA = 502, "No sender signature or update data was received.";
    PUBLIC_DOMAIN_NOT_ALLOWED = 503, "Addresses and domains of public email providers are not allowed.";
    SENDER_SIGNATURE_EXISTS = 504, "The sender signature already exists.";
    DKIM_ALREADY_RENEWING = 505, "The DKIM key is already being renewed.";
    SENDER_SIGNATURE_ALREADY_CONFIRMED = 506, "This sender signature has been confirmed already.";
    SENDER_SIGNATURE_NOT_OWNED = 507, "The sender signature does not belong to this account.";
    DKIM_NOT_RENEWABLE = 508, "No DKIM renewal is in progress, or the key has failed and cannot be rotated.";
    DOMAIN_NOT_FOUND = 510, "No domain has this ID.";
    INVALID_DOMAIN_FIELDS = 511, "Invalid fields were supplied for the domain.";
    DOMAIN_EXISTS = 512, "This domain is already registered.";
    DOMAIN_NOT_OWNED = 513, "The domain does not belong to this account.";
    DOMAIN_NAME_REQUIRED = 514, "Creating a domain needs a name.";
    DOMAIN_NAME_TOO_LONG = 515, "The domain name is longer than 255 characters.";
    DOMAIN_NAME_INVALID = 516, "The domain name is malformed.";
    FROM_EMAIL_REQUIRED = 520, "Creating a sender signature needs a FromEmail.";
    SIGNATURE_FIELD_TOO_LONG = 521, "A sender signature field is too long.";
    INVALID_ADDRESS_OR_DOMAIN = 522, "An email address, domain or subdomain value is invalid.";
    RETURN_PATH_CNAME_REQUIRED = 523, "The Return-Path domain needs a CNAME record pointing to the expected value.";
    SERVER_QUERY_INVALID = 600, "The server list query is invalid: count and offset are required, count at most 500.";
    SERVER_NOT_FOUND = 601, "The source or destination server does not exist.";
    INBOUND_DOMAIN_IN_USE = 602, "The inbound domain is already in use.";
    SERVER_NAME_EXISTS = 603, "Another server already has this name.";
    SERVER_DELETE_NOT_ALLOWED = 604, "This account may not delete servers through the API.";
    SERVER_NOT_REMOVABLE = 605, "The server could not be removed.";
    INVALID_HOOK_URL = 606, "A hook URL is invalid.";
    INVALID_SERVER_COLOR = 607, "The server color is invalid.";
    INVALID_SERVER_NAME = 608, "The server name is missing or invalid, or the inbound domain is not allowed.";
    NO_SERVER_DATA = 609, "The request carried no server data.";
    INBOUND_DOMAIN_MX_MISSING = 610, "The inbound domain has no MX record pointing to the expected host.";
    INVALID_INBOUND_SPAM_THRESHOLD = 611, "InboundSpamThreshold must be between 0 and 30.";
    INVALID_TRACK_LINKS = 612, "The TrackLinks option is invalid.";
    INVALID_DELIVERY_TYPE = 613, "The DeliveryType option is invalid.";
    ENTITLEMENT_LIMIT = 614, "An entitlement limit of the account was reached.";
    ACTION_NOT_SUPPORTED = 615, "Postmark does not support this action.";
    MESSAGES_QUERY_INVALID = 700, "The messages, opens or clicks query is invalid.";
    MESSAGE_NOT_FOUND = 701, "The message was not found, or cannot be bypassed or retried.";
    INBOUND_BYPASS_FAILED = 702, "The blocked inbound message could not be bypassed.";
    INBOUND_RETRY_FAILED = 703, "The failed inbound message could not be retried.";
    DKIM_VERIFICATION_FAILED = 709, "DKIM could not be verified because its configuration is invalid.";
    TRIGGER_QUERY_INVALID = 800, "The inbound rule query is invalid.";
    /// Legacy code: tag triggers were removed from the API.
    TAG_TRIGGER_NOT_FOUND_LEGACY = 801, "Legacy: no trigger exists for this tag.";
    /// Legacy code: tag triggers were removed from the API.
    TAG_TRIGGER_EXISTS_LEGACY = 803, "Legacy: this tag already has a trigger.";
    /// Legacy code: tag triggers were removed from the API.
    TAG_TRIGGER_NAME_MISSING_LEGACY = 808, "Legacy: the tag name to match is missing.";
    NO_TRIGGER_DATA = 809, "No inbound rule data was received.";
    INBOUND_RULE_EXISTS = 810, "An identical inbound rule is already in place.";
    INBOUND_RULE_NOT_REMOVABLE = 811, "The inbound rule could not be removed.";
    INBOUND_RULE_NOT_FOUND = 812, "No inbound rule has this ID.";
    /// Legacy code, no longer documented.
    INVALID_RULE_LEGACY = 813, "Legacy: the rule is neither a valid email address nor a valid domain.";
    STATS_QUERY_INVALID = 900, "A stats parameter must be a date or date-time.";
    BOUNCE_QUERY_INVALID = 1000, "The bounce query is invalid.";
    BOUNCE_NOT_FOUND = 1001, "No bounce has this ID, or its dump has expired.";
    BOUNCE_ID_REQUIRED = 1002, "A bounce ID is required.";
    BOUNCE_NOT_ACTIVATABLE = 1003, "This kind of bounce cannot be reactivated.";
    TEMPLATE_QUERY_INVALID = 1100, "The template list query or its TemplateType is invalid.";
    TEMPLATE_NOT_FOUND = 1101, "No template was named, or the template, alias or layout was not found.";
    TEMPLATE_LIMIT = 1105, "Creating the template would go over the server's template limit.";
    NO_TEMPLATE_DATA = 1109, "The request carried no template data.";
    TEMPLATE_FIELD_REQUIRED = 1120, "A required template field is missing.";
    TEMPLATE_FIELD_TOO_LONG = 1121, "One of the template's fields exceeds its maximum length.";
    TEMPLATE_FIELD_INVALID = 1122, "A template field is invalid: type, alias, unparseable body or reserved model key.";
    TEMPLATE_FIELD_NOT_ALLOWED = 1123, "A field is not allowed for this kind of template.";
    TEMPLATE_PUSH_NOTHING = 1124, "There were no templates with an alias to push, or the push went over its limit.";
    TEMPLATE_PUSH_TYPE_MISMATCH = 1125, "The source and destination servers have templates of different types.";
    LAYOUT_IN_USE = 1130, "Templates still use this layout, so it cannot be deleted.";
    LAYOUT_CONTENT_PLACEHOLDER = 1131, "A layout must contain the content placeholder exactly as required.";
    MESSAGE_STREAMS_NOT_PERMITTED = 1220, "This account may not use the message streams API.";
    INVALID_MESSAGE_STREAM_TYPE = 1221, "The MessageStreamType is invalid.";
    MESSAGE_STREAM_ID_REQUIRED = 1222, "A valid message stream ID must be provided.";
    MESSAGE_STREAM_NAME_REQUIRED = 1223, "A valid message stream name must be provided.";
    MESSAGE_STREAM_NAME_TOO_LONG = 1224, "The message stream name is too long.";
    MESSAGE_STREAM_LIMIT = 1225, "The server already has as many message streams as it may.";
    MESSAGE_STREAM_NOT_FOUND = 1226, "No message stream has this ID.";
    MESSAGE_STREAM_ID_INVALID = 1227, "A stream ID must start with a letter and be at most 30 characters.";
    INBOUND_STREAM_EXISTS = 1228, "A server may have only one inbound stream.";
    MESSAGE_STREAM_NOT_ARCHIVABLE = 1229, "Neither the default transactional stream nor the inbound stream can be archived.";
    MESSAGE_STREAM_ID_EXISTS = 1230, "A stream with this ID already exists on the server.";
    MESSAGE_STREAM_DESCRIPTION_TOO_LONG = 1231, "The message stream description is too long.";
    MESSAGE_STREAM_NOT_UNARCHIVABLE = 1232, "The archived stream is past the point where it can be restored.";
    MESSAGE_STREAM_ID_PREFIX = 1233, "Stream IDs may not begin with `pm-`.";
    MESSAGE_STREAM_DESCRIPTION_HTML = 1234, "HTML tags are not allowed in a message stream description.";
    MESSAGE_STREAM_DOES_NOT_EXIST = 1235, "The server has no stream with the MessageStream ID given.";
    MESSAGE_STREAM_CANNOT_SEND = 1236, "Sending is not supported on this kind of stream.";
    MESSAGE_STREAM_ID_RESERVED = 1237, "The stream ID is reserved.";
    CUSTOM_UNSUBSCRIBE_NOT_PERMITTED = 1238, "This account may not use custom unsubscribe handling.";
    UNSUBSCRIBE_HANDLING_NOT_SUPPORTED = 1239, "This stream type does not support that unsubscribe handling type.";
    INVALID_UNSUBSCRIBE_HANDLING = 1240, "The unsubscribe handling type is invalid.";
    MESSAGE_STREAM_ARCHIVE_UNAVAILABLE = 1241, "Archiving the message stream is not possible right now.";
    DATA_REMOVAL_INVALID = 1300, "The data removal request is empty, or its offset or count is invalid.";
    DATA_REMOVAL_ID_INVALID = 1301, "The data removal request ID is missing or incorrect.";
    DATA_REMOVAL_NOT_PERMITTED = 1302, "This account may not process data removal requests through the API.";
    WEBHOOK_ARCHIVED_STREAM = 1350, "A webhook cannot be created on an archived stream.";
    WEBHOOK_INBOUND_STREAM = 1351, "A webhook cannot be created on an inbound stream.";
    WEBHOOK_NOT_FOUND = 1352, "No webhook has this ID.";
    WEBHOOK_TRIGGER_NOT_SUPPORTED = 1353, "This stream does not support the trigger.";
    WEBHOOK_URL_REQUIRED = 1354, "A valid webhook Url is required.";
    WEBHOOK_BODY_REQUIRED = 1355, "The request must have a body.";
    WEBHOOK_ID_NOT_ALLOWED = 1356, "An ID must not be given when creating a webhook.";
    WEBHOOK_IMMUTABLE_FIELD = 1357, "A webhook's ID and MessageStream cannot be changed.";
    WEBHOOK_HEADER_NAME_REQUIRED = 1358, "Every webhook HTTP header needs a valid name.";
    WEBHOOK_LIMIT = 1359, "The maximum number of webhooks for this stream was reached.";
    WEBHOOK_INTEGRATION_NOT_UPDATABLE = 1360, "The integration cannot be updated.";
    WEBHOOK_FIELD_INVALID = 1361, "A webhook field has an invalid value.";
    WEBHOOK_STATUS_INVALID = 1362, "The webhook status must be `verified` or `unverified`.";
    WEBHOOK_STATUS_NOT_ALLOWED = 1363, "A webhook's Status cannot be set on create or update.";
    WEBHOOK_VERIFICATION_FAILED = 1364, "Postmark's test events to the webhook URL failed; nothing was saved.";
    SUPPRESSION_COUNT_OUT_OF_RANGE = 1400, "The suppression count is out of range.";
    SUPPRESSION_COUNT_REQUIRED = 1401, "The suppression count is required.";
    SUPPRESSION_OFFSET_NEGATIVE = 1402, "The suppression offset must not be negative.";
    SUPPRESSION_OFFSET_REQUIRED = 1403, "The suppression offset is required.";
    INVALID_SUPPRESSION_REASON = 1404, "The SuppressionReason is invalid.";
    INVALID_SUPPRESSION_ORIGIN = 1405, "The suppression Origin is invalid.";
    SUPPRESSION_NOT_AUTHORIZED = 1406, "This suppression cannot be changed with the caller's authority.";
    SUPPRESSION_PROCESSING_FAILED = 1407, "The suppression request could not be processed.";
    SUPPRESSION_INVALID_ADDRESS = 1408, "One of the email addresses is not valid.";
    SUPPRESSION_BODY_REQUIRED = 1409, "A proper suppression request body is required.";
    TOO_MANY_SUPPRESSIONS = 1410, "At most 50 suppressions may be changed in one request.";
    SUPPRESSION_ADDRESS_REQUIRED = 1411, "The request lacks the emailAddress parameter.";
    SMTP_TOKEN_SERVER_ID_REQUIRED = 1450, "An SMTP token request needs a server ID.";
    SMTP_TOKEN_NOT_FOUND = 1451, "The SMTP token was not found.";
    SMTP_TOKEN_BODY_REQUIRED = 1452, "An SMTP token request needs a body.";
    SMTP_TOKEN_SERVER_NOT_FOUND = 1453, "The SMTP token's server was not found.";
    SMTP_TOKEN_STREAM_INVALID = 1454, "The SMTP token's message stream is invalid.";
    SMTP_TOKEN_SERVER_ID_INVALID = 1455, "The SMTP token's server ID is invalid.";
    SMTP_TOKEN_LENGTH = 1456, "The SMTP token has an invalid length.";
    SMTP_TOKEN_INBOUND_STREAM = 1457, "SMTP tokens are not allowed on inbound streams.";
    SMTP_TOKEN_LIMIT = 1458, "The stream's SMTP token limit was reached.";
    SMTP_TOKEN_ARCHIVED_STREAM = 1459, "SMTP tokens are not allowed on archived streams.";
    SMTP_DISABLED = 1460, "SMTP is disabled.";
    IP_NOT_AUTHORIZED = 1480, "Sending from the caller's IP address is not authorized.";
    STATS_FROM_DATE_TOO_OLD = 1500, "FromDate cannot be more than a year ago.";
    STATS_COUNT_OUT_OF_RANGE = 1501, "A stats count parameter is out of range.";
    STATS_DATE_ORDER = 1502, "FromDate must come before ToDate.";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_sorted_and_unique() {
        assert!(ErrorCode::ALL.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn every_documented_code_has_a_name_and_description() {
        for code in ErrorCode::ALL {
            assert!(code.name().is_some(), "{code}");
            assert!(code.description().is_some_and(|d| !d.is_empty()), "{code}");
        }
    }

    #[test]
    fn unknown_code_round_trips_through_json() {
        let code: ErrorCode = serde_json::from_str("4242").unwrap();
        assert_eq!(code.as_u32(), 4242);
        assert_eq!(serde_json::to_string(&code).unwrap(), "4242");
        assert_eq!(format!("{code:?}"), "ErrorCode(4242)");
        assert_eq!(
            format!("{:?}", ErrorCode::WEBHOOK_NOT_FOUND),
            "ErrorCode(1352 WEBHOOK_NOT_FOUND)"
        );
    }

    #[test]
    fn a_code_prints_and_converts_as_its_number() {
        let code = ErrorCode::INACTIVE_RECIPIENT;
        assert_eq!(code.to_string(), "406");
        assert_eq!(u32::from(code), 406);
        assert_eq!(u32::from(ErrorCode::from(98_765)), 98_765);
    }
}
