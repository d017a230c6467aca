//! `{{#if}}` and `{{#unless}}` that refuse a field the model does not have.
//!
//! Handlebars' strict mode catches a missing field in `{{name}}`, `{{#each}}` and `{{#with}}`,
//! but its built-in `if` treats a missing field as false, so a typo in `{{#if pace}}` would
//! silently hide a part of the report. These replace the built-ins and fail like strict
//! mode does. Fields that exist with a `null` value (an absent change, target or pace) are
//! still false, as before.

use handlebars::{
    Context, Handlebars, Helper, HelperDef, HelperResult, JsonTruthy, Output, RenderContext,
    RenderError, RenderErrorReason, Renderable,
};

/// `if` (`positive`) or `unless`.
#[derive(Clone, Copy)]
pub(crate) struct StrictIf {
    pub(crate) positive: bool,
}

impl HelperDef for StrictIf {
    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        r: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        rc: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        let name = if self.positive { "if" } else { "unless" };
        let param = h
            .param(0)
            .ok_or(RenderErrorReason::ParamNotFoundForIndex(name, 0))?;
        if param.is_value_missing() {
            return Err(RenderError::strict_error(param.relative_path()));
        }
        let truthy = param.value().is_truthy(false) == self.positive;
        match if truthy { h.template() } else { h.inverse() } {
            Some(t) => t.render(r, ctx, rc, out),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::StrictIf;
    use handlebars::Handlebars;
    use serde_json::json;

    fn render(template: &str) -> Result<String, String> {
        let mut hbs = Handlebars::new();
        hbs.set_strict_mode(true);
        hbs.register_helper("if", Box::new(StrictIf { positive: true }));
        hbs.register_helper("unless", Box::new(StrictIf { positive: false }));
        hbs.render_template(template, &json!({"a": true, "b": null, "c": {"d": 0}}))
            .map_err(|e| e.to_string())
    }

    #[test]
    fn present_fields_behave_as_usual() {
        assert_eq!(render("{{#if a}}y{{else}}n{{/if}}").unwrap(), "y");
        assert_eq!(render("{{#if b}}y{{else}}n{{/if}}").unwrap(), "n");
        assert_eq!(render("{{#unless b}}y{{/unless}}").unwrap(), "y");
        assert_eq!(render("{{#if c.d}}y{{else}}n{{/if}}").unwrap(), "n");
    }

    #[test]
    fn missing_fields_are_errors() {
        assert!(render("{{#if typo}}y{{/if}}").is_err());
        assert!(render("{{#unless c.typo}}y{{/unless}}").is_err());
    }
}
