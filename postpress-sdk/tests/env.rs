//! `Client::from_env` and key validation. A file of its own: it changes the process
//! environment, which no other test in this binary reads.

mod common;

use common::{ok, serve};
use postpress_sdk::{Client, Error, Mode};

#[tokio::test]
async fn from_env_reads_the_key_and_base_url() {
    let server = serve(vec![ok(r#"{"object":"AccountDeleted"}"#)]).await;
    // SAFETY: the only test in this binary; nothing else reads the environment concurrently.
    unsafe {
        std::env::set_var("POSTPRESS_API_KEY", "pp_live_fromenv");
        std::env::set_var("POSTPRESS_BASE_URL", format!("{}//", server.url));
    }
    let c = Client::from_env().unwrap();
    assert_eq!(c.mode(), Mode::Live);
    c.accounts().delete("acc_1").send().await.unwrap();
    let seen = server.seen();
    assert_eq!(seen[0].headers["authorization"], "Bearer pp_live_fromenv");
    assert_eq!(
        seen[0].uri.path(),
        "/v1/accounts/acc_1",
        "trailing slashes collapse onto the prefix"
    );

    unsafe { std::env::remove_var("POSTPRESS_API_KEY") };
    assert!(
        matches!(Client::from_env(), Err(Error::Config(_))),
        "no key is a config error"
    );

    for bad in [
        "",
        "pp_test_ key",
        "pp_test_\tkey",
        "pp_test_key\n",
        "pp_test_\u{7f}",
    ] {
        let err = Client::builder().api_key(bad).build().unwrap_err();
        assert!(matches!(err, Error::Config(_)), "{bad:?}: {err}");
        assert!(
            !format!("{err} {err:?}").contains("key\n"),
            "the key is not echoed"
        );
    }
}
