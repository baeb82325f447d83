//! Retrieval on the demo knowledge base: questions customers ask with the article each should
//! find (top-1 accuracy is measured and printed), and questions the AI agent must decline.
//! Run with `--nocapture` to see the figures.

use backend::ai::retrieval::{Article, KnowledgeIndex};
use backend::demo_kb::DEMO_ARTICLES;

fn index() -> KnowledgeIndex {
    KnowledgeIndex::build(
        DEMO_ARTICLES
            .iter()
            .enumerate()
            .map(|(i, (title, body))| Article {
                id: format!("a{i}"),
                title: title.to_string(),
                body: body.to_string(),
            })
            .collect(),
    )
}

/// (question, the title of the article that answers it), in customers' own words.
const QUESTIONS: &[(&str, &str)] = &[
    ("How long does delivery take?", "Shipping times and costs"),
    ("How much is shipping?", "Shipping times and costs"),
    ("Do you have express delivery?", "Shipping times and costs"),
    ("Is shipping free?", "Shipping times and costs"),
    (
        "Where is my parcel? I want to track my order",
        "Tracking your order",
    ),
    ("Where do I find my tracking number?", "Tracking your order"),
    ("The tracking link shows nothing yet", "Tracking your order"),
    ("How do I return a jacket?", "Returning an item"),
    ("Can I return a sale item?", "Returning an item"),
    ("I need a return label", "Returning an item"),
    ("When will I get my refund?", "Refunds"),
    ("Do you refund the shipping costs?", "Refunds"),
    ("My money has not come back yet after my return", "Refunds"),
    ("Can I cancel my order?", "Changing or cancelling an order"),
    (
        "I want to change the delivery address of my order",
        "Changing or cancelling an order",
    ),
    ("Which payment methods do you accept?", "Payment methods"),
    ("Can I pay with PayPal?", "Payment methods"),
    ("Can I pay by invoice?", "Payment methods"),
    ("When is my card charged?", "Payment methods"),
    (
        "Do you ship to Canada?",
        "International shipping and customs",
    ),
    (
        "Will I pay customs duties?",
        "International shipping and customs",
    ),
    (
        "Do you deliver to the United States?",
        "International shipping and customs",
    ),
    ("What does the warranty cover?", "Warranty and repairs"),
    ("The zip on my backpack broke", "Warranty and repairs"),
    ("Can you repair my tent?", "Warranty and repairs"),
    ("I forgot my password", "Resetting your password"),
    (
        "The password reset email never arrived",
        "Resetting your password",
    ),
    ("How do I use a gift card?", "Gift cards"),
    ("How long is a gift card valid?", "Gift cards"),
    ("My parcel arrived damaged", "Damaged or missing items"),
    (
        "An item is missing from my package",
        "Damaged or missing items",
    ),
    (
        "Tracking says delivered but I have no parcel",
        "Damaged or missing items",
    ),
    ("What size should I take?", "Choosing the right size"),
    ("Do your shoes run small?", "Choosing the right size"),
    ("Where is the size chart?", "Choosing the right size"),
    (
        "I am between two sizes for a jacket",
        "Choosing the right size",
    ),
];

/// Questions the knowledge base does not answer: the AI agent must say it does not know.
const OFF_TOPIC: &[&str] = &[
    "What is the weather in Paris tomorrow?",
    "Who won the football match last night?",
    "Can you write me a poem about the sea?",
    "What is the capital of Australia?",
    "How do I bake sourdough bread?",
    "Tell me a joke",
    "Explain quantum computing",
    "Do you sell used cars?",
    "What is your CEO's name?",
    "asdfghjkl",
];

#[test]
fn the_demo_knowledge_base_finds_the_right_article_for_customers_questions() {
    let index = index();
    let mut top1 = 0;
    let mut answered_right = 0;
    let mut misses = Vec::new();
    for (question, expected) in QUESTIONS {
        let best = index.best(question);
        let confident = index.confident(question);
        if best.as_ref().is_some_and(|h| h.title == *expected) {
            top1 += 1;
        } else {
            misses.push(format!(
                "{question:?}: expected {expected:?}, ranked first {:?}",
                best.map(|h| (h.title, h.score, h.coverage))
            ));
        }
        if confident.as_ref().is_some_and(|h| h.title == *expected) {
            answered_right += 1;
        } else if let Some(h) = index.best(question) {
            println!(
                "  not sure: {question:?} (score {:.2}, {}/{} words)",
                h.score, h.matched, h.asked
            );
        }
    }
    let n = QUESTIONS.len();
    let top1_accuracy = top1 as f64 / n as f64;
    let answer_rate = answered_right as f64 / n as f64;
    println!(
        "retrieval on the demo knowledge base: top-1 accuracy {top1}/{n} = {:.1}%; answered with the right article (confident) {answered_right}/{n} = {:.1}%",
        top1_accuracy * 100.0,
        answer_rate * 100.0
    );
    for miss in &misses {
        println!("  miss: {miss}");
    }
    assert!(top1_accuracy >= 0.9, "top-1 accuracy too low: {misses:#?}");
    assert!(answer_rate >= 0.85, "too few confident right answers");
}

#[test]
fn questions_the_knowledge_base_does_not_answer_are_declined() {
    let index = index();
    let mut wrongly_answered = Vec::new();
    for question in OFF_TOPIC {
        if let Some(hit) = index.confident(question) {
            wrongly_answered.push(format!(
                "{question:?} answered from {:?} (score {:.2}, coverage {:.2})",
                hit.title, hit.score, hit.coverage
            ));
        }
    }
    for wrong in &wrongly_answered {
        println!("  answered: {wrong}");
    }
    println!(
        "off-topic questions declined: {}/{}",
        OFF_TOPIC.len() - wrongly_answered.len(),
        OFF_TOPIC.len()
    );
    assert!(wrongly_answered.is_empty(), "{wrongly_answered:#?}");
}

#[test]
fn a_confident_answer_never_comes_from_the_wrong_article() {
    let index = index();
    for (question, expected) in QUESTIONS {
        if let Some(hit) = index.confident(question) {
            assert_eq!(
                hit.title, *expected,
                "{question:?} answered from the wrong article"
            );
        }
    }
}
