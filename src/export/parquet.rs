//! `--export parquet`: the long tables with figures as numbers (polars' Parquet writer).

use std::path::{Path, PathBuf};

use polars::prelude::*;

use super::Value;
use crate::atomic::write_atomic;
use crate::consolidate::Consolidated;
use crate::error::{Error, Result};

fn pe(e: PolarsError) -> Error {
    Error::Consolidate(Box::new(e))
}

/// `--export parquet`: the long tables of `--export csv`, with figures as numbers.
pub fn write_parquet(c: &Consolidated<'_>, out: &Path) -> Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    for (name, header, rows) in super::tables(c.batch) {
        let mut columns = Vec::with_capacity(header.len());
        for (k, h) in header.iter().enumerate() {
            let column = if super::is_figure(h) {
                let v: Vec<Option<f64>> = rows
                    .iter()
                    .map(|r| match &r[k] {
                        Value::Figure(v) => *v,
                        Value::Text(_) => None,
                    })
                    .collect();
                Column::new((*h).into(), v)
            } else {
                let v: Vec<String> = rows.iter().map(|r| r[k].text()).collect();
                Column::new((*h).into(), v)
            };
            columns.push(column);
        }
        let mut df = DataFrame::new(rows.len(), columns).map_err(pe)?;
        let mut buf = Vec::new();
        polars_io::parquet::write::ParquetWriter::new(&mut buf)
            .finish(&mut df)
            .map_err(pe)?;
        let path = out.join(crate::layout::files::export(name, "parquet"));
        write_atomic(&path, &buf)?;
        written.push(path);
    }
    Ok(written)
}
