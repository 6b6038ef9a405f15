//! The Windows build under Wine (optional: runs when Wine and a cross-built exe are present,
//! see scripts/build-windows.sh; skipped otherwise).

use std::path::Path;

use crate::util::*;

#[test]
fn windows_exe_under_wine_gives_the_linux_figures() {
    let exe = root().join("target/x86_64-pc-windows-gnu/release/huizong.exe");
    let linux = root().join("target/release/huizong");
    if !Path::new("/usr/lib/wine/wine64").exists() || !exe.exists() || !linux.exists() {
        eprintln!(
            "skipped: needs wine64, {} and {}",
            exe.display(),
            linux.display()
        );
        return;
    }
    let out = std::process::Command::new("bash")
        .arg(root().join("scripts/test-windows.sh"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("same figures"), "{text}");
}
