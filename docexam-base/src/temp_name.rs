//! Names of temporary files: one prefix for all, so that anything starting with it is known
//! as an interrupted write, and a random part, so that concurrent writers never collide. A
//! leaf: the evidence store and the PDF worker both name their temporary files so.

/// Prefix of temporary files; anything starting with it is an interrupted write.
pub const TEMP_PREFIX: &str = ".tmp-";

/// `n` random bytes as hex (the process id and time if the system has no randomness).
pub fn random_hex(n: usize) -> String {
    let mut bytes = vec![0u8; n];
    match getrandom::fill(&mut bytes) {
        Ok(()) => bytes.iter().map(|b| format!("{b:02x}")).collect(),
        Err(_) => format!(
            "{:x}{:x}",
            std::process::id(),
            crate::date::Timestamp::now().unix_ms()
        ),
    }
}
