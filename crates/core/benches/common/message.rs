//! The typical message of the benchmarks: the same content as the peers
//! benchmark's `message.json` (From, To, Subject, a ~2.1 KB UTF-8 HtmlBody, a
//! TextBody, a Tag, 3 Metadata keys, TrackOpens), built here so that no bench
//! reads files while it runs.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use postmark_kit::api::email::SendEmail;

/// The invoice every benchmark sends.
pub(crate) fn typical_message() -> SendEmail {
    let mut email = SendEmail::new(
        "Acme Billing <billing@example.com>",
        "Jane Doe <jane.doe@example.org>",
        "Your invoice #INV-2026-000123 is ready",
    )
    .html_body(html_body())
    .text_body(TEXT_BODY);
    email.tag = Some("invoice".into());
    email.metadata = Some(BTreeMap::from([
        ("customer-id".into(), "cus_000123".into()),
        ("invoice-id".into(), "INV-2026-000123".into()),
        ("plan".into(), "pro".into()),
    ]));
    email.track_opens = Some(true);
    email
}

const TEXT_BODY: &str = "Hi Jane,\n\nThanks for using Acme. This is an invoice for your recent purchase.\n\n\
Pro plan — monthly      49.00 €\nExtra seats (3)         27.00 €\nDedicated IP            50.00 €\n\
Priority support        30.00 €\nTotal                  156.00 €\n\n\
Pay this invoice: https://example.com/billing/invoices/INV-2026-000123\n\n\
If you have any questions, simply reply to this email.\n\nCheers,\nThe Acme team\n";

fn html_body() -> String {
    let mut rows = String::new();
    for (item, price) in [
        ("Pro plan — monthly", 49),
        ("Extra seats (3)", 27),
        ("Dedicated IP", 50),
        ("Priority support", 30),
    ] {
        write!(
            rows,
            "<tr><td style=\"padding:6px 12px;border-bottom:1px solid #eee\">{item}</td>\
             <td style=\"padding:6px 12px;border-bottom:1px solid #eee;text-align:right\">{price}.00 €</td></tr>"
        )
        .expect("writing to a String cannot fail");
    }
    format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Invoice INV-2026-000123</title></head>\
<body style=\"font-family:Helvetica,Arial,sans-serif;color:#333;background:#f6f6f6;margin:0\">\
<table width=\"100%\" cellpadding=\"0\" cellspacing=\"0\"><tr><td align=\"center\">\
<table width=\"600\" style=\"background:#fff;margin:24px 0;border-radius:4px\">\
<tr><td style=\"padding:24px\"><h1 style=\"font-size:20px\">Hi Jane,</h1>\
<p>Thanks for using Acme. This is an invoice for your recent purchase. \
Please find the details below; a PDF copy is available in your account.</p>\
<table width=\"100%\" style=\"border-collapse:collapse\">{rows}\
<tr><td style=\"padding:6px 12px\"><strong>Total</strong></td>\
<td style=\"padding:6px 12px;text-align:right\"><strong>156.00 €</strong></td></tr></table>\
<p><a href=\"https://example.com/billing/invoices/INV-2026-000123?utm_source=email\" \
style=\"background:#22bc66;color:#fff;padding:10px 18px;text-decoration:none;border-radius:3px\">\
Pay this invoice</a></p>\
<p>If you have any questions, simply reply to this email or reach out to our \
<a href=\"https://example.com/support\">support team</a>.</p>\
<p>Cheers,<br>The Acme team</p>\
<p style=\"font-size:12px;color:#999\">Acme Inc., 1 Example Street, Springfield. You receive this \
email because you have an account with Acme. <a href=\"https://example.com/account/notifications\">\
Manage notifications</a></p></td></tr></table></td></tr></table></body></html>"
    )
}
