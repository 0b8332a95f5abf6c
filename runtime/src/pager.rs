//! Pageable operations (`x-ms-pageable`) as azure_core's own [`Pager`]: a `Stream` of items,
//! and pages on request (`into_pages`).
//!
//! The rules (section 6 of the ARM rules): the items are in the page model's `itemName`
//! property (the generated model implements azure_core's `Page`); the next page's URL is in
//! `nextLinkName` (`None` = one page only). A next link may be relative to the endpoint; it
//! must be `https` on the endpoint's host and port (checked before a request — and so a
//! token — goes out); the client's `api-version` replaces any in the link, every other query
//! parameter is kept byte for byte; an absent, null or empty link ends the list; a link equal
//! to the one just fetched is an error, not an endless loop. A failing page is an
//! `HttpResponse` error from which the typed `CloudError` is one call away.

use crate::{
    ArmPipeline,
    error::http_error,
    pipeline::ArmRequest,
    typed::{Typed, Untyped},
};
use azure_core::{
    Error, Result,
    error::ErrorKind,
    http::{
        ClientMethodOptions, Context, Method, Pager, RawResponse, Response, Url,
        pager::{Page, PagerContinuation, PagerOptions, PagerResult, PagerState},
    },
};
use serde::de::DeserializeOwned;
use std::{future::Future, pin::Pin, sync::Arc};

/// What a generated page model's `Page::into_items` returns: its items, ready. azure_core's
/// `Page` is an `async_trait` trait; written with the macro, each page model's impl was an
/// async block of its own, a state machine type-checked once per page model.
pub type PageItems<'a, T> =
    Pin<Box<dyn Future<Output = Result<std::vec::IntoIter<T>>> + Send + 'a>>;

/// `Page::into_items` of a generated page model: the items it holds.
pub fn page_items<'a, T: Send + 'a>(items: Vec<T>) -> PageItems<'a, T> {
    Box::pin(std::future::ready(Ok(items.into_iter())))
}

/// How one pageable operation pages.
#[derive(Clone, Debug)]
pub struct PageRules {
    /// The page model's property holding the next page's URL; `None` = not paged.
    pub next_link_name: Option<&'static str>,
    /// The client's api-version, set on every next link; `None` = links are used as sent.
    pub api_version: Option<Arc<str>>,
}

impl ArmPipeline {
    /// Returns azure_core's [`Pager`] over the pages of `P`, starting with `first`; nothing is
    /// sent until it is polled.
    pub fn pager<P>(
        &self,
        first: ArmRequest,
        rules: PageRules,
        options: ClientMethodOptions<'_>,
    ) -> Pager<P>
    where
        P: Page + DeserializeOwned + Send + 'static,
    {
        let (pages, options) = self.pages(first, rules, options);
        // Only the typing of each page is generic (see `Typed`): fetching is compiled once,
        // not once per page model.
        Pager::new(
            move |state: PagerState, options: PagerOptions<'static>| {
                Box::pin(Typed::new(pages.next(state, options), typed_page::<P>))
            },
            Some(options),
        )
    }

    /// What every page of the list needs, and the options of azure_core's pager.
    fn pages(
        &self,
        first: ArmRequest,
        rules: PageRules,
        options: ClientMethodOptions<'_>,
    ) -> (Arc<Pages>, PagerOptions<'static>) {
        let options = PagerOptions {
            context: self.instrument(options.context.into_owned(), first.api_name),
            continuation: None,
        };
        let pages = Arc::new(Pages {
            pipeline: self.clone(),
            rules,
            first,
        });
        (pages, options)
    }
}

/// A fetched page as azure_core's pager wants it.
fn typed_page<P>((raw, next): (RawResponse, Option<Url>)) -> PagerResult<Response<P>> {
    match next {
        Some(next) => PagerResult::More {
            response: raw.into(),
            continuation: PagerContinuation::Link(next),
        },
        None => PagerResult::Done {
            response: raw.into(),
        },
    }
}

/// What every page of one list needs.
struct Pages {
    pipeline: ArmPipeline,
    rules: PageRules,
    first: ArmRequest,
}

impl Pages {
    /// The page `state` names, as a boxed future (see `Typed`).
    fn next(
        self: &Arc<Self>,
        state: PagerState,
        options: PagerOptions<'static>,
    ) -> Untyped<'static, (RawResponse, Option<Url>)> {
        let pages = self.clone();
        Box::pin(async move { pages.fetch(state, options.context).await })
    }

    /// The page `state` names, and the next page's URL (`None` at the end of the list).
    async fn fetch(
        &self,
        state: PagerState,
        context: Context<'static>,
    ) -> Result<(RawResponse, Option<Url>)> {
        let request = match state {
            PagerState::Initial => self.first.clone(),
            PagerState::More(continuation) => {
                let url = Url::try_from(continuation)?;
                self.pipeline.check_followable(&url, "next-page")?;
                ArmRequest::new(Method::Get, url)
            }
        };
        let fetched = request.url.clone();
        let raw = self.pipeline.send_raw(&context, request).await?;
        if !raw.status().is_success() {
            return Err(http_error("listing failed", raw));
        }
        let next = next_link(&self.pipeline, &self.rules, &raw, &fetched)?;
        Ok((raw, next))
    }
}

/// The next page's URL, per the rules above; `None` at the end of the list.
fn next_link(
    pipeline: &ArmPipeline,
    rules: &PageRules,
    raw: &RawResponse,
    fetched: &Url,
) -> Result<Option<Url>> {
    let Some(name) = rules.next_link_name else {
        return Ok(None);
    };
    let page: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(raw.body())
        .map_err(|_| page_error("the page is not a JSON object", fetched))?;
    let link = match page.get(name) {
        None | Some(serde_json::Value::Null) => return Ok(None),
        Some(serde_json::Value::String(link)) if link.trim().is_empty() => return Ok(None),
        Some(serde_json::Value::String(link)) => link.trim(),
        Some(_) => return Err(page_error(&format!("`{name}` is not a string"), fetched)),
    };
    let mut next = pipeline
        .endpoint()
        .join(link)
        .map_err(|_| page_error(&format!("`{name}` is not a valid URL"), fetched))?;
    pipeline.check_followable(&next, "next-page")?;
    if let Some(api_version) = &rules.api_version {
        set_api_version(&mut next, api_version);
    }
    if &next == fetched {
        return Err(page_error(
            "the next link repeats the page just fetched",
            fetched,
        ));
    }
    Ok(Some(next))
}

/// Replaces every `api-version` of the query with `api_version`, leaving the other pairs as
/// they were written.
pub(crate) fn set_api_version(url: &mut Url, api_version: &str) {
    let mut query: Vec<String> = url
        .query()
        .unwrap_or_default()
        .split('&')
        .filter(|pair| !pair.is_empty() && pair.split('=').next() != Some("api-version"))
        .map(str::to_owned)
        .collect();
    let encoded: String = url::form_urlencoded::byte_serialize(api_version.as_bytes()).collect();
    query.push(format!("api-version={encoded}"));
    url.set_query(Some(&query.join("&")));
}

fn page_error(what: &str, fetched: &Url) -> Error {
    let url = fetched
        .as_str()
        .split(['?', '#'])
        .next()
        .unwrap_or_default();
    Error::with_message(
        ErrorKind::DataConversion,
        format!("listing failed: {what} ({url})"),
    )
}
