//! The rule-pack parser and compiler on arbitrary text: errors, never panics or hangs;
//! a pack that loads runs its own examples.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut set = wirecheck::RuleSet::default();
    if set.add_pack("fuzz.toml", text, false).is_ok() {
        for rule in &set.rules {
            let _ = wirecheck::pack::examples::run_rule(&set, rule);
        }
    }
});
