//! JSON-RPC framing over a byte stream: `Content-Length` headers, then a JSON body.
//!
//! `lsp-server` gives the message types; its own reader ends the connection on the first body
//! that is not JSON, but the protocol asks for an error response instead (`-32700` parse error,
//! `-32600` invalid request), so the framing is read here and a bad message costs one error
//! response, not the session.

use lsp_server::{ErrorCode, Message, RequestId, Response};
use std::io::{self, BufRead, Read as _, Write};

/// The largest message body accepted (a spec is at most 1 MiB; JSON escaping can double it).
pub const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;

/// What one frame held.
#[derive(Debug)]
pub enum Incoming {
    /// A well-formed message.
    Message(Message),
    /// A frame whose body could not be used; answer with this error response.
    Invalid(Response),
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
        io::copy(&mut input.by_ref().take(length as u64), &mut io::sink())?;
        return Ok(Some(Incoming::Invalid(error_without_id(
            ErrorCode::InvalidRequest,
            format!("message of {length} bytes is larger than the {MAX_BODY_BYTES} accepted"),
        ))));
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
