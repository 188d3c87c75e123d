//! Generates the Notes client from `openapi.yaml` into `OUT_DIR` (see `src/lib.rs`).

fn main() {
    if let Err(e) = openapi_sdkgen::Builder::new("openapi.yaml").write_to_out_dir() {
        // The message names the document and the JSON pointer (or the file) at fault.
        panic!("generating the Notes client: {e}");
    }
}
