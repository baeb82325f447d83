//! The demo knowledge base: a dozen help articles of a fictional shop (Baton Shop, selling
//! outdoor clothing and gear), so the demo's AI agent answers real questions. The retrieval
//! tests measure their accuracy on these same articles.

/// (title, body). Paragraphs are separated by blank lines; the AI agent quotes one paragraph.
pub const DEMO_ARTICLES: &[(&str, &str)] = &[
    (
        "Shipping times and costs",
        "Standard delivery takes 3 to 5 working days and costs 4.95. Orders over 50 ship free.\n\n\
         Express delivery arrives the next working day when you order before 2 pm and costs 9.95.\n\n\
         We ship Monday to Friday. Orders placed at the weekend leave our warehouse on Monday.",
    ),
    (
        "Tracking your order",
        "When your parcel leaves our warehouse we email you a tracking number and a link to follow the delivery.\n\n\
         You can also find the tracking number under Orders in your account. Tracking can take up to 24 hours to show the first scan.",
    ),
    (
        "Returning an item",
        "You can return any unworn item within 30 days of delivery. Start a return under Orders in your account, print the free return label and drop the parcel at any post office.\n\n\
         Items must be unused, with their tags attached. Sale items can be returned too; gift cards cannot.",
    ),
    (
        "Refunds",
        "Once your return reaches our warehouse we check it within 2 working days and refund the money to the card or account you paid with.\n\n\
         Banks usually show the refund within 5 working days. Original shipping costs are refunded when you return the whole order.",
    ),
    (
        "Changing or cancelling an order",
        "You can change the delivery address or cancel an order within one hour of placing it, under Orders in your account.\n\n\
         After an hour the order is being packed and cannot be changed; you can still return it once it arrives.",
    ),
    (
        "Payment methods",
        "We accept Visa, Mastercard, American Express, PayPal, Apple Pay and Google Pay.\n\n\
         You can also pay by invoice within 14 days; invoice payment is available for orders up to 500.\n\n\
         Your card is charged when the order ships, not when you place it.",
    ),
    (
        "International shipping and customs",
        "We deliver to 30 countries across Europe and to the United States, Canada and Australia. International delivery takes 5 to 10 working days.\n\n\
         Orders outside the European Union may be charged import duties and taxes by customs when they arrive; these are paid by the recipient.",
    ),
    (
        "Warranty and repairs",
        "All jackets, tents and backpacks carry a two-year warranty against manufacturing faults such as broken zips or failing seams.\n\n\
         To make a warranty claim, send us photos of the fault and your order number; we repair or replace the item free of charge.",
    ),
    (
        "Resetting your password",
        "To reset your password, choose Forgot password on the sign-in page and enter your email address. We send a reset link that works for one hour.\n\n\
         If the email does not arrive, check your spam folder or make sure you used the address you registered with.",
    ),
    (
        "Gift cards",
        "Gift cards come in amounts from 10 to 200 and are valid for three years. They are sent by email within minutes.\n\n\
         Enter the gift card code at checkout. You can combine a gift card with any other payment method to pay the rest.",
    ),
    (
        "Damaged or missing items",
        "If your parcel arrives damaged or an item is missing, tell us within 14 days with a photo of the package and we send a replacement at no cost.\n\n\
         If the tracking shows delivered but you have no parcel, check with neighbours first; we then open an investigation with the courier.",
    ),
    (
        "Choosing the right size",
        "Every product page has a size chart in centimetres and inches. Measure your chest, waist and inside leg and compare them with the chart.\n\n\
         Our jackets fit true to size; if you are between two sizes, take the larger one for layering. Shoes run half a size small.",
    ),
];
