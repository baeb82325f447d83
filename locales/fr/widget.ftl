# Le chat des clients (widget intégré et site d'assistance) en français.

loading = Chargement…
close-chat = Fermer le chat
reconnecting = Reconnexion…
connecting = Connexion…

chat-not-yet = Le chat n'est pas encore disponible ici.
chat-not-on-plan = Le chat en direct n'est pas inclus dans l'offre de ce site.

## Connexion
sign-in-prompt = Connectez-vous pour discuter avec notre équipe d'assistance.
sign-in = Se connecter
email = E-mail
password = Mot de passe
new-here = Nouveau ici ?
your-name = Votre nom
create-account = Créer un compte
create-account-form = Créer un compte client
signed-in-as = Connecté en tant que
sign-out = Se déconnecter

## Commencer et patienter
intro-ai = Des questions ? Notre agent IA répond tout de suite à partir de nos articles d'aide.
intro-team = Des questions ? Notre équipe est là pour vous aider.
start = Démarrer une conversation
start-new = Démarrer une nouvelle conversation
talk-to-person = Parler à une personne
waiting = En attente d'un agent… vous serez mis en relation avec la prochaine personne disponible.
queue-next = Vous êtes le prochain.
queue-number = Vous êtes numéro { $n } dans la file d'attente.

## La conversation
you = Vous
ai-agent = Agent IA
agent = Agent
joined = { $name } a rejoint la conversation.
typing-one = { $name } écrit…
typing-many = { $names } écrivent…
fallback = Aucun agent ne peut prendre votre conversation pour le moment. Veuillez réessayer plus tard.
inactive = Cette conversation est calme depuis un moment. Elle se terminera bientôt si personne n'écrit.
ended = Cette conversation est terminée.
handed-off = Vous allez être mis en relation avec une personne de notre équipe.
handoff-sign-in = Veuillez vous connecter pour qu'une personne de notre équipe prenne le relais. La conversation est conservée.
over = Cette conversation est terminée. Merci d'avoir discuté avec nous.
message = Message
message-placeholder = Écrivez un message…
send = Envoyer
sending = Envoi…
not-sent = Non envoyé.
retry = Réessayer

## Après la conversation
rate-form = Évaluer cette conversation
rate-question = Comment nous sommes-nous débrouillés ?
rate-choice = { $n } sur 5
comment-optional = Commentaire (facultatif)
send-rating = Envoyer l'évaluation
rating-thanks = Merci pour votre évaluation.
download-transcript = Télécharger la transcription
save-file = Enregistrer { $file }
attach-file = Joindre un fichier
uploading = Envoi de { $file }
download-file = Télécharger { $file }
drop-files = Déposez des fichiers ici pour les envoyer
