//! Reading the history.

use super::Core;
use crate::error::Result;
use crate::model::{HistoryPage, HistoryQuery};

impl Core {
    pub fn history(&self, query: &HistoryQuery) -> Result<HistoryPage> {
        self.store.history(query)
    }
}
