//! The signals triage weighs. Each detector looks at the whole draft (title,
//! answers by label, the form used, what is missing) and returns hits: which
//! verdict it argues for, how strongly, and the words that fired it.
//!
//! The rules follow how maintainers answer: a problem with *one account* or
//! *one server* (logins, mail, moderation, outages) goes to that server's
//! admin; software behaviour that is wrong for everyone (steps, versions,
//! "on every browser") is a bug; "add / allow / option to" is a feature;
//! "how do I" is a question; operators' install and upgrade trouble has its
//! own form. The strongest support signals also have German, French,
//! Spanish and Japanese words.

use std::sync::LazyLock;

use super::lang::{self, Lang};
use super::text::{self, pats, Doc, Found, Pat};
use super::{TriageInput, Verdict};

/// One fired signal.
#[derive(Debug, Clone)]
pub(crate) struct Hit {
    pub verdict: Verdict,
    pub signal: &'static str,
    pub weight: f64,
    pub evidence: String,
}

/// What a form answer is about, told by its label (only the ones the
/// signals read).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Slot {
    Steps,
    Expected,
    Actual,
    Version,
    Other,
}

fn slot(label: &str) -> Slot {
    let l = label.to_lowercase();
    let has = |w: &str| l.contains(w);
    if has("steps") || has("reproduc") {
        Slot::Steps
    } else if has("expected") {
        Slot::Expected
    } else if has("actual") || has("current behavio") {
        Slot::Actual
    } else if has("version") && !has("browser") && !has("operating") {
        Slot::Version
    } else {
        Slot::Other
    }
}

/// The form a draft came through, by its `type:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Form {
    Bug,
    Troubleshooting,
    Suggestion,
    None,
}

/// A draft made searchable.
pub(crate) struct Draft {
    pub doc: Doc,
    pub form: Form,
    /// Answers (and headed sections of free text): slot and cleaned prose.
    sections: Vec<(Slot, String)>,
    title_servers: Vec<String>,
    code: bool,
    raw_all: String,
    title_ends_with_question: bool,
    pub lang: Lang,
}

/// Splits free text at Markdown headings, for bodies that match no form but
/// still use an older template's `### Expected behaviour` sections.
fn headed_sections(free: &str) -> (String, Vec<(String, String)>) {
    let mut pre = String::new();
    let mut out: Vec<(String, String)> = Vec::new();
    for line in free.lines() {
        let t = line.trim_start();
        let hashes = t.chars().take_while(|c| *c == '#').count();
        if (1..=6).contains(&hashes) && t[hashes..].starts_with(' ') {
            out.push((t[hashes..].trim().to_string(), String::new()));
        } else if let Some((_, v)) = out.last_mut() {
            v.push_str(line);
            v.push('\n');
        } else {
            pre.push_str(line);
            pre.push('\n');
        }
    }
    (pre, out)
}

impl Draft {
    pub(crate) fn new(input: &TriageInput) -> Draft {
        let kind = |s: &str| {
            let s = s.to_lowercase();
            if s.contains("troubleshoot") {
                Form::Troubleshooting
            } else if s.contains("bug") {
                Form::Bug
            } else if ["suggestion", "feature", "enhancement"]
                .iter()
                .any(|w| s.contains(w))
            {
                Form::Suggestion
            } else {
                Form::None
            }
        };
        // The form's `type:` decides; its name stands in for forms without one.
        let form = match input.form_type.as_deref().map(kind) {
            Some(f) if f != Form::None => f,
            _ => input.form_name.as_deref().map_or(Form::None, kind),
        };
        let (pre, headed) = headed_sections(&input.free_text);
        let mut sections = Vec::new();
        let mut body = String::new();
        let mut raw_all = String::new();
        let mut code = false;
        let c = text::clean(&pre);
        body.push_str(&c.prose);
        code |= c.code;
        raw_all.push_str(&c.kept);
        for (label, value) in input.fields.iter().chain(headed.iter()) {
            let value = if value.trim() == "_No response_" {
                ""
            } else {
                value.as_str()
            };
            let c = text::clean(value);
            code |= c.code;
            raw_all.push('\n');
            raw_all.push_str(&c.kept);
            body.push('\n');
            body.push_str(&c.prose);
            sections.push((slot(label), c.prose));
        }
        let title = text::clean(&input.title).prose;
        let doc = Doc::new(&title, &body);
        let reporter_words = format!("{title}\n{body}");
        let lang = lang::detect(doc.words(), &reporter_words);
        Draft {
            form,
            sections,
            title_servers: text::servers(&input.title),
            code,
            raw_all,
            title_ends_with_question: input.title.trim_end().ends_with(['?', '？']),
            lang,
            doc,
        }
    }

    fn answer(&self, s: Slot) -> Option<&str> {
        self.sections
            .iter()
            .find(|(k, _)| *k == s)
            .map(|(_, v)| v.as_str())
    }

    fn has_slot(&self, s: Slot) -> bool {
        self.sections.iter().any(|(k, _)| *k == s)
    }
}

/// Words in a steps answer once the form's "1. 2. 3. ..." scaffold is
/// taken out (0: the reporter gave no steps).
fn steps_words(steps: &str) -> usize {
    steps
        .lines()
        .map(|l| {
            l.trim()
                .trim_start_matches(|c: char| {
                    c.is_ascii_digit() || matches!(c, '.' | '-' | '*' | ')')
                })
                .trim()
        })
        .filter(|l| !l.is_empty() && *l != "..." && *l != "…")
        .map(|l| l.split_whitespace().count())
        .sum()
}

/// All word lists, compiled once.
struct Lexicon {
    // support
    neg: Vec<Pat>,
    neg_loose: Vec<Pat>,
    login: Vec<Pat>,
    login_loose: Vec<Pat>,
    login_phrases: Vec<Pat>,
    password: Vec<Pat>,
    password_trouble: Vec<Pat>,
    second_factor: Vec<Pat>,
    factor_lost: Vec<Pat>,
    mail_kind: Vec<Pat>,
    mail_missing: Vec<Pat>,
    mail_phrases: Vec<Pat>,
    owner: Vec<Pat>,
    owner_loose: Vec<Pat>,
    moderated: Vec<Pat>,
    moderated_strict: Vec<Pat>,
    moderation_phrases: Vec<Pat>,
    moderation_lifted: Vec<Pat>,
    reported: Vec<Pat>,
    unanswered: Vec<Pat>,
    home_staff: Vec<Pat>,
    by_home_staff: Vec<Pat>,
    server_policy: Vec<Pat>,
    ban_words: Vec<Pat>,
    rules_words: Vec<Pat>,
    lifecycle_verbs: Vec<Pat>,
    lifecycle_done: Vec<Pat>,
    own_identity: Vec<Pat>,
    lifecycle_phrases: Vec<Pat>,
    personal_history: Vec<Pat>,
    own_move: Vec<Pat>,
    outage_phrases: Vec<Pat>,
    home_server: Vec<Pat>,
    unreachable: Vec<Pat>,
    only_here: Vec<Pat>,
    error_codes: Vec<Pat>,
    cert: Vec<Pat>,
    cert_bad: Vec<Pat>,
    delay: Vec<Pat>,
    delivered: Vec<Pat>,
    error_words: Vec<Pat>,
    help_phrases: Vec<Pat>,
    admin_contact: Vec<Pat>,
    own_account: Vec<Pat>,
    first_person: Vec<Pat>,
    // question
    question_tag: Vec<Pat>,
    declared_question: Vec<Pat>,
    how_to: Vec<Pat>,
    how_to_title: Vec<Pat>,
    confusion: Vec<Pat>,
    // bug
    malfunction: Vec<Pat>,
    title_malfunction: Vec<Pat>,
    title_negation: Vec<Pat>,
    since_update: Vec<Pat>,
    universal: Vec<Pat>,
    repro: Vec<Pat>,
    scope: Vec<Pat>,
    ui_terms: Vec<Pat>,
    account_ui: Vec<Pat>,
    ui_parts: Vec<Pat>,
    tech_terms: Vec<Pat>,
    // feature
    feature_title_start: Vec<Pat>,
    wish: Vec<Pat>,
    // troubleshooting
    operator: Vec<Pat>,
    deployment: Vec<Pat>,
    // security
    vulnerability: Vec<Pat>,
}

// Word lists read best as paragraphs, not one word per line.
#[rustfmt::skip]
static LEX: LazyLock<Lexicon> = LazyLock::new(|| Lexicon {
    neg: pats(&[
        "can t", "cannot", "can not", "couldn t", "could not", "unable to", "not able to",
        "won t let me", "doesn t let me", "didn t let me", "fail* to", "impossible to",
        "can no longer", "no longer able to", "not possible to",
    ]),
    // German, French, Spanish negations sit on either side of the verb.
    neg_loose: pats(&[
        "nicht", "kein*", "nie", "pas", "plus", "impossible", "n arrive", "no", "imposible",
        "nunca",
    ]),
    login: pats(&[
        "log in", "login", "log into", "log on", "sign in", "signin", "sign into",
        "access my account", "access my profile", "get into my account", "get in to my account",
        "get back into my account",
    ]),
    login_loose: pats(&[
        "anmelden", "einloggen", "anmeldung", "login", "connecter", "connexion", "identifier",
        "iniciar sesion", "ingresar", "entrar", "acceder", "in mein konto",
        "in meinen account", "in mein profil", "reinkommen", "zugreifen",
    ]),
    login_phrases: pats(&[
        "locked out", "lock me out", "locks me out", "login fails", "login failed",
        "lost my phone", "lost my authenticator", "lost my 2fa", "lost my recovery codes",
        "lost the recovery codes", "lost my two factor", "lost access to my 2fa",
        "disable 2fa", "disable two factor", "reset 2fa", "reset my 2fa", "reset two factor",
        "remove 2fa", "turn off 2fa", "handy verloren", "perdu mon telephone",
        "perdi mi telefono", "perdi mi celular", "二段階認証を解除", "二段階認証ができな",
        "keeps logging me out", "keep getting logged out", "keeps signing me out",
        "logs me out", "login not working", "login doesn t work", "login is not working",
        "login isn t working", "can t seem to log in", "cannot seem to log in",
        "can t seem to login", "can t seem to sign in", "back into my account",
        "back in to my account", "back into my profile",
        "forgot my password", "forgotten my password", "forgot password", "lost my password",
        "reset my password", "reset the password", "password reset", "reset password",
        "new password", "lost access to my account", "lost access to my",
        "invalid email or password", "invalid email address or password",
        "invalid email address and password", "invalid email and password",
        // de
        "passwort vergessen", "passwort zurucksetzen", "ausgesperrt", "zugang verloren",
        // fr
        "mot de passe oublie", "reinitialiser mon mot de passe",
        "reinitialisation du mot de passe", "reinitialiser le mot de passe",
        // es
        "olvide mi contrasena", "restablecer mi contrasena", "restablecer la contrasena",
        "recuperar mi contrasena", "olvide la contrasena",
        // ja
        "ログインできな", "ログインできません", "ログイン出来な", "ログイン出来ません",
        "サインインできな", "パスワードを忘れ", "パスワードのリセット", "パスワードをリセット",
        "パスワード再設定", "パスワードの再設定",
    ]),
    // A password forgotten, reset or refused, in any word order ("reset my
    // password", "Zurücksetzen meines Passworts", "password is rejected").
    password: pats(&[
        "password", "passwort*", "kennwort*", "mot de passe", "contrasena", "パスワード",
    ]),
    password_trouble: pats(&[
        "forgot", "forgotten", "reset", "resetting", "recover*", "rejected", "refused",
        "not accepted", "won t accept", "doesn t accept", "isn t accepted",
        "vergessen", "zurucksetz*", "abgelehnt", "oublie", "reinitialis*", "refuse",
        "olvide", "olvidado", "restablec*", "recuperar", "rechaza*", "忘れ", "リセット",
    ]),
    // A second factor the reporter no longer has (or is stuck at): the admin
    // must remove it.
    second_factor: pats(&[
        "2fa", "two factor", "two step", "authenticator", "authenticator app", "otp", "totp",
        "backup codes", "recovery codes", "security key", "zwei faktor*", "2 faktor*",
        "double authentification", "authentification a deux facteurs", "a2f",
        "doble factor", "dos factores", "verificacion en dos pasos", "二段階認証", "二要素認証",
    ]),
    factor_lost: pats(&[
        "lost", "stolen", "wiped", "is gone", "are gone", "stuck", "old phone",
        "previous phone", "new phone", "changed phones",
        "changed my phone", "switched phones", "replaced my phone", "factory reset",
        "never saved", "didn t save", "did not save", "don t have my", "don t have the",
        "don t have any", "no longer have", "verloren", "ist weg", "sind weg", "neues handy", "perdu", "vole",
        "nouveau telephone", "perdi", "robaron", "robado", "nuevo telefono", "機種変更",
        "紛失", "なくし",
    ]),
    mail_kind: pats(&[
        "confirmation email", "confirmation e mail", "confirmation mail", "confirmation link",
        "confirmation code", "confirm email", "confirmation", "verification email",
        "verification e mail", "verification link", "verification code", "reset email",
        "reset e mail", "reset link", "activation email", "activation link",
        "email confirmation", "email verification", "e mail confirmation", "the email",
        "an email", "any email", "any e mail", "the e mail", "the mail", "emails", "e mails",
        "bestatigungsmail", "bestatigungs e mail", "bestatigungslink", "e mail", "email",
        "mail de confirmation", "courriel", "lien de confirmation", "correo",
        "enlace de confirmacion", "mail", "mails", "inbox", "a code", "any code", "my code",
        "security code", "login code", "digit code", "posteingang",
        "boite de reception", "bandeja de entrada",
    ]),
    mail_missing: pats(&[
        "never receiv*", "never got", "never arriv*", "never came", "haven t receiv*",
        "have not receiv*", "hasn t arriv*", "didn t receiv*", "did not receiv*",
        "didn t get", "did not get", "not receiv*", "don t receive", "doesn t arrive",
        "not sent", "isn t sent", "wasn t sent", "never sent", "not being sent",
        "no email", "no e mail", "no confirmation", "spam folder", "junk folder", "in spam",
        "in my spam", "in the spam", "junk", "hasn t shown up", "never showed up",
        "didn t show up", "doesn t show up", "not showing up", "hasn t come", "didn t come",
        "doesn t come", "never comes", "not coming", "hasn t turned up", "never turned up",
        "still waiting for", "can t receive", "cannot receive", "can not receive",
        "bekomme keine", "bekam keine", "kommt nicht an", "kam nie an", "kommt keine",
        "im spam", "ne recois pas", "ne recois aucun", "rien recu", "n arrive pas",
        "no recibo", "no me llego", "no llego",
        "nicht angekommen", "nicht erhalten", "keine e mail", "keine email", "spam ordner",
        "spamordner", "pas recu", "jamais recu", "dossier spam", "courrier indesirable",
        "no recibi", "no he recibido", "no me llega", "no llega", "nunca llego",
        "carpeta de spam",
    ]),
    mail_phrases: pats(&[
        "confirm my email", "confirm my e mail", "confirm my account", "verify my email",
        "verify my e mail", "verify my account", "confirmation email never",
        "no confirmation email", "no confirmation e mail", "no confirmation mail",
        "email not received", "e mail not received", "confirmation email not",
        "bestatigungsmail", "bestatigungs e mail", "e mail de confirmation",
        "email de confirmation", "mail de confirmation", "courriel de confirmation",
        "correo de confirmacion", "correo de verificacion", "email de confirmacion",
        "確認メール", "認証メール", "メールが届かな", "メールが届きません", "メールが来な",
        "迷惑メール",
    ]),
    owner: pats(&[
        "my post", "my posts", "my toot", "my toots", "my status", "my statuses",
        "my mastodon account", "my personal account", "my old account", "my main account",
        "my own account", "my previous account", "my original account",
        "my account", "my profile", "my bot", "my bots", "my user", "my handle", "my alt",
        "mein konto", "meinen account", "mein account", "meinem konto", "mon compte",
        "mi cuenta", "mi perfil",
    ]),
    owner_loose: pats(&[
        "i was", "i ve been", "i have been", "i got", "i am", "i m", "i ve got", "we were",
        "we ve been", "ich wurde", "ich bin", "j ai ete", "je suis", "fui", "he sido",
    ]),
    moderated: pats(&[
        "suspend*", "silenc*", "limited", "banned", "ban", "froze*", "frozen", "disabled",
        "deactivated", "terminated", "restricted", "shadowban*", "gesperrt", "gebannt",
        "eingeschrankt", "deaktiviert", "suspendu*", "banni*", "bloque*", "limite*",
        "desactive*", "suspendid*", "baneado*", "bloquead*", "limitad*", "desactivad*",
    ]),
    // After "I was": words that mean moderation only ("limited", "disabled"
    // say other things after a pronoun).
    moderated_strict: pats(&[
        "suspend*", "silenc*", "banned", "shadowban*", "gesperrt", "gebannt", "suspendu*",
        "banni*", "suspendid*", "baneado*",
    ]),
    moderation_phrases: pats(&[
        "unsuspend my", "unsuspend me", "unban me", "unban my", "lift the suspension",
        "lift my suspension", "appeal my suspension", "appeal the suspension",
        "my account was hacked", "my account got hacked", "my account has been hacked",
        "hacked my account", "my account is compromised", "my account was compromised",
        "moderator removed", "moderators removed", "moderator deleted",
        "moderators deleted", "admin removed", "admins removed", "admin deleted",
        "admins deleted", "moderator suspended", "moderators suspended",
        "admin suspended", "admins suspended", "mods removed", "mods deleted",
        "impersonating me", "pretending to be me", "harassing me", "stalking me",
        "impersonating my", "impersonates me", "pretends to be me", "posing as me",
        "using my name", "using my photo*", "using my picture*", "copied my profile",
        "copying my profile", "fake account of me",
        "banned me", "suspended me", "silenced me", "ban me", "got banned", "got suspended",
        "got silenced", "me banearon", "me suspendieron", "アカウントが凍結", "凍結された",
        "凍結されました", "アカウントが停止", "停止されました", "サスペンドされ",
    ]),
    moderation_lifted: pats(&[
        "unsuspended", "unsilenced", "unbanned", "unlimited", "reinstated", "was lifted",
        "were lifted", "been lifted", "got lifted", "unfrozen",
    ]),
    // The reporter reported someone and the moderators did nothing: a matter
    // for that server's staff.
    reported: pats(&[
        "i reported", "we reported", "i ve reported", "i have reported", "reported it",
        "reported them", "reported this", "reported that", "reported the account",
        "reported him", "reported her", "reported the user", "reported the post*",
        "my report", "my reports", "ich habe gemeldet", "gemeldet", "j ai signale",
        "signale", "lo reporte", "lo denuncie", "reporte", "通報した", "通報しました",
    ]),
    unanswered: pats(&[
        "haven t done", "hasn t done", "didn t do", "did nothing", "done nothing",
        "nothing happened", "nothing has happened", "nothing happens", "no response",
        "no reply", "no answer", "ignored", "haven t responded", "hasn t responded",
        "didn t respond", "haven t acted", "hasn t acted", "no action", "still up",
        "still online", "still active", "still there", "nichts passiert", "keine antwort",
        "rien ne se passe", "aucune reponse", "no ha pasado nada", "sin respuesta",
        "no hicieron nada", "何もしてくれ", "対応してくれ",
    ]),
    // The reporter's own server's staff or policy ("my admin blocked that
    // server", "my instance defederated from …").
    home_staff: pats(&[
        "my admin", "my admins", "my moderator*", "my mods", "my instance", "my server",
        "my home server", "my home instance", "the admin of my", "the admins of my",
        "mein admin", "meine instanz", "mon instance", "mon serveur", "mi instancia",
        "mi servidor",
    ]),
    by_home_staff: pats(&[
        "by my admin*", "by my instance", "by my server", "by my home server",
        "by my moderator*", "by my mods", "von meiner instanz", "par mon instance",
        "par mon serveur", "por mi instancia", "por mi servidor",
    ]),
    server_policy: pats(&[
        "block*", "defederat*", "suspended", "silenced", "limited", "blockiert",
        "gesperrt", "bloque*", "bloquead*",
    ]),
    ban_words: pats(&["banned", "banning", "gebannt", "banni", "bannie", "baneado", "baneada"]),
    rules_words: pats(&[
        "break any rules", "broke any rules", "breaking any rules", "broke the rules",
        "violat* any rules", "against the rules", "for no reason", "without any reason",
        "without a reason", "without warning", "without any warning", "freedom of speech",
        "free speech", "censor*", "appeal",
    ]),
    lifecycle_verbs: pats(&[
        "delet*", "remov*", "close", "closing", "cancel*", "deactivat*", "recover*",
        "restor*", "retriev*", "reactivat*", "undelet*", "chang*", "renam*", "reus*",
        "reclaim*", "get back", "loschen", "geloscht", "wiederherstell*", "andern",
        "supprim*", "recuper*", "restaur*", "changer", "modifier", "eliminar", "eliminad*",
        "borrar", "borrad*", "cambiar",
    ]),
    lifecycle_done: pats(&[
        "deleted", "removed", "closed", "deactivated", "is gone", "was gone", "vanished",
        "geloscht", "supprime", "supprimee", "eliminada", "borrada",
    ]),
    own_identity: pats(&[
        "my mastodon account", "my personal account", "my old account", "my main account",
        "my own account", "my previous account", "my original account",
        "my account", "my accounts", "my username",
        "my user name", "my handle", "my old username", "my old handle", "my email",
        "my e mail", "my email address", "my e mail address", "my mail address",
        "mein konto", "meinen account", "mein account", "meinen benutzernamen",
        "meine e mail", "mon compte", "mon nom d utilisateur", "mon adresse", "mon e mail",
        "mi cuenta", "mi nombre de usuario", "mi correo", "mi usuario",
    ]),
    lifecycle_phrases: pats(&[
        "username is taken", "username is already taken", "username already taken",
        "username is in use", "username already in use", "username is on use",
        "username is not available", "username is unavailable", "name is already taken",
        "which email i used", "which email address i used", "what email i used",
        "which e mail i used", "forgot my username", "forgot which email",
        "no longer have access to my email", "lost access to my email",
        "delete my account", "deleted my account", "konto loschen", "account loschen",
        "supprimer mon compte", "eliminar mi cuenta", "borrar mi cuenta",
        "アカウントを削除", "アカウント削除", "退会", "ユーザー名を変更", "ユーザー名の変更",
        "メールアドレスを変更", "メールアドレスの変更", "アカウントを復元", "アカウントの復旧",
    ]),
    personal_history: pats(&[
        "i signed up", "when i signed up", "i registered", "i created my account",
        "i created an account", "i made an account", "i joined", "just created an account",
        "just signed up", "ich habe mich registriert", "je me suis inscrit*",
        "me registre",
    ]),
    // The reporter moved their own account to another server.
    own_move: pats(&[
        "i moved to", "i moved from", "i moved my", "i moved servers", "i moved instances",
        "i ve moved to", "i have moved to", "i migrated to", "i migrated from",
        "i migrated my", "i ve migrated", "i have migrated", "moved my account",
        "migrated my account", "moving my account", "migrating my account",
        "after moving to", "after migrating to",
        "lost my followers", "lost followers", "my followers didn t", "my followers did not",
        "my followers are gone", "ich bin umgezogen", "konto umgezogen", "j ai migre",
        "j ai demenage", "migre mon compte", "migre mi cuenta", "me mude",
        "アカウントを移行", "引っ越し",
    ]),
    outage_phrases: pats(&[
        "is down", "was down", "went down", "been down", "server down", "instance down",
        "site down", "is unreachable", "was unreachable", "is offline", "went offline",
        "not reachable", "cannot reach", "can t reach", "can t access the site",
        "cannot access any", "can t access any", "bad gateway", "gateway timeout",
        "service unavailable", "overloaded", "server is slow", "instance is slow",
        "site is slow", "server is very slow", "instance is very slow", "slow server",
        "heavy load", "server load", "under load",
        "nicht erreichbar", "uberlastet", "zertifikat abgelaufen", "inaccessible",
        "en panne", "hors ligne", "surcharge", "certificat expire", "esta caido",
        "servidor caido", "no carga", "sobrecargado", "certificado caducado",
        "certificado expirado", "サーバーが落ち", "サーバーダウン", "繋がらな", "つながらな",
        "証明書の期限", "down for everyone", "down for me", "サーバーが重", "インスタンスが重",
        "鯖が重", "サーバーに繋がら", "インスタンスに繋がら",
        "サーバーに接続でき", "インスタンスに接続でき", "インスタンスが落ち",
    ]),
    // The reporter's own server, not answering or slow ("my instance is
    // down", "can't open my server", "mon instance ne répond plus").
    home_server: pats(&[
        "my server", "my instance", "my home server", "my home instance", "my mastodon server",
        "my mastodon instance", "mein server", "meine instanz", "mon serveur", "mon instance",
        "mi servidor", "mi instancia",
    ]),
    unreachable: pats(&[
        "unreachable", "slow", "not loading", "won t load",
        "doesn t load", "isn t loading", "not responding", "doesn t respond",
        "isn t responding", "not reachable", "unavailable", "timing out", "times out",
        "can t open", "cannot open", "can t reach", "cannot reach", "can t access",
        "cannot access", "can t connect", "cannot connect", "won t open", "doesn t open",
        "nicht erreichbar", "langsam", "antwortet nicht", "ne repond", "lent", "lente",
        "inaccessible", "hors ligne", "no responde", "lento", "lenta", "caido", "caida",
        "no abre",
        "no carga", "no funciona",
    ]),
    // Trouble that is known to be confined to the reporter's own place.
    only_here: pats(&[
        "is it just me", "just me or", "only me or", "everything else works",
        "everything else on the internet", "other websites work", "other sites work",
        "other sites load", "works on other servers", "works on other instances",
        "works fine on other", "works elsewhere", "only on my instance", "only on my server",
        "only happens on my", "nur bei mir", "juste chez moi", "solo a mi", "solo me pasa",
        "others on the same server", "others on the same instance", "others on my server",
        "others on my instance", "other users on my server", "other users on my instance",
        "people on my server", "people on my instance", "everyone on my server",
        "everyone on my instance", "everybody on my server", "everybody on my instance",
        "other people on my server", "other people on my instance",
    ]),

    error_codes: pats(&["500", "502", "503", "504", "403", "413"]),
    cert: pats(&["cert", "certificate", "certificates", "ssl", "tls", "zertifikat", "certificat", "certificado", "証明書"]),
    cert_bad: pats(&["expired", "expires", "invalid", "error", "warning", "abgelaufen", "expire", "caducado", "expirado", "期限切れ"]),
    delay: pats(&[
        "delay", "delays", "delayed", "lag", "lagging", "backlog*", "hours late",
        "minutes late", "hours behind", "hours ago", "days ago", "hours old", "days old",
        "minutes since", "hours since", "old posts", "old toots", "older posts",
        "older toots", "not updating", "doesn t update", "does not update", "takes forever",
        "take forever", "forever to load", "ages to load",
        "stopped updating", "isn t updating", "stale",
        "verzogert", "verzogerung", "retard*", "retraso*", "demora*", "tarda", "tardan",
        "tardent", "dauert ewig", "遅延", "遅れ",
    ]),
    delivered: pats(&[
        "toot", "toots", "tooted", "post", "posts", "posted", "status", "statuses",
        "timeline", "timelines",
        "feed", "notification*", "message*", "mention*", "federat*", "beitrage", "beitrag",
        "messages", "publicacion*", "投稿", "タイムライン", "通知",
    ]),
    error_words: pats(&[
        "error", "errors", "status", "http", "code", "fehler", "erreur", "forbidden",
        "internal server error",
    ]),
    admin_contact: pats(&[
        "contacted the admin*", "contact the admin*", "contacted my admin*",
        "contact my admin*", "emailed the admin*", "asked the admin*", "asked my admin*",
        "wrote to the admin*", "admin didn t respond", "admin doesn t respond",
        "admin is not responding", "admins are not responding", "no response from the admin*",
        "admin won t", "admins won t", "admin ignores", "admins ignore",
        "den admin kontaktiert", "contacte l admin*", "contacte al admin*",
        "管理者に連絡",
    ]),
    help_phrases: pats(&[
        "please help", "help me", "can someone help", "could someone help",
        "can anyone help", "could anyone help", "could someone please help",
        "can someone please help", "can you help", "could you help", "can you guys help",
        "need help", "what should i do", "what can i do", "what do i do", "what to do",
        "is there anything i can do", "is there anything i could do", "how do i get",
        "how can i get", "any way to get", "any way to retrieve", "any way to recover",
        "is there any way to retriev*", "is there any way to recover",
        "bitte helft", "bitte um hilfe", "was kann ich tun", "was soll ich tun",
        "aidez moi", "que dois je faire", "que faire", "ayudenme", "ayuda por favor",
        "que puedo hacer", "que hago", "助けて", "どうすれば", "どうしたら",
    ]),
    own_account: pats(&[
        "my mastodon account", "my personal account", "my old account", "my main account",
        "my own account", "my previous account", "my original account",
        "my account", "my profile", "my email", "my e mail", "my password", "my username",
        "my login", "mein konto", "meinen account", "mein passwort", "mon compte",
        "mon mot de passe", "mi cuenta", "mi contrasena", "私のアカウント",
        "自分のアカウント",
    ]),
    // The reporter speaking of themself (Spanish drops the pronoun: its
    // first-person verbs count).
    first_person: pats(&[
        "i", "i m", "i ve", "i d", "i ll", "my", "me", "mine", "myself", "we", "ich", "mein*",
        "mich", "mir", "je", "j", "mon", "ma", "mes", "moi", "yo", "mi", "mis", "puedo",
        "tengo", "quiero", "estoy", "olvide", "recibi", "intente", "intento", "私", "自分",
        "僕",
    ]),
    question_tag: pats(&["question", "frage", "pregunta", "質問"]),
    declared_question: pats(&[
        "more a question", "more of a question", "i have a question",
        "just a question", "quick question", "wrong place to ask", "the right place to ask",
        "where to ask", "where else to ask", "not sure where to ask",
        "don t know where to ask", "a good place for", "the wrong place", "not a bug but",
        "une question", "una pregunta", "質問があります",
    ]),
    // The reporter asking how to do something; in a body, only first-person
    // forms count ("how to reproduce" and "is it possible to add" are not
    // questions about using the software).
    how_to: pats(&[
        "how do i", "how can i", "how could i", "how does one", "how do you", "how do we",
        "how can we", "is there a way for me", "is there a way i", "is there any way i",
        "where can i", "where do i", "where is the setting", "why can t i", "why can i",
        "why is my", "why was my", "why are my", "why does my", "why do i", "why am i",
        "how is this possible", "how is this even possible",
        "how is that possible", "wie kann ich", "wie andere ich", "wo kann ich",
        "comment puis je", "comment je peux", "ou puis je", "como puedo", "como hago",
        "donde puedo", "どうやって", "方法を教えて", "どこで",
    ]),
    how_to_title: pats(&[
        "how to", "is there a way", "is there any way", "can i", "is it possible",
        "what does", "gibt es eine moglichkeit", "comment faire", "est il possible",
        "es posible", "できますか",
    ]),
    confusion: pats(&[
        "i m confused", "i am confused", "confused", "is this normal", "is this expected",
        "is this intended", "is this how it", "is this what it should", "or is this",
        "am i doing something wrong", "am i missing something", "did i do something wrong",
    ]),
    since_update: pats(&[
        "since the update", "since updating", "after the update", "after updating",
        "after update", "since update", "after updating to", "since updating to",
        "since the last update", "since the latest update", "after the latest update",
        "after the last update", "since version", "in the latest version",
        "in the new version", "since upgrading", "after upgrading", "after the upgrade",
        "since the upgrade", "regression", "used to work", "worked before",
        "seit dem update", "depuis la mise a jour", "desde la actualizacion",
    ]),
    title_negation: pats(&[
        "doesn t", "does not", "don t", "do not", "isn t", "is not", "aren t", "are not",
        "won t", "will not", "can t", "cannot", "didn t", "wasn t", "weren t", "fails",
        "failing",
    ]),
    title_malfunction: pats(&[
        "doesn t work", "does not work", "don t work", "not working", "stopped working",
        "stops working", "not functioning", "broken", "bug", "went wrong", "mistakenly",
        "incorrect*", "wrongly", "no effect", "ignored", "ignores", "not respected",
        "regression", "crash*", "does nothing", "do nothing", "nothing happens",
        "not sent", "not delivered", "not displayed", "not rendered", "not shown", "not saved",
        "not applied",
    ]),
    malfunction: pats(&[
        "doesn t remove", "doesn t delete", "isn t removed", "aren t removed",
        "not removed", "not deleted", "still visible", "still shows", "still show",
        "still appear*", "blank page", "blank screen",
        "doesn t work", "does not work", "don t work", "do not work", "not working",
        "isn t working", "stopped working", "stops working", "no longer works",
        "not functioning", "broken", "is broken", "bug", "buggy", "glitch*", "crash*",
        "regression", "fails to", "failed to", "incorrect*", "incorrectly", "instead of",
        "should not", "shouldn t", "should be", "should have", "doesn t show", "not shown",
        "not displayed", "doesn t display", "isn t displayed", "disappear*", "stuck",
        "freez*", "wrong", "mistakenly", "unexpected*", "went wrong", "no effect",
        "has no effect", "ignored", "not respected", "inconsistent", "duplicated",
        "does nothing", "do nothing",
    ]),
    universal: pats(&[
        "all browsers", "every browser", "any browser", "all platforms",
        "all operating systems", "any instance", "any server", "every instance",
        "every server", "all instances", "all servers", "any mastodon instance",
        "any mastodon server", "every mastodon instance", "can reproduce", "reproducible",
        "also happens on", "across instances", "regardless of the instance",
    ]),
    repro: pats(&[
        "happen*", "occur*", "reproduc*", "tested", "tried", "same", "also", "too",
        "confirmed", "see it", "seeing it", "affects", "affected",
    ]),
    scope: pats(&[
        "other instances", "other servers", "multiple instances", "multiple servers",
        "several instances", "several servers", "different instances",
        "different servers", "other browsers", "different browsers", "multiple browsers",
        "several browsers", "other devices", "different devices", "another instance",
        "another server", "another browser", "two servers", "two instances", "both servers",
        "both instances", "other accounts", "several accounts", "multiple accounts",
        "different accounts", "another account", "two accounts", "test account",
    ]),
    // Account words naming a part of the interface ("login page", "sign in
    // button", "password reset form"): the thing at fault is the software.
    account_ui: pats(&[
        "login", "log in", "sign in", "signin", "sign up", "signup", "sign out", "log out",
        "logout", "registration", "password", "password reset", "reset password", "2fa",
        "two factor", "two factor auth", "confirmation", "delete account", "account deletion",
        "account", "migration", "moderation", "anmelde", "login", "registrierungs",
        // French and Spanish name the part first: "bouton de connexion".
        "de connexion", "d inscription", "de mot de passe", "de inicio de sesion",
        "de registro", "de contrasena",
    ]),
    ui_parts: pats(&[
        "button", "buttons", "form", "forms", "page", "pages", "screen", "screens", "field",
        "fields", "dialog", "modal", "menu", "prompt", "template", "templates", "banner",
        "input", "checkbox", "qr code", "view", "flow", "ui", "tab", "seite", "formular",
        "maske", "bouton", "formulaire", "ecran", "champ", "boton", "pagina", "formulario",
        "pantalla", "campo",
    ]),
    ui_terms: pats(&[
        "button", "column", "modal", "dropdown", "drop down", "menu", "scroll*", "layout",
        "css", "render*", "picker", "composer", "compose box", "icon", "zoom*", "sidebar",
        "tooltip", "popup", "pop up", "web interface", "web ui", "ui", "screen reader",
        "keyboard", "hover", "click*", "tab", "toggle", "checkbox", "dark mode", "theme",
    ]),
    tech_terms: pats(&[
        "api", "endpoint", "activitypub", "json", "payload", "stack trace", "traceback",
        "exception", "console", "uncaught", "typeerror", "nomethoderror", "header",
        "headers", "response", "request", "webfinger", "oauth", "websocket", "logs",
        "log shows", "error log", "backtrace", "stacktrace", "stack",
    ]),
    feature_title_start: pats(&[
        "add", "adding", "allow", "allowing", "enable", "implement", "support for",
        "option", "options", "ability", "possibility", "make it possible", "let", "provide",
        "introduce", "include", "feature request", "request", "suggestion", "proposal",
        "idea", "please add", "please allow", "please make", "please let", "would be nice",
        "improve", "improving", "rename", "replace", "make", "redesign", "respect",
        "feature", "hinzufugen", "ajouter", "anadir", "agregar", "permitir", "permettre",
    ]),
    wish: pats(&[
        "it would be nice", "would be nice", "would be great", "would be cool",
        "would be useful", "would be helpful", "would be good", "would be awesome",
        "it d be nice", "it d be great", "i would like to see", "i d like to see",
        "i would like to be able", "i d like to be able", "i would love", "i d love",
        "would love to see", "please add", "please consider", "could you add",
        "can you add", "could we have", "can we have", "should be able to",
        "should have an option", "should be an option", "add an option", "add a setting",
        "add the option", "add the ability", "add a way", "option to", "ability to",
        "possibility to", "i propose", "i suggest", "i recommend", "suggestion",
        "proposal", "feature request", "i wish", "wish there was", "it would help",
        "would benefit", "consider adding", "be able to", "should allow", "should support",
        "i would like", "i d like", "would like to", "we could", "could be added",
        "i think it would", "there should be", "it should be possible", "should be possible",
        "let users", "allow users", "users should be able", "thoughts", "what do you think",
        "i think we should", "we should", "maybe add", "how about", "it would make",
        "es ware schon", "ware toll", "ware gut", "bitte fugt", "ce serait bien",
        "ce serait genial", "il faudrait", "seria bueno", "seria genial", "estaria bien",
        "欲しい", "ほしい", "追加してほしい", "機能追加", "できるようにしてほしい",
    ]),
    operator: pats(&[
        "our instance", "our server", "my own instance", "my own server", "my instances",
        "my servers", "our instances", "our servers",
        "my own mastodon", "i run a", "i run an", "i run my", "we run a", "we run an",
        "i m running a", "i m running an", "i am running a", "i am running an",
        "running mastodon", "running my own", "i host", "we host", "hosting my own",
        "self host*", "selfhost*", "i administer", "i m the admin", "i am the admin",
        "i m an admin", "i am an admin", "i m the administrator", "i am the administrator",
        "as an admin", "as admin", "as an administrator", "administrator rights",
        "admin rights", "set up a new instance", "setting up a new instance",
        "my new instance", "new instance i", "deploy*", "installing mastodon",
        "install mastodon", "installed mastodon", "mastodon installation", "upgraded from",
        "upgrading from", "upgraded to", "upgrading to", "after upgrading", "docker compose",
        "dockerized", "dockerised",
    ]),
    deployment: pats(&[
        "docker", "docker compose", "sidekiq", "postgres*", "psql", "redis", "nginx",
        "apache", "tootctl", "rake", "rails", "bundle exec", "bundler", "yarn", "npm",
        "nodejs", "systemd", "systemctl", "journalctl", "elasticsearch", "opensearch", "s3",
        "minio", "env production", "rails env", "puma", "precompile", "db migrate",
        "kubernetes", "helm", "heroku", "certbot", "letsencrypt", "smtp", "libvips",
        "imagemagick", "ffmpeg", "streaming server",
    ]),
    vulnerability: pats(&[
        "vulnerability", "vulnerabilities", "security vulnerability", "security issue",
        "security hole", "security flaw", "security bug", "security problem", "exploit",
        "exploitable", "exploited", "xss", "cross site scripting", "csrf", "sql injection",
        "code injection", "html injection", "remote code execution", "rce", "ssrf",
        "privilege escalation", "account takeover", "authentication bypass", "auth bypass",
        "bypass authentication", "cve", "sicherheitslucke", "schwachstelle",
        "faille de securite", "vulnerabilite", "vulnerabilidad", "fallo de seguridad",
        "agujero de seguridad", "脆弱性", "セキュリティホール",
    ]),
});

/// Collects hits, and the evidence of the first hit of a list.
struct Hits(Vec<Hit>);

impl Hits {
    fn add(&mut self, verdict: Verdict, signal: &'static str, weight: f64, evidence: String) {
        self.0.push(Hit {
            verdict,
            signal,
            weight,
            evidence,
        });
    }

    fn add_found(&mut self, verdict: Verdict, signal: &'static str, weight: f64, f: &Found) {
        let ev = if f.in_title {
            format!("\"{}\" (title)", f.text)
        } else {
            format!("\"{}\"", f.text)
        };
        self.add(verdict, signal, weight, ev);
    }
}

/// Words joined for evidence.
fn quote(found: &[Found]) -> String {
    found
        .iter()
        .map(|f| format!("\"{}\"", f.text))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Signals that assume the trouble is confined to one server or account.
const ONE_PLACE: &[&str] = &[
    "account-access",
    "account-mail",
    "server-outage",
    "server-error",
    "delivery-delay",
    "server-in-title",
    "home-server-policy",
    "only-here",
];

/// Signals that read account words as the reporter's own account.
const ACCOUNT_WORDS: &[&str] = &["account-access", "account-mail", "account-lifecycle"];

/// Runs every detector over a draft.
pub(crate) fn detect(d: &Draft) -> Vec<Hit> {
    let mut h = Hits(Vec::new());
    let lx = &*LEX;
    let doc = &d.doc;
    let operator = doc.find(&lx.operator);
    let deployment = doc.find_all(&lx.deployment);
    // The reporter runs the server: their trouble is theirs to fix (or a
    // bug), never something to ask their admin about.
    let operator_voice =
        operator.is_some() || !deployment.is_empty() || d.form == Form::Troubleshooting;

    let tech = doc.find_all(&lx.tech_terms);
    let technical = d.code || !tech.is_empty();
    let widely = doc
        .find(&lx.universal)
        .or_else(|| doc.near(&lx.repro, &lx.scope, 4, true));

    // ---- support: one account, one server -------------------------------
    // Skipped when the reporter runs the server: their login, mail or
    // moderation trouble is theirs to fix (or a bug), never a matter for
    // "their admin".
    let lifted = doc.find(&lx.moderation_lifted);
    if let Some(l) = &lifted {
        // Moderation that was lifted yet still shows is the software's doing.
        h.add_found(Verdict::Bug, "moderation-lifted", 1.0, l);
    }
    if !operator_voice {
        let login = doc
            .near(&lx.neg, &lx.login, 1, false)
            .or_else(|| doc.near(&lx.neg_loose, &lx.login_loose, 3, true))
            .or_else(|| doc.find(&lx.login_phrases))
            .or_else(|| doc.near(&lx.password, &lx.password_trouble, 3, true))
            .or_else(|| doc.near(&lx.second_factor, &lx.factor_lost, 4, true));
        if let Some(f) = &login {
            // Access trouble is personal ("I can't get in"); login words in
            // a draft that never speaks of the reporter describe the
            // software. Japanese leaves the subject out.
            let personal = d.lang.code == "ja" || doc.find(&lx.first_person).is_some();
            h.add_found(Verdict::Support, "account-access", 3.0, f);
            if !personal {
                if let Some(hit) = h.0.last_mut() {
                    hit.weight /= 2.0;
                    hit.evidence
                        .push_str(" (halved: the draft never speaks of the reporter)");
                }
            }
        }
        let mail = doc
            .find(&lx.mail_phrases)
            .or_else(|| doc.near(&lx.mail_missing, &lx.mail_kind, 6, true));
        if let Some(f) = &mail {
            h.add_found(Verdict::Support, "account-mail", 3.0, f);
        }
        let moderation = doc
            .find(&lx.moderation_phrases)
            .or_else(|| doc.near(&lx.owner, &lx.moderated, 5, true))
            // Verb-final languages (and server names) put more words
            // between "my account" and "suspended".
            .or_else(|| doc.near(&lx.owner, &lx.moderated_strict, 7, true))
            .or_else(|| doc.near(&lx.owner_loose, &lx.moderated_strict, 2, false))
            .or_else(|| doc.near(&lx.reported, &lx.unanswered, 8, false));
        if lifted.is_none() {
            if let Some(f) = &moderation {
                h.add_found(Verdict::Support, "own-moderation", 3.0, f);
            } else if let Some(f) = doc.find(&lx.ban_words) {
                h.add_found(Verdict::Support, "ban-language", 1.5, &f);
            }
        }
        if let Some(f) = doc.find(&lx.rules_words) {
            h.add_found(Verdict::Support, "moderation-dispute", 1.5, &f);
        }
        // The reporter's own server blocked or limited another one.
        // (Not "I blocked … on my server": that is the admin speaking.)
        let policy = doc
            .near(&lx.home_staff, &lx.server_policy, 3, false)
            .or_else(|| doc.near(&lx.server_policy, &lx.by_home_staff, 1, false));
        if let Some(f) = policy {
            h.add_found(Verdict::Support, "home-server-policy", 2.0, &f);
        }
        // Followers or posts that did not come along to a new server.
        if let Some(f) = doc.find(&lx.own_move) {
            h.add_found(Verdict::Support, "own-migration", 2.0, &f);
        }
    }

    let lifecycle = doc
        .find(&lx.lifecycle_phrases)
        .or_else(|| doc.near(&lx.lifecycle_verbs, &lx.own_identity, 1, false))
        .or_else(|| doc.near(&lx.own_identity, &lx.lifecycle_done, 3, false));
    if let Some(f) = &lifecycle {
        h.add_found(Verdict::Support, "account-lifecycle", 3.0, f);
    }
    if let Some(f) = doc.find(&lx.personal_history) {
        h.add_found(Verdict::Support, "personal-history", 0.8, &f);
    }

    if !operator_voice {
        let outage = doc
            .find(&lx.outage_phrases)
            .or_else(|| doc.near(&lx.home_server, &lx.unreachable, 3, true))
            .or_else(|| doc.near(&lx.cert, &lx.cert_bad, 4, true));
        if let Some(f) = outage {
            h.add_found(Verdict::Support, "server-outage", 2.0, &f);
        }
        // A basic action failing with a server error is usually that
        // server's trouble (storage, load); a log or trace with it means the
        // reporter dug into the software, so it weighs less.
        if let Some(f) = doc.near(&lx.error_codes, &lx.error_words, 2, true) {
            let mut w = if f.in_title { 2.5 } else { 2.0 };
            if technical {
                w /= 2.0;
            }
            h.add_found(Verdict::Support, "server-error", w, &f);
        }
        // Posts arriving hours late, a timeline stuck in the past: the
        // server's job queues are behind.
        let late = doc.near_all(&lx.delay, &lx.delivered, 4, true);
        if !late.is_empty() {
            let title = late.iter().any(|f| f.in_title);
            let w = 2.0 + if title { 0.5 } else { 0.0 } + if late.len() > 1 { 0.5 } else { 0.0 };
            h.add(
                Verdict::Support,
                "delivery-delay",
                w,
                quote(&late[..late.len().min(2)]),
            );
        }
        if let Some(s) = d.title_servers.first() {
            h.add(
                Verdict::Support,
                "server-in-title",
                1.2,
                format!("\"{s}\" (title)"),
            );
        }
        if let Some(f) = doc.find(&lx.admin_contact) {
            h.add_found(Verdict::Support, "admin-contact", 2.0, &f);
        }
        if let Some(f) = doc.find(&lx.only_here) {
            h.add_found(Verdict::Support, "only-here", 1.0, &f);
        }
    }
    if let Some(f) = doc.find(&lx.help_phrases) {
        h.add_found(Verdict::Support, "help-request", 1.2, &f);
    }
    if let Some(f) = doc.find(&lx.own_account) {
        h.add_found(Verdict::Support, "own-account", 0.6, &f);
    }
    let bug_shaped = matches!(d.form, Form::Bug | Form::Troubleshooting) || d.has_slot(Slot::Steps);
    if bug_shaped && d.answer(Slot::Steps).is_none_or(|s| steps_words(s) == 0) {
        h.add(
            Verdict::Support,
            "no-steps",
            0.6,
            "the steps to reproduce are empty".to_string(),
        );
    }

    // ---- question: how to use the software -----------------------------
    let declared = doc
        .find(&lx.declared_question)
        .or_else(|| doc.find(&lx.question_tag).filter(|f| f.in_title));
    if let Some(f) = declared {
        h.add_found(Verdict::Question, "declared-question", 2.5, &f);
    }
    let title_q = d.doc_title_is_question();
    let asked = doc
        .find(&lx.how_to)
        .filter(|f| f.in_title)
        .or_else(|| doc.find(&lx.how_to_title).filter(|f| f.in_title))
        .or_else(|| doc.find(&lx.how_to));
    // A draft that opens by asking is a question, whatever its title says.
    let opens_asking = || {
        let first: Vec<&str> = doc.opening_words().collect();
        Doc::new("", &first.join(" ")).find(&lx.how_to).is_some()
    };
    if let Some(f) = asked {
        let w = if f.in_title || title_q || opens_asking() {
            2.0
        } else {
            1.2
        };
        h.add_found(Verdict::Question, "how-to-question", w, &f);
    }
    if let Some(f) = doc.find(&lx.confusion) {
        h.add_found(Verdict::Question, "confusion", 0.8, &f);
    }

    // ---- bug: software behaviour, reproducible -------------------------
    if d.form == Form::Bug {
        h.add(
            Verdict::Bug,
            "bug-form",
            0.2,
            "filed through a bug report form".into(),
        );
    }
    if let Some(s) = d.answer(Slot::Steps) {
        let n = steps_words(s);
        if n >= 4 {
            h.add(
                Verdict::Bug,
                "steps-given",
                0.5,
                format!("{n} words of steps to reproduce"),
            );
        }
    }
    let filled = |s: Slot| d.answer(s).is_some_and(|v| !v.trim().is_empty());
    if filled(Slot::Expected) && filled(Slot::Actual) {
        h.add(
            Verdict::Bug,
            "expected-vs-actual",
            0.2,
            "expected and actual behaviour given".into(),
        );
    }
    let version = d
        .answer(Slot::Version)
        .and_then(|v| text::version(v, true))
        .or_else(|| text::version(&d.raw_all, false));
    if let Some(v) = version {
        h.add(Verdict::Bug, "version-given", 0.3, format!("\"{v}\""));
    }
    // A title that says what the software does wrong ("X doesn't Y"), not
    // what the reporter can't do ("I can't Y").
    let title_fault = doc
        .find(&lx.title_malfunction)
        .filter(|f| f.in_title)
        .or_else(|| d.title_statement(&lx.title_negation));
    if let Some(f) = title_fault {
        h.add_found(Verdict::Bug, "malfunction-title", 1.0, &f);
    }
    // A problem that began with a release is the software's.
    let since = doc.find_all(&lx.since_update);
    if !since.is_empty() {
        let w = if since.len() > 1 { 2.5 } else { 2.0 };
        h.add(
            Verdict::Bug,
            "since-update",
            w,
            quote(&since[..since.len().min(2)]),
        );
    }
    let broken = doc.find_all(&lx.malfunction);
    if !broken.is_empty() {
        let n = broken.len().min(3);
        let w = 0.6 * n as f64;
        h.add(Verdict::Bug, "malfunction", w, quote(&broken[..n]));
    }
    if let Some(f) = &widely {
        h.add_found(Verdict::Bug, "happens-widely", 2.0, f);
    }
    let ui = doc.find_all(&lx.ui_terms);
    if ui.len() >= 2 {
        h.add(
            Verdict::Bug,
            "interface-terms",
            0.8,
            quote(&ui[..ui.len().min(3)]),
        );
    }
    if technical {
        let ev = if d.code {
            "a code block or log".to_string()
        } else {
            quote(&tech[..tech.len().min(3)])
        };
        h.add(Verdict::Bug, "technical-detail", 1.0, ev);
    }

    // ---- feature: a change to the software ------------------------------
    if d.form == Form::Suggestion {
        h.add(
            Verdict::Feature,
            "suggestion-form",
            2.0,
            "filed through the feature request form".into(),
        );
    }
    if let Some(f) = d.title_starts_with(&lx.feature_title_start) {
        h.add_found(Verdict::Feature, "feature-title", 2.0, &f);
    }
    let wishes = doc.find_all(&lx.wish);
    if !wishes.is_empty() {
        let n = wishes.len().min(3);
        let w = 1.5 + 0.5 * (n - 1) as f64;
        h.add(Verdict::Feature, "wish-phrasing", w, quote(&wishes[..n]));
    }

    // ---- troubleshooting: the reporter runs the server ------------------
    if d.form == Form::Troubleshooting {
        h.add(
            Verdict::Troubleshooting,
            "troubleshooting-form",
            2.5,
            "filed through the deployment troubleshooting form".into(),
        );
    }
    if let Some(f) = &operator {
        h.add_found(Verdict::Troubleshooting, "operator-voice", 1.5, f);
    }
    if !deployment.is_empty() {
        let n = deployment.len().min(3);
        let w = 0.8 * n as f64;
        h.add(
            Verdict::Troubleshooting,
            "deployment-terms",
            w,
            quote(&deployment[..n]),
        );
    }

    // ---- security ------------------------------------------------------
    if let Some(f) = doc.find(&lx.vulnerability) {
        h.add_found(Verdict::Security, "vulnerability", 4.0, &f);
    }

    // A title naming a part of the interface ("login page", "delete account
    // button") is about the software: account words there say which screen
    // is wrong, not whose account is in trouble. A title in the reporter's
    // own voice ("I'm stuck on the 2FA screen") is left alone.
    let title_personal = {
        let title: Vec<&str> = doc.title_words().collect();
        let t = Doc::new(&title.join(" "), "");
        t.find(&lx.first_person).is_some() || t.find(&lx.neg).is_some()
    };
    let ui_subject = doc
        .near(&lx.account_ui, &lx.ui_parts, 0, true)
        .filter(|f| f.in_title && !title_personal);
    if let Some(f) = &ui_subject {
        h.add_found(Verdict::Bug, "interface-subject", 1.0, f);
        for hit in &mut h.0 {
            if ACCOUNT_WORDS.contains(&hit.signal) {
                hit.weight /= 2.0;
                hit.evidence
                    .push_str(" (halved: the title is about the interface)");
            }
        }
    }

    // What happens on several servers is not one server's or one account's
    // trouble: those signals count half.
    if widely.is_some() {
        for hit in &mut h.0 {
            if ONE_PLACE.contains(&hit.signal) {
                hit.weight /= 2.0;
                hit.evidence.push_str(" (halved: it happens elsewhere too)");
            }
        }
    }

    h.0
}

impl Draft {
    /// A title that asks: ends with "?" or opens with an interrogative.
    fn doc_title_is_question(&self) -> bool {
        const OPENERS: &[&str] = &[
            "how", "where", "why", "what", "can", "is", "are", "does", "do", "should", "wie", "wo",
            "warum", "comment", "pourquoi", "como", "donde", "por",
        ];
        let first = self.doc.title_words().next();
        self.title_ends_with_question || first.is_some_and(|w| OPENERS.contains(&w))
    }

    /// A negation in the title whose subject is a thing, not the reporter.
    fn title_statement(&self, ps: &[Pat]) -> Option<Found> {
        let title: Vec<&str> = self.doc.title_words().collect();
        let d = Doc::new(&title.join(" "), "");
        let f = d.find(ps)?;
        let first = f.text.split(' ').next().unwrap_or("");
        let at = title.iter().position(|w| *w == first)?;
        let subject = at.checked_sub(1).map(|i| title[i])?;
        let personal = ["i", "we", "me", "it", "this", "that", "ich", "je", "yo"];
        (!personal.contains(&subject)).then_some(Found {
            text: f.text,
            in_title: true,
        })
    }

    /// The first title words, when they match one of the patterns.
    fn title_starts_with(&self, ps: &[Pat]) -> Option<Found> {
        // Skip a leading tag like "[Feature]" or "UI:" already tokenised away.
        let title: Vec<&str> = self.doc.title_words().collect();
        let skip = usize::from(title.first().is_some_and(|w| {
            matches!(
                *w,
                "ui" | "web" | "api" | "moderation" | "admin" | "ux" | "a11y"
            )
        }));
        let rest = title.get(skip..)?.join(" ");
        let d = Doc::new(&rest, "");
        let f = d
            .find_all(ps)
            .into_iter()
            .find(|f| rest == f.text || rest.starts_with(&format!("{} ", f.text)))?;
        Some(Found {
            text: f.text,
            in_title: true,
        })
    }
}
