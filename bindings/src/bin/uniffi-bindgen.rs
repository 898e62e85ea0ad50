//! `uniffi-bindgen` pinned to the workspace's uniffi version, so the generated Kotlin and Swift
//! always match the scaffolding compiled into libmobank. Run it inside the workspace:
//! `cargo run -p mobank-bindings --bin uniffi-bindgen -- generate --library target/debug/libmobank.so --language kotlin --out-dir build/bindings/kotlin`

fn main() {
    uniffi::uniffi_bindgen_main()
}
