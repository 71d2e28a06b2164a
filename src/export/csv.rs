//! CSV text of record batches (RFC 4180: `,`, `"` quoting, CRLF-free `\n` line ends).

use std::io::{self, Write};

use arrow_array::cast::AsArray;
use arrow_array::types::{Date32Type, Int32Type, Int64Type};
use arrow_array::{Array, RecordBatch};
use arrow_schema::{DataType, SchemaRef};
use chrono::{Datelike, NaiveDate};

/// Writes one CSV field, quoted when it holds `,`, `"`, CR or LF (or starts or ends with a
/// space, so that readers that trim keep it).
fn field(out: &mut Vec<u8>, s: &str) {
    let needs = s.bytes().any(|b| matches!(b, b',' | b'"' | b'\r' | b'\n'))
        || s.starts_with(' ')
        || s.ends_with(' ');
    if !needs {
        out.extend_from_slice(s.as_bytes());
        return;
    }
    out.push(b'"');
    for b in s.bytes() {
        if b == b'"' {
            out.push(b'"');
        }
        out.push(b);
    }
    out.push(b'"');
}

/// The header line of a table.
pub(crate) fn header(schema: &SchemaRef, out: &mut impl Write) -> io::Result<()> {
    let mut line = Vec::new();
    for (i, f) in schema.fields().iter().enumerate() {
        if i > 0 {
            line.push(b',');
        }
        field(&mut line, f.name());
    }
    line.push(b'\n');
    out.write_all(&line)
}

/// `yyyy-mm-dd` for days since 1970-01-01.
fn date(days: i32) -> String {
    NaiveDate::from_num_days_from_ce_opt(days.saturating_add(719_163))
        .map(|d| format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day()))
        .unwrap_or_default()
}

/// The rows of a batch. Nulls are empty fields; bytes are hexadecimal.
pub(crate) fn rows(batch: &RecordBatch, out: &mut impl Write) -> io::Result<()> {
    let mut line = Vec::with_capacity(1024);
    let columns = batch.columns();
    for row in 0..batch.num_rows() {
        line.clear();
        for (i, col) in columns.iter().enumerate() {
            if i > 0 {
                line.push(b',');
            }
            if col.is_null(row) {
                continue;
            }
            match col.data_type() {
                DataType::Utf8 => field(&mut line, col.as_string::<i32>().value(row)),
                DataType::Int64 => {
                    let _ = write!(line, "{}", col.as_primitive::<Int64Type>().value(row));
                }
                DataType::Int32 => {
                    let _ = write!(line, "{}", col.as_primitive::<Int32Type>().value(row));
                }
                DataType::Date32 => {
                    line.extend_from_slice(
                        date(col.as_primitive::<Date32Type>().value(row)).as_bytes(),
                    );
                }
                DataType::Binary => {
                    for b in col.as_binary::<i32>().value(row) {
                        let _ = write!(line, "{b:02x}");
                    }
                }
                _ => {}
            }
        }
        line.push(b'\n');
        out.write_all(&line)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_and_dates() {
        let mut out = Vec::new();
        field(&mut out, "a,b \"c\"");
        assert_eq!(out, b"\"a,b \"\"c\"\"\"");
        out.clear();
        field(&mut out, "Köski");
        assert_eq!(out, "Köski".as_bytes());
        assert_eq!(date(0), "1970-01-01");
        assert_eq!(date(-719_162), "0001-01-01");
    }
}
