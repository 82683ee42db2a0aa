//! Triage tests. Every draft here is written for the test (no corpus text).

use super::*;

const STEPS_SCAFFOLD: &str = "1.\n2.\n3.\n...";

/// A draft through the web bug form.
fn web_bug(title: &str, steps: &str, expected: &str, actual: &str, detail: &str) -> TriageInput {
    bug_form(
        title,
        steps,
        expected,
        actual,
        detail,
        "toot.example",
        "v4.3.2",
    )
}

/// A draft through the web bug form, with the server and version as typed.
pub(super) fn bug_form(
    title: &str,
    steps: &str,
    expected: &str,
    actual: &str,
    detail: &str,
    instance: &str,
    version: &str,
) -> TriageInput {
    TriageInput {
        title: title.into(),
        form_type: Some("Bug".into()),
        form_name: Some("Bug Report (Web Interface)".into()),
        fields: vec![
            ("Steps to reproduce the problem".into(), steps.into()),
            ("Expected behaviour".into(), expected.into()),
            ("Actual behaviour".into(), actual.into()),
            ("Detailed description".into(), detail.into()),
            ("Mastodon instance".into(), instance.into()),
            ("Mastodon version".into(), version.into()),
            ("Browser name and version".into(), "Firefox 131.0".into()),
            ("Operating system".into(), "Debian 12".into()),
            ("Technical details".into(), String::new()),
        ],
        free_text: String::new(),
    }
}

pub(super) fn suggestion(title: &str, pitch: &str, motivation: &str) -> TriageInput {
    TriageInput {
        title: title.into(),
        form_type: Some("Suggestion".into()),
        form_name: Some("Feature Request".into()),
        fields: vec![
            ("Pitch".into(), pitch.into()),
            ("Motivation".into(), motivation.into()),
        ],
        free_text: String::new(),
    }
}

fn free(title: &str, body: &str) -> TriageInput {
    TriageInput {
        title: title.into(),
        free_text: body.into(),
        ..TriageInput::default()
    }
}

fn fired(t: &Triage, signal: &str) -> bool {
    t.reasons
        .iter()
        .any(|r| r.signal == signal && r.weight > 0.0)
}

/// Asserts the verdict and that `signal` is among its reasons.
#[track_caller]
fn expect(input: &TriageInput, verdict: Verdict, signal: &str) -> Triage {
    let t = triage(input);
    assert_eq!(t.verdict, verdict, "{t:#?}");
    assert!(fired(&t, signal), "{signal} missing: {t:#?}");
    assert!((0.0..=1.0).contains(&t.confidence));
    t
}

fn redirected(t: &Triage) -> bool {
    matches!(t.verdict, Verdict::Support | Verdict::Question)
}

// ---- account access -------------------------------------------------------

#[test]
fn account_access_english() {
    let t = expect(
        &free(
            "Cannot sign in anymore",
            "Since Tuesday I can't log in on my phone or laptop, it keeps saying my password is invalid.",
        ),
        Verdict::Support,
        "account-access",
    );
    assert_eq!(t.redirect(), Some(Redirect::InstanceAdmin));
    assert!(t.confidence >= 0.6, "{t:#?}");
}

#[test]
fn account_access_through_the_bug_form() {
    let input = web_bug(
        "Locked out after changing phones",
        "1. got a new phone\n2. tried to sign in",
        "I get into my account",
        "it asks for a code I no longer have, I'm locked out",
        "",
    );
    expect(&input, Verdict::Support, "account-access");
}

#[test]
fn account_access_german() {
    expect(
        &free(
            "Anmeldung",
            "Ich kann mich seit gestern nicht mehr anmelden, das Passwort wird abgelehnt.",
        ),
        Verdict::Support,
        "account-access",
    );
}

#[test]
fn account_access_french() {
    expect(
        &free(
            "Connexion",
            "Je n'arrive pas à me connecter à mon compte depuis ce matin.",
        ),
        Verdict::Support,
        "account-access",
    );
}

#[test]
fn account_access_spanish() {
    expect(
        &free(
            "Problema",
            "No puedo iniciar sesión en mi cuenta desde el lunes.",
        ),
        Verdict::Support,
        "account-access",
    );
}

#[test]
fn account_access_japanese() {
    expect(
        &free(
            "ログインについて",
            "昨日からログインできません。パスワードは合っているはずです。",
        ),
        Verdict::Support,
        "account-access",
    );
}

// ---- account mail ---------------------------------------------------------

#[test]
fn account_mail_english() {
    expect(
        &free(
            "Sign-up stuck",
            "I registered two days ago but the confirmation email never arrived, not even in spam.",
        ),
        Verdict::Support,
        "account-mail",
    );
}

#[test]
fn account_mail_other_languages() {
    for (title, body) in [
        (
            "Registrierung",
            "Die Bestätigungsmail ist nach einem Tag immer noch nicht angekommen.",
        ),
        (
            "Inscription",
            "Je n'ai jamais reçu l'e-mail de confirmation pour mon compte.",
        ),
        (
            "Registro",
            "No he recibido el correo de confirmación, ya revisé la carpeta de spam.",
        ),
        ("登録", "確認メールが届きません。"),
    ] {
        expect(&free(title, body), Verdict::Support, "account-mail");
    }
}

// ---- moderation of the reporter's own account -----------------------------

#[test]
fn own_moderation_english() {
    expect(
        &free(
            "Suspended?",
            "My account was suspended overnight and nobody told me why.",
        ),
        Verdict::Support,
        "own-moderation",
    );
}

#[test]
fn own_moderation_other_languages() {
    for body in [
        "Mein Konto wurde ohne Begründung gesperrt.",
        "Mon compte a été suspendu sans explication.",
        "Mi cuenta fue suspendida sin ningún aviso.",
        "突然アカウントが凍結されました。",
    ] {
        expect(&free("?", body), Verdict::Support, "own-moderation");
    }
}

#[test]
fn lifted_moderation_is_about_the_software() {
    let t = triage(&free(
        "Profile still shown as suspended",
        "My account was unsuspended by the moderators last week, but remote servers still show it as suspended. The unsuspension never federated.",
    ));
    assert!(!redirected(&t), "{t:#?}");
    assert!(fired(&t, "moderation-lifted"), "{t:#?}");
}

#[test]
fn moderation_talked_about_by_an_admin_is_not_support() {
    let t = triage(&free(
        "Remote accounts show as suspended",
        "I run a small instance. Some remote accounts appear suspended on our server although none of our moderators took action, and the audit log is empty.",
    ));
    assert!(!redirected(&t), "{t:#?}");
}

#[test]
fn ban_language() {
    expect(
        &free(
            "Banned for a joke",
            "They banned the account of our reading club without any warning.",
        ),
        Verdict::Support,
        "ban-language",
    );
}

#[test]
fn moderation_dispute() {
    let t = triage(&free(
        "Censorship",
        "The moderators limited the whole thread for no reason, this is against free speech.",
    ));
    assert!(
        t.reasons.iter().any(|r| r.signal == "moderation-dispute"),
        "{t:#?}"
    );
}

#[test]
fn admin_contact() {
    let t = expect(
        &free(
            "Nobody answers",
            "I contacted the admin twice about my display name being reset and got no reply.",
        ),
        Verdict::Support,
        "admin-contact",
    );
    assert!(t.confidence >= 0.5, "{t:#?}");
}

#[test]
fn lost_second_factor() {
    expect(
        &free("2FA", "I lost my phone with the authenticator app on it."),
        Verdict::Support,
        "account-access",
    );
}

// ---- account lifecycle ----------------------------------------------------

#[test]
fn account_lifecycle_english() {
    expect(
        &free(
            "Help",
            "Please tell me how I can delete my account and everything I posted.",
        ),
        Verdict::Support,
        "account-lifecycle",
    );
    expect(
        &free(
            "Handle",
            "I removed my old account last year and now my username is taken when I sign up again.",
        ),
        Verdict::Support,
        "account-lifecycle",
    );
}

#[test]
fn account_lifecycle_other_languages() {
    for body in [
        "Wie kann ich mein Konto löschen?",
        "Je voudrais supprimer mon compte définitivement.",
        "Quiero eliminar mi cuenta, no encuentro la opción.",
        "アカウントを削除したいです。",
    ] {
        let t = triage(&free("?", body));
        assert!(redirected(&t), "{body}: {t:#?}");
        assert!(fired(&t, "account-lifecycle"), "{body}: {t:#?}");
    }
}

#[test]
fn a_general_username_change_feature_is_a_feature() {
    let input = suggestion(
        "Allow people to change their username",
        "Users should be able to pick a new username without migrating.",
        "People change names; a migration loses posts.",
    );
    expect(&input, Verdict::Feature, "suggestion-form");
}

// ---- one server's trouble -------------------------------------------------

#[test]
fn server_outage() {
    let t = expect(
        &free(
            "toot.example is down",
            "The whole site has been down since this morning, the page never loads.",
        ),
        Verdict::Support,
        "server-outage",
    );
    assert!(fired(&t, "server-in-title"));
}

#[test]
fn server_outage_by_its_operator_is_troubleshooting() {
    let t = triage(&TriageInput {
        title: "Instance down after update".into(),
        form_type: Some("Troubleshooting".into()),
        form_name: Some("Deployment troubleshooting".into()),
        fields: vec![
            (
                "Steps to reproduce the problem".into(),
                "1. upgraded to 4.3 with docker compose\n2. restarted".into(),
            ),
            ("Expected behaviour".into(), "it runs".into()),
            (
                "Actual behaviour".into(),
                "the server is down, sidekiq keeps restarting".into(),
            ),
        ],
        free_text: String::new(),
    });
    assert_eq!(t.verdict, Verdict::Troubleshooting, "{t:#?}");
    assert!(fired(&t, "troubleshooting-form"), "{t:#?}");
    assert!(
        !t.reasons.iter().any(|r| r.signal == "server-outage"),
        "{t:#?}"
    );
}

#[test]
fn server_error_on_a_basic_action() {
    let input = web_bug(
        "Posting a photo gives error 502",
        "1. attach a photo\n2. press publish",
        "the post goes out",
        "a 502 error pops up",
        "",
    );
    expect(&input, Verdict::Support, "server-error");
}

#[test]
fn server_error_with_a_trace_is_a_bug() {
    let input = web_bug(
        "Editing a post with a poll returns 500",
        "1. create a poll\n2. edit the poll options\n3. save",
        "the edit is saved",
        "HTTP 500",
        "The API responds with an exception:\n```\nNoMethodError: undefined method for nil\n  app/services/update_status_service.rb:42\n```\nThis happens on every instance I tried.",
    );
    let t = triage(&input);
    assert_eq!(t.verdict, Verdict::Bug, "{t:#?}");
}

#[test]
fn server_outage_other_languages() {
    for body in [
        "Der Server ist seit heute Morgen nicht erreichbar.",
        "Le serveur est en panne depuis ce matin.",
        "El servidor está caído desde esta mañana.",
        "サーバーが落ちているようです。",
    ] {
        expect(&free("?", body), Verdict::Support, "server-outage");
    }
}

#[test]
fn trouble_elsewhere_halves_one_place_signals() {
    let body = "Uploads fail with error 503.";
    let alone = triage(&free("Uploads fail", body));
    let widely = triage(&free(
        "Uploads fail",
        &format!("{body} It happens on other servers too."),
    ));
    let weight = |t: &Triage| {
        t.reasons
            .iter()
            .find(|r| r.signal == "server-error")
            .map(|r| r.weight.abs())
    };
    assert_eq!(weight(&alone), Some(2.0), "{alone:#?}");
    assert_eq!(weight(&widely), Some(1.0), "{widely:#?}");
    assert!(
        redirected(&alone) && !redirected(&widely),
        "{alone:#?} {widely:#?}"
    );
}

#[test]
fn delivery_delay() {
    expect(
        &free(
            "Posts arrive hours late",
            "Posts from people I follow show up hours late in my home timeline, sometimes a whole day.",
        ),
        Verdict::Support,
        "delivery-delay",
    );
}

// ---- smaller support signals ------------------------------------------------

#[test]
fn help_request_own_account_and_personal_history() {
    let t = triage(&free(
        "My profile",
        "When I signed up I picked a display name I regret, my profile shows it everywhere. Can someone help me?",
    ));
    assert!(fired(&t, "help-request"), "{t:#?}");
    assert!(fired(&t, "own-account"), "{t:#?}");
    assert!(fired(&t, "personal-history"), "{t:#?}");
}

#[test]
fn empty_steps_count_against_a_bug() {
    let t = triage(&web_bug("Confused", STEPS_SCAFFOLD, "", "", ""));
    assert!(t.reasons.iter().any(|r| r.signal == "no-steps"), "{t:#?}");
    let t = triage(&web_bug(
        "Confused",
        "1. open a profile\n2. click follow",
        "",
        "",
        "",
    ));
    assert!(!t.reasons.iter().any(|r| r.signal == "no-steps"), "{t:#?}");
}

// ---- questions ------------------------------------------------------------

#[test]
fn how_to_question() {
    let t = expect(
        &free("How do I pin a post to my profile?", ""),
        Verdict::Question,
        "how-to-question",
    );
    assert_eq!(t.redirect(), Some(Redirect::Discussions));
}

#[test]
fn how_to_question_other_languages() {
    for title in [
        "Wie kann ich einen Beitrag anheften?",
        "Comment puis-je épingler un message ?",
        "¿Cómo puedo fijar una publicación?",
        "投稿を固定するにはどうやってやりますか？",
    ] {
        let t = triage(&free(title, ""));
        assert_eq!(t.verdict, Verdict::Question, "{title}: {t:#?}");
    }
}

#[test]
fn declared_question_and_confusion() {
    let t = expect(
        &free(
            "Not sure this is a bug",
            "This is more a question than a bug report. Replies from other servers look different, I'm confused. Is this normal?",
        ),
        Verdict::Question,
        "declared-question",
    );
    assert!(fired(&t, "confusion"), "{t:#?}");
}

// ---- bugs -----------------------------------------------------------------

#[test]
fn a_reproducible_interface_bug() {
    let input = web_bug(
        "Emoji picker closes when scrolling",
        "1. open the composer\n2. click the emoji button\n3. scroll the picker with a trackpad",
        "the picker scrolls",
        "the picker closes and the scroll position jumps",
        "This happens on every instance I tried, in all browsers.",
    );
    let t = expect(&input, Verdict::Bug, "steps-given");
    for s in [
        "happens-widely",
        "interface-terms",
        "expected-vs-actual",
        "version-given",
        "bug-form",
    ] {
        assert!(fired(&t, s), "{s}: {t:#?}");
    }
    assert_eq!(t.redirect(), None);
}

#[test]
fn malfunction_wording() {
    let t = expect(
        &free(
            "Hide boosts toggle has no effect",
            "The toggle doesn't work, boosts are still shown instead of hidden.",
        ),
        Verdict::Bug,
        "malfunction-title",
    );
    assert!(fired(&t, "malfunction"), "{t:#?}");
}

#[test]
fn account_words_in_a_software_bug() {
    let input = web_bug(
        "Password reset page is broken on all servers",
        "1. open the password reset page\n2. enter an address\n3. submit",
        "a confirmation message",
        "the page crashes with a blank screen",
        "Reproducible on several servers and in other browsers too.",
    );
    let t = triage(&input);
    assert_eq!(t.verdict, Verdict::Bug, "{t:#?}");
}

#[test]
fn since_update() {
    let t = triage(&free(
        "Unable to log in from the desktop app",
        "Since the update to 2.1 the app shows a blank page after I sign in. It used to work.",
    ));
    assert!(fired(&t, "since-update"), "{t:#?}");
    assert_eq!(t.verdict, Verdict::Bug, "{t:#?}");
}

#[test]
fn title_statements_about_things_not_people() {
    let t = triage(&free("Link previews don't load for long URLs", ""));
    assert!(fired(&t, "malfunction-title"), "{t:#?}");
    let t = triage(&free("I don't understand federation", ""));
    assert!(
        !t.reasons.iter().any(|r| r.signal == "malfunction-title"),
        "{t:#?}"
    );
}

#[test]
fn technical_detail() {
    let t = triage(&free(
        "Timeline API ignores limit",
        "GET /api/v1/timelines/home?limit=5 returns 20 statuses; the response header Link is also wrong.",
    ));
    assert_eq!(t.verdict, Verdict::Bug, "{t:#?}");
    assert!(fired(&t, "technical-detail"), "{t:#?}");
}

// ---- features -------------------------------------------------------------

#[test]
fn feature_form_and_title() {
    let t = expect(
        &suggestion(
            "Add an option to hide boost counts",
            "A setting to hide how many times a post was boosted.",
            "It would be nice for people who find numbers stressful.",
        ),
        Verdict::Feature,
        "feature-title",
    );
    assert!(
        fired(&t, "suggestion-form") && fired(&t, "wish-phrasing"),
        "{t:#?}"
    );
}

#[test]
fn feature_in_free_text() {
    expect(
        &free(
            "Scheduled posts",
            "It would be great to be able to schedule a post for later from the web interface.",
        ),
        Verdict::Feature,
        "wish-phrasing",
    );
}

// ---- troubleshooting ------------------------------------------------------

#[test]
fn operator_trouble() {
    let t = expect(
        &free(
            "Media cleanup fails",
            "I run a small instance with docker compose. tootctl media remove stops with a Redis timeout every night.",
        ),
        Verdict::Troubleshooting,
        "operator-voice",
    );
    assert!(fired(&t, "deployment-terms"), "{t:#?}");
    assert_eq!(t.redirect(), None);
}

// ---- security -------------------------------------------------------------

#[test]
fn vulnerability() {
    let t = expect(
        &free(
            "Stored XSS in profile fields",
            "A crafted link in a profile field runs script for every visitor.",
        ),
        Verdict::Security,
        "vulnerability",
    );
    assert_eq!(t.redirect(), Some(Redirect::Security));
    for body in [
        "Ich habe eine Sicherheitslücke gefunden.",
        "J'ai trouvé une faille de sécurité.",
        "Encontré una vulnerabilidad.",
        "脆弱性を見つけました。",
    ] {
        assert_eq!(
            triage(&free("!", body)).verdict,
            Verdict::Security,
            "{body}"
        );
    }
}

// ---- languages ------------------------------------------------------------

#[test]
fn uncovered_languages_get_low_confidence() {
    for (title, body) in [
        (
            "Kirjautuminen ei onnistu",
            "En pysty kirjautumaan tililleni ja salasanan palautusviesti ei tule perille.",
        ),
        (
            "로그인이 안 돼요",
            "계정에 로그인할 수 없고 비밀번호 재설정 메일도 오지 않습니다.",
        ),
    ] {
        let t = triage(&free(title, body));
        assert!(t.confidence <= 0.25, "{title}: {t:#?}");
        assert!(
            t.reasons.iter().any(|r| r.signal == "language-not-covered"),
            "{t:#?}"
        );
        assert!(!has_signal(&t), "{t:#?}");
    }
}

#[test]
fn covered_languages_are_not_capped() {
    let t = triage(&free(
        "Connexion",
        "Je n'arrive pas à me connecter à mon compte depuis ce matin.",
    ));
    assert!(t.confidence > 0.25, "{t:#?}");
    assert!(!t.reasons.iter().any(|r| r.signal == "language-not-covered"));
}

#[test]
fn english_labels_do_not_hide_a_foreign_draft() {
    let mut input = web_bug(
        "Kirjautuminen ei onnistu",
        "1. avaan sovelluksen\n2. yritän kirjautua sisään",
        "pääsen tililleni",
        "tulee virheilmoitus ja en pääse tililleni",
        "",
    );
    input.fields.truncate(4);
    let t = triage(&input);
    assert!(t.confidence <= 0.25, "{t:#?}");
}

// ---- API ------------------------------------------------------------------

#[test]
fn empty_draft_says_little() {
    let t = triage(&TriageInput::default());
    assert_eq!(t.verdict, Verdict::Bug);
    assert!(t.confidence < 0.3, "{t:#?}");
    assert!(!has_signal(&t));
    assert!(!t.reasons.is_empty());
}

#[test]
fn early_signal_from_the_title_alone() {
    let t = triage(&free("I can't log in to my account", ""));
    assert!(has_signal(&t), "{t:#?}");
    let t = triage(&free("Timeline", ""));
    assert!(!has_signal(&t), "{t:#?}");
}

#[test]
fn no_response_is_empty() {
    let mut input = web_bug("x", "_No response_", "", "", "");
    input.fields[0].1 = "_No response_".into();
    let t = triage(&input);
    assert!(t.reasons.iter().any(|r| r.signal == "no-steps"), "{t:#?}");
}

#[test]
fn old_template_headings_in_free_text_are_read() {
    let t = triage(&free(
        "Scrolling jumps",
        "### Expected behaviour\n\nstays put\n\n### Actual behaviour\n\njumps to the top\n\n### Steps to reproduce the problem\n\n1. open a long thread\n2. expand an image\n3. close it",
    ));
    assert!(
        fired(&t, "steps-given") && fired(&t, "expected-vs-actual"),
        "{t:#?}"
    );
}

#[test]
fn deterministic() {
    let input = web_bug(
        "Uploads fail with error 500",
        "1. upload",
        "ok",
        "500",
        "my account",
    );
    assert_eq!(triage(&input), triage(&input));
}

#[test]
fn verdict_names() {
    let names: Vec<String> = Verdict::ALL.iter().map(|v| v.to_string()).collect();
    assert_eq!(
        names,
        [
            "bug",
            "feature",
            "troubleshooting",
            "support",
            "question",
            "security"
        ]
    );
    for v in Verdict::ALL {
        assert_eq!(
            serde_json::to_value(v).unwrap(),
            serde_json::json!(v.as_str())
        );
    }
    assert_eq!(
        serde_json::to_value(Redirect::InstanceAdmin).unwrap(),
        "instance-admin"
    );
    assert_eq!(Verdict::Support.redirect(), Some(Redirect::InstanceAdmin));
    assert_eq!(Verdict::Question.redirect(), Some(Redirect::Discussions));
    assert_eq!(Verdict::Security.redirect(), Some(Redirect::Security));
    assert_eq!(Verdict::Troubleshooting.redirect(), None);
}

#[test]
fn reasons_carry_evidence() {
    let t = triage(&free("I can't log in", "my password is refused"));
    let r = &t.reasons[0];
    assert_eq!(r.signal, "account-access");
    assert!(r.weight > 0.0);
    assert!(r.evidence.contains("log in"), "{r:?}");
}

#[test]
fn big_drafts_stay_fast() {
    let para = "The composer loses the alt text when I switch tabs and come back. ";
    let input = web_bug(
        "Alt text lost",
        &para.repeat(40),
        "kept",
        "lost",
        &para.repeat(300),
    );
    let start = std::time::Instant::now();
    let t = triage(&input);
    // Debug builds are slow; this still catches accidental quadratic work.
    assert!(start.elapsed().as_millis() < 500, "{:?}", start.elapsed());
    assert_eq!(t.verdict, Verdict::Bug);
}
