# The customer's copy of a conversation's transcript (the team's copy is English).
transcript-title = Verlauf: { $experience } mit { $customer }
transcript-conversation = Unterhaltung { $id }
transcript-started = Begonnen am { $time }
transcript-you = Sie
transcript-ai-agent = KI-Assistent
transcript-sent-file = { $name } hat eine Datei gesendet: { $file } ({ $size })
transcript-joined = { $name } ist der Unterhaltung beigetreten.
transcript-handed-off = Der KI-Assistent hat die Unterhaltung an das Team übergeben.
transcript-handoff-requested = Der KI-Assistent hat Sie gebeten, sich anzumelden, um mit einer Person zu sprechen.
transcript-fallback = Es war niemand verfügbar; die Ersatznachricht wurde angezeigt.
transcript-inactive = Die Unterhaltung war kurz davor, wegen Inaktivität beendet zu werden.
transcript-ended = Die Unterhaltung wurde beendet.
# A moment: $day, $month (a name below) or $monthnum, $year, $time (24-hour hh:mm).
date-time = { $day }. { $month } { $year }, { $time } UTC
month-1 = Januar
month-2 = Februar
month-3 = März
month-4 = April
month-5 = Mai
month-6 = Juni
month-7 = Juli
month-8 = August
month-9 = September
month-10 = Oktober
month-11 = November
month-12 = Dezember
