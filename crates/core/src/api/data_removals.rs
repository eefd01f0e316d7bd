//! Data removals (account token): erasing what Postmark keeps about one
//! recipient, as privacy laws let people ask. Postmark opens the API to an
//! account on request (ErrorCode 1302 until then); a removal cannot be
//! undone.

use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

use crate::endpoint::Rules;
use crate::enums::string_enum;

string_enum! {
    /// Where a data removal stands.
    pub enum DataRemovalStatus {
        /// Accepted, not finished.
        Pending => "Pending",
        /// The recipient's data is gone.
        Done => "Done",
    }
}

/// A data removal request and where it stands.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", default)]
pub struct DataRemoval {
    /// Request ID.
    #[serde(rename = "ID")]
    pub id: i64,
    /// Where it stands.
    pub status: Option<DataRemovalStatus>,
}

/// `POST /data-removals`: asks Postmark to erase what it keeps about a
/// recipient.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase")]
pub struct CreateDataRemoval {
    /// The address of whoever asks for the removal.
    pub requested_by: String,
    /// The address of the recipient whose data goes.
    pub requested_for: String,
    /// Whether Postmark emails `requested_by` once the removal is done.
    pub notify_when_completed: Option<bool>,
}

impl Rules for CreateDataRemoval {}

/// `GET /data-removals/{id}`: where a data removal stands.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct GetDataRemovalStatus {
    /// Request ID.
    pub id: i64,
}

impl Rules for GetDataRemovalStatus {}
