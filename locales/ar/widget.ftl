# دردشة العملاء (الأداة المضمّنة وموقع الدعم) باللغة العربية.

loading = جارٍ التحميل…
close-chat = إغلاق الدردشة
reconnecting = جارٍ إعادة الاتصال…
connecting = جارٍ الاتصال…

chat-not-yet = الدردشة غير متاحة هنا بعد.
chat-not-on-plan = الدردشة المباشرة غير متاحة في خطة هذا الموقع.

## تسجيل الدخول
sign-in-prompt = سجّل الدخول للدردشة مع فريق الدعم.
sign-in = تسجيل الدخول
email = البريد الإلكتروني
password = كلمة المرور
new-here = جديد هنا؟
your-name = اسمك
create-account = إنشاء حساب
create-account-form = إنشاء حساب جديد
signed-in-as = تم تسجيل الدخول باسم
sign-out = تسجيل الخروج

## البدء والانتظار
intro-ai = لديك أسئلة؟ يجيب وكيل الذكاء الاصطناعي فورًا من مقالات المساعدة.
intro-team = لديك أسئلة؟ فريقنا هنا لمساعدتك.
start = ابدأ محادثة
start-new = ابدأ محادثة جديدة
talk-to-person = التحدث إلى شخص
waiting = في انتظار موظف… سيتم توصيلك بأول شخص متاح.
queue-next = أنت التالي في الدور.
queue-number = ترتيبك في الدور هو { $n }.

## المحادثة
you = أنت
ai-agent = وكيل الذكاء الاصطناعي
agent = موظف
joined = انضم { $name } إلى المحادثة.
typing-one = { $name } يكتب…
typing-many = { $names } يكتبون…
fallback = لا يوجد موظف متاح لمحادثتك الآن. يرجى المحاولة لاحقًا.
inactive = هذه المحادثة هادئة منذ فترة. ستنتهي قريبًا ما لم يكتب أحد.
ended = انتهت هذه المحادثة.
handed-off = جارٍ توصيلك بشخص من فريقنا.
handoff-sign-in = يرجى تسجيل الدخول ليتمكن شخص من فريقنا من المتابعة. ستبقى المحادثة كما هي.
over = انتهت هذه المحادثة. شكرًا لتواصلك معنا.
message = رسالة
message-placeholder = اكتب رسالة…
send = إرسال
sending = جارٍ الإرسال…
not-sent = لم تُرسل.
retry = إعادة المحاولة

## بعد المحادثة
rate-form = قيّم هذه المحادثة
rate-question = كيف كانت تجربتك معنا؟
rate-choice = { $n } من 5
comment-optional = تعليق (اختياري)
send-rating = إرسال التقييم
rating-thanks = شكرًا على تقييمك.
download-transcript = تنزيل نص المحادثة
save-file = حفظ { $file }
attach-file = إرفاق ملف
uploading = جارٍ رفع { $file }
download-file = تنزيل { $file }
drop-files = أفلت الملفات هنا لإرسالها
