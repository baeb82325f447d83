# Der Chat für Kundinnen und Kunden (eingebettetes Widget und Support-Website) auf Deutsch.

loading = Wird geladen…
close-chat = Chat schließen
reconnecting = Verbindung wird wiederhergestellt…
connecting = Verbindung wird hergestellt…

chat-not-yet = Der Chat ist hier noch nicht verfügbar.
chat-not-on-plan = Live-Chat ist im Tarif dieser Website nicht enthalten.

## Anmelden
sign-in-prompt = Melden Sie sich an, um mit unserem Support-Team zu chatten.
sign-in = Anmelden
email = E-Mail
password = Passwort
new-here = Neu hier?
your-name = Ihr Name
create-account = Konto erstellen
create-account-form = Ein Konto erstellen
signed-in-as = Angemeldet als
sign-out = Abmelden

## Beginnen und warten
intro-ai = Fragen? Unser KI-Assistent antwortet sofort anhand unserer Hilfeartikel.
intro-team = Fragen? Unser Team hilft Ihnen gern.
start = Unterhaltung beginnen
start-new = Neue Unterhaltung beginnen
talk-to-person = Mit einem Menschen sprechen
waiting = Warten auf einen Mitarbeiter… Sie werden mit der nächsten freien Person verbunden.
queue-next = Sie sind als Nächstes an der Reihe.
queue-number = Sie sind Nummer { $n } in der Warteschlange.

## Die Unterhaltung
you = Sie
ai-agent = KI-Assistent
agent = Mitarbeiter
joined = { $name } ist der Unterhaltung beigetreten.
typing-one = { $name } schreibt…
typing-many = { $names } schreiben…
fallback = Gerade kann niemand Ihre Unterhaltung übernehmen. Bitte versuchen Sie es später noch einmal.
inactive = In dieser Unterhaltung war es eine Weile still. Sie endet bald, wenn niemand schreibt.
ended = Diese Unterhaltung ist beendet.
handed-off = Sie werden mit einer Person aus unserem Team verbunden.
handoff-sign-in = Bitte melden Sie sich an, damit eine Person aus unserem Team übernehmen kann. Die Unterhaltung bleibt erhalten.
over = Diese Unterhaltung ist vorbei. Danke, dass Sie mit uns gechattet haben.
message = Nachricht
message-placeholder = Nachricht schreiben…
send = Senden
sending = Wird gesendet…
not-sent = Nicht gesendet.
retry = Erneut senden

## Nach der Unterhaltung
rate-form = Diese Unterhaltung bewerten
rate-question = Wie zufrieden waren Sie?
rate-choice = { $n } von 5
comment-optional = Kommentar (optional)
send-rating = Bewertung senden
rating-thanks = Danke für Ihre Bewertung.
download-transcript = Verlauf herunterladen
save-file = { $file } speichern
attach-file = Datei anhängen
uploading = { $file } wird hochgeladen
download-file = { $file } herunterladen
drop-files = Dateien hier ablegen, um sie zu senden
