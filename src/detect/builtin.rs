//! The registry of built-in detectors that rule files name with `detector = "..."`.

use serde::de::DeserializeOwned;

use super::Detector;

/// What a built-in detector is built from: its pack's language and its settings.
pub struct BuildContext<'a> {
    /// `*` or a language code such as `fr`.
    pub language: &'a str,
    pub settings: &'a toml::Table,
    /// May costly compiles wait for first use? (built-in packs, which the tests compile)
    pub lazy: bool,
}

impl BuildContext<'_> {
    /// The settings as the detector's own typed struct (unknown keys are errors).
    pub fn settings<T: DeserializeOwned>(&self) -> Result<T, String> {
        toml::Value::Table(self.settings.clone())
            .try_into()
            .map_err(|e: toml::de::Error| format!("bad settings: {}", e.message()))
    }
}

/// Names of every built-in detector.
pub const BUILTIN_NAMES: &[&str] = &[
    "ticker",
    "balance",
    "mojibake",
    "furniture",
    "repeated-word",
    "repeated-sentence",
    "stray-english",
    "name-variant",
    "currency-first",
    "percent-consistency",
];

/// Builds the built-in detector `name`.
pub fn build(name: &str, ctx: &BuildContext<'_>) -> Result<Box<dyn Detector>, String> {
    Ok(match name {
        "ticker" => Box::new(super::ticker::TickerDetector::new(ctx.settings()?)?),
        "balance" => Box::new(super::balance::BalanceDetector::new(ctx.settings()?)),
        "mojibake" => Box::new(super::encoding::MojibakeDetector::new(ctx.settings()?)?),
        "furniture" => Box::new(super::furniture::FurnitureDetector::new(
            ctx.settings()?,
            ctx.lazy,
        )?),
        "repeated-word" => Box::new(super::repetition::RepeatedWord::new(ctx.settings()?)),
        "repeated-sentence" => Box::new(super::repetition::RepeatedSentence::new(ctx.settings()?)),
        "stray-english" => Box::new(super::stray_english::StrayEnglish::new(ctx.settings()?)?),
        "name-variant" => Box::new(super::names::NameVariants::new(ctx.settings()?)?),
        "currency-first" => Box::new(super::numbers::CurrencyFirst::new(ctx.settings()?)?),
        "percent-consistency" => {
            Box::new(super::numbers::PercentConsistency::new(ctx.settings()?)?)
        }
        other => {
            return Err(format!(
                "unknown detector `{other}` (known: {})",
                BUILTIN_NAMES.join(", ")
            ))
        }
    })
}
