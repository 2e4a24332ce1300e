//! The server's state and its answer to each message: pure, so tests and benchmarks can drive it
//! without a process, and the stdio loop in `lib.rs` only moves bytes.

use crate::{actions, completion, definition, diagnostics, document::Document, hover, kind::Kind};
use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionProviderCapability, CompletionOptions,
    DidChangeTextDocumentParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams,
    HoverProviderCapability, InitializeResult, OneOf, PublishDiagnosticsParams, ServerCapabilities,
    ServerInfo, TextDocumentSyncCapability, TextDocumentSyncKind,
};
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::collections::HashMap;

/// What handling one message produced.
#[derive(Debug, Default)]
pub struct Step {
    /// Messages to send, in order.
    pub outgoing: Vec<Message>,
    /// Set by `exit`: the process's exit code (0 after `shutdown`, 1 without).
    pub exit: Option<i32>,
}

/// The language server: open documents and where the session stands.
#[derive(Debug, Default)]
pub struct Server {
    documents: HashMap<String, Document>,
    initialized: bool,
    shut_down: bool,
}

/// What the server can do, as `initialize` announces it.
fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(["[", "\"", ".", "="].map(str::to_owned).to_vec()),
            ..CompletionOptions::default()
        }),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX, CodeActionKind::SOURCE]),
            ..CodeActionOptions::default()
        })),
        document_formatting_provider: Some(OneOf::Left(true)),
        definition_provider: Some(OneOf::Left(true)),
        ..ServerCapabilities::default()
    }
}

fn error(id: RequestId, code: ErrorCode, message: impl Into<String>) -> Message {
    Message::Response(Response::new_err(id, code as i32, message.into()))
}

fn params<P: DeserializeOwned>(request: &Request) -> Result<P, Message> {
    serde_json::from_value(request.params.clone()).map_err(|e| {
        error(
            request.id.clone(),
            ErrorCode::InvalidParams,
            format!("invalid params for {}: {e}", request.method),
        )
    })
}

impl Server {
    /// A server before `initialize`.
    pub fn new() -> Self {
        Self::default()
    }

    /// Handles one message from the client.
    pub fn handle(&mut self, message: Message) -> Step {
        match message {
            Message::Request(request) => Step {
                outgoing: vec![self.request(&request)],
                exit: None,
            },
            Message::Notification(notification) => self.notification(notification),
            Message::Response(_) => Step::default(),
        }
    }

    fn request(&mut self, request: &Request) -> Message {
        let id = request.id.clone();
        if request.method == "initialize" {
            self.initialized = true;
            let result = InitializeResult {
                capabilities: capabilities(),
                server_info: Some(ServerInfo {
                    name: "aster-config".to_owned(),
                    version: Some(env!("CARGO_PKG_VERSION").to_owned()),
                }),
            };
            return Message::Response(Response::new_ok(id, result));
        }
        if !self.initialized {
            return error(id, ErrorCode::ServerNotInitialized, "initialize first");
        }
        if self.shut_down {
            return error(id, ErrorCode::InvalidRequest, "the server is shutting down");
        }
        let answer = match request.method.as_str() {
            "shutdown" => {
                self.shut_down = true;
                Ok(Value::Null)
            }
            "textDocument/hover" => self.hover(request),
            "textDocument/completion" => self.completion(request),
            "textDocument/codeAction" => self.code_action(request),
            "textDocument/formatting" => self.formatting(request),
            "textDocument/definition" => self.definition(request),
            other => Err(error(
                id.clone(),
                ErrorCode::MethodNotFound,
                format!("aster-config does not handle `{other}`"),
            )),
        };
        answer.map_or_else(
            |e| e,
            |value| Message::Response(Response::new_ok(id, value)),
        )
    }

    /// The open spec or fleet file at `uri`; other TOML gets no answers (`crate::kind`).
    fn document(&self, uri: &lsp_types::Uri) -> Option<&Document> {
        self.documents
            .get(uri.as_str())
            .filter(|d| d.kind != Kind::Other)
    }

    fn hover(&self, request: &Request) -> Result<Value, Message> {
        let p: lsp_types::HoverParams = params(request)?;
        let position = p.text_document_position_params;
        let found = self
            .document(&position.text_document.uri)
            .and_then(|d| hover::hover(d, position.position));
        Ok(serde_json::to_value(found).unwrap_or(Value::Null))
    }

    fn completion(&self, request: &Request) -> Result<Value, Message> {
        let p: lsp_types::CompletionParams = params(request)?;
        let position = p.text_document_position;
        let items = self
            .document(&position.text_document.uri)
            .map(|d| completion::complete(d, position.position))
            .unwrap_or_default();
        Ok(serde_json::to_value(items).unwrap_or(Value::Null))
    }

    fn code_action(&self, request: &Request) -> Result<Value, Message> {
        let p: lsp_types::CodeActionParams = params(request)?;
        let found = self
            .document(&p.text_document.uri)
            .map(|d| actions::actions(d, p.range))
            .unwrap_or_default();
        Ok(serde_json::to_value(found).unwrap_or(Value::Null))
    }

    fn formatting(&self, request: &Request) -> Result<Value, Message> {
        let p: lsp_types::DocumentFormattingParams = params(request)?;
        let edits: Vec<_> = self
            .document(&p.text_document.uri)
            .and_then(actions::format_edit)
            .into_iter()
            .collect();
        Ok(serde_json::to_value(edits).unwrap_or(Value::Null))
    }

    fn definition(&self, request: &Request) -> Result<Value, Message> {
        let p: lsp_types::GotoDefinitionParams = params(request)?;
        let position = p.text_document_position_params;
        let found = self
            .document(&position.text_document.uri)
            .and_then(|d| definition::definition(d, position.position));
        Ok(serde_json::to_value(found).unwrap_or(Value::Null))
    }

    fn notification(&mut self, notification: Notification) -> Step {
        let mut step = Step::default();
        match notification.method.as_str() {
            "exit" => step.exit = Some(i32::from(!self.shut_down)),
            "textDocument/didOpen" => {
                if let Ok(p) =
                    serde_json::from_value::<DidOpenTextDocumentParams>(notification.params)
                {
                    let uri = p.text_document.uri.as_str().to_owned();
                    step.outgoing.extend(self.open(uri, p.text_document.text));
                }
            }
            "textDocument/didChange" => {
                if let Ok(p) =
                    serde_json::from_value::<DidChangeTextDocumentParams>(notification.params)
                    && let Some(change) = p.content_changes.into_iter().last()
                {
                    let uri = p.text_document.uri.as_str().to_owned();
                    step.outgoing.extend(self.open(uri, change.text));
                }
            }
            "textDocument/didClose" => {
                if let Ok(p) =
                    serde_json::from_value::<DidCloseTextDocumentParams>(notification.params)
                {
                    self.documents.remove(p.text_document.uri.as_str());
                    step.outgoing.push(publish(PublishDiagnosticsParams {
                        uri: p.text_document.uri,
                        diagnostics: Vec::new(),
                        version: None,
                    }));
                }
            }
            _ => {}
        }
        step
    }

    /// Answers a message too large to read ([`crate::transport::Oversized`]). A document's open
    /// or change gets what a spec past the size limit gets from `check`: its state is dropped
    /// (no stale text, no stale diagnostics) and it has one `AC0103` diagnostic. Anything else
    /// gets the protocol's invalid-request error.
    pub fn oversized(&mut self, seen: &crate::transport::Oversized) -> Step {
        let document_text = matches!(
            seen.method.as_deref(),
            Some("textDocument/didOpen" | "textDocument/didChange")
        );
        let outgoing = match &seen.uri {
            Some(uri) if document_text => self
                .store(Document::too_large(uri.clone(), seen.length))
                .into_iter()
                .collect(),
            _ => vec![Message::Response(seen.error())],
        };
        Step {
            outgoing,
            exit: None,
        }
    }

    /// Checks a document's new text and returns its diagnostics notification.
    fn open(&mut self, uri: String, text: String) -> Option<Message> {
        self.store(Document::new(uri, text))
    }

    /// Keeps `document` as its URI's current version and returns its diagnostics notification.
    fn store(&mut self, document: Document) -> Option<Message> {
        let published = diagnostics::publish(&document).map(publish);
        self.documents.insert(document.uri.clone(), document);
        published
    }
}

fn publish(params: PublishDiagnosticsParams) -> Message {
    Message::Notification(Notification::new(
        "textDocument/publishDiagnostics".to_owned(),
        params,
    ))
}
