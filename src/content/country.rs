//! Country profiles.

use super::fields::{Fields, Sp};

/// An agency named in a country profile (its name is a translatable text,
/// `agencies.N.name`).
#[derive(Debug, Clone)]
pub struct Agency {
    /// Kind of agency (`anti-corruption`, `immigration`, …).
    pub kind: Option<String>,
}

/// An instrument ratified (its name is a text, `instruments.N.name`).
#[derive(Debug, Clone)]
pub struct Instrument {
    /// Year of ratification or accession, where known.
    pub year: Option<i64>,
}

/// Structure of a country profile.
#[derive(Debug, Clone)]
pub struct CountryMeta {
    /// ISO 3166-1 alpha-2 code.
    pub iso: String,
    /// Agencies, in order.
    pub agencies: Vec<Agency>,
    /// Instruments, in order.
    pub instruments: Vec<Instrument>,
}

/// Every key a country's front matter may hold.
pub const KEYS: &[&str] = &["title", "summary", "draft", "status", "source_hash", "iso", "agencies", "instruments"];

/// ISO 3166-1 alpha-2 codes currently assigned.
const ISO: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ \
CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG \
GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ \
LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR \
NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ \
TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

/// Reads a country's own fields.
pub fn parse(f: &mut Fields) -> Option<CountryMeta> {
    let iso = f.string("iso", true);
    if let Some(i) = &iso {
        if !ISO.split(' ').any(|c| c == i.v) {
            let e = f.file.error(i.span.clone(), format!("'{}' is not an ISO 3166-1 alpha-2 country code", i.v)).with_hint("use two capital letters, e.g. \"TH\" for Thailand");
            f.errs.push(e);
        }
    }
    let mut agencies = Vec::new();
    for (n, (span, t)) in f.tables("agencies").unwrap_or_default().into_iter().enumerate() {
        let mut a = f.nested(t, span.clone(), format!("agencies.{n}."));
        a.out.structure.insert(format!("agencies.{n}"), Sp { v: "present".into(), span: span.clone() });
        a.text("name", true);
        let kind = a.slug("kind", false).map(|s| s.v);
        a.finish(&["name", "kind"]);
        agencies.push(Agency { kind });
    }
    let mut instruments = Vec::new();
    for (n, (span, t)) in f.tables("instruments").unwrap_or_default().into_iter().enumerate() {
        let mut a = f.nested(t, span.clone(), format!("instruments.{n}."));
        a.out.structure.insert(format!("instruments.{n}"), Sp { v: "present".into(), span: span.clone() });
        a.text("name", true);
        let year = a.int("year").map(|y| y.v);
        a.finish(&["name", "year"]);
        instruments.push(Instrument { year });
    }
    Some(CountryMeta { iso: iso?.v, agencies, instruments })
}
