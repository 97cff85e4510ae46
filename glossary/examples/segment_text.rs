//! Prints the words of text read from standard input, one line per input
//! line, the syllables of a word joined by `_`:
//! `cargo run --release -p glossary --example segment_text < FILE`.

use std::io::{BufRead, Write};

fn main() -> std::io::Result<()> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for line in std::io::stdin().lock().lines() {
        let line = line?;
        let words: Vec<String> = glossary::text::words(&line)
            .into_iter()
            .map(|w| line[w.bytes].split_whitespace().collect::<Vec<_>>().join("_"))
            .collect();
        writeln!(out, "{}", words.join(" "))?;
    }
    Ok(())
}
