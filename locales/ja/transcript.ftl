# The customer's copy of a conversation's transcript (the team's copy is English).
transcript-title = 会話記録: { $experience } と { $customer }
transcript-conversation = 会話 { $id }
transcript-started = 開始 { $time }
transcript-you = あなた
transcript-ai-agent = AIエージェント
transcript-sent-file = { $name } がファイルを送信しました: { $file } ({ $size })
transcript-joined = { $name } が会話に参加しました。
transcript-handed-off = AIエージェントが会話をチームに引き継ぎました。
transcript-handoff-requested = AIエージェントが担当者と話すためにサインインするよう求めました。
transcript-fallback = 対応できる担当者がいなかったため、代替メッセージが表示されました。
transcript-inactive = 会話は無操作のため間もなく終了するところでした。
transcript-ended = 会話は終了しました。
# A moment: $day, $month (a name below) or $monthnum, $year, $time (24-hour hh:mm).
date-time = { $year }年{ $monthnum }月{ $day }日 { $time } UTC
month-1 = 1月
month-2 = 2月
month-3 = 3月
month-4 = 4月
month-5 = 5月
month-6 = 6月
month-7 = 7月
month-8 = 8月
month-9 = 9月
month-10 = 10月
month-11 = 11月
month-12 = 12月
