//! Reading bindings.

use super::Core;
use crate::error::{Error, Result};
use crate::model::Binding;

impl Core {
    pub fn list_bindings(&self) -> Result<Vec<Binding>> {
        self.store.list_bindings()
    }

    pub fn binding(&self, id: &str) -> Result<Binding> {
        self.store.get_binding(id)?.ok_or_else(|| Error::not_found(format!("no binding with id {id}")))
    }
}
