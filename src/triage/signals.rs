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

/// What a form answer is about, told by its label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Slot {
    Steps,
    Expected,
    Actual,
    Version,
    Specs,
    Browser,
    System,
    Instance,
    Environment,
    Technical,
    Pitch,
    Motivation,
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
    } else if has("browser") {
        Slot::Browser
    } else if has("operating system") || l == "os" || has("device") {
        Slot::System
    } else if has("version") {
        Slot::Version
    } else if has("specification") {
        Slot::Specs
    } else if has("instance") || has("server") {
        Slot::Instance
    } else if has("environment") {
        Slot::Environment
    } else if has("technical") || has("log") {
        Slot::Technical
    } else if has("pitch") {
        Slot::Pitch
    } else if has("motivation") {
        Slot::Motivation
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
    /// Answers (and headed sections of free text): slot, label, cleaned prose.
    sections: Vec<(Slot, String, String)>,
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
        let form = match input.form_type.as_deref().map(str::to_lowercase).as_deref() {
            Some("bug") => Form::Bug,
            Some("troubleshooting") => Form::Troubleshooting,
            Some("suggestion") | Some("feature") | Some("enhancement") => Form::Suggestion,
            _ => Form::None,
        };
        let (pre, headed) = headed_sections(&input.free_text);
        let mut sections = Vec::new();
        let mut body = String::new();
        let mut raw_all = String::new();
        let mut code = false;
        let c = text::clean(&pre);
        body.push_str(&c.prose);
        code |= c.code;
        raw_all.push_str(&pre);
        for (label, value) in input.fields.iter().chain(headed.iter()) {
            let value = if value.trim() == "_No response_" { "" } else { value.as_str() };
            let c = text::clean(value);
            code |= c.code;
            raw_all.push('\n');
            raw_all.push_str(value);
            body.push('\n');
            body.push_str(&c.prose);
            sections.push((slot(label), label.to_lowercase(), c.prose));
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
            .find(|(k, _, _)| *k == s)
            .map(|(_, _, v)| v.as_str())
    }

    fn has_slot(&self, s: Slot) -> bool {
        self.sections.iter().any(|(k, _, _)| *k == s)
    }
}

/// Whether a steps answer is still the form's "1. 2. 3. ..." scaffold.
fn steps_words(steps: &str) -> usize {
    steps
        .lines()
        .map(|l| {
            l.trim()
                .trim_start_matches(|c: char| c.is_ascii_digit() || matches!(c, '.' | '-' | '*' | ')'))
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
    mail_kind: Vec<Pat>,
    mail_missing: Vec<Pat>,
    mail_phrases: Vec<Pat>,
    owner: Vec<Pat>,
    owner_loose: Vec<Pat>,
    moderated: Vec<Pat>,
    moderation_phrases: Vec<Pat>,
    moderation_lifted: Vec<Pat>,
    ban_words: Vec<Pat>,
    rules_words: Vec<Pat>,
    lifecycle_verbs: Vec<Pat>,
    own_identity: Vec<Pat>,
    lifecycle_phrases: Vec<Pat>,
    personal_history: Vec<Pat>,
    outage_phrases: Vec<Pat>,
    error_codes: Vec<Pat>,
    error_words: Vec<Pat>,
    help_phrases: Vec<Pat>,
    own_account: Vec<Pat>,
    // question
    question_tag: Vec<Pat>,
    declared_question: Vec<Pat>,
    how_to: Vec<Pat>,
    confusion: Vec<Pat>,
    // bug
    malfunction: Vec<Pat>,
    widely: Vec<Pat>,
    ui_terms: Vec<Pat>,
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
        "iniciar sesion", "ingresar", "entrar", "acceder",
    ]),
    login_phrases: pats(&[
        "locked out", "lock me out", "locks me out", "login fails", "login failed",
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
    mail_kind: pats(&[
        "confirmation email", "confirmation e mail", "confirmation mail", "confirmation link",
        "confirmation code", "confirm email", "confirmation", "verification email",
        "verification e mail", "verification link", "verification code", "reset email",
        "reset e mail", "reset link", "activation email", "activation link",
        "email confirmation", "email verification", "e mail confirmation", "the email",
        "an email", "any email", "any e mail", "the e mail", "the mail", "emails", "e mails",
        "bestatigungsmail", "bestatigungs e mail", "bestatigungslink", "e mail", "email",
        "mail de confirmation", "courriel", "lien de confirmation", "correo",
        "enlace de confirmacion",
    ]),
    mail_missing: pats(&[
        "never receiv*", "never got", "never arriv*", "never came", "haven t receiv*",
        "have not receiv*", "hasn t arriv*", "didn t receiv*", "did not receiv*",
        "didn t get", "did not get", "not receiv*", "don t receive", "doesn t arrive",
        "no email", "no e mail", "no confirmation", "spam folder", "junk folder", "spam",
        "nicht angekommen", "nicht erhalten", "keine e mail", "keine email", "spam ordner",
        "spamordner", "pas recu", "jamais recu", "dossier spam", "courrier indesirable",
        "no recibi", "no he recibido", "no me llega", "no llega", "nunca llego",
        "carpeta de spam",
    ]),
    mail_phrases: pats(&[
        "no confirmation email", "no confirmation e mail", "no confirmation mail",
        "email not received", "e mail not received", "confirmation email not",
        "bestatigungsmail", "bestatigungs e mail", "e mail de confirmation",
        "email de confirmation", "mail de confirmation", "courriel de confirmation",
        "correo de confirmacion", "correo de verificacion", "email de confirmacion",
        "確認メール", "認証メール", "メールが届かな", "メールが届きません", "メールが来な",
        "迷惑メール",
    ]),
    owner: pats(&[
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
    moderation_phrases: pats(&[
        "banned me", "suspended me", "silenced me", "ban me", "got banned", "got suspended",
        "got silenced", "me banearon", "me suspendieron", "アカウントが凍結", "凍結された",
        "凍結されました", "アカウントが停止", "停止されました", "サスペンドされ",
    ]),
    moderation_lifted: pats(&[
        "unsuspend*", "unsilenc*", "unban*", "unbann*", "reinstat*", "lifted", "unfrozen",
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
    own_identity: pats(&[
        "my account", "my accounts", "my old account", "my previous account", "my username",
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
    outage_phrases: pats(&[
        "is down", "was down", "went down", "been down", "server down", "instance down",
        "site down", "is unreachable", "was unreachable", "is offline", "went offline",
        "not reachable", "cannot reach", "can t reach", "can t access the site",
        "cannot access any", "can t access any", "certificate expired", "cert expired",
        "certificate has expired", "ssl certificate", "ssl cert", "ssl error",
        "certificate error", "bad gateway", "gateway timeout", "service unavailable",
        "overloaded", "server is slow", "instance is slow", "very slow", "extremely slow",
        "heavy load", "server load", "under load",
        "nicht erreichbar", "uberlastet", "zertifikat abgelaufen", "inaccessible",
        "en panne", "hors ligne", "surcharge", "certificat expire", "esta caido",
        "servidor caido", "no carga", "sobrecargado", "certificado caducado",
        "certificado expirado", "サーバーが落ち", "サーバーダウン", "繋がらな", "つながらな",
        "証明書の期限",
    ]),
    error_codes: pats(&["500", "502", "503", "504", "403"]),
    error_words: pats(&[
        "error", "errors", "status", "http", "code", "fehler", "erreur", "forbidden",
        "internal server error",
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
        "my account", "my profile", "my email", "my e mail", "my password", "my username",
        "my login", "mein konto", "meinen account", "mein passwort", "mon compte",
        "mon mot de passe", "mi cuenta", "mi contrasena", "私のアカウント",
        "自分のアカウント",
    ]),
    question_tag: pats(&["question", "frage", "pregunta", "質問"]),
    declared_question: pats(&[
        "more a question", "more of a question", "i have a question",
        "just a question", "quick question", "wrong place to ask", "the right place to ask",
        "where to ask", "where else to ask", "not sure where to ask",
        "don t know where to ask", "a good place for", "the wrong place", "not a bug but",
        "une question", "una pregunta", "質問があります",
    ]),
    how_to: pats(&[
        "how do i", "how can i", "how could i", "how to", "how does one", "how do you",
        "how do we", "how can we", "is there a way to", "is there any way", "is there a way",
        "where can i", "where do i", "where is the setting", "can i", "is it possible",
        "why is my", "why can t i", "why can i", "how is this possible", "what does",
        "wie kann ich", "wie andere ich", "wo kann ich", "gibt es eine moglichkeit",
        "comment puis je", "comment faire", "comment je peux", "est il possible",
        "ou puis je", "como puedo", "como hago", "donde puedo", "es posible",
        "どうやって", "方法を教えて", "できますか", "どこで",
    ]),
    confusion: pats(&[
        "i m confused", "i am confused", "confused", "is this normal", "is this expected",
        "is this intended", "is this how it", "is this what it should", "or is this",
        "am i doing something wrong", "am i missing something", "did i do something wrong",
    ]),
    malfunction: pats(&[
        "doesn t work", "does not work", "don t work", "do not work", "not working",
        "isn t working", "stopped working", "stops working", "no longer works",
        "not functioning", "broken", "is broken", "bug", "buggy", "glitch*", "crash*",
        "regression", "fails to", "failed to", "incorrect*", "incorrectly", "instead of",
        "should not", "shouldn t", "should be", "should have", "doesn t show", "not shown",
        "not displayed", "doesn t display", "isn t displayed", "disappear*", "stuck",
        "freez*", "wrong", "mistakenly", "unexpected*", "went wrong", "no effect",
        "has no effect", "ignored", "not respected", "inconsistent", "duplicated",
    ]),
    widely: pats(&[
        "all browsers", "every browser", "other browsers", "any browser", "all platforms",
        "all operating systems", "any instance", "any server", "every instance",
        "every server", "other instances", "other servers", "multiple instances",
        "multiple servers", "several instances", "several servers", "different instances",
        "different servers", "any mastodon", "also happens on", "same on", "tested on",
        "reproduc* on", "can reproduce", "reproducible", "on all", "across instances",
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
        "headers", "response", "request", "webfinger", "oauth", "websocket",
    ]),
    feature_title_start: pats(&[
        "add", "adding", "allow", "allowing", "enable", "implement", "support for",
        "option", "options", "ability", "possibility", "make it possible", "let", "provide",
        "introduce", "include", "feature request", "request", "suggestion", "proposal",
        "idea", "please add", "please allow", "please make", "please let", "would be nice",
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
        "es ware schon", "ware toll", "ware gut", "bitte fugt", "ce serait bien",
        "ce serait genial", "il faudrait", "seria bueno", "seria genial", "estaria bien",
        "欲しい", "ほしい", "追加してほしい", "機能追加", "できるようにしてほしい",
    ]),
    operator: pats(&[
        "my instance", "my server", "our instance", "our server", "my own instance",
        "my own server", "my mastodon instance", "my mastodon server", "i run", "i m running",
        "i am running", "we run", "we re running", "i host", "we host", "self host*",
        "selfhost*", "i administer", "i m the admin", "i am the admin", "i m an admin",
        "i am an admin", "as an admin", "as admin", "administrator rights", "admin rights",
        "admin of", "new instance", "deploy*", "install*", "upgrad*", "docker compose",
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

/// Runs every detector over a draft.
pub(crate) fn detect(d: &Draft) -> Vec<Hit> {
    let mut h = Hits(Vec::new());
    let lx = &*LEX;
    let doc = &d.doc;
    let operator = doc.find(&lx.operator);
    let operator_voice = operator.is_some() || d.form == Form::Troubleshooting;

    // ---- support: one account, one server -------------------------------
    let login = doc
        .near(&lx.neg, &lx.login, 3, false)
        .or_else(|| doc.near(&lx.neg_loose, &lx.login_loose, 3, true))
        .or_else(|| doc.find(&lx.login_phrases));
    if let Some(f) = &login {
        h.add_found(Verdict::Support, "account-access", 2.5, f);
    }

    let mail = doc
        .find(&lx.mail_phrases)
        .or_else(|| doc.near(&lx.mail_missing, &lx.mail_kind, 6, true));
    if let Some(f) = &mail {
        h.add_found(Verdict::Support, "account-mail", 2.5, f);
    }

    let lifted = doc.find(&lx.moderation_lifted);
    let moderation = doc
        .find(&lx.moderation_phrases)
        .or_else(|| doc.near(&lx.owner, &lx.moderated, 5, true))
        .or_else(|| doc.near(&lx.owner_loose, &lx.moderated, 2, false));
    match (&moderation, &lifted) {
        (Some(f), None) if !operator_voice => {
            h.add_found(Verdict::Support, "own-moderation", 3.0, f);
        }
        (Some(_), Some(l)) => h.add_found(Verdict::Bug, "moderation-lifted", 1.0, l),
        _ => {}
    }
    if moderation.is_none() && lifted.is_none() && !operator_voice {
        if let Some(f) = doc.find(&lx.ban_words) {
            h.add_found(Verdict::Support, "ban-language", 1.5, &f);
        }
    }
    if !operator_voice {
        if let Some(f) = doc.find(&lx.rules_words) {
            h.add_found(Verdict::Support, "moderation-dispute", 1.0, &f);
        }
    }

    let lifecycle = doc
        .find(&lx.lifecycle_phrases)
        .or_else(|| doc.near(&lx.lifecycle_verbs, &lx.own_identity, 3, true));
    if let Some(f) = &lifecycle {
        h.add_found(Verdict::Support, "account-lifecycle", 2.5, f);
    }
    if let Some(f) = doc.find(&lx.personal_history) {
        h.add_found(Verdict::Support, "personal-history", 0.8, &f);
    }

    if !operator_voice {
        if let Some(f) = doc.find(&lx.outage_phrases) {
            h.add_found(Verdict::Support, "server-outage", 2.0, &f);
        }
        if let Some(f) = doc.near(&lx.error_codes, &lx.error_words, 2, true) {
            h.add_found(Verdict::Support, "server-error", 1.5, &f);
        }
        if let Some(s) = d.title_servers.first() {
            h.add(
                Verdict::Support,
                "server-in-title",
                1.2,
                format!("\"{s}\" (title)"),
            );
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
    let title_q = doc.title_words().count() > 0 && d.doc_title_is_question();
    if let Some(f) = doc.find(&lx.how_to) {
        let w = if f.in_title || title_q { 2.0 } else { 1.2 };
        h.add_found(Verdict::Question, "how-to-question", w, &f);
    }
    if let Some(f) = doc.find(&lx.confusion) {
        h.add_found(Verdict::Question, "confusion", 0.8, &f);
    }

    // ---- bug: software behaviour, reproducible -------------------------
    if d.form == Form::Bug {
        h.add(Verdict::Bug, "bug-form", 0.6, "filed through a bug report form".into());
    }
    if let Some(s) = d.answer(Slot::Steps) {
        let n = steps_words(s);
        if n >= 4 {
            h.add(Verdict::Bug, "steps-given", 1.0, format!("{n} words of steps to reproduce"));
        }
    }
    let filled = |s: Slot| d.answer(s).is_some_and(|v| !v.trim().is_empty());
    if filled(Slot::Expected) && filled(Slot::Actual) {
        h.add(Verdict::Bug, "expected-vs-actual", 0.5, "expected and actual behaviour given".into());
    }
    let version = d
        .answer(Slot::Version)
        .and_then(|v| text::version(v, true))
        .or_else(|| text::version(&d.raw_all, false));
    if let Some(v) = version {
        h.add(Verdict::Bug, "version-given", 0.5, format!("\"{v}\""));
    }
    let broken = doc.find_all(&lx.malfunction);
    if !broken.is_empty() {
        let n = broken.len().min(3);
        let w = 0.8 * n as f64;
        h.add(Verdict::Bug, "malfunction", w, quote(&broken[..n]));
    }
    if let Some(f) = doc.find(&lx.widely) {
        h.add_found(Verdict::Bug, "happens-widely", 1.5, &f);
    }
    let ui = doc.find_all(&lx.ui_terms);
    if ui.len() >= 2 {
        h.add(Verdict::Bug, "interface-terms", 0.8, quote(&ui[..ui.len().min(3)]));
    }
    let tech = doc.find_all(&lx.tech_terms);
    if d.code || !tech.is_empty() {
        let ev = if d.code {
            "a code block or log".to_string()
        } else {
            quote(&tech[..tech.len().min(3)])
        };
        h.add(Verdict::Bug, "technical-detail", 1.0, ev);
    }

    // ---- feature: a change to the software ------------------------------
    if d.form == Form::Suggestion {
        h.add(Verdict::Feature, "suggestion-form", 2.0, "filed through the feature request form".into());
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
    let dep = doc.find_all(&lx.deployment);
    if !dep.is_empty() {
        let n = dep.len().min(3);
        let w = 0.8 * n as f64;
        h.add(Verdict::Troubleshooting, "deployment-terms", w, quote(&dep[..n]));
    }

    // ---- security ------------------------------------------------------
    if let Some(f) = doc.find(&lx.vulnerability) {
        h.add_found(Verdict::Security, "vulnerability", 4.0, &f);
    }

    h.0
}

impl Draft {
    /// A title that asks: ends with "?" or opens with an interrogative.
    fn doc_title_is_question(&self) -> bool {
        const OPENERS: &[&str] = &[
            "how", "where", "why", "what", "can", "is", "are", "does", "do", "should", "wie",
            "wo", "warum", "comment", "pourquoi", "como", "donde", "por",
        ];
        let first = self.doc.title_words().next();
        self.title_ends_with_question || first.is_some_and(|w| OPENERS.contains(&w))
    }

    /// The first title words, when they match one of the patterns.
    fn title_starts_with(&self, ps: &[Pat]) -> Option<Found> {
        // Skip a leading tag like "[Feature]" or "UI:" already tokenised away.
        let title: Vec<&str> = self.doc.title_words().collect();
        let skip = usize::from(title.first().is_some_and(|w| {
            matches!(*w, "ui" | "web" | "api" | "moderation" | "admin" | "ux" | "a11y")
        }));
        let rest = title.get(skip..)?.join(" ");
        let d = Doc::new(&rest, "");
        let f = d.find_all(ps).into_iter().find(|f| rest.starts_with(&f.text))?;
        Some(Found {
            text: f.text,
            in_title: true,
        })
    }
}
