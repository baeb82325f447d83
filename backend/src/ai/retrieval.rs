//! Finding the answer in the knowledge base: BM25 ranking over article passages (the `bm25`
//! crate: English stemming, stop words, Unicode word boundaries), then a confidence check so
//! the AI agent says "I don't know" rather than answer from a weak match.

use std::collections::HashSet;

use bm25::{DefaultTokenizer, Document, Language, SearchEngine, SearchEngineBuilder, Tokenizer};

/// A published article, as the AI agent reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Article {
    pub id: String,
    pub title: String,
    pub body: String,
}

/// The best passage for a question, with how sure the ranking is.
#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    pub article_id: String,
    pub title: String,
    pub passage: String,
    /// The BM25 score of the passage (title words included).
    pub score: f32,
    /// The share of the question's meaningful words that the article contains.
    pub coverage: f32,
    /// How many of the question's meaningful words the article contains.
    pub matched: usize,
    /// How many meaningful words the question has.
    pub asked: usize,
    /// Whether a word of the question is in the article's title.
    pub in_title: bool,
}

/// A passage of an article, for a language model's prompt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Passage {
    pub article_id: String,
    pub title: String,
    pub text: String,
}

/// A match below either bar is not an answer: the AI agent says it does not know.
/// Tuned on the demo knowledge base (see `backend/tests/ai_retrieval.rs`): every question there
/// is answered from the right article and every off-topic one is declined.
pub const MIN_SCORE: f32 = 1.5;
pub const MIN_COVERAGE: f32 = 0.5;

/// The search index of one experience's published articles. Built per reply: a knowledge base
/// of hundreds of articles indexes in well under a millisecond per article, and building fresh
/// means an edit applies to the very next question.
pub struct KnowledgeIndex {
    articles: Vec<Article>,
    /// (article index, paragraph) for every passage; the search engine's ids index this.
    passages: Vec<(usize, String)>,
    /// The distinct tokens of each article (title and body), for the coverage check.
    article_tokens: Vec<HashSet<String>>,
    /// The distinct tokens of each article's title.
    title_tokens: Vec<HashSet<String>>,
    engine: SearchEngine<u32>,
    tokenizer: DefaultTokenizer,
}

impl KnowledgeIndex {
    pub fn build(articles: Vec<Article>) -> KnowledgeIndex {
        let tokenizer = DefaultTokenizer::new(Language::English);
        let mut passages = Vec::new();
        for (index, article) in articles.iter().enumerate() {
            for paragraph in paragraphs(&article.body) {
                passages.push((index, paragraph));
            }
        }
        // The title goes with every passage: customers ask in the title's words.
        let documents: Vec<Document<u32>> = passages
            .iter()
            .enumerate()
            .map(|(id, (article, text))| {
                Document::new(id as u32, format!("{}\n{}", articles[*article].title, text))
            })
            .collect();
        let article_tokens = articles
            .iter()
            .map(|a| {
                tokenizer
                    .tokenize(&format!("{}\n{}", a.title, a.body))
                    .into_iter()
                    .collect()
            })
            .collect();
        let title_tokens = articles
            .iter()
            .map(|a| tokenizer.tokenize(&a.title).into_iter().collect())
            .collect();
        let engine =
            SearchEngineBuilder::<u32>::with_documents(Language::English, documents).build();
        KnowledgeIndex {
            articles,
            passages,
            article_tokens,
            title_tokens,
            engine,
            tokenizer,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.passages.is_empty()
    }

    /// The best-ranked passage, however weak.
    pub fn best(&self, question: &str) -> Option<Hit> {
        let top = self.engine.search(question, 1).into_iter().next()?;
        let (article_index, passage) = self.passages.get(top.document.id as usize)?;
        let article = &self.articles[*article_index];
        let asked: HashSet<String> = self.tokenizer.tokenize(question).into_iter().collect();
        let known = &self.article_tokens[*article_index];
        let matched = asked.iter().filter(|t| known.contains(*t)).count();
        let coverage = if asked.is_empty() {
            0.0
        } else {
            matched as f32 / asked.len() as f32
        };
        Some(Hit {
            article_id: article.id.clone(),
            title: article.title.clone(),
            passage: passage.clone(),
            score: top.score,
            coverage,
            matched,
            asked: asked.len(),
            in_title: asked
                .iter()
                .any(|t| self.title_tokens[*article_index].contains(t)),
        })
    }

    /// The `n` best-ranked passages, best first, however weak: what a language model reads to
    /// write a grounded answer (it says when they do not hold the answer).
    pub fn top(&self, question: &str, n: usize) -> Vec<Passage> {
        self.engine
            .search(question, n)
            .into_iter()
            .filter_map(|found| {
                let (article_index, passage) = self.passages.get(found.document.id as usize)?;
                let article = &self.articles[*article_index];
                Some(Passage {
                    article_id: article.id.clone(),
                    title: article.title.clone(),
                    text: passage.clone(),
                })
            })
            .collect()
    }

    /// The best passage if the ranking is sure enough to answer with it: a good score, half of
    /// the question's words in the article, and more than one shared word unless that word is
    /// the article's subject (in its title): "tell me a joke" shares only "tell" with "tell us
    /// within 14 days" and is declined; "when will I get my refund?" shares "refund" with the
    /// article "Refunds" and is answered.
    pub fn confident(&self, question: &str) -> Option<Hit> {
        self.best(question).filter(|hit| {
            hit.score >= MIN_SCORE
                && hit.coverage >= MIN_COVERAGE
                && (hit.matched >= hit.asked.min(2) || hit.in_title)
        })
    }
}

/// Paragraphs separated by blank lines, trimmed; an article without blank lines is one passage.
fn paragraphs(body: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for line in body.lines() {
        if line.trim().is_empty() {
            if !current.trim().is_empty() {
                out.push(current.trim().to_string());
            }
            current.clear();
        } else {
            if !current.is_empty() {
                current.push('\n');
            }
            current.push_str(line.trim_end());
        }
    }
    if !current.trim().is_empty() {
        out.push(current.trim().to_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_article_is_split_into_its_paragraphs() {
        assert_eq!(
            paragraphs("First line\nsame paragraph\n\n\nSecond\n"),
            vec![
                "First line\nsame paragraph".to_string(),
                "Second".to_string()
            ]
        );
    }

    #[test]
    fn an_empty_knowledge_base_finds_nothing() {
        let index = KnowledgeIndex::build(vec![]);
        assert!(index.is_empty());
        assert_eq!(index.best("anything"), None);
    }
}
