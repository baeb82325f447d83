# The customer's copy of a conversation's transcript (the team's copy is English).
transcript-title = سجل المحادثة: { $experience } مع { $customer }
transcript-conversation = المحادثة { $id }
transcript-started = بدأت في { $time }
transcript-you = أنت
transcript-ai-agent = وكيل الذكاء الاصطناعي
transcript-sent-file = أرسل { $name } ملفًا: { $file } ({ $size })
transcript-joined = انضم { $name } إلى المحادثة.
transcript-handed-off = نقل وكيل الذكاء الاصطناعي المحادثة إلى الفريق.
transcript-handoff-requested = طلب منك وكيل الذكاء الاصطناعي تسجيل الدخول للتحدث مع شخص.
transcript-fallback = لم يكن أحد متاحًا؛ وعُرضت الرسالة البديلة.
transcript-inactive = كانت المحادثة على وشك الإغلاق بسبب عدم النشاط.
transcript-ended = انتهت المحادثة.
# A moment: $day, $month (a name below) or $monthnum, $year, $time (24-hour hh:mm).
date-time = { $day } { $month } { $year }، { $time } UTC
month-1 = يناير
month-2 = فبراير
month-3 = مارس
month-4 = أبريل
month-5 = مايو
month-6 = يونيو
month-7 = يوليو
month-8 = أغسطس
month-9 = سبتمبر
month-10 = أكتوبر
month-11 = نوفمبر
month-12 = ديسمبر
