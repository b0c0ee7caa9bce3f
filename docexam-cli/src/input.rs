//! Reading the input file or stdin, under a size limit.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

/// Where input comes from.
#[derive(Debug, Clone)]
pub enum Source {
    /// Standard input (no path, or `-`).
    Stdin,
    /// A file.
    File(PathBuf),
}

impl Source {
    /// The source named on the command line.
    pub fn from_arg(arg: Option<&Path>) -> Self {
        match arg {
            None => Source::Stdin,
            Some(p) if p.as_os_str() == "-" => Source::Stdin,
            Some(p) => Source::File(p.to_path_buf()),
        }
    }

    /// A name for messages.
    pub fn name(&self) -> String {
        match self {
            Source::Stdin => "<stdin>".to_owned(),
            Source::File(p) => p.display().to_string(),
        }
    }

    /// A buffered reader over the source.
    pub fn open(&self) -> Result<Box<dyn BufRead>> {
        Ok(match self {
            Source::Stdin => Box::new(BufReader::with_capacity(1 << 16, io::stdin())),
            Source::File(p) => {
                let f = File::open(p).with_context(|| format!("cannot open {}", p.display()))?;
                Box::new(BufReader::with_capacity(1 << 16, f))
            }
        })
    }

    /// Reads the whole source, refusing more than `limit` bytes with `why` as the reason.
    pub fn read_limited(&self, limit: u64, why: &str) -> Result<Vec<u8>> {
        let mut buf = Vec::new();
        self.open()?
            .take(limit + 1)
            .read_to_end(&mut buf)
            .with_context(|| format!("cannot read {}", self.name()))?;
        if buf.len() as u64 > limit {
            bail!("{} is larger than {limit} bytes: {why}", self.name());
        }
        Ok(buf)
    }
}
