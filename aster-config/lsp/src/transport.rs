//! JSON-RPC framing over a byte stream: `Content-Length` headers, then a JSON body.
//!
//! `lsp-server` gives the message types; its own reader ends the connection on the first body
//! that is not JSON, but the protocol asks for an error response instead (`-32700` parse error,
//! `-32600` invalid request), so the framing is read here and a bad message costs one error
//! response, not the session.
//!
//! A message larger than [`MAX_BODY_BYTES`] is read past without being kept; its start and end
//! are kept to see what it was ([`Oversized`]), so that an editor opening a huge file gets the
//! file's "too large" diagnostic rather than only a protocol error.

use lsp_server::{ErrorCode, Message, RequestId, Response};
use std::io::{self, BufRead, Write};

/// The largest message body accepted (a spec is at most 1 MiB; JSON escaping can double it).
pub const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;

/// What one frame held.
#[derive(Debug)]
pub enum Incoming {
    /// A well-formed message.
    Message(Message),
    /// A frame whose body could not be used; answer with this error response.
    Invalid(Response),
    /// A frame larger than [`MAX_BODY_BYTES`], skipped.
    Oversized(Oversized),
}

/// What can be seen of a message too large to read: its size and the fields found in its first
/// and last [`GLIMPSE_BYTES`] (a document's text sits between its method and its URI, whichever
/// order the client writes the fields in).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Oversized {
    /// The body's length in bytes.
    pub length: usize,
    /// The `method`, when one was seen.
    pub method: Option<String>,
    /// The request's `id`, when one was seen.
    pub id: Option<RequestId>,
    /// A `uri` (a document's), when one was seen.
    pub uri: Option<String>,
}

/// How much of each end of an oversized message is kept.
pub const GLIMPSE_BYTES: usize = 64 * 1024;

impl Oversized {
    /// The error response for a message that is not a document's open or change: `-32600`,
    /// with the request's id when it had one.
    pub fn error(&self) -> Response {
        let message = format!(
            "message of {} bytes is larger than the {MAX_BODY_BYTES} accepted",
            self.length
        );
        match &self.id {
            Some(id) => Response::new_err(id.clone(), ErrorCode::InvalidRequest as i32, message),
            None => error_without_id(ErrorCode::InvalidRequest, message),
        }
    }
}

/// Reads and drops `length` bytes of `input`, keeping what [`Oversized`] needs.
fn skip_oversized(input: &mut impl BufRead, length: usize) -> io::Result<Oversized> {
    let mut head = Vec::with_capacity(GLIMPSE_BYTES);
    let mut tail: Vec<u8> = Vec::with_capacity(2 * GLIMPSE_BYTES);
    let mut left = length;
    let mut chunk = vec![0; GLIMPSE_BYTES];
    while left > 0 {
        let want = left.min(chunk.len());
        input.read_exact(&mut chunk[..want])?;
        left -= want;
        let read = &chunk[..want];
        if head.len() < GLIMPSE_BYTES {
            let take = (GLIMPSE_BYTES - head.len()).min(read.len());
            head.extend_from_slice(&read[..take]);
        }
        tail.extend_from_slice(read);
        if tail.len() > GLIMPSE_BYTES {
            tail.drain(..tail.len() - GLIMPSE_BYTES);
        }
    }
    let field = |name: &str| string_field(&head, name).or_else(|| string_field(&tail, name));
    let id = string_field(&head, "id")
        .map(RequestId::from)
        .or_else(|| number_field(&head, "id").map(RequestId::from))
        .or_else(|| number_field(&tail, "id").map(RequestId::from));
    Ok(Oversized {
        length,
        method: field("method"),
        id,
        uri: field("uri"),
    })
}

/// Where the value of the first `"name":` in `bytes` starts. A key's quotes are never escaped,
/// while a quote inside a JSON string always is, so text inside strings cannot match.
fn value_start(bytes: &[u8], name: &str) -> Option<usize> {
    let key = format!("\"{name}\"");
    let key = key.as_bytes();
    let mut from = 0;
    while let Some(at) = bytes[from..].windows(key.len()).position(|w| w == key) {
        let after = from + at + key.len();
        let rest = &bytes[after..];
        let colon = rest.iter().position(|b| !b.is_ascii_whitespace())?;
        if rest[colon] == b':' {
            let value = rest[colon + 1..]
                .iter()
                .position(|b| !b.is_ascii_whitespace())?;
            return Some(after + colon + 1 + value);
        }
        from = after;
    }
    None
}

/// The string value of the first `"name": "…"` in `bytes`.
fn string_field(bytes: &[u8], name: &str) -> Option<String> {
    let start = value_start(bytes, name)?;
    if bytes.get(start) != Some(&b'"') {
        return None;
    }
    let mut escaped = false;
    let end = bytes[start + 1..].iter().position(|b| {
        let closes = *b == b'"' && !escaped;
        escaped = *b == b'\\' && !escaped;
        closes
    })?;
    serde_json::from_slice(&bytes[start..start + end + 2]).ok()
}

/// The integer value of the first `"name": 123` in `bytes`.
fn number_field(bytes: &[u8], name: &str) -> Option<i32> {
    let start = value_start(bytes, name)?;
    let digits = bytes[start..]
        .iter()
        .take_while(|b| b.is_ascii_digit() || **b == b'-')
        .count();
    std::str::from_utf8(&bytes[start..start + digits])
        .ok()?
        .parse()
        .ok()
}

/// An error response without an id (the protocol's answer to a message it could not read).
fn error_without_id(code: ErrorCode, message: String) -> Response {
    Response::new_err(RequestId::from(String::new()), code as i32, message)
}

/// Reads the next frame; `Ok(None)` at the end of the stream.
pub fn read(input: &mut impl BufRead) -> io::Result<Option<Incoming>> {
    let mut length = None;
    let mut line = String::new();
    loop {
        line.clear();
        if input.read_line(&mut line)? == 0 {
            return Ok(None);
        }
        let header = line.trim_end_matches(['\r', '\n']);
        if header.is_empty() {
            if length.is_some() {
                break;
            }
            continue;
        }
        if let Some((name, value)) = header.split_once(':')
            && name.trim().eq_ignore_ascii_case("Content-Length")
        {
            length = value.trim().parse::<usize>().ok();
        }
    }
    let length = length.unwrap_or(0);
    if length > MAX_BODY_BYTES {
        return Ok(Some(Incoming::Oversized(skip_oversized(input, length)?)));
    }
    let mut body = vec![0; length];
    input.read_exact(&mut body)?;
    Ok(Some(parse(&body)))
}

/// Parses one body into a message, or the error response it deserves.
pub fn parse(body: &[u8]) -> Incoming {
    let value: serde_json::Value = match serde_json::from_slice(body) {
        Ok(value) => value,
        Err(error) => {
            return Incoming::Invalid(error_without_id(
                ErrorCode::ParseError,
                format!("the message is not JSON: {error}"),
            ));
        }
    };
    let id = value.get("id").cloned();
    // `Message` is untagged: anything with an `id` would pass as a response, so check the shape.
    let well_formed = match value.get("method") {
        Some(method) => method.is_string(),
        None => id.is_some() && (value.get("result").is_some() || value.get("error").is_some()),
    };
    let parsed = if well_formed {
        serde_json::from_value::<Message>(value).map_err(|e| e.to_string())
    } else {
        Err("it has no `method` string, and no `result` or `error`".to_owned())
    };
    match parsed {
        Ok(message) => Incoming::Message(message),
        Err(error) => {
            let id = id
                .and_then(|id| serde_json::from_value::<RequestId>(id).ok())
                .unwrap_or_else(|| RequestId::from(String::new()));
            Incoming::Invalid(Response::new_err(
                id,
                ErrorCode::InvalidRequest as i32,
                format!("not a JSON-RPC request, response or notification: {error}"),
            ))
        }
    }
}

/// Writes one message. A response without an id is written with `"id": null`, as the
/// protocol wants for errors about unreadable messages.
pub fn write(output: &mut impl Write, message: &Message) -> io::Result<()> {
    let mut value = serde_json::to_value(message)?;
    if let Some(object) = value.as_object_mut() {
        if object.get("id").and_then(serde_json::Value::as_str) == Some("") {
            object.insert("id".to_owned(), serde_json::Value::Null);
        }
        object.insert("jsonrpc".to_owned(), "2.0".into());
    }
    let body = serde_json::to_string(&value)?;
    write!(output, "Content-Length: {}\r\n\r\n{body}", body.len())?;
    output.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_bodies_become_error_responses() {
        let Incoming::Invalid(response) = parse(b"{not json") else {
            panic!("parsed")
        };
        assert_eq!(response.error.unwrap().code, ErrorCode::ParseError as i32);
        let Incoming::Invalid(response) = parse(br#"{"id": 4, "method": 7}"#) else {
            panic!("parsed")
        };
        assert_eq!(response.id, RequestId::from(4));
    }

    #[test]
    fn an_oversized_message_is_skipped_but_its_method_id_and_uri_are_seen() {
        let text = "# x\n".repeat(MAX_BODY_BYTES / 4 + 1);
        // Fields in the order serde_json writes them (the text before the uri), then the order
        // VS Code writes them (the uri first).
        for params in [
            serde_json::json!({"textDocument": {"languageId": "toml", "text": text, "uri": "file:///a.toml"}}),
            serde_json::json!({"textDocument": {"uri": "file:///a.toml", "text": text}}),
        ] {
            let body = serde_json::json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": params})
                .to_string();
            let mut framed = format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes();
            framed.extend_from_slice(b"Content-Length: 2\r\n\r\n{}");
            let mut input = std::io::Cursor::new(framed);
            let Some(Incoming::Oversized(seen)) = read(&mut input).unwrap() else {
                panic!("not skipped")
            };
            assert_eq!(seen.method.as_deref(), Some("textDocument/didOpen"));
            assert_eq!(seen.uri.as_deref(), Some("file:///a.toml"));
            assert_eq!(seen.id, None);
            assert!(matches!(
                read(&mut input).unwrap(),
                Some(Incoming::Invalid(_))
            ));
        }
        assert_eq!(
            string_field(br#"{"text": "\"uri\": \"no\"", "uri" : "yes"}"#, "uri").as_deref(),
            Some("yes")
        );
        assert_eq!(
            number_field(br#"{"id": 42, "method": "x"}"#, "id"),
            Some(42)
        );
    }

    #[test]
    fn frames_round_trip() {
        let mut out = Vec::new();
        let message = Message::Notification(lsp_server::Notification::new(
            "exit".to_owned(),
            serde_json::Value::Null,
        ));
        write(&mut out, &message).unwrap();
        let mut input = std::io::Cursor::new(out);
        assert!(matches!(
            read(&mut input).unwrap(),
            Some(Incoming::Message(Message::Notification(_)))
        ));
        assert!(read(&mut input).unwrap().is_none());
    }
}
