//! `{{code text}}`: a Markdown inline code span around `text`, whatever backticks it holds.

use handlebars::{
    Context, Handlebars, Helper, HelperDef, HelperResult, Output, RenderContext, RenderError,
    RenderErrorReason,
};

use crate::escape::markdown_code;

/// Writes its one parameter as a Markdown code span (see [`markdown_code`]). The output is
/// not escaped again: code spans show their text literally.
pub(crate) struct Code;

impl HelperDef for Code {
    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        _: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        let param = h.param(0).ok_or_else(|| {
            RenderError::from(RenderErrorReason::ParamNotFoundForIndex("code", 0))
        })?;
        let text = match param.value() {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        out.write(&markdown_code(&text))?;
        Ok(())
    }
}
