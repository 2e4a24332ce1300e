//! Fleet diagnostics: the compiler's [`Diagnostic`], placed in one of the fleet's files.
//!
//! A fleet run reads many files (the fleet file, the default spec, each host's spec, the lock).
//! Every diagnostic names the file its spans point into, by its path relative to the working
//! directory, and the hosts it concerns — a problem in the shared default is reported once, for
//! all the hosts that inherit it.

use aster_compiler::{Code, Diagnostic, SourceFile};

/// Every file a fleet run read, by index. Names are paths relative to the working directory.
#[derive(Debug, Clone, Default)]
pub struct Files {
    files: Vec<SourceFile>,
}

impl Files {
    /// Adds a file and returns its index (a file already present keeps its index).
    pub fn add(&mut self, name: String, text: String) -> usize {
        if let Some(index) = self.files.iter().position(|f| f.name == name) {
            return index;
        }
        self.files.push(SourceFile { name, text });
        self.files.len() - 1
    }

    /// How many files there are.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// True when no file was read.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Forgets the files added after the first `len` (a read that is done again another way).
    pub fn truncate(&mut self, len: usize) {
        self.files.truncate(len);
    }

    /// The file at `index`.
    pub fn get(&self, index: usize) -> &SourceFile {
        &self.files[index]
    }

    /// 1-based line and column of byte `offset` in file `index`.
    pub fn line_column(&self, index: usize, offset: usize) -> (usize, usize) {
        aster_compiler::diagnostic::line_column(&self.files[index].text, offset)
    }
}

/// One problem of a fleet run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FleetDiagnostic {
    /// The file the diagnostic's spans point into (`None`: about the command line or the fleet
    /// as a whole).
    pub file: Option<usize>,
    /// The hosts it concerns, in fleet order (empty: the fleet as a whole).
    pub hosts: Vec<String>,
    /// The diagnostic; its spans are byte ranges of `file`.
    pub diagnostic: Diagnostic,
}

impl FleetDiagnostic {
    /// True when it is an error (not a warning).
    pub fn is_error(&self) -> bool {
        self.diagnostic.severity == aster_compiler::Severity::Error
    }

    /// A diagnostic in `file`, not tied to a host.
    pub fn in_file(file: usize, diagnostic: Diagnostic) -> Self {
        Self {
            file: Some(file),
            hosts: Vec::new(),
            diagnostic,
        }
    }

    /// A diagnostic without a place in a file (the command line, a missing lock).
    pub fn general(diagnostic: Diagnostic) -> Self {
        Self {
            file: None,
            hosts: Vec::new(),
            diagnostic,
        }
    }
}

/// Every diagnostic of a run, in the order found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// The diagnostics.
    pub diagnostics: Vec<FleetDiagnostic>,
}

impl Report {
    /// Records one diagnostic; the same problem found for another host is merged into it.
    pub fn push(&mut self, new: FleetDiagnostic) {
        if let Some(same) = self
            .diagnostics
            .iter_mut()
            .find(|d| d.file == new.file && d.diagnostic == new.diagnostic)
        {
            for host in new.hosts {
                if !same.hosts.contains(&host) {
                    same.hosts.push(host);
                }
            }
            return;
        }
        self.diagnostics.push(new);
    }

    /// True when any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(FleetDiagnostic::is_error)
    }

    /// The codes reported, in order (for tests and summaries).
    pub fn codes(&self) -> Vec<Code> {
        self.diagnostics.iter().map(|d| d.diagnostic.code).collect()
    }

    /// Number of errors.
    pub fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    /// Number of warnings.
    pub fn warning_count(&self) -> usize {
        self.diagnostics.len() - self.error_count()
    }
}
