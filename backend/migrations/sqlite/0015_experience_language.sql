-- The language a customer experience's chat speaks whatever the browser asks for (a code of
-- backend::i18n::LANGUAGES); NULL follows the customer's browser.
ALTER TABLE experiences ADD COLUMN language TEXT;
