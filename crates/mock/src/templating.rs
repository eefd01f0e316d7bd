//! Just enough of Postmark's Mustachio templates for tests to see their model applied:
//! `{{ path.to.value }}` (HTML-escaped in the HTML body only) and `{{{ path }}}` (never
//! escaped). Section, comment and partial tags (`#`, `^`, `/`, `!`, `>`) are dropped, so
//! section bodies render once. Missing values render as nothing, as in Mustache.

use serde_json::Value;

pub(crate) fn render(template: &str, model: &Value, html: bool) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find("{{") {
        out.push_str(&rest[..open]);
        let after = &rest[open..];
        let (raw, close) = if after.starts_with("{{{") {
            (true, "}}}")
        } else {
            (false, "}}")
        };
        let inner_start = if raw { 3 } else { 2 };
        let Some(len) = after[inner_start..].find(close) else {
            // An unterminated tag is literal text.
            out.push_str(after);
            return out;
        };
        let tag = after[inner_start..inner_start + len].trim();
        if !tag.starts_with(['#', '^', '/', '!', '>']) {
            let value = lookup(model, tag).map(text_of).unwrap_or_default();
            if raw || !html {
                out.push_str(&value);
            } else {
                escape_into(&mut out, &value);
            }
        }
        rest = &after[inner_start + len + close.len()..];
    }
    out.push_str(rest);
    out
}

fn lookup<'a>(model: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(model, |node, key| node.get(key))
}

fn text_of(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn substitutes_escaped_raw_and_nested_values() {
        let model = json!({"name": "<Ann>", "order": {"id": 42, "paid": true}});
        assert_eq!(
            render(
                "Hi {{ name }} / {{{name}}} #{{order.id}} {{order.paid}}{{missing}}.",
                &model,
                true
            ),
            "Hi &lt;Ann&gt; / <Ann> #42 true."
        );
        assert_eq!(render("Hi {{ name }}", &model, false), "Hi <Ann>");
    }

    #[test]
    fn drops_section_tags_and_keeps_broken_tags() {
        let model = json!({"items": [1]});
        assert_eq!(
            render("{{#items}}x{{/items}}{{! note }}", &model, true),
            "x"
        );
        assert_eq!(render("a {{ b", &model, true), "a {{ b");
        assert_eq!(render("ü{{{ b }}", &model, true), "ü{{{ b }}");
    }
}
