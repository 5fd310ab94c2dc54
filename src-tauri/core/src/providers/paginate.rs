//! Pagination done the providers' ways, fast for large accounts: when the first page tells how many
//! pages there are, the rest are fetched concurrently (bounded); otherwise `next` links are followed.
//! Every page goes to the sink as soon as it arrives, so the first page shows at once.

use futures::stream::{self, StreamExt};

use crate::error::Result;

/// Pages in flight at once. 100 pages of 100 repos take ceil(99/16) + 1 = 8 round trips.
pub const CONCURRENT_PAGES: usize = 16;
/// A runaway `next` chain stops here (1,000 pages of 100 items).
const MAX_PAGES: usize = 1000;

pub struct Page<T> {
    pub items: Vec<T>,
    /// The total number of pages, when the provider says (headers or body).
    pub total_pages: Option<u32>,
    /// The next page's URL, when the provider links it.
    pub next: Option<String>,
}

impl<T> Page<T> {
    /// The same page with its items converted (provider JSON → model types).
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page { items: self.items.into_iter().map(f).collect(), total_pages: self.total_pages, next: self.next }
    }
}

/// Fetches `first`, then the rest. `page_url(n)` builds page n's URL when the total is known.
pub async fn fetch_all<T, F, Fut>(
    first: String,
    page_url: impl Fn(u32) -> String,
    fetch: F,
    sink: &(dyn Fn(Vec<T>) + Send + Sync),
) -> Result<()>
where
    F: Fn(String) -> Fut,
    Fut: std::future::Future<Output = Result<Page<T>>>,
{
    let page = fetch(first).await?;
    let total = page.total_pages;
    let mut next = page.next;
    sink(page.items);
    if let Some(total) = total.filter(|t| *t > 1) {
        let urls: Vec<String> = (2..=total.min(MAX_PAGES as u32)).map(&page_url).collect();
        let mut pages = stream::iter(urls.into_iter().map(&fetch)).buffer_unordered(CONCURRENT_PAGES);
        while let Some(p) = pages.next().await {
            sink(p?.items);
        }
        return Ok(());
    }
    let mut count = 1;
    while let Some(url) = next.take() {
        count += 1;
        if count > MAX_PAGES {
            break;
        }
        let p = fetch(url).await?;
        next = p.next;
        sink(p.items);
    }
    Ok(())
}

/// Collects every page into one list (orgs, groups, workspaces: small lists).
pub async fn collect_all<T: Send, F, Fut>(first: String, page_url: impl Fn(u32) -> String, fetch: F) -> Result<Vec<T>>
where
    F: Fn(String) -> Fut,
    Fut: std::future::Future<Output = Result<Page<T>>>,
{
    let all = std::sync::Mutex::new(Vec::new());
    fetch_all(first, page_url, fetch, &|items: Vec<T>| all.lock().unwrap_or_else(|p| p.into_inner()).extend(items)).await?;
    Ok(all.into_inner().unwrap_or_else(|p| p.into_inner()))
}

/// `url` with its query parameter `name` set to `value` (used to build page n from a provider's
/// own `last` link or first-page URL).
pub fn with_param(url: &str, name: &str, value: &str) -> String {
    let Ok(mut u) = url::Url::parse(url) else { return url.to_owned() };
    let kept: Vec<(String, String)> =
        u.query_pairs().filter(|(k, _)| k != name).map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    u.query_pairs_mut().clear().extend_pairs(kept).append_pair(name, value);
    u.to_string()
}

/// The value of a query parameter in a URL.
pub fn param(url: &str, name: &str) -> Option<String> {
    url::Url::parse(url).ok()?.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned())
}

/// ceil(total / per_page), for providers that give an item count.
pub fn pages_for(total: u64, per_page: u64) -> u32 {
    total.div_ceil(per_page.max(1)) as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[tokio::test]
    async fn known_totals_fetch_every_page_once() {
        let seen = Mutex::new(Vec::new());
        let fetched = Mutex::new(Vec::new());
        fetch_all(
            "p=1".to_owned(),
            |n| format!("p={n}"),
            |url: String| {
                fetched.lock().unwrap().push(url.clone());
                async move {
                    let n: u32 = url[2..].parse().unwrap();
                    Ok(Page { items: vec![n], total_pages: Some(5), next: None })
                }
            },
            &|items| seen.lock().unwrap().extend(items),
        )
        .await
        .unwrap();
        let mut s = seen.into_inner().unwrap();
        s.sort();
        assert_eq!(s, vec![1, 2, 3, 4, 5]);
        assert_eq!(fetched.into_inner().unwrap().len(), 5);
    }

    #[tokio::test]
    async fn unknown_totals_follow_next_links() {
        let all = collect_all("1".to_owned(), |_| unreachable!(), |url: String| async move {
            let n: u32 = url.parse().unwrap();
            Ok(Page { items: vec![n], total_pages: None, next: (n < 3).then(|| (n + 1).to_string()) })
        })
        .await
        .unwrap();
        assert_eq!(all, vec![1, 2, 3]);
    }

    #[test]
    fn builds_page_urls() {
        assert_eq!(with_param("https://x.org/r?per_page=100&page=1", "page", "7"), "https://x.org/r?per_page=100&page=7");
        assert_eq!(param("https://x.org/r?per_page=100&page=515", "page").as_deref(), Some("515"));
        assert_eq!(pages_for(10_000, 100), 100);
        assert_eq!(pages_for(101, 50), 3);
        assert_eq!(pages_for(0, 50), 0);
    }
}
