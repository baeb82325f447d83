# The customer's copy of a conversation's transcript (the team's copy is English).
transcript-title = Transcript: { $experience } with { $customer }
transcript-conversation = Conversation { $id }
transcript-started = Started { $time }
transcript-you = You
transcript-ai-agent = AI agent
transcript-sent-file = { $name } sent a file: { $file } ({ $size })
transcript-joined = { $name } joined the conversation.
transcript-handed-off = The AI agent passed the conversation to the team.
transcript-handoff-requested = The AI agent asked you to sign in to talk to a person.
transcript-fallback = No agent was available; the fallback message was shown.
transcript-inactive = The conversation was about to close for inactivity.
transcript-ended = The conversation ended.
# A moment: $day, $month (a name below) or $monthnum, $year, $time (24-hour hh:mm).
date-time = { $day } { $month } { $year }, { $time } UTC
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December
