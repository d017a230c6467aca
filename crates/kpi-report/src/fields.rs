//! A struct serialised with only some of its fields: the row a template loop reads, without
//! the parts it never names (the table's loop never reads a row's details, whose chart is
//! most of a row's bytes); and the one spelling of how deep a loop reads a field, which the
//! renderer writes and the report's rows are built by.

use serde::ser::{Serialize, SerializeStruct, Serializer};

/// How deep a path reads field `first`: `first.second` for a field of it, `first.*` for the
/// field whole (no field of a row holds a dot). A loop's list of fields holds each path's
/// first name, for [`Only`], and this, for [`reads`].
pub(crate) fn depth(first: &str, second: Option<&str>) -> String {
    format!("{first}.{}", second.unwrap_or("*"))
}

/// Whether a loop whose list of fields is `fields` reads one of `names` of `field` (or
/// `field` whole), as [`depth`] spells it.
pub(crate) fn reads(fields: &[String], field: &str, names: &[&str]) -> bool {
    fields.iter().any(|f| {
        f.strip_prefix(field)
            .and_then(|rest| rest.strip_prefix('.'))
            .is_some_and(|rest| rest == "*" || names.contains(&rest))
    })
}

/// `value` serialised with only the fields `fields` names, when it serialises as a struct;
/// anything else is serialised whole.
pub(crate) struct Only<'a, T> {
    pub(crate) value: &'a T,
    pub(crate) fields: &'a [String],
}

impl<T: Serialize> Serialize for Only<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(Top {
            inner: serializer,
            fields: self.fields,
        })
    }
}

/// The serializer of the top level: as `inner`, but a struct's fields go through [`Kept`].
struct Top<'a, S> {
    inner: S,
    fields: &'a [String],
}

/// A struct's fields, the ones not kept skipped.
struct Kept<'a, T> {
    inner: T,
    fields: &'a [String],
}

impl<T: SerializeStruct> SerializeStruct for Kept<'_, T> {
    type Ok = T::Ok;
    type Error = T::Error;

    fn serialize_field<V: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &V,
    ) -> Result<(), T::Error> {
        if self.fields.iter().any(|f| f == key) {
            self.inner.serialize_field(key, value)
        } else {
            self.inner.skip_field(key)
        }
    }

    fn end(self) -> Result<T::Ok, T::Error> {
        self.inner.end()
    }
}

/// Methods that hand their value to the inner serializer as they are.
macro_rules! forward {
    ($($name:ident($($arg:ident: $ty:ty),*) -> $out:ty;)*) => {
        $(fn $name(self, $($arg: $ty),*) -> Result<$out, S::Error> {
            self.inner.$name($($arg),*)
        })*
    };
}

impl<'a, S: Serializer> Serializer for Top<'a, S> {
    type Ok = S::Ok;
    type Error = S::Error;
    type SerializeSeq = S::SerializeSeq;
    type SerializeTuple = S::SerializeTuple;
    type SerializeTupleStruct = S::SerializeTupleStruct;
    type SerializeTupleVariant = S::SerializeTupleVariant;
    type SerializeMap = S::SerializeMap;
    type SerializeStruct = Kept<'a, S::SerializeStruct>;
    type SerializeStructVariant = S::SerializeStructVariant;

    forward! {
        serialize_bool(v: bool) -> S::Ok;
        serialize_i8(v: i8) -> S::Ok;
        serialize_i16(v: i16) -> S::Ok;
        serialize_i32(v: i32) -> S::Ok;
        serialize_i64(v: i64) -> S::Ok;
        serialize_i128(v: i128) -> S::Ok;
        serialize_u8(v: u8) -> S::Ok;
        serialize_u16(v: u16) -> S::Ok;
        serialize_u32(v: u32) -> S::Ok;
        serialize_u64(v: u64) -> S::Ok;
        serialize_u128(v: u128) -> S::Ok;
        serialize_f32(v: f32) -> S::Ok;
        serialize_f64(v: f64) -> S::Ok;
        serialize_char(v: char) -> S::Ok;
        serialize_str(v: &str) -> S::Ok;
        serialize_bytes(v: &[u8]) -> S::Ok;
        serialize_none() -> S::Ok;
        serialize_unit() -> S::Ok;
        serialize_unit_struct(name: &'static str) -> S::Ok;
        serialize_unit_variant(name: &'static str, index: u32, variant: &'static str) -> S::Ok;
        serialize_seq(len: Option<usize>) -> S::SerializeSeq;
        serialize_tuple(len: usize) -> S::SerializeTuple;
        serialize_tuple_struct(name: &'static str, len: usize) -> S::SerializeTupleStruct;
        serialize_tuple_variant(name: &'static str, index: u32, variant: &'static str, len: usize) -> S::SerializeTupleVariant;
        serialize_map(len: Option<usize>) -> S::SerializeMap;
        serialize_struct_variant(name: &'static str, index: u32, variant: &'static str, len: usize) -> S::SerializeStructVariant;
    }

    fn serialize_some<V: ?Sized + Serialize>(self, value: &V) -> Result<S::Ok, S::Error> {
        self.inner.serialize_some(value)
    }

    fn serialize_newtype_struct<V: ?Sized + Serialize>(
        self,
        name: &'static str,
        value: &V,
    ) -> Result<S::Ok, S::Error> {
        self.inner.serialize_newtype_struct(name, value)
    }

    fn serialize_newtype_variant<V: ?Sized + Serialize>(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        value: &V,
    ) -> Result<S::Ok, S::Error> {
        self.inner
            .serialize_newtype_variant(name, index, variant, value)
    }

    fn serialize_struct(
        self,
        name: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStruct, S::Error> {
        Ok(Kept {
            inner: self.inner.serialize_struct(name, len)?,
            fields: self.fields,
        })
    }

    fn is_human_readable(&self) -> bool {
        self.inner.is_human_readable()
    }
}

#[cfg(test)]
mod tests {
    use super::Only;
    use serde::Serialize;
    use serde_json::json;

    #[derive(Serialize)]
    struct Row {
        id: &'static str,
        value: Option<f64>,
        details: Details,
    }

    #[derive(Serialize)]
    struct Details {
        chart: &'static str,
        id: &'static str,
    }

    #[test]
    fn only_the_fields_named_at_the_top() {
        let row = Row {
            id: "a",
            value: Some(1.5),
            details: Details {
                chart: "<svg/>",
                id: "inner",
            },
        };
        let fields = ["id".to_string(), "value".to_string()];
        let only = serde_json::to_value(Only {
            value: &row,
            fields: &fields,
        })
        .expect("serialises");
        assert_eq!(only, json!({"id": "a", "value": 1.5}));
        // A nested struct keeps all its fields.
        let fields = ["details".to_string()];
        let only = serde_json::to_value(Only {
            value: &row,
            fields: &fields,
        })
        .expect("serialises");
        assert_eq!(only, json!({"details": {"chart": "<svg/>", "id": "inner"}}));
        // Anything but a struct is whole.
        let list = serde_json::to_value(Only {
            value: &[1, 2],
            fields: &[],
        })
        .expect("serialises");
        assert_eq!(list, json!([1, 2]));
    }
}
