//! Anchor IDL (spec 0.1.0, as written by Anchor 0.30+) built from the program's declarations on
//! the host and written as JSON by `programs/idl`. Nothing here runs on chain.
#![allow(clippy::arithmetic_side_effects)] // host-side text building, no money

use std::string::{String, ToString};
use std::vec::Vec;

/// Re-exported for the macros, which expand in `no_std` program crates.
pub use std::vec;

/// A type as the IDL names it.
#[derive(Clone, Debug, PartialEq)]
pub enum Type {
    Primitive(&'static str),
    Defined(&'static str),
    Option(std::boxed::Box<Type>),
    Vec(std::boxed::Box<Type>),
    Array(std::boxed::Box<Type>, usize),
}

/// Rust types that appear in the IDL.
pub trait IdlType {
    fn idl_type(registry: &mut Registry) -> Type;
    /// Adds the type's definition (and those it uses) to `registry`; primitives have none.
    fn register(_registry: &mut Registry) {}
}

/// The IDL type of a declared field. A field declared as `Pubkey` (an alias of `[u8; 32]`) is an
/// address, which clients show as a `PublicKey`; other byte arrays stay arrays.
pub fn type_of<T: IdlType>(declared: &str, registry: &mut Registry) -> Type {
    let declared: String = declared.chars().filter(|c| !c.is_whitespace()).collect();
    match declared.as_str() {
        "Pubkey" | "&'aPubkey" => Type::Primitive("pubkey"),
        "Option<Pubkey>" => Type::Option(std::boxed::Box::new(Type::Primitive("pubkey"))),
        "Slice<'a,Pubkey>" => Type::Vec(std::boxed::Box::new(Type::Primitive("pubkey"))),
        _ => T::idl_type(registry),
    }
}

macro_rules! primitive {
    ($($t:ty => $name:literal),*) => {$(
        impl IdlType for $t {
            fn idl_type(_: &mut Registry) -> Type {
                Type::Primitive($name)
            }
        }
    )*};
}
primitive!(u8 => "u8", u16 => "u16", u32 => "u32", u64 => "u64", u128 => "u128", i8 => "i8", i16 => "i16",
    i32 => "i32", i64 => "i64", i128 => "i128", bool => "bool",
    crate::state::U16 => "u16", crate::state::U32 => "u32", crate::state::U64 => "u64",
    crate::state::I64 => "i64", crate::state::U128 => "u128", crate::state::Bool => "bool",
    crate::borsh::Str<'_> => "string");

impl<T: IdlType, const N: usize> IdlType for [T; N] {
    fn idl_type(registry: &mut Registry) -> Type {
        Type::Array(std::boxed::Box::new(T::idl_type(registry)), N)
    }
}

impl<T: IdlType> IdlType for &T {
    fn idl_type(registry: &mut Registry) -> Type {
        T::idl_type(registry)
    }
}

impl<T: IdlType> IdlType for Option<T> {
    fn idl_type(registry: &mut Registry) -> Type {
        Type::Option(std::boxed::Box::new(T::idl_type(registry)))
    }
}

impl<T: IdlType> IdlType for crate::borsh::Slice<'_, T> {
    fn idl_type(registry: &mut Registry) -> Type {
        Type::Vec(std::boxed::Box::new(T::idl_type(registry)))
    }
}

impl<T: IdlType> IdlType for crate::state::Enum<T> {
    fn idl_type(registry: &mut Registry) -> Type {
        T::idl_type(registry)
    }
}

/// A named, typed field (struct field or instruction argument).
#[derive(Clone, Debug)]
pub struct Field {
    pub name: &'static str,
    pub docs: Vec<String>,
    pub ty: Type,
}

impl Field {
    pub fn new(name: &'static str, docs: Vec<String>, ty: Type) -> Self {
        Field { name, docs, ty }
    }
}

#[derive(Clone, Debug)]
pub enum TypeKind {
    Struct(Vec<Field>),
    Enum(Vec<&'static str>),
}

#[derive(Clone, Debug)]
pub struct TypeDef {
    pub name: &'static str,
    pub docs: Vec<String>,
    pub kind: TypeKind,
}

/// Type definitions collected while walking the program's declarations, in first-use order.
#[derive(Default)]
pub struct Registry {
    types: Vec<TypeDef>,
}

impl Registry {
    pub fn contains(&self, name: &str) -> bool {
        self.types.iter().any(|t| t.name == name)
    }
    pub fn add(&mut self, def: TypeDef) {
        if !self.contains(def.name) {
            self.types.push(def);
        }
    }
    pub fn into_types(self) -> Vec<TypeDef> {
        self.types
    }
}

#[derive(Clone, Debug)]
pub struct InstructionAccount {
    pub name: &'static str,
    pub docs: Vec<String>,
    pub writable: bool,
    pub signer: bool,
    pub optional: bool,
    pub address: Option<String>,
}

impl InstructionAccount {
    pub fn new(name: &'static str, docs: Vec<String>) -> Self {
        InstructionAccount { name, docs, writable: false, signer: false, optional: false, address: None }
    }
}

#[derive(Clone, Debug)]
pub struct Instruction {
    pub name: &'static str,
    pub docs: Vec<String>,
    pub discriminator: [u8; 8],
    pub accounts: Vec<InstructionAccount>,
    pub args: Vec<Field>,
}

/// An `accounts` or `events` entry: a name and its discriminator (the layout is in `types`).
#[derive(Clone, Debug)]
pub struct Named {
    pub name: &'static str,
    pub discriminator: [u8; 8],
}

/// A whole program's IDL.
pub struct Idl {
    pub address: String,
    pub name: &'static str,
    pub version: &'static str,
    pub docs: Vec<String>,
    pub instructions: Vec<Instruction>,
    pub accounts: Vec<Named>,
    pub events: Vec<Named>,
    pub errors: Vec<(u32, &'static str, &'static str)>,
    pub types: Vec<TypeDef>,
}

/// Doc comments as the IDL keeps them: one entry per line, without the leading space.
pub fn docs(lines: &[&str]) -> Vec<String> {
    lines.iter().map(|l| l.strip_prefix(' ').unwrap_or(l).to_string()).collect()
}

/// Base58 text of an address.
pub fn base58(bytes: &[u8; 32]) -> String {
    const ALPHABET: &[u8] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    let mut digits: Vec<u8> = Vec::new(); // little-endian base-58 digits
    for &byte in bytes {
        let mut carry = byte as u32;
        for d in digits.iter_mut() {
            let v = (*d as u32) * 256 + carry;
            *d = (v % 58) as u8;
            carry = v / 58;
        }
        while carry > 0 {
            digits.push((carry % 58) as u8);
            carry /= 58;
        }
    }
    let zeros = bytes.iter().take_while(|b| **b == 0).count();
    let mut out: String = "1".repeat(zeros);
    out.extend(digits.iter().rev().map(|d| ALPHABET[*d as usize] as char));
    out
}

// ---- JSON (a tiny writer: the IDL has only strings, numbers, booleans, arrays and objects)

struct Json {
    out: String,
}

impl Json {
    fn string(&mut self, s: &str) {
        self.out.push('"');
        for c in s.chars() {
            match c {
                '"' => self.out.push_str("\\\""),
                '\\' => self.out.push_str("\\\\"),
                '\n' => self.out.push_str("\\n"),
                c if (c as u32) < 0x20 => self.out.push_str(&std::format!("\\u{:04x}", c as u32)),
                c => self.out.push(c),
            }
        }
        self.out.push('"');
    }
}

/// A JSON value tree, printed with two-space indentation like Anchor's IDL files.
enum Value {
    Str(String),
    Num(u64),
    Bool(bool),
    Arr(Vec<Value>),
    Obj(Vec<(&'static str, Value)>),
}

fn s(v: &str) -> Value {
    Value::Str(v.to_string())
}

fn print(v: &Value, j: &mut Json, indent: usize) {
    let pad = |n: usize| "  ".repeat(n);
    match v {
        Value::Str(x) => j.string(x),
        Value::Num(n) => j.out.push_str(&n.to_string()),
        Value::Bool(b) => j.out.push_str(if *b { "true" } else { "false" }),
        Value::Arr(items) if items.is_empty() => j.out.push_str("[]"),
        Value::Arr(items) => {
            j.out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                j.out.push_str(&pad(indent + 1));
                print(item, j, indent + 1);
                j.out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
            }
            j.out.push_str(&pad(indent));
            j.out.push(']');
        }
        Value::Obj(fields) => {
            j.out.push_str("{\n");
            for (i, (k, item)) in fields.iter().enumerate() {
                j.out.push_str(&pad(indent + 1));
                j.string(k);
                j.out.push_str(": ");
                print(item, j, indent + 1);
                j.out.push_str(if i + 1 < fields.len() { ",\n" } else { "\n" });
            }
            j.out.push_str(&pad(indent));
            j.out.push('}');
        }
    }
}

fn docs_field(fields: &mut Vec<(&'static str, Value)>, docs: &[String]) {
    if !docs.is_empty() {
        fields.push(("docs", Value::Arr(docs.iter().map(|d| s(d)).collect())));
    }
}

fn disc(d: &[u8; 8]) -> Value {
    Value::Arr(d.iter().map(|b| Value::Num(*b as u64)).collect())
}

fn type_value(t: &Type) -> Value {
    match t {
        Type::Primitive(p) => s(p),
        Type::Defined(name) => Value::Obj(std::vec![("defined", Value::Obj(std::vec![("name", s(name))]))]),
        Type::Option(inner) => Value::Obj(std::vec![("option", type_value(inner))]),
        Type::Vec(inner) => Value::Obj(std::vec![("vec", type_value(inner))]),
        Type::Array(inner, n) => Value::Obj(std::vec![("array", Value::Arr(std::vec![type_value(inner), Value::Num(*n as u64)]))]),
    }
}

fn field_value(f: &Field) -> Value {
    let mut o = std::vec![("name", s(f.name))];
    docs_field(&mut o, &f.docs);
    o.push(("type", type_value(&f.ty)));
    Value::Obj(o)
}

impl Idl {
    /// The IDL as pretty-printed JSON (deterministic: declaration order).
    pub fn to_json(&self) -> String {
        let mut root = std::vec![
            ("address", s(&self.address)),
            ("metadata", Value::Obj(std::vec![("name", s(self.name)), ("version", s(self.version)), ("spec", s("0.1.0"))])),
        ];
        if let Value::Obj(meta) = &mut root[1].1 {
            if !self.docs.is_empty() {
                meta.push(("description", s(&self.docs.join(" "))));
            }
        }
        root.push((
            "instructions",
            Value::Arr(
                self.instructions
                    .iter()
                    .map(|ix| {
                        let mut o = std::vec![("name", s(ix.name))];
                        docs_field(&mut o, &ix.docs);
                        o.push(("discriminator", disc(&ix.discriminator)));
                        o.push((
                            "accounts",
                            Value::Arr(
                                ix.accounts
                                    .iter()
                                    .map(|a| {
                                        let mut ao = std::vec![("name", s(a.name))];
                                        docs_field(&mut ao, &a.docs);
                                        if a.writable {
                                            ao.push(("writable", Value::Bool(true)));
                                        }
                                        if a.signer {
                                            ao.push(("signer", Value::Bool(true)));
                                        }
                                        if a.optional {
                                            ao.push(("optional", Value::Bool(true)));
                                        }
                                        if let Some(addr) = &a.address {
                                            ao.push(("address", s(addr)));
                                        }
                                        Value::Obj(ao)
                                    })
                                    .collect(),
                            ),
                        ));
                        o.push(("args", Value::Arr(ix.args.iter().map(field_value).collect())));
                        Value::Obj(o)
                    })
                    .collect(),
            ),
        ));
        let named = |items: &[Named]| {
            Value::Arr(items.iter().map(|n| Value::Obj(std::vec![("name", s(n.name)), ("discriminator", disc(&n.discriminator))])).collect())
        };
        root.push(("accounts", named(&self.accounts)));
        root.push(("events", named(&self.events)));
        root.push((
            "errors",
            Value::Arr(
                self.errors
                    .iter()
                    .map(|(code, name, msg)| Value::Obj(std::vec![("code", Value::Num(*code as u64)), ("name", s(name)), ("msg", s(msg))]))
                    .collect(),
            ),
        ));
        root.push((
            "types",
            Value::Arr(
                self.types
                    .iter()
                    .map(|t| {
                        let mut o = std::vec![("name", s(t.name))];
                        docs_field(&mut o, &t.docs);
                        let body = match &t.kind {
                            TypeKind::Struct(fields) => Value::Obj(std::vec![
                                ("kind", s("struct")),
                                ("fields", Value::Arr(fields.iter().map(field_value).collect())),
                            ]),
                            TypeKind::Enum(variants) => Value::Obj(std::vec![
                                ("kind", s("enum")),
                                ("variants", Value::Arr(variants.iter().map(|v| Value::Obj(std::vec![("name", s(v))])).collect())),
                            ]),
                        };
                        o.push(("type", body));
                        Value::Obj(o)
                    })
                    .collect(),
            ),
        ));
        let mut j = Json { out: String::new() };
        print(&Value::Obj(root), &mut j, 0);
        j.out.push('\n');
        j.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_addresses_in_base58() {
        assert_eq!(base58(&[0; 32]), "11111111111111111111111111111111");
        assert_eq!(base58(&crate::token::TOKEN_PROGRAM_ID), "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA");
    }
}
