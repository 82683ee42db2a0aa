//! A held-out-style check: drafts written for this table (no corpus text),
//! scored only by verdict family. Half are problems for the reporter's own
//! server admin (or how-to questions), in several languages and phrasings;
//! half are real bugs and feature requests that use the same words (login,
//! 2FA, confirmation mail, suspension, username, migration, outages) and
//! must be filed, not sent away.

use super::tests::{bug_form, suggestion as feature_form};
use super::*;

/// Where a draft should end up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    /// Support or question: sent to the admin or to Discussions.
    Away,
    /// Bug, feature, troubleshooting or security: not a redirect.
    File,
}

fn free(title: &str, body: &str) -> TriageInput {
    TriageInput {
        title: title.into(),
        free_text: body.into(),
        ..TriageInput::default()
    }
}

fn cases() -> Vec<(&'static str, Family, TriageInput)> {
    use Family::{Away, File};
    vec![
        // ---- the reporter's own server or account (English) -------------
        (
            "account locked after wrong passwords",
            Away,
            free(
                "Account locked",
                "I typed my password wrong a few times and now it says my account is locked. \
                 It's been a whole day and it still won't accept my password. \
                 How do I get it unlocked?",
            ),
        ),
        (
            "confirmation mail never showed up",
            Away,
            free(
                "Confirmation mail",
                "Signed up on social.example yesterday and the confirmation mail still \
                 hasn't shown up. I checked spam too. Can someone resend it?",
            ),
        ),
        (
            "my server unreachable",
            Away,
            free(
                "Can't open my server since last night",
                "Is it just me? mstdn.example only shows a spinning wheel and the app says \
                 network error. Other websites work fine.",
            ),
        ),
        (
            "why was I suspended",
            Away,
            free(
                "Why was I suspended??",
                "Woke up to an email saying my account has been suspended. I never posted \
                 anything offensive. Who do I even talk to about this?",
            ),
        ),
        (
            "how to change username",
            Away,
            free(
                "Changing my @ name",
                "How do I change my username? I want to go from @oldname to @newname but \
                 there's nothing in the settings for it.",
            ),
        ),
        (
            "moved servers, lost followers",
            Away,
            free(
                "Moved to a new server and lost followers",
                "Last week I moved from a.example to b.example with the account migration. \
                 Only about half of my followers came with me and none of my old posts are \
                 on the new account. Can I get them back?",
            ),
        ),
        (
            "2FA phone stolen",
            Away,
            free(
                "Lost 2FA device",
                "My phone was stolen and the authenticator app was on it. I never saved \
                 the backup codes. Is there any way back into my account?",
            ),
        ),
        (
            "admin blocked a server",
            Away,
            free(
                "Can't see anyone from bigplace.example",
                "Nobody from bigplace.example shows up for me and following them does \
                 nothing. A friend on another server sees them fine, so I guess my admin \
                 blocked that server? Why would they do that?",
            ),
        ),
        (
            "impersonation reported, nothing happens",
            Away,
            free(
                "Fake account using my name",
                "Somebody made an account with my name and avatar and is messaging my \
                 followers. I reported it three days ago and the moderators haven't done \
                 anything.",
            ),
        ),
        (
            "email address no longer reachable",
            Away,
            free(
                "Old e-mail address",
                "My account is still tied to my old work address, which I can't receive \
                 mail at anymore. How can I switch it to my personal address?",
            ),
        ),
        (
            "server shut down",
            Away,
            free(
                "My server shut down",
                "The server I was on closed last month without warning. Is there any way \
                 to get my account and my followers back?",
            ),
        ),
        (
            "server slow, posts late",
            Away,
            free(
                "Everything is so slow",
                "My home timeline takes forever to load and posts from people I follow \
                 show up 20 minutes late. Everything else on the internet is fast.",
            ),
        ),
        (
            "sign in refused, through the bug form",
            Away,
            bug_form(
                "Cannot login",
                "1. Open the website\n2. Type my e-mail and password\n3. Press login",
                "I'm logged in",
                "It says invalid email or password",
                "I'm sure the password is right, I have it in my password manager.",
                "toot.example",
                "4.3.1",
            ),
        ),
        (
            "suspension through the bug form",
            Away,
            bug_form(
                "Account suspended without reason",
                "1. Open the app",
                "My account works",
                "It says my account is suspended",
                "I didn't break any rules. Please unsuspend me.",
                "mastodon.example",
                "",
            ),
        ),
        (
            "deleted account by mistake",
            Away,
            free(
                "Restore account",
                "I deleted my account yesterday by mistake. Can it be restored? I had five \
                 years of posts on it.",
            ),
        ),
        (
            "how-to: who boosted",
            Away,
            free(
                "Where can I see who boosted my post?",
                "Is there a way to see the list of people who boosted one of my posts?",
            ),
        ),
        // ---- the same, in German, French, Spanish and Japanese ----------
        (
            "de: account banned",
            Away,
            free(
                "Account gesperrt",
                "Mein Account auf social.example wurde ohne Vorwarnung gesperrt. An wen \
                 kann ich mich wenden?",
            ),
        ),
        (
            "de: no password reset mail",
            Away,
            free(
                "Passwort",
                "Ich bekomme keine Mail zum Zurücksetzen meines Passworts, auch nicht im \
                 Spam.",
            ),
        ),
        (
            "de: new phone, no way in",
            Away,
            free(
                "Zwei-Faktor",
                "Neues Handy, die Authenticator-App ist weg und jetzt komme ich nicht mehr \
                 in mein Konto.",
            ),
        ),
        (
            "fr: account suspended",
            Away,
            free(
                "Compte suspendu",
                "Mon compte sur mastodon.example a été suspendu hier et je ne sais pas \
                 pourquoi. Comment faire appel ?",
            ),
        ),
        (
            "fr: instance unresponsive",
            Away,
            free(
                "Instance inaccessible",
                "Depuis ce matin mon instance ne répond plus, j'ai juste une page blanche.",
            ),
        ),
        (
            "fr: reset mail",
            Away,
            free(
                "Mot de passe",
                "Je ne reçois pas le mail pour réinitialiser mon mot de passe.",
            ),
        ),
        (
            "es: forgot password",
            Away,
            free(
                "No puedo entrar",
                "Olvidé mi contraseña y el correo para restablecerla nunca llega.",
            ),
        ),
        (
            "es: change username",
            Away,
            free("Nombre de usuario", "¿Cómo puedo cambiar mi nombre de usuario?"),
        ),
        (
            "es: server down with 503",
            Away,
            free(
                "El servidor no funciona",
                "Mi servidor mastodon.example no abre desde ayer, sale un error 503.",
            ),
        ),
        (
            "ja: account frozen",
            Away,
            free(
                "アカウントについて",
                "昨日突然アカウントが凍結されました。理由を教えてください。",
            ),
        ),
        (
            "ja: 2FA after changing phone",
            Away,
            free(
                "二段階認証",
                "スマホを機種変更したら二段階認証のコードが分からなくなり、ログインできなくなりました。",
            ),
        ),
        (
            "ja: server heavy",
            Away,
            free(
                "サーバーが重い",
                "インスタンスがとても重くて、タイムラインが読み込めません。",
            ),
        ),
        // ---- real bugs and features in the same words -------------------
        (
            "login page crash after upgrade",
            File,
            bug_form(
                "Login page crashes in Safari 17 after upgrading to 4.3",
                "1. Open /auth/sign_in in Safari 17\n2. Type any e-mail\n3. Tab to the password field",
                "The login form works",
                "The page goes blank and the console shows an uncaught TypeError",
                "Started with 4.3.0; Firefox and Chrome are fine.",
                "mastodon.social",
                "4.3.0",
            ),
        ),
        (
            "2FA QR code in dark mode",
            File,
            bug_form(
                "2FA QR code not rendered in dark mode",
                "1. Switch to the dark theme\n2. Go to Account > Two-factor auth\n3. Start setup",
                "A scannable QR code",
                "The QR code is black on a black background and cannot be scanned",
                "",
                "mastodon.social",
                "4.2.10",
            ),
        ),
        (
            "export followers",
            File,
            feature_form(
                "Add option to export followers",
                "I'd like to be able to export the list of accounts that follow me as CSV, \
                 like the following list already can be.",
                "Useful when moving servers or archiving an account.",
            ),
        ),
        (
            "confirmation template broken for everyone",
            File,
            free(
                "Confirmation email template has broken link for all users",
                "Since 4.2.0 the link in the confirmation email points to \
                 /auth/confirmation without the token, so nobody who signs up can confirm. \
                 I can reproduce it on every server I tried.",
            ),
        ),
        (
            "reset form accepts mismatched passwords",
            File,
            bug_form(
                "Password reset form accepts mismatched passwords",
                "1. Request a password reset\n2. Open the link\n3. Type two different passwords and submit",
                "A validation message that the passwords don't match",
                "The form submits and then shows an error 500 page",
                "The server log has an ActiveRecord::RecordInvalid exception.",
                "dev.example",
                "main",
            ),
        ),
        (
            "appeal from the login screen",
            File,
            feature_form(
                "Let suspended users appeal from the login screen",
                "When a suspended user signs in they only see a notice. It would be great \
                 to offer the appeal form right there.",
                "Today people can't log in to read the strike, so they open GitHub issues.",
            ),
        ),
        (
            "suspended accounts in search",
            File,
            bug_form(
                "Suspended accounts still appear in search autocomplete",
                "1. Suspend a local account as a moderator\n2. Type its name in the search box",
                "The suspended account is not suggested",
                "It is still suggested and links to an empty profile",
                "Happens on every server I tested.",
                "mastodon.social",
                "4.3.2",
            ),
        ),
        (
            "plus sign in passwords",
            File,
            bug_form(
                "Passwords containing + are rejected at sign in",
                "1. Set a password with a + in it\n2. Sign out\n3. Sign in again",
                "Signed in",
                "Invalid email or password",
                "The same password works through the API. It looks like the + gets turned into a space when the form is submitted. Reproducible on a fresh install.",
                "dev.example",
                "4.3.2",
            ),
        ),
        (
            "migration ignores old servers",
            File,
            free(
                "Account migration does not move followers on servers running 4.1",
                "When an account moves from a 4.3 server, followers on remote servers still \
                 running 4.1 are not transferred: the Move activity is received but ignored. \
                 Steps: move an account, look at the remote follower's following list.",
            ),
        ),
        (
            "sign in button and keyboard",
            File,
            bug_form(
                "Sign in button unreachable with keyboard navigation",
                "1. Open the login page\n2. Press Tab repeatedly",
                "Focus reaches the Sign in button",
                "The button is skipped and focus jumps to the footer",
                "I can't sign in without a mouse.",
                "mastodon.social",
                "4.3.2",
            ),
        ),
        (
            "show why an account was limited",
            File,
            feature_form(
                "Show the reason when an account is limited",
                "When moderators limit my account I only see a banner. It would be nice \
                 to see the reason and a link to appeal.",
                "People don't know why their reach dropped.",
            ),
        ),
        (
            "timeline order after reconnect",
            File,
            bug_form(
                "Home timeline shows posts in the wrong order after reconnecting",
                "1. Open the home timeline\n2. Put the laptop to sleep for an hour\n3. Wake it",
                "New posts at the top",
                "Posts that are hours old appear above newer ones",
                "The streaming reconnect seems to insert the backlog at the top.",
                "mastodon.social",
                "4.3.1",
            ),
        ),
        (
            "resend confirmation button",
            File,
            feature_form(
                "Resend confirmation email button on the login page",
                "People who never received the confirmation mail have no obvious way to get \
                 another one. Please add a resend button under the login form.",
                "Admins get a lot of mail about this.",
            ),
        ),
        (
            "delete account button does nothing",
            File,
            bug_form(
                "Delete account button does nothing",
                "1. Settings > Account\n2. Click Delete account\n3. Enter password and confirm",
                "The account is scheduled for deletion",
                "Nothing happens; the console shows TypeError: cannot read properties of undefined",
                "When I try to delete my account the button does nothing.",
                "mastodon.online",
                "4.3.2",
            ),
        ),
        (
            "avatar upload 500 everywhere",
            File,
            bug_form(
                "Error 500 when uploading a large avatar",
                "1. Edit profile\n2. Pick a 3 MB PNG as avatar\n3. Save",
                "The avatar is resized and saved",
                "Error 500",
                "Also happens on other servers and on a fresh dev setup, so it's not one server.",
                "mastodon.social",
                "4.3.2",
            ),
        ),
        (
            "notification mails not sent for one locale",
            File,
            free(
                "Notification e-mails not sent when the interface language is French",
                "Since updating to 4.3, users with the French locale never receive \
                 notification e-mails. Other locales work. The mailer raises a missing \
                 translation error.",
            ),
        ),
        (
            "change username feature",
            File,
            feature_form(
                "Allow changing the username without migrating",
                "I'd like to rename my account in place instead of creating a new one and \
                 moving.",
                "Changing my username today means losing my posts.",
            ),
        ),
        (
            "mention notifications twice",
            File,
            bug_form(
                "Mention notifications arrive twice",
                "1. Have someone mention you\n2. Watch the notifications column",
                "One notification",
                "Two identical notifications",
                "",
                "mastodon.social",
                "4.3.2",
            ),
        ),
        (
            "de: feature export",
            File,
            free(
                "Follower exportieren",
                "Es wäre schön, wenn man die Liste der Follower als CSV exportieren könnte. \
                 Bitte fügt eine Option dafür hinzu.",
            ),
        ),
        (
            "ja: bug login screen layout",
            File,
            bug_form(
                "ログイン画面のボタンが重なって表示される",
                "1. スマホでログイン画面を開く\n2. 画面を横向きにする",
                "ボタンが正しく表示される",
                "ログインボタンとサインアップボタンが重なる",
                "iOS 17 の Safari で再現します。",
                "mastodon.social",
                "4.3.2",
            ),
        ),
        (
            "enforce 2FA for staff",
            File,
            free(
                "Option to require two-factor authentication for moderators",
                "As an admin I'd like to require 2FA for everyone with a staff role, so a \
                 stolen password can't be used to suspend accounts.",
            ),
        ),
    ]
}

/// A second batch, written after the signals were changed for the first
/// one and never tuned on: how far the changes carry to new phrasings.
fn fresh_cases() -> Vec<(&'static str, Family, TriageInput)> {
    use Family::{Away, File};
    vec![
        (
            "verification code never in inbox",
            Away,
            free(
                "Sign up code",
                "I'm trying to register on fedi.example but the six digit code it asks for \
                 never comes to my inbox. I pressed resend four times.",
            ),
        ),
        (
            "account taken over, email changed",
            Away,
            free(
                "Someone took over my account",
                "Someone got into my account and changed the email, now I can't reset the \
                 password because the mail goes to them.",
            ),
        ),
        (
            "posting fails on my instance",
            Away,
            free(
                "Something went wrong",
                "Every time I try to post on my instance I get 'Something went wrong' and \
                 the page reloads. It worked yesterday and my friends there have the same \
                 problem.",
            ),
        ),
        (
            "absent admin, server flaky",
            Away,
            free(
                "Admin gone",
                "The admin of my instance hasn't been active for months and the server \
                 keeps going offline. How can I get my data out before it dies?",
            ),
        ),
        (
            "uploads fail on one server",
            Away,
            bug_form(
                "Image upload fails",
                "1. Write a post\n2. Attach a picture",
                "The picture is attached",
                "Error processing file",
                "Others on the same server have the same problem since Monday.",
                "small.example",
                "",
            ),
        ),
        (
            "shadowbanned?",
            Away,
            free(
                "Shadowbanned?",
                "Nobody sees my posts in the local timeline anymore and my hashtags don't \
                 show up. Was my account limited?",
            ),
        ),
        (
            "handle change request",
            Away,
            free(
                "Handle change request",
                "Please change my handle to @newname, the old one has a typo.",
            ),
        ),
        (
            "how-to: archive",
            Away,
            free(
                "Downloading my posts",
                "How do I download an archive of everything I posted?",
            ),
        ),
        (
            "de: code rejected",
            Away,
            free(
                "Einloggen geht nicht",
                "Ich kann mich nicht einloggen, der Code aus der App wird immer als \
                 ungültig abgelehnt.",
            ),
        ),
        (
            "fr: blocked after password change",
            Away,
            free(
                "Compte bloqué",
                "Mon compte a été bloqué après avoir changé de mot de passe, je ne peux \
                 plus me connecter.",
            ),
        ),
        (
            "es: suspended, where to appeal",
            Away,
            free(
                "Cuenta suspendida",
                "Me suspendieron la cuenta sin avisar. ¿Dónde puedo apelar?",
            ),
        ),
        (
            "ja: can't log in after password change",
            Away,
            free(
                "ログインできない",
                "パスワードを変更したらログインできなくなりました。",
            ),
        ),
        (
            "ja: change email how",
            Away,
            free(
                "メールアドレス",
                "登録したメールアドレスを変更したいのですが、どうすればいいですか。",
            ),
        ),
        (
            "confirmation link 404 in app",
            File,
            bug_form(
                "Confirmation link opens a 404 when the iOS app is installed",
                "1. Sign up on the website\n2. Open the confirmation email on an iPhone with the app",
                "The account is confirmed",
                "The app opens and shows Not found",
                "Universal links send /auth/confirmation to the app. Happens for every new signup.",
                "mastodon.social",
                "4.3.2",
            ),
        ),
        (
            "note on a suspension",
            File,
            feature_form(
                "Allow moderators to attach a note to a suspension",
                "When suspending an account, moderators should be able to write a note the \
                 user sees on the login screen.",
                "Suspended users have no idea why they can't log in.",
            ),
        ),
        (
            "2FA leading zero",
            File,
            bug_form(
                "Two-factor codes starting with 0 are rejected",
                "1. Enable 2FA\n2. Wait for a code that starts with 0\n3. Enter it",
                "Signed in",
                "Invalid two-factor code",
                "The field is type=number so the leading zero is dropped.",
                "mastodon.social",
                "4.3.2",
            ),
        ),
        (
            "picker lists dead servers",
            File,
            free(
                "Server picker lists servers that are down",
                "The server list in the app's signup flow shows servers that have been \
                 offline for weeks. It should hide servers that fail the health check.",
            ),
        ),
        (
            "moved banner missing",
            File,
            bug_form(
                "'Has moved' banner not shown on old profile for logged-out visitors",
                "1. Move an account\n2. Log out\n3. Open the old profile",
                "A banner saying the account has moved",
                "The old profile looks normal",
                "After I moved my account, people who aren't logged in don't see the banner.",
                "mastodon.social",
                "4.3.2",
            ),
        ),
        (
            "mail when limited",
            File,
            feature_form(
                "Email users when a moderator limits their account",
                "Send an e-mail when an account is limited, like we already do for \
                 suspensions.",
                "Limited users often never find out.",
            ),
        ),
        (
            "changing email keeps old address",
            File,
            bug_form(
                "Changing the e-mail address shows success but keeps the old one",
                "1. Settings > Account\n2. Enter a new e-mail address\n3. Confirm it from the mail",
                "The new address is shown",
                "The old address is still shown and used",
                "When I change my email address the page says a confirmation was sent, \
                 but after confirming nothing changes. Same on two servers.",
                "mastodon.social",
                "4.3.2",
            ),
        ),
        (
            "de: bookmarks export",
            File,
            free(
                "Lesezeichen exportieren",
                "Bitte eine Option zum Exportieren der Lesezeichen hinzufügen, das wäre \
                 sehr praktisch.",
            ),
        ),
        (
            "fr: login button missing on mobile",
            File,
            bug_form(
                "Le bouton de connexion ne s'affiche pas sur mobile",
                "1. Ouvrir la page d'accueil sur un téléphone\n2. Chercher le bouton",
                "Le bouton est visible",
                "Il n'y a pas de bouton",
                "Sur Firefox Android la page de connexion est coupée.",
                "mastodon.social",
                "4.3.2",
            ),
        ),
        (
            "SSO blank page",
            File,
            bug_form(
                "Login with SSO redirects to a blank page",
                "1. Click 'Log in with Keycloak'\n2. Authenticate",
                "Back on Mastodon, logged in",
                "A blank page at /auth/auth/openid_connect/callback",
                "Regression since 4.3.0; 4.2 worked.",
                "dev.example",
                "4.3.0",
            ),
        ),
        (
            "password shown after autofill",
            File,
            bug_form(
                "Password field shows the password in plain text after autofill",
                "1. Open the login page\n2. Let the browser autofill",
                "Masked password",
                "The password is visible",
                "",
                "mastodon.social",
                "4.3.2",
            ),
        ),
    ]
}

/// A third batch, written after the second round of changes, mostly real
/// bugs and features that use the words the new signals listen for.
fn probe_cases() -> Vec<(&'static str, Family, TriageInput)> {
    use Family::{Away, File};
    vec![
        (
            "reset mail in wrong language",
            File,
            free(
                "Reset password e-mail ignores the user's language",
                "The password reset e-mail is always sent in English, even when the user \
                 has picked German in their preferences. Other mails are translated.",
            ),
        ),
        (
            "sessions survive password reset",
            File,
            bug_form(
                "Other sessions stay logged in after a password reset",
                "1. Log in on two browsers\n2. Reset the password from the first one\n3. Reload the second",
                "The second browser is logged out",
                "It stays logged in",
                "",
                "mastodon.social",
                "4.3.2",
            ),
        ),
        (
            "recovery codes lost on regenerate",
            File,
            feature_form(
                "Warn before regenerating 2FA recovery codes",
                "Regenerating the recovery codes silently invalidates the old ones. Users \
                 who lose their phone later find their saved codes don't work. Please show \
                 a warning first.",
                "Avoids people locking themselves out.",
            ),
        ),
        (
            "admin blocks: feature",
            File,
            feature_form(
                "Tell users when their server blocks a server they follow people on",
                "When my server suspends another server, I silently lose the people I \
                 followed there. A notification listing the lost follows would help.",
                "Defederation is confusing for users.",
            ),
        ),
        (
            "report button broken",
            File,
            bug_form(
                "Report dialog closes without sending",
                "1. Open a post's menu\n2. Report\n3. Pick a rule and submit",
                "The report is sent",
                "The dialog closes, nothing happens and the moderators never get it",
                "I reported a post this way and the admin said no report arrived. Same on \
                 two servers.",
                "mastodon.social",
                "4.3.2",
            ),
        ),
        (
            "migration: move posts feature",
            File,
            feature_form(
                "Move posts along with followers when migrating",
                "I moved my account last year and had to leave all my posts behind. \
                 Account migration should be able to take posts along.",
                "Losing years of posts keeps people on their first server.",
            ),
        ),
        (
            "instance page slow to render",
            File,
            bug_form(
                "Explore page takes forever to render with many trending links",
                "1. Open Explore > News on a server with 200 trending links",
                "The page renders quickly",
                "The browser tab freezes for 10 seconds",
                "Profiling shows the link cards re-render on every scroll event.",
                "mastodon.social",
                "4.3.2",
            ),
        ),
        (
            "email code field",
            File,
            bug_form(
                "E-mail confirmation code field doesn't accept pasted codes",
                "1. Sign up\n2. Copy the code from the mail\n3. Paste it",
                "The code is filled in",
                "Nothing is pasted",
                "Typing the code works.",
                "mastodon.social",
                "4.3.2",
            ),
        ),
        (
            "server down status page feature",
            File,
            free(
                "Show a friendly page when the server is down",
                "When my instance is down for maintenance people only see a 502 from nginx. \
                 It would be nice if Mastodon shipped a maintenance page.",
            ),
        ),
        (
            "limited accounts: bug",
            File,
            bug_form(
                "Replies from limited accounts are hidden even when I follow them",
                "1. Follow an account that was limited by the moderators\n2. Let it reply to you",
                "The reply shows in notifications",
                "It is filtered",
                "The docs say follows are exempt from limits.",
                "mastodon.social",
                "4.3.2",
            ),
        ),
        (
            "scrolling down on my instance",
            File,
            bug_form(
                "Scrolling down on my instance jumps back to the top",
                "1. Open the home timeline\n2. Scroll down past 40 posts",
                "The timeline keeps its position",
                "It jumps back to the top",
                "",
                "mastodon.social",
                "4.3.2",
            ),
        ),
        (
            "moving a column",
            File,
            free(
                "Column order lost after moving a column",
                "After moving a column in the advanced interface, the order resets when I \
                 reload the page.",
            ),
        ),
        (
            "admin's own domain block",
            File,
            free(
                "Domain block leaves follows behind",
                "I blocked the domain on my server but the follows from accounts there are \
                 still listed in their profiles. They should be removed.",
            ),
        ),
        (
            "stuck on the 2FA screen (support)",
            Away,
            free(
                "I'm stuck on the 2FA screen",
                "It asks for a code from my old phone, which I don't have the app on anymore.",
            ),
        ),
        (
            "lost 2FA: how-to (support)",
            Away,
            free(
                "Locked out by 2FA",
                "I reinstalled my phone and the authenticator codes are gone. I don't have \
                 the recovery codes either.",
            ),
        ),
        (
            "old server closed (support)",
            Away,
            free(
                "Server closed",
                "My instance went offline for good and I never got to move my account. \
                 Can my followers be recovered?",
            ),
        ),
        (
            "report ignored (support)",
            Away,
            free(
                "Harassment",
                "Someone keeps replying to me with slurs. I have reported them five times \
                 and there is still no response from the moderators.",
            ),
        ),
        (
            "fr: cannot receive code (support)",
            Away,
            free(
                "Code de confirmation",
                "Je ne reçois pas le code de confirmation par mail, même dans les spams.",
            ),
        ),
        (
            "es: instance slow (support)",
            Away,
            free(
                "Muy lento",
                "Mi instancia está muy lenta desde hace días, las publicaciones tardan en \
                 aparecer.",
            ),
        ),
        (
            "de: server down (support)",
            Away,
            free(
                "Server down?",
                "Meine Instanz ist seit heute früh nicht erreichbar. Liegt das an mir?",
            ),
        ),
    ]
}

/// Family of a verdict.
fn family(v: Verdict) -> Family {
    match v {
        Verdict::Support | Verdict::Question => Family::Away,
        _ => Family::File,
    }
}

/// Drafts the rules still get wrong, each for a reason no general word
/// family covers yet: a generic error message plus "my friends there have
/// the same problem" (only people on the same server know it is that
/// server), and a bug-form upload failure whose only hint is that others on
/// the same server see it.
const KNOWN_GAPS: &[&str] = &["posting fails on my instance", "uploads fail on one server"];

/// Every draft of the three batches, with the verdict it got and why.
fn outcomes() -> Vec<(&'static str, Family, Triage)> {
    cases()
        .into_iter()
        .chain(fresh_cases())
        .chain(probe_cases())
        .map(|(name, want, input)| (name, want, triage(&input)))
        .collect()
}

fn line(name: &str, want: Family, t: &Triage) -> String {
    let why: Vec<String> = t
        .reasons
        .iter()
        .map(|r| format!("{} {:+}", r.signal, r.weight))
        .collect();
    format!(
        "{name}: want {want:?}, got {} ({})",
        t.verdict,
        why.join(", ")
    )
}

#[test]
fn heldout_table_shape() {
    let all: Vec<_> = cases()
        .into_iter()
        .chain(fresh_cases())
        .chain(probe_cases())
        .collect();
    let away = all.iter().filter(|c| c.1 == Family::Away).count();
    assert!(
        away >= 20 && all.len() - away >= 20,
        "{away} of {}",
        all.len()
    );
    let foreign = all
        .iter()
        .filter(|c| c.1 == Family::Away && c.0.get(2..4) == Some(": "))
        .count();
    assert!(foreign >= 8, "{foreign} non-English support drafts");
    let mut names: Vec<&str> = all.iter().map(|c| c.0).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), all.len(), "case names are unique");
}

#[test]
fn heldout_families() {
    let outcomes = outcomes();
    let wrong: Vec<&(&str, Family, Triage)> = outcomes
        .iter()
        .filter(|(_, want, t)| family(t.verdict) != *want)
        .collect();
    let score = format!("{}/{} right", outcomes.len() - wrong.len(), outcomes.len());
    let misses: Vec<String> = wrong
        .iter()
        .filter(|(name, ..)| !KNOWN_GAPS.contains(name))
        .map(|(name, want, t)| line(name, *want, t))
        .collect();
    assert!(misses.is_empty(), "{score}; misses:\n{}", misses.join("\n"));
    let fixed: Vec<&&str> = KNOWN_GAPS
        .iter()
        .filter(|g| !wrong.iter().any(|(name, ..)| name == *g))
        .collect();
    assert!(
        fixed.is_empty(),
        "{score}; now right, take them out of KNOWN_GAPS: {fixed:?}"
    );
}
