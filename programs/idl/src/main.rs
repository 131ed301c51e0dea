//! `infergrid-idl <out-dir>`: writes `<out-dir>/<program>.json` for every program.

use std::path::PathBuf;

fn main() {
    let out = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "target/idl".into()));
    std::fs::create_dir_all(&out).expect("create the IDL directory");
    let programs = [escrow::idl(), provenance::idl(), rewards::idl()];
    for idl in programs {
        let path = out.join(format!("{}.json", idl.name));
        std::fs::write(&path, idl.to_json()).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
        println!("{}", path.display());
    }
}
