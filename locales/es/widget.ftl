# El chat de los clientes (widget integrado y sitio de soporte) en español.

loading = Cargando…
close-chat = Cerrar el chat
reconnecting = Reconectando…
connecting = Conectando…

chat-not-yet = El chat aún no está disponible aquí.
chat-not-on-plan = El chat en vivo no está incluido en el plan de este sitio.

## Iniciar sesión
sign-in-prompt = Inicia sesión para chatear con nuestro equipo de soporte.
sign-in = Iniciar sesión
email = Correo electrónico
password = Contraseña
new-here = ¿Eres nuevo?
your-name = Tu nombre
create-account = Crear cuenta
create-account-form = Crear una cuenta
signed-in-as = Sesión iniciada como
sign-out = Cerrar sesión

## Empezar y esperar
intro-ai = ¿Preguntas? Nuestro agente de IA responde al instante con nuestros artículos de ayuda.
intro-team = ¿Preguntas? Nuestro equipo está aquí para ayudarte.
start = Iniciar una conversación
start-new = Iniciar una nueva conversación
talk-to-person = Hablar con una persona
waiting = Esperando a un agente… te conectaremos con la próxima persona disponible.
queue-next = Eres el siguiente.
queue-number = Eres el número { $n } en la fila.

## La conversación
you = Tú
ai-agent = Agente de IA
agent = Agente
joined = { $name } se unió a la conversación.
typing-one = { $name } está escribiendo…
typing-many = { $names } están escribiendo…
fallback = Ningún agente puede atender tu conversación ahora. Inténtalo de nuevo más tarde.
inactive = Esta conversación lleva un rato en silencio. Terminará pronto si nadie escribe.
ended = Esta conversación ha terminado.
handed-off = Te estamos conectando con una persona de nuestro equipo.
handoff-sign-in = Inicia sesión para que una persona de nuestro equipo pueda continuar. La conversación se conserva.
over = Esta conversación ha terminado. Gracias por chatear con nosotros.
message = Mensaje
message-placeholder = Escribe un mensaje…
send = Enviar
sending = Enviando…
not-sent = No enviado.
retry = Reintentar

## Después de la conversación
rate-form = Valorar esta conversación
rate-question = ¿Qué tal lo hicimos?
rate-choice = { $n } de 5
comment-optional = Comentario (opcional)
send-rating = Enviar valoración
rating-thanks = Gracias por tu valoración.
download-transcript = Descargar la transcripción
save-file = Guardar { $file }
attach-file = Adjuntar un archivo
uploading = Subiendo { $file }
download-file = Descargar { $file }
drop-files = Suelte archivos aquí para enviarlos
