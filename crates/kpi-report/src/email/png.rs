//! The report's SVG charts drawn as PNG images, for mail clients that show no inline SVG.
//!
//! Text is drawn with the bundled DejaVu Sans subset only, never a system font, so that a
//! chart is the same bytes on every machine; an SVG that names an image or a font file
//! loads nothing.

use std::sync::Arc;

use resvg::tiny_skia::{Color, Pixmap, Transform};
use resvg::usvg::{self, fontdb};

/// DejaVu Sans, subset to Latin, punctuation and currency signs (see `fonts/LICENSE`).
const FONT: &[u8] = include_bytes!("../../fonts/DejaVuSans.subset.ttf");
/// The family name inside [`FONT`].
const FAMILY: &str = "DejaVu Sans";

/// Images are drawn at twice their size in the HTML, for sharp high-density screens.
pub(crate) const SCALE: u32 = 2;

/// Draws SVG with the bundled font.
pub(crate) struct Painter {
    fonts: Arc<fontdb::Database>,
}

impl Painter {
    pub(crate) fn new() -> Painter {
        let mut fonts = fontdb::Database::new();
        fonts.load_font_data(FONT.to_vec());
        Painter {
            fonts: Arc::new(fonts),
        }
    }

    /// `svg` styled by `css`, on white, as PNG bytes [`SCALE`] times the size it is shown at
    /// (`width` × `height` CSS pixels), the drawing scaled to fit.
    pub(crate) fn png(
        &self,
        svg: &str,
        css: &str,
        (width, height): (u32, u32),
    ) -> Result<Vec<u8>, String> {
        let options = usvg::Options {
            font_family: FAMILY.to_string(),
            fontdb: Arc::clone(&self.fonts),
            style_sheet: Some(css.to_string()),
            // Our charts hold no image; should one ever, nothing is read from disk or network.
            image_href_resolver: usvg::ImageHrefResolver {
                resolve_data: Box::new(|_, _, _| None),
                resolve_string: Box::new(|_, _| None),
            },
            ..usvg::Options::default()
        };
        let tree = usvg::Tree::from_str(svg, &options).map_err(|e| e.to_string())?;
        let (width, height) = (width * SCALE, height * SCALE);
        let mut pixmap = Pixmap::new(width, height)
            .ok_or_else(|| format!("cannot draw an image of {width}×{height} pixels"))?;
        // White, not transparent: a dark-mode client would otherwise put dark text on dark.
        pixmap.fill(Color::WHITE);
        let size = tree.size();
        let transform =
            Transform::from_scale(width as f32 / size.width(), height as f32 / size.height());
        resvg::render(&tree, transform, &mut pixmap.as_mut());
        pixmap.encode_png().map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::Painter;

    /// The PNG's width and height, read from its IHDR chunk.
    fn dimensions(png: &[u8]) -> (u32, u32) {
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        assert_eq!(&png[12..16], b"IHDR");
        let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
        (be(&png[16..20]), be(&png[20..24]))
    }

    #[test]
    fn draws_at_twice_the_size_shown_the_same_bytes_each_time() {
        // As the HTML report writes its sparklines: no namespace, no font family.
        let svg = r#"<svg class="spark" viewBox="0 0 100 24" width="100" height="24"><polyline points="3,21 97,3"/><text x="2" y="12" font-size="10">Oct 1 234 €</text></svg>"#;
        let css = "svg { fill: none; stroke: #0b57d0; }";
        let painter = Painter::new();
        let png = painter.png(svg, css, (100, 24)).unwrap();
        assert_eq!(dimensions(&png), (200, 48));
        assert_eq!(png, Painter::new().png(svg, css, (100, 24)).unwrap());
        // Shown smaller, it is drawn smaller, still at twice the size shown.
        assert_eq!(
            dimensions(&painter.png(svg, css, (75, 18)).unwrap()),
            (150, 36)
        );
    }

    #[test]
    fn text_is_drawn_with_the_bundled_font() {
        // Without a font, resvg draws no text: the image with text must differ from the
        // image without.
        let with = r#"<svg viewBox="0 0 60 20"><text x="2" y="15" font-size="14">Oct</text></svg>"#;
        let without = r#"<svg viewBox="0 0 60 20"></svg>"#;
        let painter = Painter::new();
        assert_ne!(
            painter.png(with, "text { fill: #000; }", (60, 20)).unwrap(),
            painter.png(without, "", (60, 20)).unwrap()
        );
    }
}
