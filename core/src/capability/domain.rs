//! Network domain allowlist for `wx.request`, `wx.uploadFile`, `wx.downloadFile` and
//! `wx.connectSocket`.
//!
//! A host policy gives one list of allowed domains per kind of network call ([`UrlKind`]).
//! [`Allowlist::new`] validates and normalises those entries once; [`check`] then decides for one
//! URL whether the mini program may contact it, and on success returns the normalised URL that
//! the caller **must** use for the actual connection (never the raw input).
//!
//! # Contract
//!
//! A URL is allowed only if all of the following hold; otherwise [`check`] returns the first
//! [`UrlDenied`] reason found, in this order:
//!
//! 1. It is non-empty and contains no whitespace, control characters (C0, DEL, C1) or invisible
//!    Unicode format characters (zero-width and bidi controls).
//! 2. It is an absolute URL that the WHATWG parser (`url` crate) accepts.
//! 3. Its scheme is `https` (request, upload, download) or `wss` (socket). With
//!    [`CheckOptions::allow_insecure`], `http` / `ws` are accepted as well.
//! 4. It is written as `scheme://authority…`, and the authority (up to the first `/`, `?` or
//!    `#`) contains no backslash, no user info (no `@` at all, even an empty one), no
//!    percent-encoding and no empty port (`host:`).
//! 5. The host is not `api.weixin.qq.com`, which WeChat forbids even when listed.
//! 6. The host is not an IP literal (IPv4 in any form the WHATWG parser or a resolver accepts:
//!    dotted, decimal, octal, hex, short; any IPv6) and not `localhost` / `*.localhost`. With
//!    `allow_insecure`, such hosts are allowed on any port *without* being listed.
//! 7. The host, lower-cased, IDNA-mapped to ASCII (punycode) and with one trailing dot removed,
//!    equals the host of an entry for that kind. There is no wildcard, suffix or parent-domain
//!    matching.
//! 8. The port rule of a matching entry holds:
//!    * entry with a port: the URL's effective port (explicit or scheme default) equals it;
//!    * `https` entry without a port: the URL carries **no** explicit port, not even `:443`;
//!    * `wss` entry without a port: any port.
//!
//! The fragment (`#…`) is allowed and kept; paths and queries are unrestricted.
//!
//! # Allowlist entries
//!
//! An entry is `host` or `host:port`, optionally prefixed by the kind's own scheme
//! (`https://` for request/upload/download, `wss://` for socket), e.g. `api.example.com`,
//! `https://api.example.com:8443`, `wss://chat.example.com`. The host must be a DNS name of at
//! least two labels (Unicode names are converted to punycode). IP literals, `localhost`,
//! wildcards, paths, queries, fragments, user info and ports outside `1..=65535` are rejected
//! with an [`AllowlistError`] naming the entry.

use std::collections::HashMap;
use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

use url::{Host, ParseError, Url};

/// The domain WeChat never lets a mini program contact directly (it would leak the app secret).
const FORBIDDEN_DOMAIN: &str = "api.weixin.qq.com";

/// Maximum length of a DNS name in presentation form, without the trailing dot.
const MAX_DOMAIN_LEN: usize = 253;

/// Maximum length of one DNS label.
const MAX_LABEL_LEN: usize = 63;

/// The kind of network call a URL is checked for; each kind has its own domain list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UrlKind {
    /// `wx.request` (the `request` domain list, `https`).
    Request,
    /// `wx.uploadFile` (the `uploadFile` domain list, `https`).
    Upload,
    /// `wx.downloadFile` (the `downloadFile` domain list, `https`).
    Download,
    /// `wx.connectSocket` (the `socket` domain list, `wss`).
    Socket,
}

impl UrlKind {
    /// The `wx` API name for this kind, suitable as an `errMsg` prefix (`"request:fail …"`).
    #[must_use]
    pub fn api_name(self) -> &'static str {
        match self {
            UrlKind::Request => "request",
            UrlKind::Upload => "uploadFile",
            UrlKind::Download => "downloadFile",
            UrlKind::Socket => "connectSocket",
        }
    }

    /// The scheme required in production: `"https"`, or `"wss"` for sockets.
    #[must_use]
    pub fn secure_scheme(self) -> &'static str {
        match self {
            UrlKind::Socket => "wss",
            UrlKind::Request | UrlKind::Upload | UrlKind::Download => "https",
        }
    }

    /// The scheme additionally accepted with [`CheckOptions::allow_insecure`]: `"http"`, or
    /// `"ws"` for sockets.
    #[must_use]
    pub fn insecure_scheme(self) -> &'static str {
        match self {
            UrlKind::Socket => "ws",
            UrlKind::Request | UrlKind::Upload | UrlKind::Download => "http",
        }
    }
}

impl fmt::Display for UrlKind {
    /// Writes the name of the kind's domain list: `request`, `uploadFile`, `downloadFile` or
    /// `socket`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            UrlKind::Request => "request",
            UrlKind::Upload => "uploadFile",
            UrlKind::Download => "downloadFile",
            UrlKind::Socket => "socket",
        })
    }
}

/// Why an allowlist entry was rejected by [`Allowlist::new`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EntryProblem {
    /// The entry is the empty string.
    #[error("entry is empty")]
    Empty,
    /// The entry contains whitespace, control or invisible format characters.
    #[error("entry contains whitespace or control characters")]
    IllegalCharacter,
    /// The entry has a scheme other than the kind's secure scheme.
    #[error("only the {expected}:// scheme is allowed")]
    WrongScheme {
        /// The only scheme accepted for this list (`"https"` or `"wss"`).
        expected: &'static str,
    },
    /// The entry has a path, query, fragment, user info or backslash.
    #[error("entry must be a domain with an optional port, without path, query or user info")]
    NotBareDomain,
    /// The entry uses a wildcard (`*.example.com`) or a leading dot (`.example.com`).
    #[error("wildcard and parent-domain entries are not supported")]
    Wildcard,
    /// The port is not an integer in `1..=65535`.
    #[error("port must be an integer from 1 to 65535")]
    InvalidPort,
    /// The host is an IPv4 or IPv6 literal.
    #[error("ip addresses are not allowed")]
    IpAddress,
    /// The host is `localhost` or a subdomain of it.
    #[error("localhost is not allowed")]
    Localhost,
    /// The host is not a valid DNS name; the text says why.
    #[error("invalid domain name: {0}")]
    InvalidDomain(&'static str),
}

/// Error returned by [`Allowlist::new`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AllowlistError {
    /// One entry of one list is invalid.
    #[error("invalid {kind} domain entry {entry:?}: {problem}")]
    InvalidEntry {
        /// The list the entry came from.
        kind: UrlKind,
        /// The entry exactly as given.
        entry: String,
        /// What is wrong with it.
        #[source]
        problem: EntryProblem,
    },
}

/// Why [`check`] refused a URL.
///
/// `Display` gives a WeChat-style reason meant to follow `"<api>:fail "` in an `errMsg`, e.g.
/// `request:fail url not in domain list`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UrlDenied {
    /// The URL is the empty string.
    #[error("invalid url: url is empty")]
    Empty,
    /// The URL contains whitespace, control characters or invisible format characters.
    #[error("invalid url: url contains whitespace or control characters")]
    IllegalCharacter,
    /// The URL is relative (no scheme).
    #[error("invalid url: url must be absolute")]
    Relative,
    /// The URL cannot be parsed, or is not written as `scheme://authority…`; the text says why.
    #[error("invalid url: {0}")]
    Malformed(String),
    /// The URL's authority contains a backslash (parsers disagree on where such a host ends).
    #[error("invalid url: backslash in url host")]
    BackslashInAuthority,
    /// The scheme is not the one required for this kind.
    #[error("{expected} is required")]
    SchemeNotAllowed {
        /// The scheme required in production (`"https"` or `"wss"`).
        expected: &'static str,
    },
    /// The URL carries user info (`user@`, `user:pass@`, or even a bare `@`).
    #[error("url must not contain user info")]
    UserInfo,
    /// The host is `api.weixin.qq.com`, which WeChat forbids even when listed.
    #[error("domain {FORBIDDEN_DOMAIN} is forbidden")]
    ForbiddenDomain,
    /// The host is an IP literal (only allowed with `allow_insecure`).
    #[error("ip address is not allowed")]
    IpAddress,
    /// The host is `localhost` or `*.localhost` (only allowed with `allow_insecure`).
    #[error("localhost is not allowed")]
    Localhost,
    /// No entry of this kind's list has this host.
    #[error("url not in domain list")]
    NotInDomainList,
    /// The host is listed, but no entry for it allows the URL's port.
    #[error("url port not in domain list")]
    PortNotAllowed,
}

/// Options for [`check`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CheckOptions {
    /// Development switch (like the devtools' `urlCheck: false`, but narrower): also accept
    /// `http` / `ws`, and accept IP literals and `localhost` hosts on any port without listing.
    /// Other hosts must still be listed, and `api.weixin.qq.com` stays forbidden.
    pub allow_insecure: bool,
}

/// A URL that passed [`check`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedUrl {
    /// The normalised URL (WHATWG serialisation, lower-case punycode host, trailing dot
    /// removed). Connect to this, not to the input.
    pub url: String,
    /// The normalised host as it appears in `url` (IPv6 literals keep their brackets).
    pub host: String,
    /// The explicit port, or `None` when the URL uses the scheme's default port.
    pub port: Option<u16>,
}

/// Port rule of all entries sharing one host within one list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct PortRule {
    /// Some entry for this host has no port.
    portless: bool,
    /// Ports named by entries for this host.
    ports: Vec<u16>,
}

/// Validated, normalised domain lists, one per [`UrlKind`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Allowlist {
    /// Keys are normalised hosts (lower-case ASCII, no trailing dot).
    request: HashMap<String, PortRule>,
    upload: HashMap<String, PortRule>,
    download: HashMap<String, PortRule>,
    socket: HashMap<String, PortRule>,
}

impl Allowlist {
    /// Builds an allowlist from the host policy's four domain lists.
    ///
    /// Entries look like `api.example.com`, `api.example.com:8443`, `https://api.example.com`
    /// or, for sockets, `wss.example.com` / `wss://wss.example.com`. Hosts are normalised the
    /// same way as URL hosts (case, IDNA, one trailing dot). Duplicates are harmless.
    ///
    /// # Errors
    ///
    /// [`AllowlistError::InvalidEntry`] for the first invalid entry, naming its list, the entry
    /// and the problem.
    pub fn new(
        request: &[String],
        upload: &[String],
        download: &[String],
        socket: &[String],
    ) -> Result<Allowlist, AllowlistError> {
        let mut allowlist = Allowlist::default();
        let inputs = [
            (UrlKind::Request, request),
            (UrlKind::Upload, upload),
            (UrlKind::Download, download),
            (UrlKind::Socket, socket),
        ];
        for (kind, entries) in inputs {
            for entry in entries {
                let (host, port) = parse_entry(kind, entry).map_err(|problem| {
                    AllowlistError::InvalidEntry { kind, entry: entry.clone(), problem }
                })?;
                let rule = allowlist.list_mut(kind).entry(host).or_default();
                match port {
                    None => rule.portless = true,
                    Some(port) if !rule.ports.contains(&port) => rule.ports.push(port),
                    Some(_) => {}
                }
            }
        }
        Ok(allowlist)
    }

    /// Returns `true` if no list has any entry (every non-dev URL is then denied).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        [&self.request, &self.upload, &self.download, &self.socket].iter().all(|l| l.is_empty())
    }

    /// Same as [`check`]`(self, kind, url, opts)`.
    ///
    /// # Errors
    ///
    /// The [`UrlDenied`] reason if the URL may not be contacted.
    pub fn check(
        &self,
        kind: UrlKind,
        url: &str,
        opts: &CheckOptions,
    ) -> Result<CheckedUrl, UrlDenied> {
        check(self, kind, url, opts)
    }

    fn rule(&self, kind: UrlKind, host: &str) -> Option<&PortRule> {
        let list = match kind {
            UrlKind::Request => &self.request,
            UrlKind::Upload => &self.upload,
            UrlKind::Download => &self.download,
            UrlKind::Socket => &self.socket,
        };
        list.get(host)
    }

    fn list_mut(&mut self, kind: UrlKind) -> &mut HashMap<String, PortRule> {
        match kind {
            UrlKind::Request => &mut self.request,
            UrlKind::Upload => &mut self.upload,
            UrlKind::Download => &mut self.download,
            UrlKind::Socket => &mut self.socket,
        }
    }
}

/// What kind of host a URL names, after normalisation.
enum HostClass {
    Ip,
    Localhost,
    Domain,
}

/// Decides whether a mini program may contact `url` with a call of `kind` (see the module docs
/// for the exact rules).
///
/// # Errors
///
/// The first [`UrlDenied`] reason found, in the order given in the module docs.
pub fn check(
    list: &Allowlist,
    kind: UrlKind,
    url: &str,
    opts: &CheckOptions,
) -> Result<CheckedUrl, UrlDenied> {
    if url.is_empty() {
        return Err(UrlDenied::Empty);
    }
    if url.chars().any(is_illegal_char) {
        return Err(UrlDenied::IllegalCharacter);
    }
    let mut parsed = Url::parse(url).map_err(|err| match err {
        ParseError::RelativeUrlWithoutBase => UrlDenied::Relative,
        other => UrlDenied::Malformed(other.to_string()),
    })?;

    let scheme = parsed.scheme();
    let scheme_ok =
        scheme == kind.secure_scheme() || (opts.allow_insecure && scheme == kind.insecure_scheme());
    if !scheme_ok {
        return Err(UrlDenied::SchemeNotAllowed { expected: kind.secure_scheme() });
    }

    // The WHATWG parser repairs and hides several things (missing or extra slashes, empty
    // user info, default and empty ports, backslashes, percent-encoded hosts), so the rules
    // about the authority are enforced on the raw input.
    let authority = raw_authority(url, scheme).ok_or_else(|| {
        UrlDenied::Malformed(format!("expected \"{scheme}://\" followed by a host"))
    })?;
    if authority.contains('\\') {
        return Err(UrlDenied::BackslashInAuthority);
    }
    if authority.contains('@') || !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(UrlDenied::UserInfo);
    }
    if authority.contains('%') {
        return Err(UrlDenied::Malformed("percent-encoding in url host".to_owned()));
    }
    let explicit_port = has_explicit_port(authority)?;
    let effective_port = parsed
        .port_or_known_default()
        .ok_or_else(|| UrlDenied::Malformed("url has no port".to_owned()))?;

    let (host, class, strip_dot) = match parsed.host() {
        None => return Err(UrlDenied::Malformed("url has no host".to_owned())),
        Some(Host::Ipv4(_)) | Some(Host::Ipv6(_)) => (String::new(), HostClass::Ip, false),
        Some(Host::Domain(domain)) => {
            let (name, stripped) = match domain.strip_suffix('.') {
                Some(name) => (name, true),
                None => (domain, false),
            };
            if name.is_empty() {
                return Err(UrlDenied::Malformed("url has an empty host".to_owned()));
            }
            let class = if looks_like_ip(name) {
                HostClass::Ip
            } else if is_localhost(name) {
                HostClass::Localhost
            } else {
                HostClass::Domain
            };
            (name.to_owned(), class, stripped)
        }
    };

    if host == FORBIDDEN_DOMAIN {
        return Err(UrlDenied::ForbiddenDomain);
    }
    match class {
        HostClass::Ip if !opts.allow_insecure => return Err(UrlDenied::IpAddress),
        HostClass::Localhost if !opts.allow_insecure => return Err(UrlDenied::Localhost),
        HostClass::Ip | HostClass::Localhost => {}
        HostClass::Domain => {
            let rule = list.rule(kind, &host).ok_or(UrlDenied::NotInDomainList)?;
            let port_ok = rule.ports.contains(&effective_port)
                || (rule.portless && (kind == UrlKind::Socket || !explicit_port));
            if !port_ok {
                return Err(UrlDenied::PortNotAllowed);
            }
        }
    }

    if strip_dot {
        parsed.set_host(Some(&host)).map_err(|err| UrlDenied::Malformed(err.to_string()))?;
    }
    let host = parsed
        .host_str()
        .ok_or_else(|| UrlDenied::Malformed("url has no host".to_owned()))?
        .to_owned();
    Ok(CheckedUrl { port: parsed.port(), host, url: String::from(parsed) })
}

/// Whitespace, control characters, and invisible format characters that can disguise a URL.
fn is_illegal_char(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{034F}'
                | '\u{061C}'
                | '\u{115F}'
                | '\u{1160}'
                | '\u{17B4}'
                | '\u{17B5}'
                | '\u{180B}'..='\u{180F}'
                | '\u{200B}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{206F}'
                | '\u{3164}'
                | '\u{FE00}'..='\u{FE0F}'
                | '\u{FEFF}'
                | '\u{FFA0}'
                | '\u{FFF0}'..='\u{FFFB}'
        )
}

/// The raw authority of `url`: the text between `scheme://` and the first `/`, `?` or `#`.
/// `None` if the input does not start with `scheme://` or the authority is empty.
fn raw_authority<'a>(url: &'a str, scheme: &str) -> Option<&'a str> {
    let prefix = url.get(..scheme.len())?;
    if !prefix.eq_ignore_ascii_case(scheme) {
        return None;
    }
    let rest = url.get(scheme.len()..)?.strip_prefix("://")?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = rest.get(..end)?;
    (!authority.is_empty()).then_some(authority)
}

/// Whether a raw `host[:port]` authority (already free of user info) names a port explicitly.
fn has_explicit_port(authority: &str) -> Result<bool, UrlDenied> {
    let after_host = match authority.strip_prefix('[') {
        Some(rest) => {
            let close = rest
                .find(']')
                .ok_or_else(|| UrlDenied::Malformed("unterminated ipv6 address".to_owned()))?;
            rest.get(close + 1..).unwrap_or("")
        }
        None => authority.rfind(':').and_then(|i| authority.get(i..)).unwrap_or(""),
    };
    if after_host.is_empty() {
        return Ok(false);
    }
    match after_host.strip_prefix(':') {
        Some(port) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => Ok(true),
        Some(_) => Err(UrlDenied::Malformed("invalid port number".to_owned())),
        None => Err(UrlDenied::Malformed("invalid url host".to_owned())),
    }
}

/// Whether a normalised domain (no trailing dot) would be taken as an IP address by a WHATWG
/// parser or an OS resolver: it parses as `std::net` IPv4/IPv6, or its last label is a number
/// (decimal digits, or `0x` followed by hex digits), which is the WHATWG "ends in a number"
/// test. The `url` crate already turns such hosts into IP hosts or rejects them; this is a
/// second line of defence.
fn looks_like_ip(name: &str) -> bool {
    if name.parse::<Ipv4Addr>().is_ok() || name.parse::<Ipv6Addr>().is_ok() {
        return true;
    }
    let last = name.rsplit('.').next().unwrap_or(name);
    if !last.is_empty() && last.bytes().all(|b| b.is_ascii_digit()) {
        return true;
    }
    match last.strip_prefix("0x").or_else(|| last.strip_prefix("0X")) {
        Some(hex) => hex.bytes().all(|b| b.is_ascii_hexdigit()),
        None => false,
    }
}

/// `localhost` or any name under it (RFC 6761), on a normalised name without trailing dot.
fn is_localhost(name: &str) -> bool {
    name == "localhost" || name.ends_with(".localhost")
}

/// Validates one allowlist entry and returns its normalised host and optional port.
fn parse_entry(kind: UrlKind, entry: &str) -> Result<(String, Option<u16>), EntryProblem> {
    if entry.is_empty() {
        return Err(EntryProblem::Empty);
    }
    if entry.chars().any(is_illegal_char) {
        return Err(EntryProblem::IllegalCharacter);
    }
    let expected = kind.secure_scheme();
    let authority = match entry.find("://") {
        Some(i) => {
            let scheme = entry.get(..i).unwrap_or("");
            if !scheme.eq_ignore_ascii_case(expected) {
                return Err(EntryProblem::WrongScheme { expected });
            }
            entry.get(i + 3..).unwrap_or("")
        }
        None => entry,
    };
    if authority.is_empty() {
        return Err(EntryProblem::Empty);
    }
    if authority.contains(['/', '?', '#', '@', '\\']) {
        return Err(EntryProblem::NotBareDomain);
    }
    if authority.contains('*') || authority.starts_with('.') {
        return Err(EntryProblem::Wildcard);
    }
    if authority.starts_with('[') {
        return Err(EntryProblem::IpAddress);
    }
    if authority.contains('%') {
        return Err(EntryProblem::InvalidDomain("percent-encoding is not allowed"));
    }
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) => (host, Some(parse_entry_port(port)?)),
        None => (authority, None),
    };
    if host.is_empty() {
        return Err(EntryProblem::InvalidDomain("host is empty"));
    }
    if host.contains(':') {
        return Err(EntryProblem::InvalidPort);
    }

    // Normalise exactly as URL hosts are normalised, so that matching is a string comparison.
    let parsed = Url::parse(&format!("https://{host}/"))
        .map_err(|_| EntryProblem::InvalidDomain("not a valid host name"))?;
    if parsed.port().is_some() || parsed.path() != "/" || parsed.query().is_some() {
        return Err(EntryProblem::InvalidDomain("not a valid host name"));
    }
    let domain = match parsed.host() {
        Some(Host::Domain(domain)) => domain,
        Some(Host::Ipv4(_)) | Some(Host::Ipv6(_)) => return Err(EntryProblem::IpAddress),
        None => return Err(EntryProblem::InvalidDomain("host is empty")),
    };
    let name = domain.strip_suffix('.').unwrap_or(domain);
    if looks_like_ip(name) {
        return Err(EntryProblem::IpAddress);
    }
    if is_localhost(name) {
        return Err(EntryProblem::Localhost);
    }
    validate_dns_name(name)?;
    Ok((name.to_owned(), port))
}

/// Parses the port of an entry: ASCII digits only, `1..=65535`.
fn parse_entry_port(port: &str) -> Result<u16, EntryProblem> {
    if port.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()) {
        return Err(EntryProblem::InvalidPort);
    }
    match port.parse::<u16>() {
        Ok(0) | Err(_) => Err(EntryProblem::InvalidPort),
        Ok(port) => Ok(port),
    }
}

/// Checks that an ASCII (post-IDNA) name is a DNS host name of at least two LDH labels.
fn validate_dns_name(name: &str) -> Result<(), EntryProblem> {
    if name.len() > MAX_DOMAIN_LEN {
        return Err(EntryProblem::InvalidDomain("name is longer than 253 characters"));
    }
    let mut labels = 0usize;
    for label in name.split('.') {
        labels += 1;
        if label.is_empty() {
            return Err(EntryProblem::InvalidDomain("empty label"));
        }
        if label.len() > MAX_LABEL_LEN {
            return Err(EntryProblem::InvalidDomain("label is longer than 63 characters"));
        }
        if !label.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
            return Err(EntryProblem::InvalidDomain(
                "labels may only contain letters, digits and hyphens",
            ));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err(EntryProblem::InvalidDomain("label starts or ends with a hyphen"));
        }
    }
    if labels < 2 {
        return Err(EntryProblem::InvalidDomain("a registered domain needs at least two labels"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use UrlKind::{Download as D, Request as R, Socket as S, Upload as U};

    const SECURE: bool = false;
    const DEV: bool = true;

    /// Short, exhaustive name of a denial, so the tables stay readable.
    fn tag(denied: &UrlDenied) -> &'static str {
        match denied {
            UrlDenied::Empty => "empty",
            UrlDenied::IllegalCharacter => "illegal-char",
            UrlDenied::Relative => "relative",
            UrlDenied::Malformed(_) => "malformed",
            UrlDenied::BackslashInAuthority => "backslash",
            UrlDenied::SchemeNotAllowed { .. } => "scheme",
            UrlDenied::UserInfo => "userinfo",
            UrlDenied::ForbiddenDomain => "forbidden",
            UrlDenied::IpAddress => "ip",
            UrlDenied::Localhost => "localhost",
            UrlDenied::NotInDomainList => "not-listed",
            UrlDenied::PortNotAllowed => "port",
        }
    }

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    fn policy() -> Allowlist {
        let built = Allowlist::new(
            &strings(&[
                "api.example.com",
                "pay.example.com:8443",
                "https://cdn.example.com",
                "HTTPS://Mixed.Example.COM.",
                "例子.测试",
                "xn--bcher-kva.example",
                "both.example.com",
                "both.example.com:8443",
                "port443.example.com:443",
                "api.weixin.qq.com",
            ]),
            &strings(&["upload.example.com"]),
            &strings(&["dl.example.com:9443"]),
            &strings(&["wss.example.com", "wss://chat.example.com", "fixed.example.com:9000"]),
        );
        match built {
            Ok(list) => list,
            Err(err) => panic!("test policy must be valid: {err}"),
        }
    }

    /// `(kind, allow_insecure, url, normalised url, port)` that must be allowed.
    #[rustfmt::skip]
    const ALLOWED: &[(UrlKind, bool, &str, &str, Option<u16>)] = &[
        // Plain matches, paths, queries, fragments.
        (R, SECURE, "https://api.example.com", "https://api.example.com/", None),
        (R, SECURE, "https://api.example.com/", "https://api.example.com/", None),
        (R, SECURE, "https://api.example.com/v1/x?a=1&b=%20",
            "https://api.example.com/v1/x?a=1&b=%20", None),
        (R, SECURE, "https://api.example.com/p#frag", "https://api.example.com/p#frag", None),
        (R, SECURE, "https://api.example.com?q", "https://api.example.com/?q", None),
        (R, SECURE, "https://api.example.com#f", "https://api.example.com/#f", None),
        (R, SECURE, "https://api.example.com/a\\b", "https://api.example.com/a/b", None),
        (R, SECURE, "https://api.example.com/@evil.com", "https://api.example.com/@evil.com", None),
        (R, SECURE, "https://api.example.com/?next=https://evil.com@x",
            "https://api.example.com/?next=https://evil.com@x", None),
        // Case and trailing-dot normalisation.
        (R, SECURE, "HTTPS://API.EXAMPLE.COM/Path", "https://api.example.com/Path", None),
        (R, SECURE, "https://API.Example.com./x", "https://api.example.com/x", None),
        (R, SECURE, "https://api.example.com.", "https://api.example.com/", None),
        (R, SECURE, "https://mixed.example.com/", "https://mixed.example.com/", None),
        (R, SECURE, "https://cdn.example.com/a.png", "https://cdn.example.com/a.png", None),
        // IDNA: Unicode and punycode spellings match each other; full-width dots are dots.
        (R, SECURE, "https://例子.测试/", "https://xn--fsqu00a.xn--0zwm56d/", None),
        (R, SECURE, "https://xn--fsqu00a.xn--0zwm56d/", "https://xn--fsqu00a.xn--0zwm56d/",
            None),
        (R, SECURE, "https://BÜCHER.example/", "https://xn--bcher-kva.example/", None),
        (R, SECURE, "https://api．example．com/", "https://api.example.com/", None),
        // Entries with ports.
        (R, SECURE, "https://pay.example.com:8443/", "https://pay.example.com:8443/", Some(8443)),
        (R, SECURE, "https://PAY.example.com.:8443/x", "https://pay.example.com:8443/x",
            Some(8443)),
        (R, SECURE, "https://pay.example.com:08443/", "https://pay.example.com:8443/", Some(8443)),
        (R, SECURE, "https://both.example.com/", "https://both.example.com/", None),
        (R, SECURE, "https://both.example.com:8443/", "https://both.example.com:8443/", Some(8443)),
        (R, SECURE, "https://port443.example.com/", "https://port443.example.com/", None),
        (R, SECURE, "https://port443.example.com:443/", "https://port443.example.com/", None),
        // Other https kinds use their own lists.
        (U, SECURE, "https://upload.example.com/up", "https://upload.example.com/up", None),
        (D, SECURE, "https://dl.example.com:9443/f.zip", "https://dl.example.com:9443/f.zip",
            Some(9443)),
        // Sockets: any port on a portless entry; an entry's own port is enforced.
        (S, SECURE, "wss://wss.example.com", "wss://wss.example.com/", None),
        (S, SECURE, "wss://wss.example.com:8080/ws", "wss://wss.example.com:8080/ws", Some(8080)),
        (S, SECURE, "wss://wss.example.com:443/", "wss://wss.example.com/", None),
        (S, SECURE, "wss://WSS.example.com.:1/", "wss://wss.example.com:1/", Some(1)),
        (S, SECURE, "wss://chat.example.com:65535/", "wss://chat.example.com:65535/", Some(65535)),
        (S, SECURE, "WSS://chat.example.com/room?id=1", "wss://chat.example.com/room?id=1", None),
        (S, SECURE, "wss://fixed.example.com:9000/", "wss://fixed.example.com:9000/", Some(9000)),
        // allow_insecure: http/ws, plus IP literals and localhost on any port without listing.
        (R, DEV, "http://127.0.0.1:8080", "http://127.0.0.1:8080/", Some(8080)),
        (R, DEV, "http://127.0.0.1:8080/api?x=1", "http://127.0.0.1:8080/api?x=1", Some(8080)),
        (R, DEV, "https://127.0.0.1/", "https://127.0.0.1/", None),
        (R, DEV, "http://2130706433:3000/", "http://127.0.0.1:3000/", Some(3000)),
        (R, DEV, "http://192.168.1.20/", "http://192.168.1.20/", None),
        (R, DEV, "http://[::1]:8080/", "http://[::1]:8080/", Some(8080)),
        (R, DEV, "http://localhost:3000/", "http://localhost:3000/", Some(3000)),
        (R, DEV, "http://LOCALHOST.:3000/", "http://localhost:3000/", Some(3000)),
        (R, DEV, "http://app.localhost/", "http://app.localhost/", None),
        (U, DEV, "http://localhost:9000/upload", "http://localhost:9000/upload", Some(9000)),
        (D, DEV, "http://10.0.0.2:8000/f", "http://10.0.0.2:8000/f", Some(8000)),
        (S, DEV, "ws://127.0.0.1:9001/", "ws://127.0.0.1:9001/", Some(9001)),
        (S, DEV, "ws://localhost/", "ws://localhost/", None),
        // allow_insecure: listed domains over http/ws, same port rules.
        (R, DEV, "http://api.example.com/", "http://api.example.com/", None),
        (R, DEV, "https://api.example.com/", "https://api.example.com/", None),
        (R, DEV, "http://pay.example.com:8443/", "http://pay.example.com:8443/", Some(8443)),
        (S, DEV, "ws://wss.example.com:8080/", "ws://wss.example.com:8080/", Some(8080)),
    ];

    /// `(kind, allow_insecure, url, expected denial tag)`.
    #[rustfmt::skip]
    const DENIED: &[(UrlKind, bool, &str, &str)] = &[
        // Empty, relative, malformed.
        (R, SECURE, "", "empty"),
        (R, SECURE, "/api", "relative"),
        (R, SECURE, "api.example.com", "relative"),
        (R, SECURE, "api.example.com/x", "relative"),
        (R, SECURE, "//api.example.com/", "relative"),
        (R, SECURE, "?q=1", "relative"),
        (R, SECURE, "https://", "malformed"),
        (R, SECURE, "https:", "malformed"),
        (R, SECURE, "https:api.example.com", "malformed"),
        (R, SECURE, "https:/api.example.com", "malformed"),
        (R, SECURE, "https:///api.example.com", "malformed"),
        (R, SECURE, "https:////api.example.com", "malformed"),
        (R, SECURE, "https:\\\\api.example.com/", "malformed"),
        (R, SECURE, "https:/\\api.example.com/", "malformed"),
        (R, SECURE, "https://api.example.com:/", "malformed"),
        (R, SECURE, "https://api.example.com:8443:8443/", "malformed"),
        (R, SECURE, "https://api.example.com:99999/", "malformed"),
        (R, SECURE, "https://api.example.com:-1/", "malformed"),
        (R, SECURE, "https://api.example.com:+443/", "malformed"),
        (R, SECURE, "https://api.example.com:0x1bb/", "malformed"),
        (R, SECURE, "https://api.example.com：8443/", "malformed"),
        (R, SECURE, "https://api%2eexample.com/", "malformed"),
        (R, SECURE, "https://%61pi.example.com/", "malformed"),
        (R, SECURE, "https://%31%32%37.0.0.1/", "malformed"),
        (R, SECURE, "https://api.exa<mple.com/", "malformed"),
        (R, SECURE, "https://xn--/", "malformed"),
        (R, SECURE, "https://[::1/", "malformed"),
        (R, SECURE, "https://[fe80::1%25eth0]/", "malformed"),
        (R, SECURE, "https://256.256.256.256/", "malformed"),
        (R, SECURE, "https://1.2.3.4.5/", "malformed"),
        (R, SECURE, "https://999999999999/", "malformed"),
        (R, SECURE, "https://0.0.0.0x100/", "malformed"),
        (R, SECURE, "https://./", "malformed"),
        // Whitespace, control and invisible characters anywhere.
        (R, SECURE, " https://api.example.com/", "illegal-char"),
        (R, SECURE, "https://api.example.com/ ", "illegal-char"),
        (R, SECURE, "https://api.exa mple.com/", "illegal-char"),
        (R, SECURE, "https://api.example.com/a b", "illegal-char"),
        (R, SECURE, "https://api.example.com/\n", "illegal-char"),
        (R, SECURE, "https://api.exa\tmple.com/", "illegal-char"),
        (R, SECURE, "https://api.example.com\r\n/", "illegal-char"),
        (R, SECURE, "\0https://api.example.com/", "illegal-char"),
        (R, SECURE, "https://api.example.com/\u{7f}", "illegal-char"),
        (R, SECURE, "https://api.example.com/\u{85}", "illegal-char"),
        (R, SECURE, "https://api.example.com/\u{a0}", "illegal-char"),
        (R, SECURE, "https://api.example.com\u{3000}/", "illegal-char"),
        (R, SECURE, "https://api\u{200b}.example.com/", "illegal-char"),
        (R, SECURE, "https://api.exam\u{ad}ple.com/", "illegal-char"),
        (R, SECURE, "https://api.example.com/\u{202e}gpj.exe", "illegal-char"),
        (R, SECURE, "\u{feff}https://api.example.com/", "illegal-char"),
        // Scheme.
        (R, SECURE, "http://api.example.com/", "scheme"),
        (U, SECURE, "http://upload.example.com/", "scheme"),
        (D, SECURE, "http://dl.example.com:9443/", "scheme"),
        (R, SECURE, "wss://api.example.com/", "scheme"),
        (R, DEV, "ws://api.example.com/", "scheme"),
        (R, SECURE, "ftp://api.example.com/", "scheme"),
        (R, DEV, "ftp://api.example.com/", "scheme"),
        (R, SECURE, "file:///etc/passwd", "scheme"),
        (R, DEV, "file:///etc/passwd", "scheme"),
        (R, SECURE, "javascript:alert(1)", "scheme"),
        (R, SECURE, "data:text/plain,hi", "scheme"),
        (R, SECURE, "blob:https://api.example.com/uuid", "scheme"),
        (R, SECURE, "wxfile://tmp/a.png", "scheme"),
        (R, SECURE, "httpss://api.example.com/", "scheme"),
        (R, SECURE, "http://127.0.0.1:8080/", "scheme"),
        (S, SECURE, "ws://wss.example.com/", "scheme"),
        (S, SECURE, "https://wss.example.com/", "scheme"),
        (S, DEV, "http://wss.example.com/", "scheme"),
        // User info, in every spelling.
        (R, SECURE, "https://user@api.example.com/", "userinfo"),
        (R, SECURE, "https://user:pass@api.example.com/", "userinfo"),
        (R, SECURE, "https://:pass@api.example.com/", "userinfo"),
        (R, SECURE, "https://@api.example.com/", "userinfo"),
        (R, SECURE, "https://:@api.example.com/", "userinfo"),
        (R, SECURE, "https://api.example.com@evil.com/", "userinfo"),
        (R, SECURE, "https://api.example.com:443@evil.com/", "userinfo"),
        (R, SECURE, "https://evil.com@api.example.com/", "userinfo"),
        (R, SECURE, "https://a@b@api.example.com/", "userinfo"),
        (R, SECURE, "https://user%40x@api.example.com/", "userinfo"),
        (S, SECURE, "wss://u@wss.example.com/", "userinfo"),
        (R, DEV, "http://user@127.0.0.1:8080/", "userinfo"),
        // Backslashes in the authority.
        (R, SECURE, "https://api.example.com\\@evil.com/", "backslash"),
        (R, SECURE, "https://api.example.com\\evil.com", "backslash"),
        (R, SECURE, "https://evil.com\\api.example.com", "backslash"),
        (R, SECURE, "https://api.example.com\\", "backslash"),
        // IPv4 literals in every form a WHATWG parser or resolver accepts.
        (R, SECURE, "https://127.0.0.1/", "ip"),
        (R, SECURE, "https://127.0.0.1:443/", "ip"),
        (R, SECURE, "https://127.0.0.1./", "ip"),
        (R, SECURE, "https://2130706433/", "ip"),
        (R, SECURE, "https://0x7f000001/", "ip"),
        (R, SECURE, "https://0X7F000001/", "ip"),
        (R, SECURE, "https://017700000001/", "ip"),
        (R, SECURE, "https://0177.0.0.1/", "ip"),
        (R, SECURE, "https://0177.0000.0000.0001/", "ip"),
        (R, SECURE, "https://00000000000000000000000177.0.0.1/", "ip"),
        (R, SECURE, "https://0x7f.0.0.1/", "ip"),
        (R, SECURE, "https://0x7F.0x0.0x0.0x1/", "ip"),
        (R, SECURE, "https://0x7f.1/", "ip"),
        (R, SECURE, "https://127.1/", "ip"),
        (R, SECURE, "https://127.0.1/", "ip"),
        (R, SECURE, "https://0/", "ip"),
        (R, SECURE, "https://0x/", "ip"),
        (R, SECURE, "https://1.0x/", "ip"),
        (R, SECURE, "https://0.0.0.0/", "ip"),
        (R, SECURE, "https://8.8.8.8/", "ip"),
        (R, SECURE, "https://192.168.1.10/", "ip"),
        (R, SECURE, "https://10.0.0.1:8443/", "ip"),
        (R, SECURE, "https://１２７.０.０.１/", "ip"),
        (R, SECURE, "https://127。0。0。1/", "ip"),
        (U, SECURE, "https://127.0.0.1/", "ip"),
        (D, SECURE, "https://2130706433/", "ip"),
        (S, SECURE, "wss://127.0.0.1:8080/", "ip"),
        (S, SECURE, "wss://0x7f.1:8080/", "ip"),
        // IPv6 literals.
        (R, SECURE, "https://[::1]/", "ip"),
        (R, SECURE, "https://[::1]:443/", "ip"),
        (R, SECURE, "https://[0:0:0:0:0:0:0:1]/", "ip"),
        (R, SECURE, "https://[::]/", "ip"),
        (R, SECURE, "https://[::ffff:127.0.0.1]/", "ip"),
        (R, SECURE, "https://[::ffff:7f00:1]/", "ip"),
        (R, SECURE, "https://[::127.0.0.1]/", "ip"),
        (R, SECURE, "https://[2001:db8::1]:8443/", "ip"),
        (R, SECURE, "https://[FE80::1]/", "ip"),
        (S, SECURE, "wss://[::1]:9000/", "ip"),
        // localhost.
        (R, SECURE, "https://localhost/", "localhost"),
        (R, SECURE, "https://localhost:8443/", "localhost"),
        (R, SECURE, "https://LOCALHOST./", "localhost"),
        (R, SECURE, "https://LocalHost/", "localhost"),
        (R, SECURE, "https://api.localhost/", "localhost"),
        (R, SECURE, "https://a.b.LOCALHOST./", "localhost"),
        (S, SECURE, "wss://localhost:9000/", "localhost"),
        (R, SECURE, "https://localhost.example.com/", "not-listed"),
        (R, SECURE, "https://notlocalhost/", "not-listed"),
        // Look-alikes, parents, children and other kinds' lists.
        (R, SECURE, "https://evil-api.example.com/", "not-listed"),
        (R, SECURE, "https://api.example.com.evil.com/", "not-listed"),
        (R, SECURE, "https://apiexample.com/", "not-listed"),
        (R, SECURE, "https://api-example.com/", "not-listed"),
        (R, SECURE, "https://example.com/", "not-listed"),
        (R, SECURE, "https://www.api.example.com/", "not-listed"),
        (R, SECURE, "https://api.example.co/", "not-listed"),
        (R, SECURE, "https://api.example.com../", "not-listed"),
        (R, SECURE, "https://api.example.comx/", "not-listed"),
        (R, SECURE, "https://xapi.example.com/", "not-listed"),
        (R, SECURE, "https://\u{430}pi.example.com/", "not-listed"),
        (R, SECURE, "https://*.example.com/", "not-listed"),
        (R, SECURE, "https://.api.example.com/", "not-listed"),
        (R, SECURE, "https://evil.com/", "not-listed"),
        (R, SECURE, "https://evil.com#@api.example.com", "not-listed"),
        (R, SECURE, "https://evil.com?@api.example.com", "not-listed"),
        (R, SECURE, "https://evil.com/api.example.com", "not-listed"),
        (R, DEV, "http://evil.com/", "not-listed"),
        (R, SECURE, "https://upload.example.com/", "not-listed"),
        (U, SECURE, "https://api.example.com/", "not-listed"),
        (D, SECURE, "https://api.example.com/", "not-listed"),
        (S, SECURE, "wss://api.example.com/", "not-listed"),
        (S, SECURE, "wss://evil-wss.example.com:8080/", "not-listed"),
        // Ports.
        (R, SECURE, "https://api.example.com:443/", "port"),
        (R, SECURE, "https://api.example.com.:443/", "port"),
        (R, SECURE, "https://api.example.com:0443/", "port"),
        (R, SECURE, "https://api.example.com:8443/", "port"),
        (R, SECURE, "https://api.example.com:0/", "port"),
        (R, SECURE, "https://pay.example.com/", "port"),
        (R, SECURE, "https://pay.example.com:443/", "port"),
        (R, SECURE, "https://pay.example.com:8444/", "port"),
        (R, SECURE, "https://both.example.com:443/", "port"),
        (R, SECURE, "https://both.example.com:9443/", "port"),
        (R, SECURE, "https://port443.example.com:8443/", "port"),
        (D, SECURE, "https://dl.example.com/f.zip", "port"),
        (D, SECURE, "https://dl.example.com:443/f.zip", "port"),
        (S, SECURE, "wss://fixed.example.com/", "port"),
        (S, SECURE, "wss://fixed.example.com:9001/", "port"),
        (R, DEV, "http://api.example.com:8080/", "port"),
        (R, DEV, "http://api.example.com:80/", "port"),
        // api.weixin.qq.com is forbidden even though the request list names it.
        (R, SECURE, "https://api.weixin.qq.com/cgi-bin/token", "forbidden"),
        (R, SECURE, "https://API.WEIXIN.QQ.COM./sns", "forbidden"),
        (R, SECURE, "https://api.weixin.qq.com:443/", "forbidden"),
        (R, DEV, "http://api.weixin.qq.com/", "forbidden"),
        (U, SECURE, "https://api.weixin.qq.com/", "forbidden"),
        (S, SECURE, "wss://api.weixin.qq.com/", "forbidden"),
        (R, SECURE, "https://sub.api.weixin.qq.com/", "not-listed"),
    ];

    #[test]
    fn allowed_urls() {
        let list = policy();
        for &(kind, insecure, url, normalized, port) in ALLOWED {
            let opts = CheckOptions { allow_insecure: insecure };
            match check(&list, kind, url, &opts) {
                Ok(checked) => {
                    assert_eq!(checked.url, normalized, "normalised url of {kind:?} {url:?}");
                    assert_eq!(checked.port, port, "port of {kind:?} {url:?}");
                    let reparsed = Url::parse(&checked.url)
                        .unwrap_or_else(|e| panic!("{normalized:?} must reparse: {e}"));
                    assert_eq!(reparsed.host_str(), Some(checked.host.as_str()), "{url:?}");
                    // A normalised URL is itself allowed and a fixed point.
                    let again = check(&list, kind, &checked.url, &opts);
                    assert_eq!(again.as_ref().ok(), Some(&checked), "{url:?} is not idempotent");
                }
                Err(err) => panic!("{kind:?} {url:?} (insecure={insecure}) denied: {err}"),
            }
        }
    }

    #[test]
    fn denied_urls() {
        let list = policy();
        for &(kind, insecure, url, want) in DENIED {
            let opts = CheckOptions { allow_insecure: insecure };
            match check(&list, kind, url, &opts) {
                Ok(checked) => {
                    panic!("{kind:?} {url:?} (insecure={insecure}) allowed: {checked:?}")
                }
                Err(err) => assert_eq!(
                    tag(&err),
                    want,
                    "{kind:?} {url:?} (insecure={insecure}) denied for the wrong reason: {err}"
                ),
            }
        }
    }

    #[test]
    fn secure_denials_that_dev_mode_lifts() {
        // allow_insecure lifts exactly the scheme, ip and localhost denials of IP/localhost hosts.
        let list = policy();
        let dev = CheckOptions { allow_insecure: true };
        let cases = [
            "https://127.0.0.1/",
            "https://2130706433/",
            "https://0x7f.0.0.1/",
            "https://127.1/",
            "https://[::1]/",
            "https://[::ffff:127.0.0.1]/",
            "https://localhost/",
            "https://LOCALHOST./",
            "http://127.0.0.1:8080/",
        ];
        for url in cases {
            let secure = check(&list, R, url, &CheckOptions::default());
            assert!(secure.is_err(), "{url:?} allowed in secure mode");
            assert!(check(&list, R, url, &dev).is_ok(), "{url:?} denied in dev mode");
        }
    }

    #[test]
    fn allowed_host_values() {
        let list = policy();
        #[rustfmt::skip]
        let cases: &[(UrlKind, bool, &str, &str)] = &[
            (R, SECURE, "https://API.Example.com./x", "api.example.com"),
            (R, SECURE, "https://例子.测试/", "xn--fsqu00a.xn--0zwm56d"),
            (R, DEV, "http://127.0.0.1:8080", "127.0.0.1"),
            (R, DEV, "http://0x7f.1/", "127.0.0.1"),
            (R, DEV, "http://[::ffff:127.0.0.1]/", "[::ffff:7f00:1]"),
            (R, DEV, "http://LOCALHOST./", "localhost"),
            (S, SECURE, "wss://wss.example.com:8080/", "wss.example.com"),
        ];
        for &(kind, insecure, url, host) in cases {
            let opts = CheckOptions { allow_insecure: insecure };
            let checked = check(&list, kind, url, &opts);
            assert_eq!(checked.map(|c| c.host), Ok(host.to_owned()), "{url:?}");
        }
    }

    #[test]
    fn denial_messages_are_wechat_style() {
        let list = policy();
        let opts = CheckOptions::default();
        #[rustfmt::skip]
        let cases: &[(UrlKind, &str, &str)] = &[
            (R, "https://evil.com/", "url not in domain list"),
            (R, "http://api.example.com/", "https is required"),
            (S, "ws://wss.example.com/", "wss is required"),
            (R, "", "invalid url: url is empty"),
            (R, "/relative", "invalid url: url must be absolute"),
            (R, "https://api.example.com:443/", "url port not in domain list"),
            (R, "https://user@api.example.com/", "url must not contain user info"),
            (R, "https://127.0.0.1/", "ip address is not allowed"),
            (R, "https://localhost/", "localhost is not allowed"),
            (R, "https://api.weixin.qq.com/", "domain api.weixin.qq.com is forbidden"),
            (R, "https://api.example.com\\@evil.com", "invalid url: backslash in url host"),
            (R, "https://a b/", "invalid url: url contains whitespace or control characters"),
            (R, "https:api.example.com", "invalid url: expected \"https://\" followed by a host"),
            (R, "https://api.example.com:/", "invalid url: invalid port number"),
            (R, "https://api.example.com:99999/", "invalid url: invalid port number"),
        ];
        for &(kind, url, message) in cases {
            match check(&list, kind, url, &opts) {
                Ok(checked) => panic!("{url:?} allowed: {checked:?}"),
                Err(err) => {
                    assert_eq!(err.to_string(), message, "{url:?}");
                    let err_msg = format!("{}:fail {err}", kind.api_name());
                    assert_eq!(err_msg, format!("{}:fail {message}", kind.api_name()));
                }
            }
        }
    }

    #[test]
    fn empty_allowlist_denies_everything_but_dev_hosts() {
        let list = Allowlist::default();
        assert!(list.is_empty());
        let secure = CheckOptions::default();
        let dev = CheckOptions { allow_insecure: true };
        for kind in [R, U, D, S] {
            let url = format!("{}://api.example.com/", kind.secure_scheme());
            assert_eq!(check(&list, kind, &url, &secure), Err(UrlDenied::NotInDomainList));
            assert_eq!(check(&list, kind, &url, &dev), Err(UrlDenied::NotInDomainList));
            let local = format!("{}://127.0.0.1:8080/", kind.insecure_scheme());
            assert!(check(&list, kind, &local, &dev).is_ok(), "{local}");
            assert!(check(&list, kind, &local, &secure).is_err(), "{local}");
        }
        assert!(!policy().is_empty());
    }

    #[test]
    fn method_and_free_function_agree() {
        let list = policy();
        for &(kind, insecure, url, _) in DENIED {
            let opts = CheckOptions { allow_insecure: insecure };
            assert_eq!(list.check(kind, url, &opts), check(&list, kind, url, &opts), "{url:?}");
        }
        let opts = CheckOptions::default();
        assert!(list.check(R, "https://api.example.com/", &opts).is_ok());
    }

    #[test]
    fn kind_names() {
        let names: Vec<_> = [R, U, D, S].iter().map(|k| (k.api_name(), k.to_string())).collect();
        assert_eq!(
            names,
            [
                ("request", "request".to_owned()),
                ("uploadFile", "uploadFile".to_owned()),
                ("downloadFile", "downloadFile".to_owned()),
                ("connectSocket", "socket".to_owned()),
            ]
        );
        assert_eq!((S.secure_scheme(), S.insecure_scheme()), ("wss", "ws"));
        assert_eq!((R.secure_scheme(), R.insecure_scheme()), ("https", "http"));
    }

    /// `(kind, entry, expected normalised host, expected port)` for valid entries.
    #[rustfmt::skip]
    const VALID_ENTRIES: &[(UrlKind, &str, &str, Option<u16>)] = &[
        (R, "api.example.com", "api.example.com", None),
        (R, "API.Example.COM", "api.example.com", None),
        (R, "api.example.com.", "api.example.com", None),
        (R, "api.example.com:8443", "api.example.com", Some(8443)),
        (R, "api.example.com:1", "api.example.com", Some(1)),
        (R, "api.example.com:65535", "api.example.com", Some(65535)),
        (R, "api.example.com:0443", "api.example.com", Some(443)),
        (R, "https://api.example.com", "api.example.com", None),
        (R, "HTTPS://api.example.com:8443", "api.example.com", Some(8443)),
        (U, "https://up.example.com", "up.example.com", None),
        (D, "dl.example.com:9443", "dl.example.com", Some(9443)),
        (S, "wss.example.com", "wss.example.com", None),
        (S, "wss://wss.example.com", "wss.example.com", None),
        (S, "wss://wss.example.com:9000", "wss.example.com", Some(9000)),
        (R, "例子.测试", "xn--fsqu00a.xn--0zwm56d", None),
        (R, "xn--fsqu00a.xn--0zwm56d", "xn--fsqu00a.xn--0zwm56d", None),
        (R, "api．example．com", "api.example.com", None),
        (R, "a-b.c1.example.com", "a-b.c1.example.com", None),
        (R, "1password.com", "1password.com", None),
        (R, "api.weixin.qq.com", "api.weixin.qq.com", None),
    ];

    const BAD_CHARS: &str = "labels may only contain letters, digits and hyphens";
    const HYPHEN: &str = "label starts or ends with a hyphen";
    const ONE_LABEL: &str = "a registered domain needs at least two labels";
    const NOT_HOST: &str = "not a valid host name";

    /// `(kind, entry, expected problem)` for invalid entries.
    #[rustfmt::skip]
    const INVALID_ENTRIES: &[(UrlKind, &str, EntryProblem)] = &[
        (R, "", EntryProblem::Empty),
        (R, "https://", EntryProblem::Empty),
        (R, " api.example.com", EntryProblem::IllegalCharacter),
        (R, "api.example.com ", EntryProblem::IllegalCharacter),
        (R, "api.exa\tmple.com", EntryProblem::IllegalCharacter),
        (R, "api\u{200b}.example.com", EntryProblem::IllegalCharacter),
        (R, "http://api.example.com", EntryProblem::WrongScheme { expected: "https" }),
        (R, "wss://api.example.com", EntryProblem::WrongScheme { expected: "https" }),
        (R, "ftp://api.example.com", EntryProblem::WrongScheme { expected: "https" }),
        (R, "://api.example.com", EntryProblem::WrongScheme { expected: "https" }),
        (S, "https://wss.example.com", EntryProblem::WrongScheme { expected: "wss" }),
        (S, "ws://wss.example.com", EntryProblem::WrongScheme { expected: "wss" }),
        (R, "api.example.com/", EntryProblem::NotBareDomain),
        (R, "https://api.example.com/v1", EntryProblem::NotBareDomain),
        (R, "api.example.com?x=1", EntryProblem::NotBareDomain),
        (R, "api.example.com#x", EntryProblem::NotBareDomain),
        (R, "user@api.example.com", EntryProblem::NotBareDomain),
        (R, "api.example.com\\", EntryProblem::NotBareDomain),
        (R, "//api.example.com", EntryProblem::NotBareDomain),
        (R, "*.example.com", EntryProblem::Wildcard),
        (R, "https://*.example.com", EntryProblem::Wildcard),
        (R, ".example.com", EntryProblem::Wildcard),
        (R, "api.example.com:", EntryProblem::InvalidPort),
        (R, "api.example.com:0", EntryProblem::InvalidPort),
        (R, "api.example.com:65536", EntryProblem::InvalidPort),
        (R, "api.example.com:99999999999999999999", EntryProblem::InvalidPort),
        (R, "api.example.com:+443", EntryProblem::InvalidPort),
        (R, "api.example.com:abc", EntryProblem::InvalidPort),
        (R, "api.example.com:8443:8443", EntryProblem::InvalidPort),
        (R, "api.example.com:8443:", EntryProblem::InvalidPort),
        (R, ":8443", EntryProblem::InvalidDomain("host is empty")),
        (R, "127.0.0.1", EntryProblem::IpAddress),
        (R, "127.0.0.1:8080", EntryProblem::IpAddress),
        (R, "2130706433", EntryProblem::IpAddress),
        (R, "0x7f.1", EntryProblem::IpAddress),
        (R, "127.1", EntryProblem::IpAddress),
        (R, "[::1]", EntryProblem::IpAddress),
        (R, "[::1]:8443", EntryProblem::IpAddress),
        (S, "wss://192.168.0.1:9000", EntryProblem::IpAddress),
        (R, "localhost", EntryProblem::Localhost),
        (R, "LOCALHOST.", EntryProblem::Localhost),
        (R, "localhost:8080", EntryProblem::Localhost),
        (R, "dev.localhost", EntryProblem::Localhost),
        (R, "ex%61mple.com", EntryProblem::InvalidDomain("percent-encoding is not allowed")),
        (R, "com", EntryProblem::InvalidDomain(ONE_LABEL)),
        (R, "intranet:8443", EntryProblem::InvalidDomain(ONE_LABEL)),
        (R, "api..example.com", EntryProblem::InvalidDomain("empty label")),
        (R, "api.example.com..", EntryProblem::InvalidDomain("empty label")),
        (R, "api_x.example.com", EntryProblem::InvalidDomain(BAD_CHARS)),
        (R, "a!b.example.com", EntryProblem::InvalidDomain(BAD_CHARS)),
        (R, "-api.example.com", EntryProblem::InvalidDomain(HYPHEN)),
        (R, "api-.example.com", EntryProblem::InvalidDomain(HYPHEN)),
        (R, "xn--", EntryProblem::InvalidDomain(NOT_HOST)),
        (R, "api.exa<mple.com", EntryProblem::InvalidDomain(NOT_HOST)),
        (R, "1.2.3.4.5", EntryProblem::InvalidDomain(NOT_HOST)),
    ];

    fn build_single(kind: UrlKind, entry: &str) -> Result<Allowlist, AllowlistError> {
        let one = vec![entry.to_owned()];
        let none: Vec<String> = Vec::new();
        match kind {
            UrlKind::Request => Allowlist::new(&one, &none, &none, &none),
            UrlKind::Upload => Allowlist::new(&none, &one, &none, &none),
            UrlKind::Download => Allowlist::new(&none, &none, &one, &none),
            UrlKind::Socket => Allowlist::new(&none, &none, &none, &one),
        }
    }

    #[test]
    fn valid_entries_normalise() {
        for &(kind, entry, host, port) in VALID_ENTRIES {
            assert_eq!(parse_entry(kind, entry), Ok((host.to_owned(), port)), "{entry:?}");
            let list = build_single(kind, entry)
                .unwrap_or_else(|e| panic!("{kind:?} entry {entry:?} rejected: {e}"));
            assert!(list.rule(kind, host).is_some(), "{entry:?} not stored under {host:?}");
            for other in [R, U, D, S].into_iter().filter(|k| *k != kind) {
                assert!(list.rule(other, host).is_none(), "{entry:?} leaked into {other:?}");
            }
        }
    }

    #[test]
    fn invalid_entries_are_rejected_by_name() {
        let long_label = format!("{}.example.com", "a".repeat(64));
        let long_name = format!("{}.com", ["abcdefghij"; 25].join("."));
        let mut cases: Vec<(UrlKind, String, EntryProblem)> = INVALID_ENTRIES
            .iter()
            .map(|(kind, entry, problem)| (*kind, (*entry).to_owned(), problem.clone()))
            .collect();
        let too_long_label = EntryProblem::InvalidDomain("label is longer than 63 characters");
        let too_long_name = EntryProblem::InvalidDomain("name is longer than 253 characters");
        cases.push((R, long_label, too_long_label));
        cases.push((R, long_name, too_long_name));
        for (kind, entry, problem) in cases {
            let expected = AllowlistError::InvalidEntry {
                kind,
                entry: entry.clone(),
                problem: problem.clone(),
            };
            let got = build_single(kind, &entry);
            assert_eq!(got.as_ref().err(), Some(&expected), "{kind:?} entry {entry:?}");
            let message = expected.to_string();
            assert!(message.contains(&format!("{entry:?}")), "{message}");
            assert!(message.contains(&kind.to_string()), "{message}");
            assert!(message.contains(&problem.to_string()), "{message}");
        }
    }

    #[test]
    fn first_invalid_entry_is_reported_with_its_list() {
        let good = strings(&["api.example.com"]);
        let bad = strings(&["ok.example.com", "127.0.0.1", "*.example.com"]);
        let got = Allowlist::new(&good, &good, &bad, &good);
        let expected = AllowlistError::InvalidEntry {
            kind: UrlKind::Download,
            entry: "127.0.0.1".to_owned(),
            problem: EntryProblem::IpAddress,
        };
        assert_eq!(got, Err(expected));
        let message = match got {
            Err(err) => err.to_string(),
            Ok(list) => panic!("accepted {list:?}"),
        };
        assert_eq!(
            message,
            "invalid downloadFile domain entry \"127.0.0.1\": ip addresses are not allowed"
        );
    }

    #[test]
    fn entry_error_has_source() {
        use std::error::Error as _;
        let err = build_single(R, "localhost").err();
        let source = err.as_ref().and_then(|e| e.source()).map(ToString::to_string);
        assert_eq!(source.as_deref(), Some("localhost is not allowed"));
    }

    #[test]
    fn duplicate_entries_merge() {
        let entries = strings(&[
            "a.example.com",
            "A.example.com.",
            "a.example.com:8443",
            "a.example.com:8443",
        ]);
        let list = Allowlist::new(&entries, &[], &[], &[]).unwrap_or_else(|e| panic!("{e}"));
        let rule = list.rule(R, "a.example.com").cloned();
        assert_eq!(rule, Some(PortRule { portless: true, ports: vec![8443] }));
    }

    #[test]
    fn ip_heuristic_matches_whatwg_ends_in_a_number() {
        for name in ["127.0.0.1", "1", "0x", "0x7f", "a.0X1F", "a.b.09", "::1", "example.123"] {
            assert!(looks_like_ip(name), "{name}");
        }
        for name in ["example.com", "0x.com", "1.2.x3", "a.0xg", "1password.com", "x1"] {
            assert!(!looks_like_ip(name), "{name}");
        }
    }

    #[test]
    fn raw_authority_extraction() {
        let cases: &[(&str, &str, Option<&str>)] = &[
            ("https://a.com/x", "https", Some("a.com")),
            ("HTTPS://a.com:1?q", "https", Some("a.com:1")),
            ("https://a.com#f", "https", Some("a.com")),
            ("https://u@a.com\\x/y", "https", Some("u@a.com\\x")),
            ("https:a.com", "https", None),
            ("https:///a.com", "https", None),
            ("http://a.com", "https", None),
            ("ht", "https", None),
        ];
        for &(url, scheme, want) in cases {
            assert_eq!(raw_authority(url, scheme), want, "{url:?}");
        }
    }

    #[test]
    fn explicit_port_detection() {
        let cases: &[(&str, Option<bool>)] = &[
            ("a.com", Some(false)),
            ("a.com:443", Some(true)),
            ("a.com:0443", Some(true)),
            ("[::1]", Some(false)),
            ("[::1]:80", Some(true)),
            ("a.com:", None),
            ("[::1]:", None),
            ("[::1]x", None),
            ("[::1", None),
            ("a.com:4x", None),
        ];
        for &(authority, want) in cases {
            assert_eq!(has_explicit_port(authority).ok(), want, "{authority:?}");
        }
    }
}
