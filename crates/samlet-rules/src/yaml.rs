//! A small YAML tree that remembers where every node came from.
//!
//! We build our own tree from yaml-rust2's marked events (instead of deserialising with serde)
//! so that every structure error, and every error inside an expression, can name the file, line
//! and column.

use std::path::PathBuf;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use crate::error::{ErrorKind, LoadError};

/// 1-based position in a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    /// 1-based line.
    pub line: usize,
    /// 1-based column in characters.
    pub col: usize,
}

/// A YAML node with its start position.
#[derive(Debug, Clone)]
pub struct Node {
    pub kind: NodeKind,
    pub pos: Pos,
}

/// Node content.
#[derive(Debug, Clone)]
pub enum NodeKind {
    Scalar(String, TScalarStyle),
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

impl Node {
    /// Human name of the node kind, for "expected X, found Y" messages.
    pub fn describe(&self) -> &'static str {
        match &self.kind {
            NodeKind::Scalar(s, TScalarStyle::Plain) if s.is_empty() || s == "~" || s == "null" => {
                "an empty value"
            }
            NodeKind::Scalar(..) => "a single value",
            NodeKind::Seq(_) => "a list",
            NodeKind::Map(_) => "a mapping",
        }
    }

    /// True for `~`, `null` or an empty plain value.
    pub fn is_null(&self) -> bool {
        matches!(&self.kind, NodeKind::Scalar(s, TScalarStyle::Plain) if s.is_empty() || s == "~" || s == "null")
    }
}

/// A source file kept in memory so positions inside scalars can be mapped back to it.
#[derive(Debug, Clone)]
pub struct Source {
    pub path: PathBuf,
    pub text: String,
}

enum Frame {
    Seq(Pos, Vec<Node>),
    Map(Pos, Vec<Node>),
}

struct Builder {
    stack: Vec<Frame>,
    root: Option<Node>,
    error: Option<(Pos, String)>,
}

fn pos_of(m: &Marker) -> Pos {
    Pos {
        line: m.line(),
        col: m.col() + 1,
    }
}

impl Builder {
    fn push(&mut self, node: Node) {
        match self.stack.last_mut() {
            Some(Frame::Seq(_, items)) | Some(Frame::Map(_, items)) => items.push(node),
            None => {
                if self.root.is_none() {
                    self.root = Some(node);
                }
            }
        }
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        if self.error.is_some() {
            return;
        }
        let pos = pos_of(&mark);
        match ev {
            Event::Scalar(text, style, _, _) => self.push(Node {
                kind: NodeKind::Scalar(text, style),
                pos,
            }),
            Event::SequenceStart(..) => self.stack.push(Frame::Seq(pos, Vec::new())),
            Event::MappingStart(..) => self.stack.push(Frame::Map(pos, Vec::new())),
            Event::SequenceEnd => {
                if let Some(Frame::Seq(p, items)) = self.stack.pop() {
                    self.push(Node {
                        kind: NodeKind::Seq(items),
                        pos: p,
                    });
                }
            }
            Event::MappingEnd => {
                if let Some(Frame::Map(p, items)) = self.stack.pop() {
                    let mut pairs = Vec::with_capacity(items.len() / 2);
                    let mut it = items.into_iter();
                    while let (Some(k), Some(v)) = (it.next(), it.next()) {
                        pairs.push((k, v));
                    }
                    // The mapping-start marker of a block mapping can point past its first
                    // key; report mappings at their first key, where a reader looks.
                    let pos = pairs.first().map_or(p, |(k, _)| k.pos);
                    self.push(Node {
                        kind: NodeKind::Map(pairs),
                        pos,
                    });
                }
            }
            Event::Alias(_) => {
                self.error = Some((
                    pos,
                    "YAML anchors and aliases are not supported in rule files; write the value out"
                        .into(),
                ))
            }
            _ => {}
        }
    }
}

impl Source {
    /// Reads a file.
    pub fn read(path: PathBuf) -> Result<Source, LoadError> {
        match std::fs::read_to_string(&path) {
            Ok(text) => Ok(Source { path, text }),
            Err(source) => Err(LoadError::Io { path, source }),
        }
    }

    /// An error at a position in this file.
    pub fn err(&self, pos: Pos, kind: ErrorKind, message: impl Into<String>) -> LoadError {
        LoadError::At {
            kind,
            file: self.path.clone(),
            line: pos.line,
            column: pos.col,
            message: message.into(),
        }
    }

    /// Parses the file into a tree. An empty file gives `None`.
    pub fn parse(&self) -> Result<Option<Node>, LoadError> {
        let mut b = Builder {
            stack: Vec::new(),
            root: None,
            error: None,
        };
        let mut parser = Parser::new_from_str(&self.text);
        if let Err(e) = parser.load(&mut b, false) {
            return Err(self.err(pos_of(e.marker()), ErrorKind::Yaml, e.info().to_string()));
        }
        if let Some((pos, msg)) = b.error {
            return Err(self.err(pos, ErrorKind::Yaml, msg));
        }
        Ok(b.root)
    }

    /// Maps a byte offset inside a scalar's text back to a file position, so an expression error
    /// at column 17 of a formula points at the right spot in the file.
    pub fn locate(&self, node: &Node, offset: usize) -> Pos {
        let (text, style) = match &node.kind {
            NodeKind::Scalar(t, s) => (t.as_str(), *s),
            _ => return node.pos,
        };
        let offset = offset.min(text.len());
        let lines: Vec<&str> = self.text.lines().collect();
        match style {
            TScalarStyle::Literal | TScalarStyle::Folded => {
                // yaml-rust2 marks a block scalar at its first non-blank content line; leading
                // blank lines appear as leading newlines in the text.
                let leading = text.len() - text.trim_start_matches('\n').len();
                if offset < leading {
                    return node.pos;
                }
                let offset = offset - leading;
                let mut idx = node.pos.line.saturating_sub(1);
                let indent = node.pos.col.saturating_sub(1);
                let mut consumed = 0usize;
                while idx < lines.len() {
                    let line = lines[idx];
                    let content = line.get(indent.min(line.len())..).unwrap_or("");
                    let len = content.len();
                    if offset <= consumed + len {
                        let within = offset - consumed;
                        let chars = content.get(..within).map_or(within, |s| s.chars().count());
                        return Pos {
                            line: idx + 1,
                            col: indent + chars + 1,
                        };
                    }
                    consumed += len + 1;
                    idx += 1;
                }
                node.pos
            }
            TScalarStyle::Plain | TScalarStyle::SingleQuoted | TScalarStyle::DoubleQuoted => {
                let quote = usize::from(style != TScalarStyle::Plain);
                let first_idx = node.pos.line.saturating_sub(1);
                let first = lines.get(first_idx).copied().unwrap_or("");
                let start_byte = first
                    .char_indices()
                    .nth(node.pos.col.saturating_sub(1) + quote)
                    .map_or(first.len(), |(b, _)| b);
                let first_content = first.get(start_byte..).unwrap_or("");
                // Multi-line plain scalars are folded with single spaces; line 1 ends where
                // its trimmed content ends.
                let first_len = first_content.trim_end().len();
                if offset <= first_len {
                    let chars = text.get(..offset).map_or(offset, |s| s.chars().count());
                    return Pos {
                        line: node.pos.line,
                        col: node.pos.col + quote + chars,
                    };
                }
                let mut consumed = first_len + 1;
                let mut idx = first_idx + 1;
                while idx < lines.len() {
                    let line = lines[idx];
                    let content = line.trim_start();
                    let indent = line.len() - content.len();
                    let len = content.trim_end().len();
                    if offset <= consumed + len {
                        let within = offset - consumed;
                        let chars = content.get(..within).map_or(within, |s| s.chars().count());
                        return Pos {
                            line: idx + 1,
                            col: indent + chars + 1,
                        };
                    }
                    consumed += len + 1;
                    idx += 1;
                }
                node.pos
            }
        }
    }
}

/// Typed access to YAML nodes with positioned errors.
pub struct Reader<'a> {
    pub src: &'a Source,
}

/// The keys of a mapping, checked against an allowed list.
pub struct Fields<'n> {
    pairs: &'n [(Node, Node)],
}

impl<'n> Fields<'n> {
    /// Value of a key, if present.
    pub fn get(&self, key: &str) -> Option<&'n Node> {
        self.pairs
            .iter()
            .find(|(k, _)| matches!(&k.kind, NodeKind::Scalar(s, _) if s == key))
            .map(|(_, v)| v)
    }
}

impl<'a> Reader<'a> {
    pub fn err(&self, node: &Node, kind: ErrorKind, msg: impl Into<String>) -> LoadError {
        self.src.err(node.pos, kind, msg)
    }

    /// Expects a mapping.
    pub fn map<'n>(&self, node: &'n Node, what: &str) -> Result<&'n [(Node, Node)], LoadError> {
        match &node.kind {
            NodeKind::Map(pairs) => {
                // Duplicate keys are almost always a copy-paste mistake: reject them.
                for (i, (k, _)) in pairs.iter().enumerate() {
                    if let NodeKind::Scalar(s, _) = &k.kind {
                        if pairs[..i]
                            .iter()
                            .any(|(k2, _)| matches!(&k2.kind, NodeKind::Scalar(s2, _) if s2 == s))
                        {
                            return Err(self.err(
                                k,
                                ErrorKind::Duplicate,
                                format!("key `{s}` appears twice in {what}"),
                            ));
                        }
                    }
                }
                Ok(pairs)
            }
            _ => Err(self.err(
                node,
                ErrorKind::Structure,
                format!("expected a mapping for {what}, found {}", node.describe()),
            )),
        }
    }

    /// Expects a list.
    pub fn seq<'n>(&self, node: &'n Node, what: &str) -> Result<&'n [Node], LoadError> {
        match &node.kind {
            NodeKind::Seq(items) => Ok(items),
            _ => Err(self.err(
                node,
                ErrorKind::Structure,
                format!("expected a list for {what}, found {}", node.describe()),
            )),
        }
    }

    /// Expects a single non-empty value.
    pub fn str<'n>(&self, node: &'n Node, what: &str) -> Result<&'n str, LoadError> {
        match &node.kind {
            NodeKind::Scalar(s, _) if !node.is_null() => Ok(s.as_str()),
            _ => Err(self.err(
                node,
                ErrorKind::Structure,
                format!(
                    "expected a single value for {what}, found {}",
                    node.describe()
                ),
            )),
        }
    }

    /// Expects a mapping whose keys are all in `allowed` and which has every key in `required`.
    pub fn fields<'n>(
        &self,
        node: &'n Node,
        what: &str,
        allowed: &[&str],
        required: &[&str],
    ) -> Result<Fields<'n>, LoadError> {
        let pairs = self.map(node, what)?;
        for (k, _) in pairs {
            let key = self.str(k, "a key")?;
            if !allowed.contains(&key) {
                return Err(self.err(
                    k,
                    ErrorKind::Structure,
                    format!(
                        "unknown key `{key}` in {what}; expected one of: {}",
                        allowed.join(", ")
                    ),
                ));
            }
        }
        let f = Fields { pairs };
        for r in required {
            if f.get(r).is_none() {
                return Err(self.err(
                    node,
                    ErrorKind::Structure,
                    format!("missing key `{r}` in {what}"),
                ));
            }
        }
        Ok(f)
    }

    /// Expects a boolean.
    pub fn bool(&self, node: &Node, what: &str) -> Result<bool, LoadError> {
        match self.str(node, what)? {
            "true" | "yes" => Ok(true),
            "false" | "no" => Ok(false),
            other => Err(self.err(
                node,
                ErrorKind::Value,
                format!("expected true or false for {what}, found `{other}`"),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(text: &str) -> Source {
        Source {
            path: PathBuf::from("t.yaml"),
            text: text.to_string(),
        }
    }

    #[test]
    fn positions_are_one_based() {
        let s = src("a:\n  b: hello\n");
        let root = s.parse().unwrap().unwrap();
        let NodeKind::Map(pairs) = &root.kind else {
            panic!()
        };
        let NodeKind::Map(inner) = &pairs[0].1.kind else {
            panic!()
        };
        assert_eq!(inner[0].0.pos, Pos { line: 2, col: 3 });
        assert_eq!(inner[0].1.pos, Pos { line: 2, col: 6 });
    }

    #[test]
    fn locate_plain_and_quoted() {
        let s = src("f: a + b\ng: \"x + y\"\n");
        let root = s.parse().unwrap().unwrap();
        let NodeKind::Map(pairs) = &root.kind else {
            panic!()
        };
        assert_eq!(s.locate(&pairs[0].1, 4), Pos { line: 1, col: 8 });
        assert_eq!(s.locate(&pairs[1].1, 4), Pos { line: 2, col: 9 });
    }

    #[test]
    fn locate_literal_block() {
        let s = src("f: |\n  a +\n    b * c\n");
        let root = s.parse().unwrap().unwrap();
        let NodeKind::Map(pairs) = &root.kind else {
            panic!()
        };
        // text is "a +\n  b * c\n"; offset of 'c' is 10
        assert_eq!(s.locate(&pairs[0].1, 10), Pos { line: 3, col: 9 });
    }

    #[test]
    fn locate_multiline_plain() {
        let s = src("f: a +\n   b * c\n");
        let root = s.parse().unwrap().unwrap();
        let NodeKind::Map(pairs) = &root.kind else {
            panic!()
        };
        // text is "a + b * c"; offset of 'c' is 8
        assert_eq!(s.locate(&pairs[0].1, 8), Pos { line: 2, col: 8 });
    }

    #[test]
    fn yaml_error_has_position() {
        let s = src("a: [1, 2\nb: 3\n");
        let e = s.parse().unwrap_err();
        assert_eq!(e.kind(), Some(ErrorKind::Yaml));
        assert!(e.position().is_some());
    }
}
