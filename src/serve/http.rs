//! The preview's HTTP side: the build in memory under its base path, and the
//! live-reload endpoints under `/__httpcodes/`.
//!
//! Paths are looked up in the build, never on disk. A request path is split
//! into segments and each is percent-decoded; a segment that decodes to `.`,
//! `..`, or holds a slash, a backslash or a control character (NUL…) is
//! refused with 400, so no spelling of a path can leave the build.

use std::convert::Infallible;
use std::sync::Arc;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State as Shared;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::stream::{self, Stream, StreamExt};
use tokio::sync::broadcast::error::RecvError;

use super::{Build, LIVE_SCRIPT_TAG, Live, News};

/// The first segment of every path that belongs to `serve`, not to the site.
const RESERVED: &str = "__httpcodes";

const LIVE_SCRIPT: &str = include_str!("live.js");
const OVERLAY_STYLE: &str = include_str!("overlay.css");
const RETIRING_WORKER: &str = include_str!("retire-worker.js");

/// Serves until Ctrl-C (Ok) or a failure of the listener.
pub(super) fn serve(listener: std::net::TcpListener, live: Arc<Live>) -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        listener.set_nonblocking(true)?;
        let listener = tokio::net::TcpListener::from_std(listener)?;
        let app = Router::new().fallback(respond).with_state(live);
        tokio::select! {
            served = axum::serve(listener, app) => served,
            _ = tokio::signal::ctrl_c() => Ok(()),
        }
    })
}

async fn respond(
    Shared(live): Shared<Arc<Live>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let mut response = text(StatusCode::METHOD_NOT_ALLOWED, "Only GET and HEAD.\n");
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let Some(segments) = decode_segments(uri.path()) else {
        return text(
            StatusCode::BAD_REQUEST,
            "Bad request: a path segment is not allowed.\n",
        );
    };
    if segments.first().map(String::as_str) == Some(RESERVED) {
        return reserved(&live, &segments[1..]);
    }
    // Any service worker the browser asks for on this origin (the site's, or
    // one left from an earlier session, wherever it was) is replaced by one
    // that removes itself.
    if headers
        .get("service-worker")
        .is_some_and(|value| value.as_bytes() == b"script")
    {
        return file(RETIRING_WORKER.into(), "sw.js");
    }

    let (site, base_path) = {
        let state = live.read();
        (state.site.clone(), state.base_path.clone())
    };
    let base = decode_segments(&base_path).unwrap_or_default();
    let base = base.strip_suffix(&[String::new()]).unwrap_or(&base);
    let query = uri
        .query()
        .map(|query| format!("?{query}"))
        .unwrap_or_default();

    if !base.is_empty() && segments == [""] {
        return redirect(&format!("{base_path}{query}"));
    }
    let Some(inside) = segments.strip_prefix(base) else {
        return not_found(site.as_deref());
    };
    if inside.is_empty() {
        return redirect(&format!("{base_path}{query}"));
    }
    let mut path = inside.join("/");
    if path.is_empty() || path.ends_with('/') {
        path.push_str("index.html");
    }
    if path == crate::index::offline::SERVICE_WORKER {
        return file(RETIRING_WORKER.into(), "sw.js");
    }
    let Some(site) = site else {
        return not_built_yet();
    };
    if let Some(bytes) = site.files.get(&path) {
        return file(bytes.clone(), &path);
    }
    if site.files.contains_key(&format!("{path}/index.html")) {
        return redirect(&format!("{}/{query}", uri.path()));
    }
    not_found(Some(&site))
}

/// The path's segments, percent-decoded (`/a/b%20c/` → `["a", "b c", ""]`),
/// or `None` when one may not be served: `.`, `..`, or one holding a slash,
/// a backslash or a control character once decoded, or not UTF-8.
fn decode_segments(path: &str) -> Option<Vec<String>> {
    let path = path.strip_prefix('/')?;
    path.split('/')
        .map(|segment| {
            let decoded = percent_encoding::percent_decode_str(segment).collect::<Vec<u8>>();
            let decoded = String::from_utf8(decoded).ok()?;
            let refused = decoded == "."
                || decoded == ".."
                || decoded.contains(['/', '\\'])
                || decoded.chars().any(char::is_control);
            (!refused).then_some(decoded)
        })
        .collect()
}

/// `/__httpcodes/…`: the event stream, the reload script and its style.
fn reserved(live: &Arc<Live>, rest: &[String]) -> Response {
    match rest {
        [name] if name == "events" => events(live).into_response(),
        [name] if name == "live.js" => file(LIVE_SCRIPT.into(), name),
        [name] if name == "overlay.css" => file(OVERLAY_STYLE.into(), name),
        _ => text(StatusCode::NOT_FOUND, "Not found.\n"),
    }
}

/// The event stream of one tab: `hello` with the build it should show, the
/// current problems if the last build failed, then every `reload` and
/// `problems` as they come. A tab that goes away ends its stream (the keep
/// alive finds a closed connection within seconds); a tab too far behind is
/// told to reload.
fn events(live: &Arc<Live>) -> Sse<impl Stream<Item = Result<Event, Infallible>> + use<>> {
    // Subscribing under the lock: no news can fall between the two.
    let (mut first, receiver) = {
        let state = live.read();
        let hello = Event::default()
            .event("hello")
            .data(live.build_name(&state));
        let mut first = vec![hello];
        if let Some(problems) = &state.problems {
            first.push(Event::default().event("problems").data(&**problems));
        }
        (first, live.news.subscribe())
    };
    first.shrink_to_fit();
    let news = stream::unfold(receiver, |mut receiver| async move {
        let event = match receiver.recv().await {
            Ok(News::Reload(build)) => Event::default().event("reload").data(&*build),
            Ok(News::Problems(problems)) => Event::default().event("problems").data(&*problems),
            Err(RecvError::Lagged(_)) => Event::default().event("reload").data("lagged"),
            Err(RecvError::Closed) => return None,
        };
        Some((event, receiver))
    });
    Sse::new(stream::iter(first).chain(news).map(Ok)).keep_alive(KeepAlive::default())
}

/// A file of the build, or of serve itself.
fn file(bytes: Bytes, path: &str) -> Response {
    let mut response = Response::new(Body::from(bytes));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(path)),
    );
    preview_headers(headers);
    response
}

/// The site's 404 page with status 404 (plain text before the first build).
fn not_found(site: Option<&Build>) -> Response {
    match site.and_then(|site| site.files.get("404.html")) {
        Some(page) => {
            let mut response = file(page.clone(), "404.html");
            *response.status_mut() = StatusCode::NOT_FOUND;
            response
        }
        None => text(StatusCode::NOT_FOUND, "Not found.\n"),
    }
}

/// Before the first good build: a page that only carries the reload script,
/// which shows the problems and reloads once the site builds.
fn not_built_yet() -> Response {
    const POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; object-src 'none'";
    let page = format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{POLICY}\">\n\
         <title>The site did not build</title>\n{LIVE_SCRIPT_TAG}</head>\n<body>\n\
         <h1>The site did not build</h1>\n<p>Its problems are listed on the terminal running \
         <code>httpcodes serve</code>. This page reloads once they are fixed.</p>\n</body>\n</html>\n"
    );
    let mut response = file(page.into(), "index.html");
    *response.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
    response
}

fn redirect(location: &str) -> Response {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::TEMPORARY_REDIRECT;
    if let Ok(location) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    preview_headers(response.headers_mut());
    response
}

fn text(status: StatusCode, message: &'static str) -> Response {
    let mut response = file(message.into(), "message.txt");
    *response.status_mut() = status;
    response
}

/// A preview is never cached: every reload shows the build being served.
fn preview_headers(headers: &mut HeaderMap) {
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
}

/// The `Content-Type` of a file of the site, by its extension.
fn content_type(path: &str) -> &'static str {
    let extension = path.rsplit_once('.').map_or("", |(_, extension)| extension);
    match extension.to_ascii_lowercase().as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "webmanifest" => "application/manifest+json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "txt" => "text/plain; charset=utf-8",
        "md" => "text/markdown; charset=utf-8",
        "xml" => "application/xml",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "pdf" => "application/pdf",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_decoded_and_escapes_refused() {
        assert_eq!(
            decode_segments("/docs/caf%C3%A9/").unwrap(),
            ["docs", "café", ""]
        );
        assert_eq!(decode_segments("/").unwrap(), [""]);
        for refused in [
            "/docs/../site.yaml",
            "/docs/%2e%2e/site.yaml",
            "/docs/%2E%2e/site.yaml",
            "/docs/./x",
            "/docs/..%2fsite.yaml",
            "/docs/..%2Fsite.yaml",
            "/docs/..\\site.yaml",
            "/docs/..%5csite.yaml",
            "/docs/x%00.html",
            "/docs/%ff",
            "docs/x",
        ] {
            assert_eq!(decode_segments(refused), None, "{refused} was accepted");
        }
    }

    #[test]
    fn content_types_follow_the_extension() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("style.CSS"), "text/css; charset=utf-8");
        assert_eq!(
            content_type("manifest.webmanifest"),
            "application/manifest+json"
        );
        assert_eq!(content_type("icon.svg"), "image/svg+xml");
        assert_eq!(content_type(".nojekyll"), "application/octet-stream");
        assert_eq!(content_type("LICENSE"), "application/octet-stream");
    }
}
