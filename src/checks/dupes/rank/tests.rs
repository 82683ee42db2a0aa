//! The ranker on small pools written for these tests.

use super::super::{rank_records, Index};
use super::*;

fn rec(number: u64, title: &str, body: &str) -> IssueRecord {
    IssueRecord {
        number,
        title: title.into(),
        body: body.into(),
        url: format!("https://github.com/o/r/issues/{number}"),
        ..IssueRecord::default()
    }
}

fn pool() -> Vec<IssueRecord> {
    vec![
        rec(
            10,
            "Scheduled posts are published twice",
            "When I schedule a status it shows up two times on my profile.",
        ),
        rec(
            11,
            "Let me undo a boost from the notification",
            "Reblogging by accident happens; undo should be in the notification.",
        ),
        rec(
            12,
            "Custom emoji picker is slow with many emojis",
            "Our server has 3000 custom emojis and the picker lags.",
        ),
        rec(
            13,
            "Content warning text is not shown in the notification",
            "The CW of a reply is missing from notifications, so the spoiler is revealed.",
        ),
        rec(
            14,
            "Translate button missing for posts in Esperanto",
            "No translation is offered for Esperanto toots.",
        ),
        rec(
            15,
            "Polls with 4 options overflow on mobile",
            "The fourth poll option is cut off on small screens.",
        ),
        rec(
            16,
            "Profile header image does not upload",
            "Uploading a header picture fails with error 422.",
        ),
    ]
}

#[test]
fn true_duplicate_ranks_first() {
    let q = Query {
        title: "Spoiler of replies not displayed in notifications".into(),
        text: "### Steps to reproduce the problem\n\n1. Someone replies to me with a content warning\n\
               2. Open notifications\n\n### Expected behaviour\n\nThe content warning is shown\n\n\
               ### Actual behaviour\n\nThe hidden text is revealed\n\n### Detailed description\n\n_No response_"
            .into(),
    };
    let got = rank_records(&pool(), &q, 5);
    assert_eq!(got[0].number, 13, "{got:#?}");
    assert!(got[0].score > 0.0 && got[0].score <= 1.0);
    assert!(
        got[0]
            .why
            .iter()
            .any(|w| w.starts_with("shared words:") && w.contains("cw")),
        "{:?}",
        got[0].why
    );
}

#[test]
fn title_evidence_outweighs_repetition_in_a_body() {
    let records = vec![
        rec(
            40,
            "Hashtag autocomplete ignores accents",
            "Typing a tag with é shows nothing.",
        ),
        rec(
            41,
            "Weekly digest email layout",
            "The digest covered hashtag autocomplete, accents in search, autocomplete \
             for hashtags, accent folding, autocomplete speed and hashtag trends.",
        ),
        rec(
            42,
            "Trends page is empty",
            "No hashtags trend on small servers.",
        ),
    ];
    let q = Query {
        title: "Autocomplete for hashtags fails on accented characters".into(),
        text: "When I type a hashtag with accents, autocomplete suggests nothing.".into(),
    };
    let got = rank_records(&records, &q, 3);
    assert_eq!(got[0].number, 40, "{got:#?}");
    assert!(
        got[0].why.iter().any(|w| w.starts_with("similar title")),
        "{got:#?}"
    );
}

#[test]
fn vocabulary_folding_finds_paraphrases() {
    let q = Query {
        title: "Toots get posted 2 times when scheduled".into(),
        text: String::new(),
    };
    let got = rank_records(&pool(), &q, 3);
    assert_eq!(got[0].number, 10, "{got:#?}");
    let q = Query {
        title: "Cancel a reblog right from the notif".into(),
        text: String::new(),
    };
    assert_eq!(rank_records(&pool(), &q, 3)[0].number, 11);
}

#[test]
fn scores_are_sorted_and_limited() {
    let q = Query {
        title: "notification".into(),
        text: "notifications for posts and boosts".into(),
    };
    let got = rank_records(&pool(), &q, 2);
    assert_eq!(got.len(), 2);
    assert!(got[0].score >= got[1].score);
    assert!(rank_records(&pool(), &q, 0).is_empty());
    let nothing = Query {
        title: "the and of".into(),
        text: String::new(),
    };
    assert!(rank_records(&pool(), &nothing, 5).is_empty());
}

#[test]
fn known_duplicate_brings_in_its_original() {
    let mut records = pool();
    // #20 duplicates #15 but shares no words with the query; #15 does
    // not match the query at all on its own.
    records.push(IssueRecord {
        duplicate_of: Some(15),
        ..rec(
            20,
            "Voting widget overflows on phones",
            "Voting widget overflows on narrow phones.",
        )
    });
    let mut index = Index::new("o/r");
    index.upsert(records);
    let q = Query {
        title: "Voting widget overflows".into(),
        text: "on phones".into(),
    };
    let got = rank(&index, &q, 5);
    let numbers: Vec<u64> = got.iter().map(|c| c.number).collect();
    assert_eq!(&numbers[..2], &[15, 20], "{got:#?}");
    assert_eq!(got[1].duplicate_of, Some(15));
    assert!(got[0].why.iter().any(|w| w == "#20 is a duplicate of #15"));
    assert_eq!(got[0].score, got[1].score);
}

#[test]
fn duplicate_chains_and_cycles_settle() {
    let mut records = pool();
    records.push(IssueRecord {
        duplicate_of: Some(21),
        ..rec(
            20,
            "Voting widget overflows on phones",
            "Voting widget overflows.",
        )
    });
    records.push(IssueRecord {
        duplicate_of: Some(15),
        ..rec(21, "Unrelated words entirely", "Nothing in common.")
    });
    records.push(IssueRecord {
        duplicate_of: Some(31),
        ..rec(30, "Quokka gallery freezes", "The quokka gallery freezes.")
    });
    records.push(IssueRecord {
        duplicate_of: Some(30),
        ..rec(31, "Marsupial pictures", "Pictures of marsupials.")
    });
    let q = Query {
        title: "Voting widget overflows".into(),
        text: String::new(),
    };
    let numbers: Vec<u64> = rank_records(&records, &q, 3)
        .iter()
        .map(|c| c.number)
        .collect();
    // #20 → #21 → #15: the whole chain comes in, originals first.
    assert_eq!(numbers, vec![15, 21, 20]);
    let q = Query {
        title: "Quokka gallery freezes".into(),
        text: String::new(),
    };
    let got = rank_records(&records, &q, 5);
    // A cycle (#30 ↔ #31) ends: both listed once, at the same score.
    let mut top: Vec<u64> = got.iter().take(2).map(|c| c.number).collect();
    top.sort();
    assert_eq!(top, vec![30, 31], "{got:#?}");
    assert_eq!(got[0].score, got[1].score);
    assert_eq!(got.iter().filter(|c| c.number == 31).count(), 1);
}
