//! `muutospv`: a legacy registration date at 00:00 Finnish local time, as the API's UTC instant
//! with milliseconds (`2019-09-24T21:00:00.000Z` is 25 September 2019).
//!
//! Finnish local time is EET (UTC+2), with summer time EEST (UTC+3). The rule is computed here
//! rather than read from a time-zone database: a database crate would add a dependency (and its
//! build time) for a question with one answer per day, and the rules are short and stable. A test
//! compares every day with the system's `Europe/Helsinki` zone file when it is present.
//!
//! Summer time, as the tz database has it for `Europe/Helsinki` since 1921:
//! * 1942: from 3 April 00:00 to 4 October 01:00 local time;
//! * 1981–1982 (Finland's own rule) and 1983–1995 (EU rule): from the last Sunday of March to
//!   the last Sunday of September;
//! * from 1996 (EU rule): from the last Sunday of March 03:00 local (01:00 UTC) to the last
//!   Sunday of October 04:00 local (01:00 UTC).
//!
//! Local midnight is never inside a switch hour except in 1942, so a day's offset is decided by
//! its date alone: a day is on summer time when it lies after the spring Sunday and up to and
//! including the autumn Sunday (midnight of the autumn Sunday is still summer time, midnight of
//! the spring Sunday is not yet). On 4 October 1942 midnight came twice; the first (summer time)
//! is taken. Before May 1921 Helsinki kept local mean time (UTC+1:39:49); this module uses UTC+2
//! there too, a deliberate simplification for dates that no VTJ registration carries.

use chrono::{Datelike, Duration, NaiveDate};

/// The last Sunday of a month (`month` 1–12; `None` only for impossible years).
fn last_sunday(year: i32, month: u32) -> Option<NaiveDate> {
    let first_next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)?
    };
    let last = first_next - Duration::days(1);
    let back = last.weekday().num_days_from_sunday();
    Some(last - Duration::days(i64::from(back)))
}

/// The UTC offset of 00:00 local time in Finland on `date`, in hours (2 or 3).
pub fn helsinki_midnight_offset(date: NaiveDate) -> u8 {
    let year = date.year();
    let summer = match year {
        1942 => {
            let start = NaiveDate::from_ymd_opt(1942, 4, 4);
            let end = NaiveDate::from_ymd_opt(1942, 10, 4);
            start.zip(end).is_some_and(|(s, e)| s <= date && date <= e)
        }
        1981.. => {
            let end_month = if year < 1996 { 9 } else { 10 };
            match (last_sunday(year, 3), last_sunday(year, end_month)) {
                (Some(start), Some(end)) => start < date && date <= end,
                _ => false,
            }
        }
        _ => false,
    };
    if summer {
        3
    } else {
        2
    }
}

/// `muutospv` for a registration date: 00:00 Finnish time as `YYYY-MM-DDTHH:00:00.000Z`.
pub fn muutospv(date: NaiveDate) -> String {
    let mut buf = [0u8; 24];
    muutospv_into(date, &mut buf).to_owned()
}

/// [`muutospv`] into a stack buffer.
pub fn muutospv_into(date: NaiveDate, buf: &mut [u8; 24]) -> &str {
    muutospv_bytes(date, buf);
    std::str::from_utf8(buf).unwrap_or("")
}

/// [`muutospv`]'s 24 ASCII bytes into a stack buffer.
pub fn muutospv_bytes(date: NaiveDate, buf: &mut [u8; 24]) {
    let offset = helsinki_midnight_offset(date);
    // 00:00 local is (24 - offset):00 UTC on the day before.
    let (day, hour) = match date.pred_opt() {
        Some(day) => (day, 24 - u32::from(offset)),
        None => (date, 0),
    };
    *buf = *b"0000-00-00T00:00:00.000Z";
    let parts = [
        (day.year().clamp(0, 9999) as u32, 4usize, 0usize),
        (day.month(), 2, 5),
        (day.day(), 2, 8),
        (hour, 2, 11),
    ];
    for (mut v, n, at) in parts {
        for i in (0..n).rev() {
            buf[at + i] = b'0' + (v % 10) as u8;
            v /= 10;
        }
    }
}

/// The day of the week of a date (0 Sunday … 6 Saturday; proleptic Gregorian calendar; year
/// from 1, month 1–12).
fn weekday_from_sunday(year: u16, month: u8, day: u8) -> u8 {
    const T: [u32; 12] = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];
    let y = u32::from(year).saturating_sub(u32::from(month < 3));
    let t = T[usize::from(month.clamp(1, 12)) - 1];
    ((y + y / 4 - y / 100 + y / 400 + t + u32::from(day)) % 7) as u8
}

/// The days of a month (`month` 1–12).
pub(crate) fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The day of the month of the last Sunday of a month.
fn last_sunday_day(year: u16, month: u8) -> u8 {
    let last = days_in_month(year, month);
    last - weekday_from_sunday(year, month, last)
}

/// [`muutospv_bytes`] for a valid calendar date given as numbers (year 1–9999), without
/// building a `NaiveDate`: the same 24 bytes.
pub fn muutospv_ymd(year: u16, month: u8, day: u8, buf: &mut [u8; 24]) {
    let md = (month, day);
    let summer = match year {
        1942 => ((4, 4)..=(10, 4)).contains(&md),
        1981.. => {
            let end_month = if year < 1996 { 9 } else { 10 };
            (3, last_sunday_day(year, 3)) < md
                && md <= (end_month, last_sunday_day(year, end_month))
        }
        _ => false,
    };
    let hour: u8 = if summer { 21 } else { 22 };
    let (y, m, d) = if day > 1 {
        (year, month, day - 1)
    } else if month > 1 {
        (year, month - 1, days_in_month(year, month - 1))
    } else {
        (year.saturating_sub(1), 12, 31)
    };
    *buf = *b"0000-00-00T00:00:00.000Z";
    let y = y % 10000;
    buf[0] = b'0' + (y / 1000) as u8;
    buf[1] = b'0' + (y / 100 % 10) as u8;
    buf[2] = b'0' + (y / 10 % 10) as u8;
    buf[3] = b'0' + (y % 10) as u8;
    buf[5] = b'0' + m / 10 % 10;
    buf[6] = b'0' + m % 10;
    buf[8] = b'0' + d / 10 % 10;
    buf[9] = b'0' + d % 10;
    buf[11] = b'0' + hour / 10;
    buf[12] = b'0' + hour % 10;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_give_what_dates_give() {
        let years = (1..=120).chain(1890..=2110).chain(9980..=9999);
        for year in years {
            let mut date = d(year, 1, 1);
            while date.year() == year {
                let (mut a, mut b) = ([0u8; 24], [0u8; 24]);
                muutospv_bytes(date, &mut a);
                muutospv_ymd(year as u16, date.month() as u8, date.day() as u8, &mut b);
                assert_eq!(a, b, "{date}");
                match date.succ_opt() {
                    Some(next) => date = next,
                    None => break,
                }
            }
        }
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_apis_example_and_the_switch_days() {
        assert_eq!(muutospv(d(2019, 9, 25)), "2019-09-24T21:00:00.000Z");
        assert_eq!(muutospv(d(2019, 1, 15)), "2019-01-14T22:00:00.000Z");
        // 2019: summer time from Sunday 31 March to Sunday 27 October.
        assert_eq!(muutospv(d(2019, 3, 31)), "2019-03-30T22:00:00.000Z");
        assert_eq!(muutospv(d(2019, 4, 1)), "2019-03-31T21:00:00.000Z");
        assert_eq!(muutospv(d(2019, 10, 27)), "2019-10-26T21:00:00.000Z");
        assert_eq!(muutospv(d(2019, 10, 28)), "2019-10-27T22:00:00.000Z");
        // Before 1996 summer time ended in September.
        assert_eq!(helsinki_midnight_offset(d(1995, 9, 24)), 3);
        assert_eq!(helsinki_midnight_offset(d(1995, 9, 25)), 2);
        assert_eq!(helsinki_midnight_offset(d(1995, 10, 1)), 2);
        assert_eq!(helsinki_midnight_offset(d(1980, 7, 1)), 2);
        // New Year: the day before is in the previous year.
        assert_eq!(muutospv(d(2020, 1, 1)), "2019-12-31T22:00:00.000Z");
    }
}
