//! `codebind verify [<id> | --all]`

use codebind_core::{Core, Error, ErrorCode};

use crate::args::VerifyArgs;
use crate::output;

pub async fn run(core: &Core, args: &VerifyArgs) -> Result<(), Error> {
    let reports = match &args.id {
        Some(id) if !args.all => vec![core.verify(id).await?],
        _ => core.verify_all().await?,
    };
    if args.json {
        output::json(&reports)?;
    } else {
        let rows: Vec<Vec<String>> = reports
            .iter()
            .map(|r| {
                let why = r.error.as_ref().map(|e| format!("[{}] {}", e.code.as_str(), e.message)).unwrap_or_default();
                vec![r.binding_id.clone(), r.status.as_str().to_owned(), why]
            })
            .collect();
        output::table(&["ID", "STATUS", "DETAIL"], &rows);
    }
    // A single binding that could not be verified is a failure for scripts.
    match (&args.id, reports.as_slice()) {
        (Some(_), [r]) if r.error.is_some() && !args.all => {
            let e = r.error.clone().unwrap_or_else(|| Error::new(ErrorCode::Internal, "verification failed"));
            Err(e)
        }
        _ => Ok(()),
    }
}
