//! The chart of bench/RESULTS.md: gas per job, Viable beside its peer or its floor,
//! as horizontal bars, drawn with plotters' SVG backend.

use std::path::Path;

use eyre::{Result, eyre};
use plotters::prelude::*;

/// One job: its name, Viable's gas, and the other side's name and gas.
pub(crate) struct Bar {
    pub(crate) job: String,
    pub(crate) viable: u64,
    pub(crate) other_name: String,
    pub(crate) other: u64,
}

const VIABLE: RGBColor = RGBColor(38, 110, 180);
const PEER: RGBColor = RGBColor(200, 120, 40);
const FLOOR: RGBColor = RGBColor(150, 150, 150);

pub(crate) fn draw(path: &Path, title: &str, bars: &[Bar]) -> Result<()> {
    let row = 56i32;
    let (width, top, left, right) = (1060i32, 70i32, 360i32, 150i32);
    let height = top + row * bars.len() as i32 + 20;
    let root = SVGBackend::new(path, (width as u32, height as u32)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| eyre!("{e}"))?;
    let text = |s: &str, x: i32, y: i32, size: i32, color: &RGBColor| {
        Text::new(s.to_string(), (x, y), ("sans-serif", size).into_font().color(color))
    };
    let max = bars.iter().map(|b| b.viable.max(b.other)).max().unwrap_or(1).max(1);
    let scale = |g: u64| ((g as f64 / max as f64) * f64::from(width - left - right)) as i32;
    root.draw(&text(title, 10, 12, 18, &BLACK)).map_err(|e| eyre!("{e}"))?;
    let legend =
        [(VIABLE, "Viable"), (PEER, "peer (OpenZeppelin, EAS)"), (FLOOR, "physical floor")];
    for (i, (color, name)) in legend.iter().enumerate() {
        let x = 10 + 260 * i as i32;
        root.draw(&Rectangle::new([(x, 40), (x + 14, 54)], color.filled()))
            .map_err(|e| eyre!("{e}"))?;
        root.draw(&text(name, x + 20, 40, 14, &BLACK)).map_err(|e| eyre!("{e}"))?;
    }
    for (i, b) in bars.iter().enumerate() {
        let y = top + row * i as i32;
        root.draw(&text(&b.job, 10, y + 6, 13, &BLACK)).map_err(|e| eyre!("{e}"))?;
        root.draw(&text(&format!("vs {}", b.other_name), 10, y + 26, 11, &RGBColor(90, 90, 90)))
            .map_err(|e| eyre!("{e}"))?;
        let other_color = if b.other_name.contains("floor") { FLOOR } else { PEER };
        for (j, (g, color)) in [(b.viable, VIABLE), (b.other, other_color)].into_iter().enumerate()
        {
            let y0 = y + 4 + 22 * j as i32;
            let x1 = left + scale(g).max(1);
            root.draw(&Rectangle::new([(left, y0), (x1, y0 + 18)], color.filled()))
                .map_err(|e| eyre!("{e}"))?;
            root.draw(&text(&crate::report::thousands(g), x1 + 6, y0 + 2, 12, &BLACK))
                .map_err(|e| eyre!("{e}"))?;
        }
    }
    root.present().map_err(|e| eyre!("{e}"))?;
    Ok(())
}
