//! Writes `samples/` (deterministic): `cargo run --example gen_samples [-- DIR]`.

fn main() {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "samples".to_string());
    let dir = std::path::PathBuf::from(dir);
    match huizong::samples::generate_samples(&dir) {
        Ok(planted) => eprintln!(
            "已写入 {}，6 月设置了 {} 个问题",
            dir.display(),
            planted.len()
        ),
        Err(e) => {
            eprintln!("错误：{e}");
            std::process::exit(2);
        }
    }
}
