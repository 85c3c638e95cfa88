use super::*;
use crate::failure_counts::{
    Limits, LocalCounts, ADDRESS_FAILURES_PER_MINUTE, LOGIN_FAILURES_PER_MINUTE,
    NETWORK48_FAILURES_PER_MINUTE, NETWORK56_FAILURES_PER_MINUTE,
};

fn at(seconds: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_800_000_000 + seconds, 0).expect("time")
}

fn address(n: u8) -> Option<IpAddr> {
    Some(IpAddr::from([192, 0, 2, n]))
}

fn v6(text: &str) -> Option<IpAddr> {
    Some(text.parse().expect("an IPv6 address"))
}

fn throttle() -> LoginThrottle {
    LoginThrottle::new(Arc::new(LocalCounts::default()))
}

fn device(n: u8) -> KnownDevice {
    KnownDevice {
        nonce: format!("{n:032x}"),
    }
}

/// Begins an attempt that then fails (it stays counted).
async fn fail(
    throttle: &LoginThrottle,
    login: &str,
    ip: Option<IpAddr>,
    known: Option<&KnownDevice>,
    at: DateTime<Utc>,
) -> Result<(), Blocked> {
    throttle
        .begin(login, ip, known, at)
        .await
        .expect("local counts do not fail")
        .map(drop)
}

#[tokio::test]
async fn one_address_cannot_lock_a_login_out() {
    let throttle = throttle();
    for _ in 0..ADDRESS_FAILURES_PER_MINUTE {
        assert_eq!(
            fail(&throttle, "Admin", address(1), None, at(0)).await,
            Ok(())
        );
    }
    assert!(fail(&throttle, "admin", address(1), None, at(1))
        .await
        .is_err());
    assert!(fail(&throttle, "clerk", address(1), None, at(1))
        .await
        .is_err());
    assert_eq!(
        fail(&throttle, "admin ", address(2), None, at(1)).await,
        Ok(())
    );
}

#[tokio::test]
async fn guesses_spread_over_many_addresses_lock_the_login_for_strangers_only() {
    let throttle = throttle();
    for n in 0..LOGIN_FAILURES_PER_MINUTE {
        let from = address(10 + (n / ADDRESS_FAILURES_PER_MINUTE) as u8);
        assert_eq!(fail(&throttle, "admin", from, None, at(0)).await, Ok(()));
    }
    assert!(fail(&throttle, "ADMIN", address(99), None, at(1))
        .await
        .is_err());
    assert_eq!(
        fail(&throttle, "clerk", address(99), None, at(1)).await,
        Ok(())
    );
    // The browser admin logged in from before is judged on its own failures.
    let known = device(1);
    for _ in 0..DEVICE_FAILURES {
        assert_eq!(
            fail(&throttle, "admin", address(98), Some(&known), at(2)).await,
            Ok(())
        );
    }
    assert!(fail(&throttle, "admin", address(97), Some(&known), at(3))
        .await
        .is_err());
    assert_eq!(
        fail(&throttle, "admin", address(97), Some(&device(2)), at(3)).await,
        Ok(())
    );
}

const DEVICE_FAILURES: usize = crate::failure_counts::DEVICE_FAILURES_PER_MINUTE;

#[tokio::test]
async fn past_the_servers_cap_only_known_browsers_get_in() {
    let limits = Limits {
        failures_everywhere: 7,
    };
    let throttle = LoginThrottle::new(Arc::new(LocalCounts::new(limits)));
    for n in 0..7u8 {
        let login = format!("nobody-{n}");
        assert_eq!(
            fail(&throttle, &login, address(n), None, at(0)).await,
            Ok(())
        );
    }
    let refused = fail(&throttle, "admin", address(50), None, at(1)).await;
    assert_eq!(refused.map_err(|b| b.retry_after), Err(59));
    assert_eq!(
        fail(&throttle, "admin", address(50), Some(&device(1)), at(1)).await,
        Ok(())
    );
    // The refused attempt counted nowhere: its address still has all its tries.
    for _ in 1..ADDRESS_FAILURES_PER_MINUTE {
        assert_eq!(
            fail(&throttle, "admin", address(50), Some(&device(1)), at(2)).await,
            Ok(())
        );
    }
    assert_eq!(
        fail(&throttle, "admin", address(60), None, at(60)).await,
        Ok(())
    );
}

#[tokio::test]
async fn an_ipv6_host_gains_nothing_from_changing_addresses() {
    let throttle = throttle();
    // One /64 holds 2^64 addresses: all of them are one client.
    for n in 0..ADDRESS_FAILURES_PER_MINUTE {
        let from = v6(&format!("2001:db8:0:1::{n:x}"));
        assert_eq!(
            fail(&throttle, &format!("u{n}"), from, None, at(0)).await,
            Ok(())
        );
    }
    assert!(
        fail(&throttle, "x", v6("2001:db8:0:1:ffff::1"), None, at(1))
            .await
            .is_err()
    );
    // Other /64s of the same /56 add up to its own limit.
    let in_56 = (NETWORK56_FAILURES_PER_MINUTE - ADDRESS_FAILURES_PER_MINUTE) as u16;
    for n in 0..in_56 {
        let from = v6(&format!("2001:db8:0:{:x}::1", 2 + n));
        assert_eq!(
            fail(&throttle, &format!("v{n}"), from, None, at(2)).await,
            Ok(())
        );
    }
    assert!(fail(&throttle, "x", v6("2001:db8:0:ff::1"), None, at(3))
        .await
        .is_err());
    // Other /56s of the same /48 likewise, up to the /48's.
    let in_48 = (NETWORK48_FAILURES_PER_MINUTE - NETWORK56_FAILURES_PER_MINUTE) as u16;
    for n in 0..in_48 {
        let from = v6(&format!("2001:db8:0:{:x}::1", 0x100 * (1 + n)));
        assert_eq!(
            fail(&throttle, &format!("w{n}"), from, None, at(4)).await,
            Ok(())
        );
    }
    assert!(fail(&throttle, "x", v6("2001:db8:0:ff00::1"), None, at(5))
        .await
        .is_err());
    // Another /48 is someone else.
    assert_eq!(
        fail(&throttle, "x", v6("2001:db8:1::1"), None, at(5)).await,
        Ok(())
    );
}

#[test]
fn address_scopes_name_the_networks() {
    let scopes = address_scopes("2001:db8:aa:bbcc:1:2:3:4".parse().expect("v6"));
    let keys: Vec<&str> = scopes.iter().map(|(_, key)| key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "2001:db8:aa:bbcc::/64",
            "2001:db8:aa:bb00::/56",
            "2001:db8:aa::/48"
        ]
    );
    let mapped = address_scopes("::ffff:192.0.2.1".parse().expect("mapped"));
    assert_eq!(mapped, [(Scope::LoginByAddress, "192.0.2.1".to_owned())]);
}

#[tokio::test]
async fn attempts_count_from_the_start_and_a_success_gives_them_back() {
    let throttle = throttle();
    // Five attempts in flight at once: the sixth is refused before any of them finished.
    for _ in 0..ADDRESS_FAILURES_PER_MINUTE {
        assert_eq!(
            fail(&throttle, "admin", address(9), None, at(0)).await,
            Ok(())
        );
    }
    assert!(fail(&throttle, "admin", address(9), None, at(0))
        .await
        .is_err());
    for i in 0..10 {
        let attempt = throttle
            .begin("clerk", address(8), None, at(i))
            .await
            .expect("local")
            .expect("admitted");
        throttle.succeed(attempt).await.expect("local");
    }
    let abandoned = throttle
        .begin("clerk", address(8), None, at(11))
        .await
        .expect("local")
        .expect("admitted");
    throttle.abandon(abandoned).await.expect("local");
    for _ in 0..ADDRESS_FAILURES_PER_MINUTE {
        assert_eq!(
            fail(&throttle, "clerk", address(8), None, at(12)).await,
            Ok(())
        );
    }
}
