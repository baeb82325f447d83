# The customer's chat (the embedded widget and the support website) in English.
# Translators: copy this file to locales/<language>/widget.ftl and translate the text right of
# each "=". Keep the keys on the left and the { $placeholders } as they are.

loading = Loading…
close-chat = Close chat
reconnecting = Reconnecting…
connecting = Connecting…

chat-not-yet = Chat is not available here yet.
chat-not-on-plan = Live chat is not available on this site's plan.

## Signing in
sign-in-prompt = Sign in to chat with our support team.
sign-in = Sign in
email = Email
password = Password
new-here = New here?
your-name = Your name
create-account = Create account
create-account-form = Create an account
signed-in-as = Signed in as
sign-out = Sign out

## Starting and waiting
intro-ai = Questions? Our AI agent answers at once from our help articles.
intro-team = Questions? Our team is here to help.
start = Start a conversation
start-new = Start a new conversation
talk-to-person = Talk to a person
waiting = Waiting for agent… you will be connected to the next available person.
queue-next = You are next in line.
queue-number = You are number { $n } in line.

## The conversation
you = You
ai-agent = AI agent
agent = Agent
joined = { $name } joined the conversation.
typing-one = { $name } is typing…
typing-many = { $names } are typing…
fallback = No agent can take your conversation right now. Please try again later.
inactive = This conversation has been quiet for a while. It will end soon unless someone writes.
ended = This conversation has ended.
handed-off = You are being connected to a person from our team.
handoff-sign-in = Please sign in so a person from our team can take over. This conversation stays as it is.
over = This conversation is over. Thank you for chatting with us.
message = Message
message-placeholder = Write a message…
send = Send
sending = Sending…
not-sent = Not sent.
retry = Retry

## After the conversation
rate-form = Rate this conversation
rate-question = How did we do?
rate-choice = { $n } of 5
comment-optional = Comment (optional)
send-rating = Send rating
rating-thanks = Thank you for your rating.
download-transcript = Download transcript
save-file = Save { $file }
attach-file = Attach a file
uploading = Uploading { $file }
download-file = Download { $file }
drop-files = Drop files here to send them
