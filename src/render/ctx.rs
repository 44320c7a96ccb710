//! Building template contexts without copying them twice.
//!
//! `serde_json::json!` turns every embedded value into a `Value` by
//! serializing it, so a list of links already built as `Value`s was copied
//! again, element by element, on every page (most of the context cost of a
//! page). [`obj!`] and [`val`] move values that are already `Value`s and
//! convert the rest directly.

use serde_json::{Map, Value};

/// Conversion into a context value, moving what is already a [`Value`].
pub(crate) trait IntoValue {
    /// The value.
    fn into_value(self) -> Value;
}

impl IntoValue for Value {
    fn into_value(self) -> Value {
        self
    }
}

impl IntoValue for Map<String, Value> {
    fn into_value(self) -> Value {
        Value::Object(self)
    }
}

impl IntoValue for &str {
    fn into_value(self) -> Value {
        Value::String(self.to_owned())
    }
}

impl IntoValue for &&str {
    fn into_value(self) -> Value {
        Value::String((*self).to_owned())
    }
}

impl IntoValue for String {
    fn into_value(self) -> Value {
        Value::String(self)
    }
}

impl IntoValue for &String {
    fn into_value(self) -> Value {
        Value::String(self.clone())
    }
}

impl IntoValue for bool {
    fn into_value(self) -> Value {
        Value::Bool(self)
    }
}

macro_rules! numbers {
    ($($t:ty),*) => {$(
        impl IntoValue for $t {
            fn into_value(self) -> Value {
                Value::from(self)
            }
        }
    )*};
}
numbers!(usize, u64, u32, u16, u8, i64, i32);

impl<T: IntoValue> IntoValue for Option<T> {
    fn into_value(self) -> Value {
        self.map_or(Value::Null, IntoValue::into_value)
    }
}

impl<T: IntoValue> IntoValue for Vec<T> {
    fn into_value(self) -> Value {
        Value::Array(self.into_iter().map(IntoValue::into_value).collect())
    }
}

impl IntoValue for &Vec<String> {
    fn into_value(self) -> Value {
        Value::Array(self.iter().map(IntoValue::into_value).collect())
    }
}

/// `x` as a context value.
pub(crate) fn val<T: IntoValue>(x: T) -> Value {
    x.into_value()
}

/// A JSON object from `"key": value` pairs, like `json!({ .. })` but moving
/// values (see the module documentation).
macro_rules! obj {
    ({ $($k:literal : $v:expr),* $(,)? }) => {{
        #[allow(unused_mut)]
        let mut m = serde_json::Map::new();
        $( m.insert(String::from($k), $crate::render::ctx::IntoValue::into_value($v)); )*
        serde_json::Value::Object(m)
    }};
}
pub(crate) use obj;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn same_values_as_json_macro() {
        let links = vec![json!({ "href": "a.html", "title": { "t": "A", "l": "" } })];
        let name = String::from("ລາວ");
        let none: Option<&str> = None;
        let built = obj!({ "links": links.clone(), "name": &name, "n": 3usize, "neg": -2i64, "on": true, "none": none, "tags": &vec!["x".to_owned()] });
        assert_eq!(built, json!({ "links": links, "name": name, "n": 3, "neg": -2, "on": true, "none": null, "tags": ["x"] }));
        assert_eq!(val(Some("t")), json!("t"));
    }
}
