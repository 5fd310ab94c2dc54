//! Page-number pagination shared by the providers: reading `page`/`per_page`-style
//! parameters, slicing, and building RFC 8288 `Link` headers from the request URL.

use crate::http::SimRequest;

/// A requested page: 1-based `page`, items per page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub page: u64,
    pub per_page: u64,
}

/// Reads `page_key`/`per_key`. Missing, unparsable or < 1 values fall back to page 1 and
/// `default_per`; a page size above `max_per` is clamped (GitHub, GitLab and Gitea clamp
/// silently rather than failing).
pub fn page_params(
    req: &SimRequest,
    page_key: &str,
    per_key: &str,
    default_per: u64,
    max_per: u64,
) -> Page {
    let page = req
        .q(page_key)
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|p| *p >= 1)
        .unwrap_or(1);
    let per_page = req
        .q(per_key)
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|p| *p >= 1)
        .unwrap_or(default_per)
        .min(max_per.max(1));
    Page { page, per_page }
}

impl Page {
    /// Number of pages for `total` items; at least 1 (an empty list is one empty page).
    pub fn total_pages(&self, total: usize) -> u64 {
        let total = total as u64;
        total.div_ceil(self.per_page).max(1)
    }

    pub fn offset(&self) -> u64 {
        (self.page - 1).saturating_mul(self.per_page)
    }

    /// The items of this page.
    pub fn slice<'a, T>(&self, items: &'a [T]) -> &'a [T] {
        let start = usize::try_from(self.offset())
            .unwrap_or(usize::MAX)
            .min(items.len());
        let end = start
            .saturating_add(self.per_page as usize)
            .min(items.len());
        &items[start..end]
    }

    pub fn has_next(&self, total: usize) -> bool {
        self.page < self.total_pages(total)
    }
}

/// `<url>; rel="name"` entries joined with `, `, each URL being the request URL with
/// `page_key` set to that page. Returns None when `rels` is empty.
pub fn link_header(req: &SimRequest, page_key: &str, rels: &[(&str, u64)]) -> Option<String> {
    if rels.is_empty() {
        return None;
    }
    Some(
        rels.iter()
            .map(|(rel, page)| {
                format!(
                    "<{}>; rel=\"{}\"",
                    req.url_with(page_key, &page.to_string()),
                    rel
                )
            })
            .collect::<Vec<_>>()
            .join(", "),
    )
}

/// The usual prev/next/first/last set, in the given order of names, omitting
/// `prev`/`first` on page 1 and `next`/`last` on the last page.
pub fn standard_rels(
    p: &Page,
    total: usize,
    order: &[&'static str],
    include_last: bool,
) -> Vec<(&'static str, u64)> {
    let last = p.total_pages(total);
    let mut out = Vec::new();
    for name in order {
        match *name {
            "prev" if p.page > 1 => out.push(("prev", (p.page - 1).min(last))),
            "next" if p.page < last => out.push(("next", p.page + 1)),
            "first" if p.page > 1 => out.push(("first", 1)),
            "last" if include_last && p.page < last => out.push(("last", last)),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::{HeaderMap, Method};

    fn req(q: &str) -> SimRequest {
        SimRequest::new(
            Method::GET,
            "/user/repos",
            Some(q),
            HeaderMap::new(),
            Vec::new(),
            "http://h:1",
            &[],
        )
    }

    #[test]
    fn clamps_and_defaults() {
        assert_eq!(
            page_params(&req("per_page=500&page=0"), "page", "per_page", 30, 100),
            Page {
                page: 1,
                per_page: 100
            }
        );
        assert_eq!(
            page_params(&req("per_page=abc"), "page", "per_page", 30, 100).per_page,
            30
        );
    }

    #[test]
    fn slices_and_counts() {
        let items: Vec<u32> = (0..250).collect();
        let p = Page {
            page: 3,
            per_page: 100,
        };
        assert_eq!(p.slice(&items).len(), 50);
        assert_eq!(p.total_pages(250), 3);
        assert_eq!(
            Page {
                page: 9,
                per_page: 100
            }
            .slice(&items)
            .len(),
            0
        );
        assert_eq!(p.total_pages(0).max(1), 1);
    }

    #[test]
    fn links_follow_order() {
        let p = Page {
            page: 2,
            per_page: 10,
        };
        let rels = standard_rels(&p, 35, &["prev", "next", "last", "first"], true);
        let h = link_header(&req("per_page=10&page=2"), "page", &rels).unwrap_or_default();
        assert_eq!(
            h,
            "<http://h:1/user/repos?per_page=10&page=1>; rel=\"prev\", <http://h:1/user/repos?per_page=10&page=3>; rel=\"next\", <http://h:1/user/repos?per_page=10&page=4>; rel=\"last\", <http://h:1/user/repos?per_page=10&page=1>; rel=\"first\""
        );
    }
}
