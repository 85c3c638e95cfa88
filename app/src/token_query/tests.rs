use super::*;

fn params(pairs: &[(&str, &str)]) -> QueryParams {
    let mut p = QueryParams::default();
    for (k, v) in pairs {
        let v = Some((*v).to_owned());
        match *k {
            "status" => p.status = v,
            "user" => p.user = v,
            "q" => p.q = v,
            "sort" => p.sort = v,
            "dir" => p.dir = v,
            "after" => p.after = v,
            "before" => p.before = v,
            _ => unreachable!(),
        }
    }
    p
}

#[test]
fn a_view_survives_its_own_link() {
    let query = TokenQuery::parse(&params(&[
        ("status", "user_inactive"),
        ("user", "svc-erp"),
        ("q", "nightly & co"),
        ("sort", "name"),
        ("dir", "desc"),
        ("after", "42.Nightly export"),
    ]))
    .unwrap();
    assert_eq!(query.order(), SortOrder::Desc);
    assert_eq!(
        query.page,
        PageAt::After(Cursor {
            id: 42,
            value: "Nightly export".into()
        })
    );
    let href = query.href();
    assert!(href.starts_with("/security/api-tokens?status=user_inactive&user=svc-erp&q=nightly+%26+co&sort=name&dir=desc&after=42.Nightly+export"), "{href}");
    assert_eq!(TokenQuery::parse(&query.to_params()).unwrap(), query);
}

#[test]
fn empty_fields_mean_defaults_and_bad_ones_are_named() {
    let query = TokenQuery::parse(&params(&[("status", ""), ("q", "  ")])).unwrap();
    assert_eq!(query, TokenQuery::default());
    assert_eq!(query.href(), TOKENS_PATH);
    assert_eq!(query.order(), SortOrder::Desc);
    for (pairs, error) in [
        (&[("status", "gone")][..], QueryError::Status("gone".into())),
        (&[("sort", "hash")][..], QueryError::Sort("hash".into())),
        (&[("dir", "up")][..], QueryError::Direction("up".into())),
        (&[("after", "x.1")][..], QueryError::Cursor("x.1".into())),
        (
            &[("after", "7.abc")][..],
            QueryError::Cursor("7.abc".into()),
        ),
        (
            &[("sort", "expires"), ("before", "7.soon")][..],
            QueryError::Cursor("7.soon".into()),
        ),
        (
            &[("after", "1.a"), ("before", "2.b")][..],
            QueryError::BothCursors,
        ),
        (&[("q", "a\u{7}b")][..], QueryError::Search),
    ] {
        assert_eq!(TokenQuery::parse(&params(pairs)), Err(error));
    }
}

#[test]
fn sorting_a_column_again_reverses_it_and_starts_over() {
    let query = TokenQuery::default().at(PageAt::After(Cursor {
        id: 1,
        value: "9".into(),
    }));
    let by_name = query.sorted_by(SortKey::Name);
    assert_eq!(
        (by_name.sort, by_name.order()),
        (SortKey::Name, SortOrder::Asc)
    );
    assert_eq!(by_name.page, PageAt::First);
    assert_eq!(by_name.sorted_by(SortKey::Name).order(), SortOrder::Desc);
    assert_eq!(query.sorted_by(SortKey::Created).order(), SortOrder::Asc);
}
