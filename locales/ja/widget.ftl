# お客様向けチャット(埋め込みウィジェットとサポートサイト)の日本語。

loading = 読み込み中…
close-chat = チャットを閉じる
reconnecting = 再接続しています…
connecting = 接続しています…

chat-not-yet = ここではまだチャットをご利用いただけません。
chat-not-on-plan = このサイトのプランではライブチャットをご利用いただけません。

## サインイン
sign-in-prompt = サポートチームとチャットするにはサインインしてください。
sign-in = サインイン
email = メールアドレス
password = パスワード
new-here = はじめての方
your-name = お名前
create-account = アカウントを作成
create-account-form = アカウントの作成
signed-in-as = サインイン中:
sign-out = サインアウト

## 開始と待機
intro-ai = ご質問はありますか?AIエージェントがヘルプ記事をもとにすぐにお答えします。
intro-team = ご質問はありますか?チームがお手伝いします。
start = 会話を始める
start-new = 新しい会話を始める
talk-to-person = 担当者と話す
waiting = 担当者を待っています… 対応可能な担当者におつなぎします。
queue-next = 次の順番です。
queue-number = 待ち順は { $n } 番目です。

## 会話
you = あなた
ai-agent = AIエージェント
agent = 担当者
joined = { $name } が会話に参加しました。
typing-one = { $name } が入力中…
typing-many = { $names } が入力中…
fallback = ただいま会話を担当できる者がおりません。しばらくしてからもう一度お試しください。
inactive = この会話はしばらく動きがありません。誰も書き込まなければまもなく終了します。
ended = この会話は終了しました。
handed-off = チームの担当者におつなぎしています。
handoff-sign-in = チームの担当者が引き継げるようにサインインしてください。会話はそのまま残ります。
over = この会話は終了しました。ご利用ありがとうございました。
message = メッセージ
message-placeholder = メッセージを入力…
send = 送信
sending = 送信中…
not-sent = 送信されていません。
retry = 再送信

## 会話のあと
rate-form = この会話を評価する
rate-question = 対応はいかがでしたか?
rate-choice = 5段階中 { $n }
comment-optional = コメント(任意)
send-rating = 評価を送信
rating-thanks = 評価をありがとうございました。
download-transcript = 会話記録をダウンロード
save-file = { $file } を保存
attach-file = ファイルを添付
uploading = { $file } をアップロード中
download-file = { $file } をダウンロード
drop-files = ここにファイルをドロップして送信
