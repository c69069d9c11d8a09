//! Small text helpers shared by the stages that write words for people.

/// Upper-case the first letter: "staff from …" → "Staff from …".
pub fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}
