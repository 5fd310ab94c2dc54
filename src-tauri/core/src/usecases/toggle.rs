//! Disable and enable: the seeds' temporary disable. The token stays; nothing uses it meanwhile.

use serde_json::json;

use super::Core;
use crate::error::{Error, ErrorCode, Result};
use crate::model::{Binding, EventKind};
use crate::store::NewEvent;
use crate::time::now;

impl Core {
    pub fn disable(&self, id: &str) -> Result<Binding> {
        self.set_disabled(id, true)
    }

    pub fn enable(&self, id: &str) -> Result<Binding> {
        self.set_disabled(id, false)
    }

    fn set_disabled(&self, id: &str, disabled: bool) -> Result<Binding> {
        let mut b = self.binding(id)?;
        if b.disabled == disabled {
            let state = if disabled { "disabled" } else { "enabled" };
            return Err(Error::new(ErrorCode::Conflict, format!("the binding {id} is already {state}")));
        }
        b.disabled = disabled;
        b.updated_at = now();
        let kind = if disabled { EventKind::Disabled } else { EventKind::Enabled };
        self.store.update_binding(&b, Some(NewEvent::new(&b.id, kind, json!({ "login": b.login }))))?;
        Ok(b)
    }
}
