//! 09-file-download-client against the tutorial's download server (22
//! runs this file too).

use testkit::{
    cmd, make_file, missing, python, run, same_file, temp_dir, Proc,
};

/// 09, or the lesson of its chain that includes this file
static BIN: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    testkit::this_lesson(env!("CARGO_MANIFEST_DIR"))
});

#[test]
fn against_the_tutorial_server() {
    if missing("python3") {
        return;
    }
    let served = temp_dir();
    make_file(&served.path().join("photo.jpg"), 300_000);
    let mut server = python("download_server.py", &[]);
    server.current_dir(served.path());
    let server = Proc::server(server);
    let addr = server.addr.to_string();
    let here = temp_dir();
    for (name, ok) in [("photo.jpg", true), ("missing.jpg", false)] {
        let mut client = cmd(&BIN, &[&addr, name]);
        client.current_dir(here.path());
        let (status, _, stderr) = run(client, b"");
        assert_eq!(status.success(), ok, "{stderr}");
    }
    let saved = here.path().join("received-photo.jpg");
    assert!(same_file(&served.path().join("photo.jpg"), &saved));
    assert!(!here.path().join("received-missing.jpg").exists());
}
