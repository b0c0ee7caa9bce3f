//! Work that was done although part of what it was given could not be used: a value with its
//! warnings. Every layer returns this one shape (a trust folder with unreadable files, a
//! specimen library with a broken manifest, …), so a front end prints warnings one way and
//! cannot take the value without seeing that there are some.

/// A value and the warnings met while making it, in the order met.
#[must_use = "its warnings say what could not be used"]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warned<T, W> {
    /// What was made.
    pub value: T,
    /// What could not be used, and why.
    pub warnings: Vec<W>,
}

impl<T, W> Warned<T, W> {
    /// `value` with `warnings`.
    pub fn new(value: T, warnings: Vec<W>) -> Self {
        Warned { value, warnings }
    }

    /// `value` without a warning.
    pub fn clean(value: T) -> Self {
        Warned::new(value, Vec::new())
    }

    /// Whether nothing was left unused.
    pub fn is_clean(&self) -> bool {
        self.warnings.is_empty()
    }

    /// The value and the warnings apart.
    pub fn into_parts(self) -> (T, Vec<W>) {
        (self.value, self.warnings)
    }

    /// The same warnings with the value turned by `f`.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Warned<U, W> {
        Warned::new(f(self.value), self.warnings)
    }
}

#[cfg(test)]
mod tests {
    use super::Warned;

    #[test]
    fn the_warnings_travel_with_the_value() {
        let w = Warned::new(2, vec!["a file was skipped"]);
        assert!(!w.is_clean());
        let (value, warnings) = w.map(|v| v * 10).into_parts();
        assert_eq!(value, 20);
        assert_eq!(warnings, ["a file was skipped"]);
        assert!(Warned::<u8, String>::clean(1).is_clean());
    }
}
