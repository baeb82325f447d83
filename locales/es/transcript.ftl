# The customer's copy of a conversation's transcript (the team's copy is English).
transcript-title = Transcripción: { $experience } con { $customer }
transcript-conversation = Conversación { $id }
transcript-started = Iniciada el { $time }
transcript-you = Usted
transcript-ai-agent = Agente de IA
transcript-sent-file = { $name } envió un archivo: { $file } ({ $size })
transcript-joined = { $name } se unió a la conversación.
transcript-handed-off = El agente de IA pasó la conversación al equipo.
transcript-handoff-requested = El agente de IA le pidió que inicie sesión para hablar con una persona.
transcript-fallback = No había nadie disponible; se mostró el mensaje alternativo.
transcript-inactive = La conversación estaba a punto de cerrarse por inactividad.
transcript-ended = La conversación terminó.
# A moment: $day, $month (a name below) or $monthnum, $year, $time (24-hour hh:mm).
date-time = { $day } de { $month } de { $year }, { $time } UTC
month-1 = enero
month-2 = febrero
month-3 = marzo
month-4 = abril
month-5 = mayo
month-6 = junio
month-7 = julio
month-8 = agosto
month-9 = septiembre
month-10 = octubre
month-11 = noviembre
month-12 = diciembre
