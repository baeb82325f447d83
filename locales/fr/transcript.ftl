# The customer's copy of a conversation's transcript (the team's copy is English).
transcript-title = Transcription : { $experience } avec { $customer }
transcript-conversation = Conversation { $id }
transcript-started = Commencée le { $time }
transcript-you = Vous
transcript-ai-agent = Agent IA
transcript-sent-file = { $name } a envoyé un fichier : { $file } ({ $size })
transcript-joined = { $name } a rejoint la conversation.
transcript-handed-off = L'agent IA a transmis la conversation à l'équipe.
transcript-handoff-requested = L'agent IA vous a demandé de vous connecter pour parler à une personne.
transcript-fallback = Personne n'était disponible ; le message de secours a été affiché.
transcript-inactive = La conversation allait se fermer pour inactivité.
transcript-ended = La conversation est terminée.
# A moment: $day, $month (a name below) or $monthnum, $year, $time (24-hour hh:mm).
date-time = { $day } { $month } { $year } à { $time } UTC
month-1 = janvier
month-2 = février
month-3 = mars
month-4 = avril
month-5 = mai
month-6 = juin
month-7 = juillet
month-8 = août
month-9 = septembre
month-10 = octobre
month-11 = novembre
month-12 = décembre
